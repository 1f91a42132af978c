"""Enterprise list, detail, forms, contacts and liaisons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from qiangxian.core import audit
from qiangxian.core.formatting import mask_phone
from qiangxian.core.forms import apply_validation_error, form_page, run_service
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors, services
from ..exports import EXPORT_KEY, EXPORT_TITLE, registry_queryset
from ..filters import EnterpriseFilter
from ..forms import ContactForm, EnterpriseForm, LiaisonForm
from ..importers.columns import list_columns
from ..industry import all_industries
from ..models import Enterprise, EnterpriseContact
from ._common import registry_breadcrumbs


def _first_contact(enterprise) -> str:
    contacts = list(enterprise.contacts.all())  # prefetched: one query for the whole page
    if not contacts:
        return "—"
    c = contacts[0]
    return f"{c.name} {mask_phone(c.phone)}" if c.phone else c.name


COLUMNS = [
    Column("name", "企业名称", sort="name", link=lambda e: reverse("enterprises:detail", args=[e.pk])),
    Column("uscc", "统一社会信用代码", sort="uscc"),
    Column("town", "乡镇", sort="town__name"),
    Column("park", "园区", sort="park__name"),
    Column("industry_code", "行业", sort="industry_code", display=lambda e: e.industry_label),
    Column("above_scale", "规上", sort="above_scale", value=lambda e: "是" if e.above_scale else "否"),
    Column("status", "经营状态", sort="status", value=lambda e: e.get_status_display()),
    Column("established_on", "成立日期", sort="established_on"),
    Column("contact", "联系人", value=_first_contact, export=False),
]


def enterprise_list(request):
    """The registry list; its Excel export is the registry file the import reads back."""
    if request.GET.get("export") == "xlsx":
        # The registry export: the import's columns, so the file can be edited and imported back.
        stamp = timezone.localtime().strftime("%Y%m%d")
        return render_list(
            request,
            queryset=registry_queryset(request.user),
            columns=list_columns(),
            template="enterprises/list.html",
            title=EXPORT_TITLE,
            filterset_class=EnterpriseFilter,
            default_sort="name",
            export_name=f"企业名录-{stamp}",
            export_key=EXPORT_KEY,
        )
    queryset = selectors.enterprise_list(user=request.user)
    columns = COLUMNS
    outside = selectors.liaison_outside(user=request.user).count()
    if outside:
        # A town or park also sees its liaison (包联) enterprises elsewhere: the list says which.
        inside = selectors.jurisdiction_q(request.user)
        queryset = queryset.annotate(
            outside=Case(When(inside, then=Value(False)), default=Value(True), output_field=BooleanField())
        )
        columns = [
            COLUMNS[0],
            Column(
                "outside",
                "辖区",
                sort="outside",
                value=lambda e: "辖区外包联企业" if e.outside else "辖区内",
            ),
            *COLUMNS[1:],
        ]
    return render_list(
        request,
        queryset=queryset,
        columns=columns,
        template="enterprises/list.html",
        body_template="enterprises/_list_body.html",
        # Kept per reader: the liaison enterprises outside a town's jurisdiction are the person's.
        version=selectors.registry_version,
        version_extra=[request.user.pk],
        title="企业库",
        filterset_class=EnterpriseFilter,
        default_sort="name",
        export_name="企业名录",
        extra_context={
            "can_create": services.can_edit_enterprise(request.user),
            "can_import": services.can_manage_registry(request.user),
            # Whoever may record 入规/退规 for an enterprise may do it for several at once.
            "select_form": "bulk-scale" if services.can_edit_enterprise(request.user) else "",
            "liaison_outside": outside,
        },
    )


def enterprise_detail(request, pk):
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    user = request.user
    audit.record_enterprise_view(user, enterprise, page="企业详情")
    designations = list(enterprise.designations.order_by("kind", "-valid_from"))
    # Titles, contacts and liaisons keep their own history; shown here with a short description each.
    related_history = []
    for record in enterprise.designations.model.history.filter(enterprise_id=enterprise.pk).select_related(
        "history_user"
    )[:50]:
        related_history.append((record, "称号", record.get_kind_display()))
    for record in EnterpriseContact.history.filter(enterprise_id=enterprise.pk).select_related(
        "history_user"
    )[:50]:
        related_history.append((record, "联系人", record.name))
    for record in enterprise.liaisons.model.history.filter(enterprise_id=enterprise.pk).select_related(
        "history_user", "user"
    )[:50]:
        related_history.append((record, "包联", f"{record.get_role_display()}：{record.user}"))
    related_history.sort(key=lambda item: item[0].history_date, reverse=True)
    return render(
        request,
        "enterprises/detail.html",
        {
            "title": enterprise.name,
            "enterprise": enterprise,
            "history": timeline(enterprise),
            "related_history": related_history[:100],
            "designations": designations,
            "contacts": list(enterprise.contacts.all()),
            "show_phone": services.can_see_contacts(user, enterprise),
            "liaisons": list(enterprise.liaisons.select_related("user", "user__org_unit")),
            "plans": list(selectors.plan_list(user=user).filter(enterprise=enterprise)),
            "clusters": list(enterprise.cluster_memberships.select_related("cluster")),
            "can_edit": services.can_edit_enterprise(user, enterprise),
            "can_plan": services.can_edit_plan(user, enterprise),
            "can_manage": services.can_manage_registry(user),
            "tab": request.GET.get("tab", "profile"),
            "breadcrumbs": registry_breadcrumbs(),
        },
    )


def enterprise_edit(request, pk=None):
    enterprise = selectors.access_enterprise_by_id(request.user, pk) if pk else None
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权登记或修改该企业。")
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if enterprise:
                saved = services.enterprise_update(
                    actor=request.user,
                    enterprise=enterprise,
                    expected_updated_at=parse_datetime(form.cleaned_data.get("version") or ""),
                    **data,
                )
            else:
                saved = services.enterprise_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            for item in getattr(error, "error_dict", {}).get("uscc", []):
                if item.code == "duplicate":
                    duplicate = (
                        Enterprise.objects.visible_to(request.user).filter(pk=item.params["pk"]).first()
                    )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存“{saved.name}”。")
            for warning in saved.code_warnings:
                messages.warning(request, warning)
            return redirect("enterprises:detail", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"编辑：{enterprise.name}" if enterprise else "登记企业",
        cancel_url=reverse("enterprises:detail", args=[enterprise.pk])
        if enterprise
        else reverse("enterprises:list"),
        breadcrumbs=registry_breadcrumbs(),
        template="enterprises/form.html",
        duplicate=duplicate,
        industries=all_industries("class"),
    )


def contact_edit(request, pk, contact_id=None):
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权修改该企业的联系人。")
    contact = (
        get_object_or_404(EnterpriseContact, pk=contact_id, enterprise=enterprise) if contact_id else None
    )
    initial = {"name": contact.name, "post": contact.post, "phone": contact.phone} if contact else None
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.contact_save(
                actor=request.user, enterprise=enterprise, contact=contact, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, "已保存联系人。")
            return redirect(reverse("enterprises:detail", args=[pk]) + "?tab=profile")
    return form_page(
        request,
        form=form,
        title="编辑联系人" if contact else "添加联系人",
        cancel_url=reverse("enterprises:detail", args=[pk]),
        breadcrumbs=registry_breadcrumbs((enterprise.name, reverse("enterprises:detail", args=[pk]))),
    )


@require_POST
def contact_delete(request, pk, contact_id):
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    contact = get_object_or_404(EnterpriseContact, pk=contact_id, enterprise=enterprise)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, f"已删除联系人“{contact.name}”。")
    return redirect(reverse("enterprises:detail", args=[pk]) + "?tab=profile")


def liaison_edit(request, pk):
    enterprise = selectors.access_enterprise_by_id(request.user, pk)
    if not services.can_manage_registry(request.user):
        raise PermissionDenied("只有领导小组办公室可以安排包联和专班。")
    current = list(enterprise.liaisons.all())
    initial = {
        "leader": next((a.user_id for a in current if a.role == "leader"), None),
        "officials": [a.user_id for a in current if a.role == "official"],
        "task_force": enterprise.task_force_id,
    }
    form = LiaisonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.liaisons_set(actor=request.user, enterprise=enterprise, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "已更新包联安排。")
            return redirect(reverse("enterprises:detail", args=[pk]) + "?tab=liaison")
    return form_page(
        request,
        form=form,
        title=f"包联安排：{enterprise.name}",
        cancel_url=reverse("enterprises:detail", args=[pk]),
        breadcrumbs=registry_breadcrumbs((enterprise.name, reverse("enterprises:detail", args=[pk]))),
    )


def my_enterprises(request):
    """A liaison's own page: the enterprises they look after and what needs attention."""
    items = selectors.my_enterprises(user=request.user)
    return render(
        request,
        "enterprises/mine.html",
        {
            "title": "我的包联企业",
            "items": items,
            "breadcrumbs": registry_breadcrumbs(),
            "attention_total": sum(i.attention for i in items),
        },
    )
