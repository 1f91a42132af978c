"""Pages of the idle inventory and contract breaches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qiangxian.core.exports import xlsx_response
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors
from ..filters import IdleFilter
from ..forms import CloseForm, PlanForm, ProgressForm
from ..services import idle as services
from ..services.common import can_edit_space
from .common import CRUMBS, choice_col, date_col


def idle_list(request):
    today = timezone.localdate()
    columns = [
        Column("item", "闲置资源", value=str, link=lambda i: reverse("land:idle_item", args=[i.pk])),
        choice_col("kind", "类型", sort="kind"),
        Column("park", "园区", sort="park__name"),
        Column("zone", "片区", sort="zone__name"),
        Column("area_mu", "土地（亩）", sort="area_mu", numeric=True),
        Column("floor_area_sqm", "厂房（㎡）", sort="floor_area_sqm", numeric=True),
        date_col("idle_since", "闲置起始", sort="idle_since"),
        Column("days", "闲置天数", value=lambda i: selectors.idle_days(i, today), numeric=True),
        choice_col("reason", "闲置原因", sort="reason"),
        choice_col("state", "处置状态", sort="state"),
    ]
    return render_list(
        request,
        queryset=selectors.idle_items(user=request.user),
        columns=columns,
        template="land/idle_list.html",
        title="闲置资源",
        filterset_class=IdleFilter,
        default_sort="idle_since",
        extra_context={
            "breadcrumbs": CRUMBS,
            "figures": selectors.idle_figures(user=request.user, year=today.year),
            "year": today.year,
        },
    )


def idle_detail(request, pk):
    item = selectors.idle_item(user=request.user, pk=pk)
    can_edit = can_edit_space(request.user, item.park_id, item.zone_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied("您无权处置该闲置资源。")
    today = timezone.localdate()
    forms = {
        "plan": PlanForm(request.POST if action == "plan" else None),
        "progress": ProgressForm(request.POST if action == "progress" else None),
        "close": CloseForm(request.POST if action == "close" else None, initial={"on": today}),
    }
    if action in forms and forms[action].is_valid():
        form = forms[action]
        data = form.cleaned_data
        try:
            if action == "plan":
                services.plan_create(actor=request.user, item=item, **data)
                message = "已制定处置方案。"
            elif action == "progress":
                plan = item.plans.filter(pk=data["plan"]).first()
                if plan is None:
                    raise ValidationError({"progress": ["处置方案不存在。"]})
                services.plan_progress(
                    actor=request.user, plan=plan, progress=data["progress"], note=data["note"]
                )
                message = "已登记进度。"
            else:
                services.idle_close(
                    actor=request.user,
                    item=item,
                    reused=data["reused"],
                    on=data["on"],
                    enterprise=data["enterprise"],
                    project=data["project"],
                )
                message = "已办结。"
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, message)
            return redirect("land:idle_item", pk=item.pk)
    return render(
        request,
        "land/idle_detail.html",
        {
            "title": str(item),
            "item": item,
            "days": selectors.idle_days(item, today),
            "plans": item.plans.select_related("unit"),
            "forms": forms,
            "active_form": action,
            "can_edit": can_edit and item.state in ("open", "disposing"),
            "history": timeline(item),
            "breadcrumbs": [*CRUMBS, ("闲置资源", reverse("land:idle"))],
        },
    )


def breach_list(request):
    """Contract terms not met (履约预警), worst first; exported as the same rows."""
    rows = selectors.breaches(user=request.user)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename="履约预警.xlsx",
            title="履约预警",
            headers=["地块编号", "园区", "使用权人/项目", "预警", "事项", "说明"],
            rows=(
                [
                    r["parcel"].code,
                    r["parcel"].park.name,
                    r["parcel"].holder_display,
                    "红灯" if r["breach"].light == "red" else "黄灯",
                    r["breach"].label,
                    r["breach"].text,
                ]
                for r in rows
            ),
        )
    return render(request, "land/breaches.html", {"title": "履约预警", "rows": rows, "breadcrumbs": CRUMBS})
