"""Titles: the list, the expiring and expired lists, recording, 入规/退规 (one or many)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.formatting import format_month
from qiangxian.core.forms import form_page, run_service
from qiangxian.core.lists import Column, render_list

from .. import selectors, services
from ..filters import DesignationFilter
from ..forms import BulkScaleForm, DesignationForm, ScaleForm
from ._common import registry_breadcrumbs

COLUMNS = [
    Column(
        "enterprise",
        "企业",
        sort="enterprise__name",
        link=lambda d: reverse("enterprises:detail", args=[d.enterprise_id]) + "?tab=designations",
    ),
    Column("kind", "称号", sort="kind", value=lambda d: d.label),
    Column("level", "级别", sort="level", value=lambda d: d.get_level_display()),
    Column("batch", "批次"),
    Column("year", "认定年度", sort="year", numeric=True),
    Column("document_no", "文件号"),
    Column(
        "valid_from",
        "有效期起",
        sort="valid_from",
        # A 规上 record starts at its entry month: shown as a month, not as the month's first day.
        display=lambda d: format_month(d.valid_from) if d.kind == "above_scale" else d.valid_from or "—",
    ),
    Column("valid_to", "有效期止", sort="valid_to"),
]


def designation_list(request):
    return render_list(
        request,
        queryset=selectors.designation_list(user=request.user),
        columns=COLUMNS,
        template="core/list_page.html",
        title="企业称号",
        filterset_class=DesignationFilter,
        default_sort="-valid_from",
        extra_context={"breadcrumbs": registry_breadcrumbs()},
    )


def designation_expiring(request):
    return render(
        request,
        "enterprises/expiring.html",
        {
            "title": "称号到期提醒",
            "expiring": list(selectors.designations_expiring(user=request.user)[:500]),
            "expired": list(selectors.designations_awaiting_review(user=request.user)[:500]),
            "breadcrumbs": registry_breadcrumbs(),
        },
    )


def designation_edit(request, pk=None, designation_id=None):
    designation = selectors.access_designation_by_id(request.user, designation_id) if designation_id else None
    enterprise = (
        designation.enterprise if designation else selectors.access_enterprise_by_id(request.user, pk)
    )
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权登记该企业的称号。")
    form = DesignationForm(request.POST or None, instance=designation)
    back = reverse("enterprises:detail", args=[enterprise.pk]) + "?tab=designations"
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.designation_save(
                actor=request.user, enterprise=enterprise, designation=designation, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, "已保存称号。")
            return redirect(back)
    return form_page(
        request,
        form=form,
        title=f"{'修改' if designation else '登记'}称号：{enterprise.name}",
        cancel_url=back,
        breadcrumbs=registry_breadcrumbs((enterprise.name, back)),
    )


@require_POST
def designation_delete(request, designation_id):
    designation = selectors.access_designation_by_id(request.user, designation_id)
    services.designation_delete(actor=request.user, designation=designation)
    messages.success(request, f"已删除称号“{designation.label}”。")
    return redirect(reverse("enterprises:detail", args=[designation.enterprise_id]) + "?tab=designations")


def scale_edit(request, pk):
    """入规 / 退规 registration, which keeps the enterprise's above-scale flag in line."""
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权登记该企业入规或退规。")
    form = ScaleForm(request.POST or None, initial={"action": "exit" if enterprise.above_scale else "entry"})
    back = reverse("enterprises:detail", args=[pk]) + "?tab=designations"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            if data["action"] == "entry":
                return services.scale_entry_record(
                    actor=request.user,
                    enterprise=enterprise,
                    entry_month=data["month"],
                    document_no=data["document_no"],
                )
            return services.scale_exit_record(
                actor=request.user, enterprise=enterprise, exit_month=data["month"], note=data["document_no"]
            )

        ok, _ = run_service(form, call)
        if ok:
            messages.success(request, "已登记入规。" if data["action"] == "entry" else "已登记退规。")
            return redirect(back)
    return form_page(
        request,
        form=form,
        title=f"入规/退规登记：{enterprise.name}",
        cancel_url=back,
        breadcrumbs=registry_breadcrumbs((enterprise.name, back)),
    )


@require_POST
def scale_bulk(request):
    """入规/退规 for the enterprises ticked in the registry list, all or none, through the one service."""
    form = BulkScaleForm(request.POST)
    back = reverse("enterprises:list") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    if not ids:
        messages.error(request, "请先在列表中勾选企业。")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
        return redirect(back)
    data = form.cleaned_data
    enterprises = list(selectors.enterprise_list(user=request.user).filter(pk__in=ids))
    if len(enterprises) != len(set(ids)):
        raise PermissionDenied("所选企业中有您无权查看的企业。")
    entering = data["action"] == "entry"
    word = "入规" if entering else "退规"
    changes = [
        services.ScaleChange(
            e, entering, data["month"], document_no=data["reason"] if entering else "", note=data["reason"]
        )
        for e in enterprises
    ]
    try:
        services.scale_changes_record(
            actor=request.user, changes=changes, reason=f"{data['month']:%Y年%m月}{word}（批量登记）"
        )
    except ValidationError as error:
        messages.error(request, f"未登记任何企业{word}：" + "；".join(error.messages))
    else:
        messages.success(request, f"已登记 {len(changes)} 户企业{data['month']:%Y年%m月}{word}。")
    return redirect(back)
