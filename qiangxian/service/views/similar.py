"""举一反三: the recurring problems found among the demands, and the tasks or proposals made of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from qiangxian.core.models import OrgUnit

from .. import selectors, services
from ..forms import handling_units
from ..models import DemandGroup


def similar(request):
    if not (request.user.can_manage or request.user.role == "leader"):
        raise PermissionDenied("举一反三由领导小组办公室组织。")
    if request.method == "POST":
        return _create(request)
    return render(
        request,
        "service/similar.html",
        {
            "title": "举一反三",
            "breadcrumbs": [("服务企业", "/service/")],
            "groups": selectors.similar_groups(user=request.user),
            "made": DemandGroup.objects.select_related("lead_unit").prefetch_related("demands__enterprise")[
                :50
            ],
            "units": handling_units(),
        },
    )


def _create(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 12]
    demands = list(selectors.demand_list(user=request.user).filter(pk__in=ids))
    raw_unit = request.POST.get("lead_unit", "")
    lead_unit = (
        OrgUnit.objects.filter(pk=int(raw_unit)).first()
        if raw_unit.isdigit() and len(raw_unit) < 12
        else None
    )
    try:
        group = services.demand_group_create(
            actor=request.user,
            demands=demands,
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", ""),
            lead_unit=lead_unit,
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"已将 {len(demands)} 件诉求转为{group.get_kind_display()}“{group.title}”。"
        )
    return redirect("service:groups")
