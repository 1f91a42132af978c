"""Pages of the rules app: the workbench, saved rules and the reference. Thin: they call
checking, evaluation, selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from qiangxian.core.access import issued_by
from qiangxian.core.exports import xlsx_response
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, issued_column, render_list
from qiangxian.core.params import date_in_range
from qiangxian.enterprises.selectors import access_enterprise_by_id, enterprise_list

from . import reference, selectors, services
from .catalogue import designation_names, indicator_entries
from .checking import CheckResult, check_text
from .choices import Outcome, ResultType
from .engine import RuleError, format_value
from .evaluation import default_as_of, evaluate_expression, evaluate_rule, explain_expression, match_rows
from .evaluation import export_rows as match_export_rows
from .filters import CustomRuleFilter
from .forms import CustomRuleForm, WorkbenchForm

MATCH_PAGE_SIZE = 20
SEARCH_LIMIT = 10
ERROR_KINDS = {"syntax": "语法错误", "name": "名称错误", "type": "类型错误", "ruleset": "规则集错误"}
WORKBENCH_FIELDS = ("expression", "result_type", "as_of")


def _crumbs():
    return [("规则", reverse("rules:workbench"))]


def _as_of(value) -> dt.date:
    """The evaluation date a request names (YYYY-MM-DD), else today."""
    try:
        parsed = parse_date(value) if isinstance(value, str) else None
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30
        parsed = None
    return date_in_range(parsed) or default_as_of()


def _posted_check(request) -> tuple[CheckResult, dt.date]:
    """The expression, result type and date a workbench request carries, checked."""
    text = request.POST.get("expression", "")
    result_type = request.POST.get("result_type", ResultType.BOOL)
    return check_text(text, result_type), _as_of(request.POST.get("as_of"))


def _check_context(check: CheckResult | None) -> dict:
    error = check.error if check is not None else None
    return {
        "check": check,
        "error_kind": ERROR_KINDS.get(error.kind, "错误") if error is not None else "",
    }


# --- the workbench -------------------------------------------------------------------------


def index(request):
    return redirect("rules:workbench")


def _workbench(request, *, form, save_form, rule=None, status=200):
    text = form["expression"].value() or ""
    result_type = form["result_type"].value() or ResultType.BOOL
    check = check_text(text, result_type) if text.strip() else None
    context = {
        "title": "规则工作台",
        "breadcrumbs": _crumbs(),
        "form": form,
        "save_form": save_form,
        "rule": rule,
        # A rule issued above is tried in the workbench, never saved over from it.
        "can_edit": services.can_change_rule(request.user, rule)
        if rule is not None
        else services.can_edit_rules(request.user),
        "indicators": indicator_entries(),
        "designations": designation_names(),
        "functions": reference.FUNCTION_SNIPPETS,
        "periods": reference.PERIOD_SNIPPETS,
        **_check_context(check),
    }
    return render(request, "rules/workbench.html", context, status=status)


@require_GET
def workbench(request):
    """Write an expression, see it checked as you type, try it, count its matches, save it."""
    initial = {"result_type": ResultType.BOOL, "as_of": default_as_of()}
    save_initial: dict = {"is_active": True}
    rule = None
    if request.GET.get("rule"):
        rule = selectors.access_custom_rule_by_id(request.user, request.GET["rule"])
        initial.update(expression=rule.expression, result_type=rule.result_type)
        save_initial = {
            "name": rule.name,
            "description": rule.description,
            "is_active": rule.is_active,
            "rule": rule.pk,
            "version": rule.version,
        }
    elif request.GET.get("expression"):
        initial["expression"] = request.GET["expression"]
        if request.GET.get("result_type") in ResultType.values:
            initial["result_type"] = request.GET["result_type"]
    return _workbench(
        request,
        form=WorkbenchForm(initial=initial),
        save_form=CustomRuleForm(initial=save_initial),
        rule=rule,
    )


@require_POST
def check(request):
    """The htmx check as one types: a positioned error, or the type and the canonical form."""
    result, _ = _posted_check(request)
    return render(request, "rules/_check.html", _check_context(result if result.text.strip() else None))


@require_GET
def enterprise_search(request):
    """Enterprises the user may see, by name, code or pinyin initials, to try a rule on."""
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(enterprise_list(user=request.user, query=query).order_by("name", "pk")[:SEARCH_LIMIT])
    return render(request, "rules/_enterprise_results.html", {"query": query, "found": found})


@require_POST
def try_one(request):
    """The trace of the expression for one enterprise (404 for one the user may not see)."""
    enterprise = access_enterprise_by_id(request.user, request.POST.get("enterprise"))
    result, as_of = _posted_check(request)
    context = {"enterprise": enterprise, "as_of": as_of, **_check_context(result)}
    if result.ok:
        trace = explain_expression(result.expression, enterprise=enterprise, as_of=as_of)
        context.update(trace=trace, trace_result=trace_result(result.expression, trace))
    return render(request, "rules/_trace.html", context)


def trace_result(expression, trace) -> str:
    """满足/不满足/待定 for a condition; the value with its unit (or 无法计算) for a number."""
    if expression.kind == "bool":
        return trace.outcome_label
    if trace.points is None:
        return "无法计算（待定）"
    return f"结果 {format_value(trace.points, expression.typed.type.unit)}"


def _match_page(request, evaluation, rows, *, outcome: str, page_number, **extra):
    page = Paginator(rows, MATCH_PAGE_SIZE).get_page(page_number)
    counts = evaluation.counts()
    labels = evaluation.labels()
    tabs = [{"key": "", "label": "全部", "count": evaluation.size}] + [
        {"key": key, "label": labels[key], "count": counts[key]} for key in labels if key in counts
    ]
    return render(
        request,
        "rules/_match.html",
        {
            "evaluation": evaluation,
            "counts": counts,
            "tabs": tabs,
            "outcome": outcome,
            "page_obj": page,
            "total_text": _total_text(evaluation),
            **extra,
        },
    )


def _total_text(evaluation) -> str:
    total = evaluation.total()
    if total is None or evaluation.result_type != ResultType.MONEY:
        return ""
    return format_value(total, evaluation.unit)


def _default_outcome(evaluation, requested: str | None) -> str:
    if requested is not None:
        return requested if requested in Outcome.values else ""
    return Outcome.MET if evaluation.is_condition else ""


@require_POST
def match(request):
    """How many enterprises the expression matches over the user's scope, and which."""
    result, as_of = _posted_check(request)
    if not result.ok:
        return render(request, "rules/_match.html", {"invalid": True, **_check_context(result)})
    enterprises = enterprise_list(user=request.user)
    evaluation = evaluate_expression(
        result.expression, enterprises=enterprises, as_of=as_of, result_type=result.result_type
    )
    outcome = _default_outcome(evaluation, request.POST.get("outcome"))
    rows = match_rows(evaluation, enterprises=enterprises, outcome=outcome)
    return _match_page(
        request, evaluation, rows, outcome=outcome, page_number=request.POST.get("page"), mode="workbench"
    )


def _xlsx(evaluation, rows, *, name: str):
    headers, data = match_export_rows(evaluation, rows)
    return xlsx_response(filename=f"{name}.xlsx", title="匹配结果", headers=headers, rows=data)


@require_POST
def match_export(request):
    """The match list of the workbench as an .xlsx file (the chosen outcome, the user's scope)."""
    result, as_of = _posted_check(request)
    if not result.ok:
        messages.error(request, f"表达式有误，无法导出：{result.error}")
        return redirect("rules:workbench")
    enterprises = enterprise_list(user=request.user)
    evaluation = evaluate_expression(
        result.expression, enterprises=enterprises, as_of=as_of, result_type=result.result_type
    )
    outcome = _default_outcome(evaluation, request.POST.get("outcome"))
    rows = match_rows(evaluation, enterprises=enterprises, outcome=outcome)
    return _xlsx(evaluation, rows, name=f"规则匹配结果_{as_of:%Y%m%d}")


def _split_errors(error: ValidationError, form, save_form) -> None:
    """Expression errors go under the text area, the rest onto the save form."""
    if not hasattr(error, "error_dict"):
        save_form.add_error(None, error.messages)
        return
    for field, msgs in error.message_dict.items():
        if field in WORKBENCH_FIELDS:
            form.add_error(field, msgs)
        elif field in save_form.fields:
            save_form.add_error(field, msgs)
        else:
            save_form.add_error(None, msgs)


@require_POST
def save(request):
    """Save the workbench's expression as a new custom rule, or as the next version of one."""
    if not services.can_edit_rules(request.user):
        raise PermissionDenied(services.FORBIDDEN_MESSAGE)
    form = WorkbenchForm(request.POST)
    save_form = CustomRuleForm(request.POST)
    rule = None
    if save_form.is_valid() and save_form.cleaned_data.get("rule"):
        rule = selectors.access_custom_rule_by_id(request.user, save_form.cleaned_data["rule"])
    if form.is_valid():
        # Say what is wrong with the expression even when the name is missing too.
        checked = check_text(form.cleaned_data["expression"], form.cleaned_data["result_type"])
        if not checked.ok:
            form.add_error("expression", f"表达式有误，{checked.error}")
    if form.is_valid() and save_form.is_valid():
        fields = {
            "name": save_form.cleaned_data["name"],
            "description": save_form.cleaned_data["description"],
            "is_active": save_form.cleaned_data["is_active"],
            "expression": form.cleaned_data["expression"],
            "result_type": form.cleaned_data["result_type"],
        }
        try:
            if rule is None:
                saved = services.custom_rule_create(actor=request.user, **fields)
                messages.success(request, f"已保存自定义规则“{saved.name}”。")
            else:
                saved = services.custom_rule_update(
                    actor=request.user,
                    rule=rule,
                    expected_version=save_form.cleaned_data["version"],
                    **fields,
                )
                messages.success(request, f"已保存“{saved.name}”（第 {saved.version} 版）。")
            return redirect("rules:detail", pk=saved.pk)
        except ValidationError as error:
            _split_errors(error, form, save_form)
    return _workbench(request, form=form, save_form=save_form, rule=rule)


# --- saved rules ---------------------------------------------------------------------------


def _rule_link(rule):
    return reverse("rules:detail", args=[rule.pk])


RULE_COLUMNS = [
    Column("name", "规则名称", sort="name", link=_rule_link),
    Column("result_type", "结果类型", sort="result_type", value=lambda r: r.get_result_type_display()),
    Column(
        "expression",
        "表达式",
        display=lambda r: format_html('<code class="qx-rule-code">{}</code>', r.expression),
    ),
    Column(
        "is_active",
        "状态",
        sort="is_active",
        value=lambda r: "启用" if r.is_active else "停用",
    ),
    Column("version", "版本", sort="version", numeric=True),
    Column("updated_by", "最后修改人", value=lambda r: str(r.updated_by)),
    Column(
        "updated_at",
        "修改时间",
        sort="updated_at",
        display=lambda r: timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M"),
    ),
]


@require_GET
def rule_list(request):
    return render_list(
        request,
        queryset=selectors.custom_rule_list(user=request.user),
        columns=[*RULE_COLUMNS, *issued_column(request.user, "规则")],
        template="rules/list.html",
        title="自定义规则",
        filterset_class=CustomRuleFilter,
        default_sort="name",
        export_name="自定义规则",
        extra_context={"breadcrumbs": _crumbs(), "can_edit": services.can_edit_rules(request.user)},
    )


@require_GET
def rule_detail(request, pk):
    rule = selectors.access_custom_rule_by_id(request.user, pk)
    result = check_text(rule.expression, rule.result_type)
    return render(
        request,
        "rules/detail.html",
        {
            "title": rule.name,
            "breadcrumbs": [*_crumbs(), ("自定义规则", reverse("rules:list"))],
            "rule": rule,
            "as_of": default_as_of(),
            "issued_by": issued_by(request.user, rule.issuer_id, "规则"),
            # A rule issued at another level is tried here, never changed: no button that would
            # lead to 403.
            "can_edit": services.can_change_rule(request.user, rule),
            "history": timeline(rule),
            **_check_context(result),
        },
    )


@require_GET
def rule_matches(request, pk):
    """A saved rule's matches over the user's scope: the htmx panel of its page, or an .xlsx."""
    rule = selectors.access_custom_rule_by_id(request.user, pk)
    as_of = _as_of(request.GET.get("as_of"))
    enterprises = enterprise_list(user=request.user)
    try:
        evaluation = evaluate_rule(rule=rule, user=request.user, as_of=as_of)
    except RuleError as error:
        result = CheckResult(rule.expression, rule.result_type, error=error)
        return render(request, "rules/_match.html", {"invalid": True, **_check_context(result)})
    outcome = _default_outcome(evaluation, request.GET.get("outcome"))
    rows = match_rows(evaluation, enterprises=enterprises, outcome=outcome)
    if request.GET.get("export") == "xlsx":
        return _xlsx(evaluation, rows, name=f"{rule.name}_匹配结果_{as_of:%Y%m%d}")
    if not request.headers.get("HX-Request"):
        return redirect("rules:detail", pk=rule.pk)
    return _match_page(
        request,
        evaluation,
        rows,
        outcome=outcome,
        page_number=request.GET.get("page"),
        mode="saved",
        match_url=reverse("rules:matches", args=[rule.pk]),
        as_of=as_of,
    )


@require_POST
def rule_delete(request, pk):
    rule = selectors.access_custom_rule_by_id(request.user, pk)
    try:
        services.custom_rule_delete(
            actor=request.user, rule=rule, expected_version=_int(request.POST.get("version"))
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("rules:detail", pk=rule.pk)
    messages.success(request, f"已删除自定义规则“{rule.name}”。")
    return redirect("rules:list")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the reference -------------------------------------------------------------------------


@require_GET
def reference_page(request):
    """The grammar with examples (each checked as the page renders) and the built-in rule sets."""
    return render(
        request,
        "rules/reference.html",
        {
            "title": "规则语法参考",
            "breadcrumbs": _crumbs(),
            "sections": reference.sections(),
            "error_examples": reference.error_examples(),
            "literals": reference.literal_table(),
            "periods": reference.period_table(),
            "functions": reference.function_table(),
            "truth_table": reference.truth_table(),
            "not_table": reference.not_table(),
            "rulesets": reference.ruleset_groups(today=default_as_of()),
            "indicators": indicator_entries(),
            "designations": designation_names(),
        },
    )
