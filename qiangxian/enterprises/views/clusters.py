"""Clusters (产业集群) and task forces (专班), run by the office."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.access import (
    get_visible_or_404,
    issued_above,
    issued_by,
    may_change_issued,
    may_issue,
    require_own_level,
)
from qiangxian.core.forms import form_page, run_service
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, issued_column, render_list

from .. import selectors, services
from ..forms import ClusterForm, ClusterMemberForm, TaskForceForm
from ..industry import get_industry
from ..models import Cluster, ClusterMembership, Enterprise, TaskForce
from ._common import manager_required, registry_breadcrumbs


def cluster_list(request):
    clusters = list(selectors.cluster_list(request.user))
    for cluster in clusters:
        cluster.class_labels = [
            get_industry(c).label if get_industry(c) else c for c in cluster.industry_codes
        ]
        cluster.issued_by = issued_by(request.user, cluster.issuer_id, "集群")
    return render(
        request,
        "enterprises/cluster_list.html",
        {
            "title": "产业集群",
            "clusters": clusters,
            # Clusters are issued by the office of any level (a city's apply in its counties).
            "can_manage": may_issue(request.user),
            "breadcrumbs": registry_breadcrumbs(),
        },
    )


def cluster_detail(request, pk):
    cluster = get_visible_or_404(Cluster.objects, request.user, pk)
    members = (
        ClusterMembership.objects.filter(
            cluster=cluster, enterprise__in=Enterprise.objects.visible_to(request.user)
        )
        .select_related("enterprise", "enterprise__town")
        .order_by("-manual", "enterprise__name")
    )
    manual = [m for m in members if m.manual]
    history = timeline(cluster)
    member_history = (
        ClusterMembership.history.filter(cluster_id=cluster.pk)
        .select_related("history_user")
        .order_by("-history_date")[:50]
    )
    return render(
        request,
        "enterprises/cluster_detail.html",
        {
            "title": f"产业集群：{cluster.name}",
            "cluster": cluster,
            "classes": [get_industry(c) for c in cluster.industry_codes if get_industry(c)],
            "manual": manual,
            "member_count": members.count(),
            "members": members[:200],
            "history": history,
            "member_history": member_history,
            "issued_by": issued_by(request.user, cluster.issuer_id, "集群"),
            # A cluster issued at another level is read here, never redefined: no button that
            # would lead to 403.
            "can_edit": may_change_issued(request.user, cluster.issuer_id),
            "can_manage": services.can_manage_registry(request.user),
            "member_form": ClusterMemberForm(),
            "breadcrumbs": registry_breadcrumbs(("产业集群", reverse("enterprises:cluster_list"))),
        },
    )


def cluster_edit(request, pk=None):
    if not may_issue(request.user):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以使用此功能。")
    cluster = get_visible_or_404(Cluster.objects, request.user, pk) if pk else None
    if cluster is not None:
        require_own_level(request.user, cluster.issuer_id, "集群")
    initial = (
        {
            "name": cluster.name,
            "industry_codes": " ".join(cluster.industry_codes),
            "description": cluster.description,
            "sort_order": cluster.sort_order,
        }
        if cluster
        else None
    )
    form = ClusterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, saved = run_service(
            form, lambda: services.cluster_save(actor=request.user, cluster=cluster, **form.cleaned_data)
        )
        if ok:
            messages.success(request, f"已保存集群“{saved.name}”，成员已按行业小类重新归集。")
            return redirect("enterprises:cluster_detail", pk=saved.pk)
    back = reverse("enterprises:cluster_detail", args=[pk]) if pk else reverse("enterprises:cluster_list")
    return form_page(
        request,
        form=form,
        title=f"编辑集群：{cluster.name}" if cluster else "新建产业集群",
        cancel_url=back,
        breadcrumbs=registry_breadcrumbs(("产业集群", reverse("enterprises:cluster_list"))),
    )


@manager_required
@require_POST
def cluster_member(request, pk):
    cluster = get_visible_or_404(Cluster.objects, request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "remove":
            enterprise = get_visible_or_404(
                Enterprise.objects, request.user, request.POST.get("enterprise_id")
            )
            services.cluster_member_remove(actor=request.user, cluster=cluster, enterprise=enterprise)
            messages.success(request, f"已将“{enterprise}”移出集群。")
        else:
            text = (request.POST.get("enterprise") or "").strip()
            # Only an enterprise the user may see: never another county's, found by its name or code.
            enterprise = (
                Enterprise.objects.visible_to(request.user)
                .filter(Q(uscc=text.upper()) | Q(name=text))
                .first()
            )
            if enterprise is None:
                raise ValidationError(f"找不到企业“{text}”，请填写完整的企业名称或统一社会信用代码。")
            services.cluster_member_add(actor=request.user, cluster=cluster, enterprise=enterprise)
            messages.success(request, f"已将“{enterprise}”加入集群。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("enterprises:cluster_detail", pk=pk)


TASK_FORCE_COLUMNS = [
    Column(
        "name", "专班名称", sort="name", link=lambda t: reverse("enterprises:task_force_edit", args=[t.pk])
    ),
    Column("lead_unit", "牵头单位", sort="lead_unit__name"),
    Column("leader", "专班负责人"),
    Column("enterprise_count", "包联企业数", sort="enterprise_count", numeric=True),
    Column("description", "工作职责"),
]


def task_force_list(request):
    can_manage = services.can_manage_registry(request.user)
    user = request.user
    # Only those who may edit a task force get a link to its edit form (no link that leads to 403):
    # the office, on its own level's task forces (one set up by the city is read here).
    name = replace(
        TASK_FORCE_COLUMNS[0],
        link=lambda t: None if issued_above(user, t.issuer_id) else TASK_FORCE_COLUMNS[0].link(t),
    )
    columns = [
        name if can_manage else replace(TASK_FORCE_COLUMNS[0], link=None),
        *TASK_FORCE_COLUMNS[1:],
        *issued_column(user, "专班"),
    ]
    return render_list(
        request,
        queryset=selectors.task_force_list(request.user),
        columns=columns,
        template="enterprises/task_force_list.html",
        title="专班",
        default_sort="name",
        extra_context={
            "breadcrumbs": registry_breadcrumbs(),
            "can_manage": can_manage,
        },
    )


@manager_required
def task_force_edit(request, pk=None):
    task_force = get_visible_or_404(TaskForce.objects, request.user, pk) if pk else None
    if task_force is not None:
        require_own_level(request.user, task_force.issuer_id, "专班")
    initial = (
        {
            "name": task_force.name,
            "lead_unit": task_force.lead_unit_id,
            "leader": task_force.leader_id,
            "description": task_force.description,
        }
        if task_force
        else None
    )
    form = TaskForceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.task_force_save(actor=request.user, task_force=task_force, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "已保存专班。")
            return redirect("enterprises:task_force_list")
    return form_page(
        request,
        form=form,
        title=f"编辑专班：{task_force.name}" if task_force else "新建专班",
        cancel_url=reverse("enterprises:task_force_list"),
        breadcrumbs=registry_breadcrumbs(("专班", reverse("enterprises:task_force_list"))),
    )
