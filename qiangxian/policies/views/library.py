"""Policy library pages: list (filters, Excel), detail with history, create and edit, clauses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from qiangxian.core.access import issued_by, may_change_issued, require_own_level
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, issued_column, render_list

from .. import selectors, services
from ..filters import PolicyFilter
from ..forms import ClauseForm, PolicyForm
from ..models import ClauseVersion

CRUMBS = [("惠企政策", "/policies/")]


def overview(request):
    """Officials start at the library; an enterprise at what it can get."""
    if selectors.own_enterprise(request.user) is not None:
        return redirect("policies:mine")
    return redirect("policies:list")


def _require_manager(user):
    if not services.can_keep_library(user):
        raise PermissionDenied("只有领导小组办公室可以维护政策库。")


def policy_list(request):
    columns = [
        Column("title", "政策名称", sort="title", link=lambda p: reverse("policies:detail", args=[p.pk])),
        Column("doc_number", "文号"),
        Column("issuer_name", "发文机关", sort="issuer_name"),
        Column("level", "层级", sort="level", value=lambda p: p.get_level_display()),
        Column("effective_from", "施行日期", sort="effective_from"),
        Column("effective_to", "有效期至", sort="effective_to"),
        Column("clause_total", "条款数", sort="clause_total", numeric=True),
        Column("status", "状态", sort="status", value=lambda p: p.get_status_display()),
        *issued_column(request.user, "政策"),
    ]
    return render_list(
        request,
        queryset=selectors.policy_list(user=request.user),
        columns=columns,
        template="policies/list.html",
        title="政策库",
        filterset_class=PolicyFilter,
        default_sort="-effective_from",
        export_name="政策库",
        extra_context={"breadcrumbs": CRUMBS, "can_manage": services.can_keep_library(request.user)},
    )


def policy_detail(request, pk):
    policy = selectors.access_policy(request.user, pk)
    today = timezone.localdate()
    clauses = []
    for clause in policy.clauses.prefetch_related("versions").order_by("sort_order", "pk"):
        clauses.append({"clause": clause, "version": clause.version_on(today) or clause.versions.first()})
    return render(
        request,
        "policies/detail.html",
        {
            "title": policy.title,
            "policy": policy,
            "clauses": clauses,
            "history": timeline(policy),
            "issued_by": issued_by(request.user, policy.issuer_id, "政策"),
            # A policy issued at another level (above, or a county's read by its city) is read
            # here, never changed: no button that would lead to 403.
            "can_manage": may_change_issued(request.user, policy.issuer_id),
            "breadcrumbs": [*CRUMBS, ("政策库", reverse("policies:list"))],
        },
    )


def policy_edit(request, pk=None):
    _require_manager(request.user)
    policy = selectors.access_policy(request.user, pk) if pk else None
    if policy is not None:
        require_own_level(request.user, policy.issuer_id, "政策")
    initial = {}
    if policy is not None:
        initial = {f: getattr(policy, f) for f in services.library.POLICY_FIELDS}
        initial["responsible_units"] = list(policy.responsible_units.all())
        initial["expected_updated_at"] = policy.updated_at.isoformat()
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("responsible_units")
        expected = parse_datetime(data.pop("expected_updated_at") or "")
        try:
            saved = services.policy_save(
                actor=request.user,
                data=data,
                policy=policy,
                responsible_units=units,
                expected_updated_at=expected,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "政策已保存。")
            return redirect("policies:detail", saved.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": "编辑政策" if policy else "新增政策",
            "form": form,
            "cancel_url": reverse("policies:detail", args=[policy.pk])
            if policy
            else reverse("policies:list"),
            "breadcrumbs": CRUMBS,
        },
    )


@require_POST
def policy_publish(request, pk):
    policy = selectors.access_policy(request.user, pk)
    try:
        services.policy_publish(actor=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "政策已发布，条款将参与政策匹配。")
    return redirect("policies:detail", policy.pk)


def _version_initial(version: ClauseVersion) -> dict:
    initial = {f: getattr(version, f) for f in services.library.VERSION_FIELDS}
    initial["benefit_tiers"] = "\n".join(f"{t:g}:{a:g}" for t, a in version.benefit_tiers or [])
    initial["documents_required"] = "\n".join(version.documents_required or [])
    initial["effective_from"] = timezone.localdate()
    return initial


def clause_edit(request, policy_pk, pk=None):
    _require_manager(request.user)
    policy = selectors.access_policy(request.user, policy_pk)
    require_own_level(request.user, policy.issuer_id, "政策")
    clause = selectors.access_clause(request.user, pk) if pk else None
    if clause is not None and clause.policy_id != policy.pk:
        raise PermissionDenied("条款不属于该政策。")
    initial = {"effective_from": policy.effective_from}
    if clause is not None:
        latest = clause.versions.order_by("-effective_from", "-pk").first()
        initial = {
            "number": clause.number,
            "title": clause.title,
            **(_version_initial(latest) if latest else {}),
        }
    form = ClauseForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.clause_save(
                actor=request.user,
                policy=policy,
                clause=clause,
                data=form.cleaned_data,
                publish=policy.status == "published",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "条款已保存。")
            return redirect("policies:clause", version.clause_id)
    return render(
        request,
        "policies/clause_form.html",
        {
            "title": f"编辑条款：{clause}" if clause else "新增条款",
            "form": form,
            "policy": policy,
            "cancel_url": reverse("policies:detail", args=[policy.pk]),
            "breadcrumbs": [*CRUMBS, (policy.title, reverse("policies:detail", args=[policy.pk]))],
        },
    )
