"""API of the rules app: check expressions, evaluate and explain them, manage custom rules.

The same selectors and services as the pages: evaluations cover only the enterprises the caller
may see, an enterprise outside the caller's scope answers 404, and writes need the office.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.access import issued_by
from qiangxian.core.params import Date, Limit, Offset, Pagination, model_bounds
from qiangxian.enterprises.selectors import access_enterprise_by_id, enterprise_list

from . import reference, selectors, services
from .catalogue import designation_names, indicator_entries
from .checking import check_text
from .choices import Outcome, ResultType
from .engine import RuleError
from .evaluation import (
    default_as_of,
    evaluate_expression,
    evaluate_rule,
    explain_expression,
    explain_rule,
    match_rows,
)
from .filters import CustomRuleFilter
from .models import CustomRule

router = Router()

# --- schemas -------------------------------------------------------------------------------


class ErrorOut(Schema):
    kind: str
    message: str
    text: str
    line: int | None
    column: int | None
    offset: int | None
    end: int | None


class CheckIn(Schema):
    expression: str = Field(..., description="规则表达式，如 研发费用@上年 / 营业收入@上年 >= 3%")
    result_type: ResultType = ResultType.BOOL


class CheckOut(Schema):
    ok: bool
    result_type: str
    canonical: str | None = Field(None, description="规范写法（to_text）")
    type: str | None = Field(None, description="推断的结果类型或单位，如 条件（是/否）、金额")
    uses: list[str] = Field(default_factory=list, description="读取的指标（期间）、资质和人工判断")
    error: ErrorOut | None = None


class CatalogueIndicatorOut(Schema):
    identifier: str
    name: str
    aliases: list[str]
    unit: str
    description: str


class CatalogueOut(Schema):
    indicators: list[CatalogueIndicatorOut]
    designations: list[str]


class CriterionOut(Schema):
    code: str
    title: str
    clause: str
    kind: str
    group: str
    expression: str


class RuleSetVersionOut(Schema):
    code: str
    name: str
    version: str
    source: str
    effective_from: dt.date
    effective_to: dt.date | None
    in_force: bool
    pass_mark: float | None
    criteria: list[CriterionOut]


class CustomRuleOut(Schema):
    id: int
    name: str
    description: str
    expression: str
    result_type: str
    result_type_display: str = Field(alias="get_result_type_display")
    is_active: bool
    version: int
    created_by: str
    updated_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    # Empty for the reader's own level's rules.
    issued_by: str = Field("", description="上级发布的规则注明发布层级，如“市级规则（测试市发布）”")

    @staticmethod
    def resolve_issued_by(obj, context) -> str:
        return issued_by(context["request"].user, obj.issuer_id, "规则")

    @staticmethod
    def resolve_created_by(obj) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_updated_by(obj) -> str:
        return str(obj.updated_by)


@model_bounds(CustomRule)
class CustomRuleIn(Schema):
    name: str
    expression: str
    result_type: ResultType = ResultType.BOOL
    description: str = ""
    is_active: bool = True


class CustomRuleUpdateIn(CustomRuleIn):
    expected_version: int = Field(..., description="读取时的 version；已被他人修改时返回 409")


class CustomRuleFilterIn(FilterSchema):
    q: str | None = None
    result_type: ResultType | None = None
    is_active: bool | None = None


class EvaluateIn(CheckIn):
    as_of: Date | None = Field(None, description="评价日期，默认今天；期间相对于其所在年份")
    outcome: Outcome | None = Field(None, description="只列出该结果的企业；不填列出全部")
    limit: Limit = 100
    offset: Offset = 0


class MatchOut(Schema):
    enterprise_id: int
    name: str
    uscc: str
    town: str
    park: str
    outcome: str
    result: str
    value: float | None
    missing: list[str]


class EvaluateOut(Schema):
    as_of: dt.date
    result_type: str
    canonical: str
    total: int = Field(..., description="参与评价的企业数（调用者可见范围内）")
    counts: dict[str, int] = Field(..., description="met / not_met / unknown 各多少家（数值：met=可计算）")
    count: int = Field(..., description="符合 outcome 筛选的企业数")
    items: list[MatchOut]


class ExplainIn(CheckIn):
    enterprise_id: int
    as_of: Date | None = None


class TraceValueOut(Schema):
    name: str
    identifier: str
    period: str | None
    period_label: str
    value: float | list | bool | None
    unit: str | None
    text: str
    source: str | None


class TraceOut(Schema):
    enterprise_id: int
    as_of: dt.date
    expression: str
    outcome: int = Field(..., description="1 满足，0 不满足，−1 待定")
    outcome_label: str
    points: float | None
    values: list[TraceValueOut]
    checks: list[str]
    gaps: list[str]
    notes: list[str]


class DetailOut(Schema):
    detail: str


# --- checking and reference ----------------------------------------------------------------


@router.post("/check", response=CheckOut, summary="检查表达式（语法、名称、类型与单位）")
def check(request, payload: CheckIn):
    return check_text(payload.expression, payload.result_type).as_dict()


@router.get("/catalogue", response=CatalogueOut, summary="可用的指标与资质名称")
def catalogue(request):
    return {
        "indicators": [{**entry.__dict__, "aliases": list(entry.aliases)} for entry in indicator_entries()],
        "designations": designation_names(),
    }


@router.get("/rulesets", response=list[RuleSetVersionOut], summary="内置规则集（全部版本）")
def rulesets(request):
    out = []
    for group in reference.ruleset_groups(today=default_as_of()):
        for version in group.versions:
            rs = version.ruleset
            out.append(
                {
                    "code": rs.code,
                    "name": rs.name,
                    "version": rs.version,
                    "source": rs.source,
                    "effective_from": rs.effective_from,
                    "effective_to": rs.effective_to,
                    "in_force": version.in_force,
                    "pass_mark": rs.pass_mark,
                    "criteria": [c.__dict__ for c in version.criteria],
                }
            )
    return out


# --- evaluating ----------------------------------------------------------------------------


def _evaluation_out(evaluation, enterprises, *, outcome, limit, offset):
    rows = match_rows(evaluation, enterprises=enterprises, outcome=outcome or "")
    return {
        "as_of": evaluation.as_of,
        "result_type": evaluation.result_type,
        "canonical": evaluation.expression.canonical,
        "total": evaluation.size,
        "counts": evaluation.counts(),
        "count": len(rows),
        "items": [
            {
                "enterprise_id": r.pk,
                "name": r.name,
                "uscc": r.uscc,
                "town": r.town,
                "park": r.park,
                "outcome": r.outcome,
                "result": r.result,
                "value": r.value,
                "missing": list(r.missing),
            }
            for r in rows[offset : offset + limit]
        ],
    }


def _trace_out(trace, *, enterprise_id: int, as_of: dt.date):
    data = trace.as_dict()
    return {
        "enterprise_id": enterprise_id,
        "as_of": as_of,
        "expression": data["expression"],
        "outcome": data["outcome"],
        "outcome_label": data["outcome_label"],
        "points": data["points"],
        "values": data["values"],
        "checks": data["checks"],
        "gaps": data["gaps"],
        "notes": data["notes"],
    }


def _compiled(payload):
    result = check_text(payload.expression, payload.result_type)
    if not result.ok:
        raise ValidationError({"expression": [str(result.error)]})
    return result


@router.post("/evaluate", response=EvaluateOut, summary="表达式匹配多少家企业、哪些企业（调用者可见范围）")
def evaluate(request, payload: EvaluateIn):
    result = _compiled(payload)
    enterprises = enterprise_list(user=request.user)
    evaluation = evaluate_expression(
        result.expression, enterprises=enterprises, as_of=payload.as_of, result_type=result.result_type
    )
    return _evaluation_out(
        evaluation, enterprises, outcome=payload.outcome, limit=payload.limit, offset=payload.offset
    )


@router.post("/explain", response=TraceOut, summary="对一家企业试算表达式，给出所用数据、门槛与结论")
def explain(request, payload: ExplainIn):
    enterprise = access_enterprise_by_id(request.user, payload.enterprise_id)
    result = _compiled(payload)
    as_of = payload.as_of or default_as_of()
    trace = explain_expression(result.expression, enterprise=enterprise, as_of=as_of)
    return _trace_out(trace, enterprise_id=enterprise.pk, as_of=as_of)


# --- custom rules --------------------------------------------------------------------------


@router.get("/custom-rules", response=list[CustomRuleOut], summary="自定义规则列表")
@paginate(Pagination)
def custom_rule_list(request, filters: Query[CustomRuleFilterIn]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    if "is_active" in params:
        params["is_active"] = "true" if params["is_active"] else "false"
    filterset = CustomRuleFilter(params, queryset=selectors.custom_rule_list(user=request.user))
    return filterset.qs.order_by("name", "pk")


@router.get("/custom-rules/{rule_id}", response=CustomRuleOut, summary="自定义规则详情")
def custom_rule_detail(request, rule_id: int):
    return selectors.access_custom_rule_by_id(request.user, rule_id)


@router.post("/custom-rules", response={201: CustomRuleOut}, summary="新建自定义规则（办公室）")
def custom_rule_create(request, payload: CustomRuleIn):
    return 201, services.custom_rule_create(actor=request.user, **payload.dict())


@router.put(
    "/custom-rules/{rule_id}",
    response={200: CustomRuleOut, 409: DetailOut},
    summary="修改自定义规则（需传入 expected_version）",
)
def custom_rule_update(request, rule_id: int, payload: CustomRuleUpdateIn):
    rule = selectors.access_custom_rule_by_id(request.user, rule_id)
    data = payload.dict()
    version = data.pop("expected_version")
    # A stale expected_version raises a "stale" ValidationError: the API answers 409.
    return 200, services.custom_rule_update(actor=request.user, rule=rule, expected_version=version, **data)


@router.delete(
    "/custom-rules/{rule_id}", response={204: None, 409: DetailOut}, summary="删除自定义规则（变更记录保留）"
)
def custom_rule_delete(request, rule_id: int, expected_version: int):
    rule = selectors.access_custom_rule_by_id(request.user, rule_id)
    services.custom_rule_delete(actor=request.user, rule=rule, expected_version=expected_version)
    return 204, None


class RuleEvaluateIn(Schema):
    as_of: Date | None = None
    outcome: Outcome | None = None
    limit: Limit = 100
    offset: Offset = 0


def _saved_or_422(call):
    try:
        return call()
    except RuleError as error:
        raise ValidationError({"expression": [f"已保存的表达式无法通过检查：{error}"]}) from None


@router.get("/custom-rules/{rule_id}/evaluate", response=EvaluateOut, summary="自定义规则的匹配结果")
def custom_rule_evaluate(request, rule_id: int, params: Query[RuleEvaluateIn]):
    rule = selectors.access_custom_rule_by_id(request.user, rule_id)
    evaluation = _saved_or_422(lambda: evaluate_rule(rule=rule, user=request.user, as_of=params.as_of))
    return _evaluation_out(
        evaluation,
        enterprise_list(user=request.user),
        outcome=params.outcome,
        limit=params.limit,
        offset=params.offset,
    )


@router.get(
    "/custom-rules/{rule_id}/explain/{enterprise_id}", response=TraceOut, summary="自定义规则对一家企业的试算"
)
def custom_rule_explain(request, rule_id: int, enterprise_id: int, as_of: Date | None = None):
    rule = selectors.access_custom_rule_by_id(request.user, rule_id)
    enterprise = access_enterprise_by_id(request.user, enterprise_id)
    as_of = as_of or default_as_of()
    trace = _saved_or_422(lambda: explain_rule(rule=rule, enterprise=enterprise, as_of=as_of))
    return _trace_out(trace, enterprise_id=enterprise.pk, as_of=as_of)
