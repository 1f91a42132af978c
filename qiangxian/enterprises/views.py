"""Pages of the registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, ListExport, register_export, render_list

from . import selectors, services
from .filters import EnterpriseFilter
from .forms import EnterpriseForm

COLUMNS = [
    Column("name", "企业名称", sort="name", link=lambda e: reverse("enterprises:detail", args=[e.pk])),
    Column("uscc", "统一社会信用代码", sort="uscc"),
    Column("town", "乡镇", sort="town__name"),
    Column("park", "园区", sort="park__name"),
    Column("industry_code", "行业代码", sort="industry_code"),
    Column("above_scale", "规上", sort="above_scale", value=lambda e: "是" if e.above_scale else "否"),
    Column("status", "经营状态", sort="status", value=lambda e: e.get_status_display()),
]

register_export("enterprises", ListExport(
    title="企业库", columns=COLUMNS, queryset=lambda user: selectors.enterprise_list(user=user),
    filterset_class=EnterpriseFilter, default_sort="name"))


def enterprise_list(request):
    return render_list(
        request, queryset=selectors.enterprise_list(user=request.user), columns=COLUMNS,
        template="enterprises/list.html", title="企业库", filterset_class=EnterpriseFilter,
        default_sort="name", export_name="企业名录", export_key="enterprises",
        extra_context={"can_create": services.can_edit_enterprise(request.user)},
    )


def enterprise_detail(request, pk):
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    return render(request, "enterprises/detail.html", {
        "title": enterprise.name, "enterprise": enterprise, "history": timeline(enterprise),
        "can_edit": services.can_edit_enterprise(request.user, enterprise),
        "breadcrumbs": [("企业库", reverse("enterprises:list"))],
    })


def enterprise_edit(request, pk=None):
    enterprise = selectors.access_enterprise_by_id(request.user, pk) if pk else None
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权登记或修改该企业。")
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if enterprise:
                enterprise = services.enterprise_update(
                    actor=request.user, enterprise=enterprise,
                    expected_updated_at=parse_datetime(form.cleaned_data.get("version") or ""), **data)
            else:
                enterprise = services.enterprise_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存“{enterprise.name}”。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "core/form_page.html", {
        "title": f"编辑：{enterprise.name}" if enterprise else "登记企业", "form": form,
        "cancel_url": reverse("enterprises:detail", args=[enterprise.pk]) if enterprise
        else reverse("enterprises:list"),
        "breadcrumbs": [("企业库", reverse("enterprises:list"))],
    })
