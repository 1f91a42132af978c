"""Pages of the cultivation pool (梯度培育库) and the tier check on the enterprise page."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core import fragments
from qiangxian.core.exports import attachment, write_xlsx
from qiangxian.enterprises.selectors import liaison_outside
from qiangxian.enterprises.services import can_edit_enterprise, can_edit_plan

from . import selectors, services
from .evaluation import LIST_KEYS
from .filters import PoolFilter
from .forms import BulkJudgementForm, EvaluationDateForm
from .tiers import TIERS

DISCLAIMER = "按现有数据符合公开标准，不代表官方认定；最终以主管部门评审结果为准。"
EXPORT_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "乡镇",
    "园区",
    "梯度",
    "评价结果",
    "未满足条件",
    "差距",
    "缺少数据",
    "待确认",
    "评价日期",
]
LIST_LABELS = {"met": "按现有数据符合公开标准", "near": "接近标准", "unknown": "数据不足，暂无法判断"}


def _choice(value: str | None, allowed, default: str) -> str:
    return value if value in allowed else default


def evaluation_date(request) -> tuple[EvaluationDateForm, object]:
    """The evaluation date of the request (``?on=YYYY-MM-DD``, default today) and its form.

    An invalid date is shown as an error on the field and today is used instead.
    """
    form = EvaluationDateForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_bound and form.is_valid() else None
    return form, on or selectors.evaluation_date()


def pool(request):
    """The pool: per tier, the enterprises that meet, nearly meet, or cannot yet be judged."""
    if request.GET.get("export") == "xlsx" or request.headers.get("HX-Request"):
        return _pool(request)
    # The body is kept per reader (the liaison enterprises outside the jurisdiction are the
    # reader's own) until the evaluation's inputs, the liaisons, units or clusters change.
    key = fragments.fragment_key(
        "tiers-pool",
        request,
        version=selectors.pool_version() + selectors.pool_page_version(),
        extra=[request.user.pk, selectors.evaluation_date()],
    )
    content = fragments.cached(key, lambda: _pool(request, body_only=True), request)
    return render(request, "tiers/pool.html", {"title": "梯度培育库", "content": content})


def _pool(request, *, body_only: bool = False):
    tier_code = _choice(request.GET.get("tier"), {t.code for t in TIERS}, TIERS[0].code)
    list_key = _choice(request.GET.get("list"), LIST_KEYS, "near")
    filterset = PoolFilter(
        request.GET or None, queryset=selectors.visible_enterprises(user=request.user), request=request
    )
    date_form, on = evaluation_date(request)
    narrowed = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    data = selectors.pool_data(user=request.user, enterprises=narrowed, as_of=on)
    evaluation = data.evaluations.get(tier_code)
    ids = selectors.pool_rows(data, tier_code, list_key)
    if request.GET.get("export") == "xlsx":
        return _export(data, tier_code, list_key, ids)
    paginator = Paginator(ids, settings.QX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    firms = selectors.enterprises_by_id(list(page.object_list))
    # A town or park also sees its liaison (包联) enterprises elsewhere: those rows say so.
    outside = set(
        liaison_outside(user=request.user).filter(pk__in=list(page.object_list)).values_list("pk", flat=True)
    )
    rows = []
    pending: dict[str, int] = {}
    for eid in page.object_list:
        detail = selectors.row_detail(evaluation, data.snapshot, eid)
        rows.append({"enterprise": firms[eid], "detail": detail, "outside": eid in outside})
        for text in detail.confirm:
            pending[text] = pending.get(text, 0) + 1
    context = {
        "title": "梯度培育库",
        "filter": filterset,
        "tiers": data.counts(),
        "tier_code": tier_code,
        "tier": next(t for t in TIERS if t.code == tier_code),
        "evaluation": evaluation,
        "list_key": list_key,
        "lists": [
            {"key": k, "label": LIST_LABELS[k], "count": len(selectors.pool_rows(data, tier_code, k))}
            for k in LIST_KEYS
        ],
        "list_label": LIST_LABELS[list_key],
        "rows": rows,
        "page_obj": page,
        "paginator": paginator,
        "as_of": data.as_of,
        "near_rule": data.near,
        "disclaimer": DISCLAIMER,
        "can_plan": can_edit_enterprise(request.user),
        "can_confirm": can_edit_enterprise(request.user) and bool(pending),
        "pending": sorted(pending.items(), key=lambda kv: -kv[1]),
        "date_form": date_form,
        "bulk_form": BulkJudgementForm(
            prefix="bulk", initial={"criterion": max(pending, key=pending.get) if pending else None}
        ),
    }
    if body_only:
        return fragments.render("tiers/_pool.html", context, request)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "qx-list":
        return render(request, "tiers/_pool_table.html", context)
    content = render_to_string("tiers/_pool.html", context, request=request)
    return render(request, "tiers/pool.html", {**context, "content": content})


def _export(data, tier_code: str, list_key: str, ids: list[int]):
    evaluation = data.evaluations.get(tier_code)
    firms = selectors.enterprises_by_id(ids)
    tier = next(t for t in TIERS if t.code == tier_code)

    def rows():
        for eid in ids:
            detail = selectors.row_detail(evaluation, data.snapshot, eid)
            e = firms[eid]
            yield [
                e.name,
                e.uscc,
                str(e.town),
                str(e.park) if e.park else "",
                f"{tier.label}（{evaluation.ruleset.version}版）",
                detail.status_label,
                "；".join(detail.unmet),
                "；".join(detail.gaps),
                "；".join(detail.missing),
                "；".join(detail.confirm),
                data.as_of,
            ]

    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        sheets=[(f"{tier.label}-{LIST_LABELS[list_key]}"[:31], EXPORT_HEADERS, rows())],
        notes=[
            DISCLAIMER,
            f"对照：{evaluation.ruleset.name}（{evaluation.ruleset.version}版）",
            f"评价日期：{data.as_of:%Y-%m-%d}",
            data.near.description,
        ],
    )
    return attachment(buffer.getvalue(), f"梯度培育库-{tier.label}-{LIST_LABELS[list_key]}.xlsx")


def enterprise_panel(request, pk):
    """The 梯度评价 tab of the enterprise page: every tier's trace and the nearest next tier.

    ``?on=YYYY-MM-DD`` judges on another date (default today), by the versions in force that day.
    """
    date_form, on = evaluation_date(request)
    result = selectors.enterprise_evaluation(user=request.user, pk=pk, as_of=on)
    context = {
        "date_form": date_form,
        "result": result,
        "enterprise": result.enterprise,
        "disclaimer": DISCLAIMER,
        "can_plan": can_edit_plan(request.user, result.enterprise),
        "can_assess": services.can_assess(request.user, result.enterprise),
    }
    if request.headers.get("HX-Request"):
        return render(request, "tiers/_panel.html", context)
    return redirect(reverse("enterprises:detail", args=[result.enterprise.pk]) + "?tab=tiers")


@require_POST
def plan_from_gaps(request, pk, tier):
    """Open a cultivation plan towards a tier with the current gaps as its measures."""
    enterprise = selectors.access_enterprise(request.user, pk)
    selectors.tier_or_404(tier)
    try:
        plan = services.plan_from_gaps(actor=request.user, enterprise=enterprise, tier_code=tier)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("enterprises:detail", args=[enterprise.pk]) + "?tab=tiers")
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"已按差距生成培育计划，共 {plan.measures.count()} 项初始措施。")
    return redirect("enterprises:plan_detail", pk=plan.pk)


@require_POST
def bulk_judgement(request):
    """Record one judgement (a 待确认 item of the pool) for the enterprises ticked in the list."""
    ids = [int(v) for v in request.POST.getlist("bulk-enterprises") if v.isdigit()]
    form = BulkJudgementForm(request.POST, prefix="bulk", enterprise_ids=ids)
    back = request.POST.get("next") or reverse("tiers:pool")
    if not back.startswith("/"):
        back = reverse("tiers:pool")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(back)
    data = form.cleaned_data
    visible = selectors.visible_enterprises(user=request.user).filter(pk__in=data["enterprises"])
    enterprises = list(visible.order_by("name"))
    if len(enterprises) != len(set(data["enterprises"])):
        messages.error(request, "所选企业中有不存在或您无权查看的企业，未作任何记录。")
        return redirect(back)
    try:
        saved = services.judgement_bulk_save(
            actor=request.user,
            enterprises=enterprises,
            criterion=data["criterion"],
            satisfied=data["satisfied"],
            reason=data["reason"],
            judged_on=data["judged_on"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{message}未作任何记录。")
        return redirect(back)
    except PermissionDenied as error:
        messages.error(request, f"{error}未作任何记录。")
        return redirect(back)
    result = "符合" if data["satisfied"] else "不符合"
    messages.success(request, f"已为 {len(saved)} 家企业记录人工判断（{result}）：{data['criterion']}")
    return redirect(back)
