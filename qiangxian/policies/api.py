"""API of the policy module: policies, clauses, drafting, runs, matches, applications, payments.

The same selectors and services as the pages, scoped the same way; refusals are 422 (naming the
field), lost updates and concurrent decisions 409.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.access import issued_by
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Date, Id, Pagination, Year, model_bounds

from . import drafting, selectors, services
from .calc import MET, NOT_MET, UNKNOWN
from .choices import ApplicationStatus
from .models import Application, ClauseVersion, MatchRun, Policy

router = Router()

Money = Annotated[Decimal, Field(ge=0, lt=Decimal("1e13"), max_digits=16, decimal_places=2)]
Text = Annotated[str, Field(max_length=2000)]


class PolicyDocOut(Schema):
    id: int
    title: str
    issuer_name: str
    doc_number: str
    level: str
    effective_from: dt.date
    effective_to: dt.date | None
    status: str
    cap_per_enterprise_year: Decimal | None
    guide_who: str
    guide_what: str
    guide_when: str
    guide_where: str
    guide_contact: str
    updated_at: dt.datetime
    # Empty for the reader's own level's policies.
    issued_by: str = Field("", description="上级发布的政策注明发布层级，如“市级政策（测试市发布）”")

    @staticmethod
    def resolve_issued_by(obj, context) -> str:
        return issued_by(context["request"].user, obj.issuer_id, "政策")


@model_bounds(Policy)
class PolicyDocIn(Schema):
    title: str
    issuer_name: str = ""
    doc_number: str = ""
    level: str = "county"
    effective_from: Date
    effective_to: Date | None = None
    full_text: Annotated[str, Field(max_length=200_000)] = ""
    cap_per_enterprise_year: Money | None = None
    guide_who: Text = ""
    guide_what: Text = ""
    guide_when: Text = ""
    guide_where: Text = ""
    guide_contact: str = ""
    responsible_unit_ids: Annotated[list[Id], Field(max_length=50)] = []
    expected_updated_at: dt.datetime | None = None


class ClauseVersionOut(Schema):
    id: int
    effective_from: dt.date
    quote: str
    eligibility: str
    benefit_kind: str
    benefit_amount: Decimal | None
    benefit_rate: Decimal | None
    benefit_base: str
    benefit_tiers: list
    cap_per_enterprise_year: Decimal | None
    budget: Decimal | None
    mode: str
    window_from: dt.date | None
    window_to: dt.date | None
    documents_required: list
    review_unit_id: int | None
    paying_unit_id: int | None
    review_days: int
    exclusion_group: str
    exclusion_rule: str


class PolicyClauseOut(Schema):
    id: int
    policy_id: int
    number: str
    title: str
    is_published: bool
    versions: list[ClauseVersionOut]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())


@model_bounds(ClauseVersion)
class PolicyClauseIn(Schema):
    clause_id: Id | None = None
    number: Annotated[str, Field(max_length=30)] = ""
    title: Annotated[str, Field(max_length=200)] = ""
    effective_from: Date
    quote: Annotated[str, Field(max_length=10_000)]
    eligibility: Annotated[str, Field(max_length=4000)]
    benefit_kind: str
    benefit_amount: Decimal | None = None
    benefit_rate: Annotated[Decimal, Field(ge=-1, le=1, max_digits=8, decimal_places=6)] | None = None
    benefit_base: str = ""
    benefit_tiers: Annotated[
        list[Annotated[list[Money], Field(min_length=2, max_length=2)]], Field(max_length=50)
    ] = []
    cap_per_enterprise_year: Decimal | None = None
    budget: Decimal | None = None
    mode: str = "auto_grant"
    window_from: Date | None = None
    window_to: Date | None = None
    documents_required: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=30)] = []
    review_unit_id: Id | None = None
    paying_unit_id: Id | None = None
    review_days: Annotated[int, Field(ge=1, le=60)] = 15
    exclusion_group: str = ""
    exclusion_rule: str = "stack"
    note: str = ""


class PolicyDraftIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=200_000)]


class DraftConditionOut(Schema):
    indicator: str | None
    phrase: str
    comparator: str
    value: float
    unit: str


class DraftBenefitOut(Schema):
    kind: str
    amount: float | None
    rate: float | None
    unit: str
    cap: float | None
    tiers: list[list[float]]
    schedule: list[dict]
    base: str


class DraftProposalOut(Schema):
    quote: str
    start: int
    end: int
    title: str
    eligibility: str
    conditions: list[DraftConditionOut]
    benefit: DraftBenefitOut
    responsible_units: list[str]


class PolicyRunOut(Schema):
    id: int
    as_of: dt.date
    status: str
    versions: dict
    enterprise_count: int
    clause_count: int
    met_count: int
    near_count: int
    unknown_count: int
    total_amount: Decimal
    seconds: float
    started_at: dt.datetime


class PolicyRunIn(Schema):
    as_of: Date | None = None


class PolicyMatchOut(Schema):
    # Read from the run's packed results: a result has no row id of its own.
    run_id: int
    clause_id: int
    clause_version_id: int
    enterprise_id: int
    outcome: str
    near: bool
    gross_amount: Decimal | None
    amount: Decimal | None
    note: str
    missing: str
    gap: str


class PolicyMatchFilterIn(Schema):
    run_id: Id | None = None
    clause_id: Id | None = None
    enterprise_id: Id | None = None
    outcome: Literal["met", "not_met", "unknown"] | None = None
    near: bool | None = None


class PolicyPaymentOut(Schema):
    id: int
    application_id: int
    amount: Decimal
    paid_on: dt.date
    voucher_number: str
    paying_unit_id: int
    recorded_at: dt.datetime


class PolicyApplicationOut(Schema):
    id: int
    clause_id: int
    clause_version_id: int
    enterprise_id: int
    year: int
    mode: str
    status: str
    status_display: str = Field(alias="get_status_display")
    estimated_amount: Decimal
    declared_base: Decimal | None
    approved_amount: Decimal | None
    notified_at: dt.datetime | None
    read_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    on_behalf: bool
    review_deadline: dt.date | None
    reviewed_at: dt.datetime | None
    return_reason: str
    exclusion_reason: str
    trace: list
    updated_at: dt.datetime


class PolicyApplicationFilterIn(Schema):
    status: Literal[tuple(ApplicationStatus.values)] | None = None  # type: ignore[valid-type]
    clause_id: Id | None = None
    enterprise_id: Id | None = None
    year: Year | None = None


@model_bounds(Application)
class WillingnessIn(Schema):
    bank_name: str
    bank_account: str


class QuickApplyIn(WillingnessIn):
    clause_id: Id
    enterprise_id: Id
    declared_base: Money | None = None


class PolicyApproveIn(Schema):
    amount: Money | None = None


class PolicyReasonIn(Schema):
    reason: Annotated[str, Field(max_length=2000)]


class PolicyPaymentIn(Schema):
    amount: Money
    paid_on: Date
    voucher_number: Annotated[str, Field(max_length=60)]
    paying_unit_id: Id | None = None


# --- drafting, clauses, runs, matches ------------------------------------------------------


@router.post("/draft", response=list[DraftProposalOut], summary="从政策原文识别条款（草稿，不保存）")
def draft(request, payload: PolicyDraftIn):
    if not services.can_keep_library(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有领导小组办公室可以起草政策。")
    return [p.as_dict() for p in drafting.propose(payload.text)]


@router.get("/clauses", response=list[PolicyClauseOut], summary="条款列表（含各版本）")
@paginate(Pagination)
def clause_list(request, policy_id: Id | None = None):
    qs = (
        selectors.clause_list(user=request.user)
        .prefetch_related("versions")
        .order_by("policy_id", "sort_order", "pk")
    )
    return qs.filter(policy_id=policy_id) if policy_id else qs


@router.get("/clauses/{clause_id}", response=PolicyClauseOut, summary="条款详情")
def clause_detail(request, clause_id: Id):
    return selectors.access_clause(request.user, clause_id)


@router.get("/runs", response=list[PolicyRunOut], summary="政策匹配记录")
@paginate(Pagination)
def run_list(request):
    return selectors.run_list(user=request.user)


@router.post("/runs", response={201: PolicyRunOut}, summary="运行政策匹配（全部有效条款 × 全部企业）")
def run_create(request, payload: PolicyRunIn):
    return 201, services.run_matching(actor=request.user, as_of=payload.as_of)


@router.get("/runs/{run_id}", response=PolicyRunOut, summary="政策匹配详情")
def run_detail(request, run_id: Id):
    return selectors.access_run(request.user, run_id)


@router.get("/matches", response=list[PolicyMatchOut], summary="匹配结果（符合、接近、待定）")
@paginate(Pagination)
def match_list(request, filters: Query[PolicyMatchFilterIn]):
    # Not access_run: an enterprise sees its own matches of a run it cannot open.
    run = MatchRun.objects.filter(pk=filters.run_id).first() if filters.run_id is not None else None
    if filters.run_id is not None and run is None:
        return []
    clauses = [filters.clause_id] if filters.clause_id is not None else None
    outcome = {"met": MET, "not_met": NOT_MET, "unknown": UNKNOWN}.get(filters.outcome or "")
    return selectors.match_list(user=request.user, run=run, clause_ids=clauses).where(
        outcome=outcome, near=filters.near, enterprise_id=filters.enterprise_id
    )


# --- applications and payments ------------------------------------------------------------


@router.get("/applications", response=list[PolicyApplicationOut], summary="兑现办理列表")
@paginate(Pagination)
def application_list(request, filters: Query[PolicyApplicationFilterIn]):
    qs = selectors.application_list(user=request.user).order_by("-pk")
    for key in ("status", "clause_id", "enterprise_id", "year"):
        value = getattr(filters, key)
        if value is not None:
            qs = qs.filter(**{key: value})
    return qs


@router.post("/applications", response={201: PolicyApplicationOut}, summary="快申快享申报")
def application_create(request, payload: QuickApplyIn):
    from qiangxian.enterprises.selectors import access_enterprise_by_id

    enterprise = access_enterprise_by_id(request.user, payload.enterprise_id)
    clause = selectors.access_clause(request.user, payload.clause_id)
    return 201, services.quick_apply(
        actor=request.user,
        enterprise=enterprise,
        clause=clause,
        bank_name=payload.bank_name,
        bank_account=payload.bank_account,
        declared_base=payload.declared_base,
    )


@router.get("/applications/{application_id}", response=PolicyApplicationOut, summary="兑现办理详情")
def application_detail(request, application_id: Id):
    return selectors.access_application(request.user, application_id)


@router.post(
    "/applications/{application_id}/confirm", response=PolicyApplicationOut, summary="确认享受意愿和收款账户"
)
def application_confirm(request, application_id: Id, payload: WillingnessIn):
    app = selectors.access_application(request.user, application_id)
    return services.willingness_confirm(
        actor=request.user, application=app, bank_name=payload.bank_name, bank_account=payload.bank_account
    )


@router.post("/applications/{application_id}/approve", response=PolicyApplicationOut, summary="审核通过")
def application_approve(request, application_id: Id, payload: PolicyApproveIn):
    app = selectors.access_application(request.user, application_id)
    return services.application_approve(actor=request.user, application=app, amount=payload.amount)


@router.post(
    "/applications/{application_id}/exclude", response=PolicyApplicationOut, summary="不予兑现（须说明原因）"
)
def application_exclude(request, application_id: Id, payload: PolicyReasonIn):
    app = selectors.access_application(request.user, application_id)
    return services.application_exclude(actor=request.user, application=app, reason=payload.reason)


@router.post(
    "/applications/{application_id}/return", response=PolicyApplicationOut, summary="退回修改（须说明原因）"
)
def application_return(request, application_id: Id, payload: PolicyReasonIn):
    app = selectors.access_application(request.user, application_id)
    return services.application_return(actor=request.user, application=app, reason=payload.reason)


@router.post("/applications/{application_id}/payment", response={201: PolicyPaymentOut}, summary="登记拨付")
def payment_create(request, application_id: Id, payload: PolicyPaymentIn):
    app = selectors.access_application(request.user, application_id)
    unit = None
    if payload.paying_unit_id is not None:
        unit = OrgUnit.objects.filter(pk=payload.paying_unit_id).first()
        if unit is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"paying_unit_id": ["拨付单位不存在。"]})
    return 201, services.payment_record(
        actor=request.user,
        application=app,
        amount=payload.amount,
        paid_on=payload.paid_on,
        voucher_number=payload.voucher_number,
        paying_unit=unit,
    )


@router.get("/payments", response=list[PolicyPaymentOut], summary="资金拨付列表")
@paginate(Pagination)
def payment_list(request, year: Year | None = None):
    qs = selectors.payment_list(user=request.user).order_by("-paid_on", "-pk")
    return qs.filter(application__year=year) if year else qs


# --- policies ------------------------------------------------------------------------------


@router.get("/", response=list[PolicyDocOut], summary="政策库")
@paginate(Pagination)
def policy_list(request, level: Literal["national", "province", "city", "county"] | None = None):
    qs = selectors.policy_list(user=request.user).order_by("-effective_from", "pk")
    return qs.filter(level=level) if level else qs


def _units(ids):
    units = list(OrgUnit.objects.filter(pk__in=ids))
    if len(units) != len(set(ids)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"responsible_unit_ids": ["责任单位不存在。"]})
    return units


@router.post("/", response={201: PolicyDocOut}, summary="新增政策")
def policy_create(request, payload: PolicyDocIn):
    data = payload.dict(exclude={"responsible_unit_ids", "expected_updated_at"})
    return 201, services.policy_save(
        actor=request.user, data=data, responsible_units=_units(payload.responsible_unit_ids)
    )


@router.get("/{policy_id}", response=PolicyDocOut, summary="政策详情")
def policy_detail(request, policy_id: Id):
    return selectors.access_policy(request.user, policy_id)


@router.put("/{policy_id}", response=PolicyDocOut, summary="修改政策")
def policy_update(request, policy_id: Id, payload: PolicyDocIn):
    policy = selectors.access_policy(request.user, policy_id)
    data = payload.dict(exclude={"responsible_unit_ids", "expected_updated_at"})
    return services.policy_save(
        actor=request.user,
        data=data,
        policy=policy,
        responsible_units=_units(payload.responsible_unit_ids),
        expected_updated_at=payload.expected_updated_at,
    )


@router.post("/{policy_id}/publish", response=PolicyDocOut, summary="确认并发布政策")
def policy_publish(request, policy_id: Id):
    return services.policy_publish(
        actor=request.user, policy=selectors.access_policy(request.user, policy_id)
    )


@router.post("/{policy_id}/clauses", response={201: PolicyClauseOut}, summary="新增条款或条款新版本")
def clause_save(request, policy_id: Id, payload: PolicyClauseIn):
    policy = selectors.access_policy(request.user, policy_id)
    clause = selectors.access_clause(request.user, payload.clause_id) if payload.clause_id else None
    data = payload.dict(exclude={"clause_id", "review_unit_id", "paying_unit_id"})
    for key in ("review_unit_id", "paying_unit_id"):
        unit_id = getattr(payload, key)
        data[key.removesuffix("_id")] = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    version = services.clause_save(
        actor=request.user, policy=policy, clause=clause, data=data, publish=policy.status == "published"
    )
    return 201, version.clause
