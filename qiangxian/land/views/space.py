"""Pages of parks, parcels and buildings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qiangxian.core.forms import apply_validation_error, form_page, run_service
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors
from ..breaches import contract_breaches
from ..filters import BuildingFilter, ParcelFilter
from ..forms import WAN, BuildingForm, ContractForm, IdleForm, LeaseForm, ParcelForm
from ..services import idle as idle_services
from ..services import space as services
from ..services.common import can_edit_space
from .common import CRUMBS, choice_col, date_col, version_of


def overview(request):
    """Per park: land by status, buildings and vacant floor space, idle figures of the year."""
    year = timezone.localdate().year
    return render(
        request,
        "land/overview.html",
        {
            "title": "园区与土地",
            "parks": selectors.space_overview(user=request.user),
            "idle": selectors.idle_figures(user=request.user, year=year),
            "year": year,
            "breach_count": len(selectors.breaches(user=request.user)),
        },
    )


def _parcel_link(p):
    return reverse("land:parcel", args=[p.pk])


def parcel_list(request):
    columns = [
        Column("code", "地块编号", sort="code", link=_parcel_link),
        Column("name", "名称/坐落", sort="name"),
        Column("park", "园区", sort="park__name"),
        Column("zone", "片区", sort="zone__name"),
        Column("area_mu", "面积（亩）", sort="area_mu", numeric=True),
        choice_col("land_use", "用途", sort="land_use"),
        choice_col("status", "状态", sort="status"),
        date_col("status_since", "进入状态日期", sort="status_since"),
        Column("holder", "使用权人/项目", value=lambda p: p.holder_display),
    ]
    return render_list(
        request,
        queryset=selectors.parcels(user=request.user),
        columns=columns,
        template="land/parcel_list.html",
        title="地块台账",
        filterset_class=ParcelFilter,
        default_sort="code",
        extra_context={"breadcrumbs": CRUMBS, "can_create": can_edit_space(request.user)},
    )


def parcel_detail(request, pk):
    parcel = selectors.parcel(user=request.user, pk=pk)
    can_edit = can_edit_space(request.user, parcel.park_id, parcel.zone_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied("您无权修改该地块。")
    contract = getattr(parcel, "contract", None)
    initial = {}
    if contract:
        initial = {
            "number": contract.number,
            "signed_on": contract.signed_on,
            "price_wan": contract.price / WAN,
            "intensity_wan": contract.intensity_promised / WAN if contract.intensity_promised else None,
            "far_promised": contract.far_promised,
            "start_deadline": contract.start_deadline,
            "completion_deadline": contract.completion_deadline,
            "output_wan": contract.output_per_mu_promised / WAN if contract.output_per_mu_promised else None,
            "tax_wan": contract.tax_per_mu_promised / WAN if contract.tax_per_mu_promised else None,
            "started_on": contract.started_on,
            "completed_on": contract.completed_on,
            "investment_wan": contract.investment_actual / WAN
            if contract.investment_actual is not None
            else None,
            "far_actual": contract.far_actual,
        }
    forms = {
        "contract": ContractForm(request.POST if action == "contract" else None, initial=initial),
        "idle": IdleForm(
            request.POST if action == "idle" else None,
            initial={"kind": "parcel", "idle_since": timezone.localdate(), "area_mu": parcel.area_mu},
        ),
    }
    if action in forms and forms[action].is_valid():
        form = forms[action]
        try:
            if action == "contract":
                services.contract_save(actor=request.user, parcel=parcel, **form.service_data())
                messages.success(request, "已保存出让合同。")
                return redirect("land:parcel", pk=parcel.pk)
            item = idle_services.idle_create(
                actor=request.user, parcel=parcel, **{**form.cleaned_data, "kind": "parcel"}
            )
            messages.success(request, "已列入闲置资源清单。")
            return redirect("land:idle_item", pk=item.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
    today = timezone.localdate()
    return render(
        request,
        "land/parcel_detail.html",
        {
            "title": str(parcel),
            "parcel": parcel,
            "contract": contract,
            "breaches": contract_breaches(contract, area_mu=parcel.area_mu, today=today) if contract else [],
            "buildings": parcel.buildings.all(),
            "idle_items": parcel.idle_items.all(),
            "reuse": selectors.reuse_history(parcel=parcel),
            "forms": forms,
            "active_form": action,
            "can_edit": can_edit,
            "history": timeline(parcel),
            "breadcrumbs": [*CRUMBS, ("地块台账", reverse("land:parcels"))],
        },
    )


def parcel_edit(request, pk=None):
    parcel = selectors.parcel(user=request.user, pk=pk) if pk else None
    if not can_edit_space(request.user, parcel and parcel.park_id, parcel and parcel.zone_id):
        raise PermissionDenied("您无权登记或修改地块。")
    initial = {}
    if parcel:
        initial = {f: getattr(parcel, f) for f in services.PARCEL_FIELDS if f != "status_since"}
        initial["version"] = parcel.updated_at.isoformat()
        if parcel.boundary:
            import json

            initial["boundary"] = json.dumps(parcel.boundary, ensure_ascii=False)
    form = ParcelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        ok, saved = run_service(
            form,
            lambda: (
                services.parcel_update(
                    actor=request.user, parcel=parcel, expected_updated_at=version_of(form), **data
                )
                if parcel
                else services.parcel_create(actor=request.user, **data)
            ),
        )
        if ok:
            messages.success(request, f"已保存地块“{saved.code}”。")
            return redirect("land:parcel", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"编辑地块：{parcel.code}" if parcel else "登记地块",
        cancel_url=reverse("land:parcel", args=[parcel.pk]) if parcel else reverse("land:parcels"),
        breadcrumbs=CRUMBS,
    )


def _building_link(b):
    return reverse("land:building", args=[b.pk])


def building_list(request):
    columns = [
        Column("code", "楼栋编号", sort="code", link=_building_link),
        Column("name", "名称", sort="name"),
        choice_col("kind", "类型", sort="kind"),
        Column("park", "园区", sort="park__name"),
        Column("zone", "片区", sort="zone__name"),
        Column("floors", "层数", sort="floors", numeric=True),
        Column("floor_area_sqm", "建筑面积（㎡）", sort="floor_area_sqm", numeric=True),
        Column("leased_sqm", "在租面积（㎡）", sort="leased_sqm", numeric=True),
        Column("vacant", "空置面积（㎡）", value=selectors.vacancy, numeric=True),
        Column("floor_load_kn", "荷载（kN/㎡）", sort="floor_load_kn", numeric=True),
        Column("power_kva", "供电（kVA）", sort="power_kva", numeric=True),
        Column("owner", "产权单位", value=lambda b: b.owner_display),
    ]
    return render_list(
        request,
        queryset=selectors.buildings(user=request.user),
        columns=columns,
        template="land/building_list.html",
        title="厂房楼栋",
        filterset_class=BuildingFilter,
        default_sort="code",
        extra_context={"breadcrumbs": CRUMBS, "can_create": can_edit_space(request.user)},
    )


def building_detail(request, pk):
    building = selectors.building(user=request.user, pk=pk)
    can_edit = can_edit_space(request.user, building.park_id, building.zone_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied("您无权修改该楼栋。")
    forms = {
        "lease": LeaseForm(request.POST if action == "lease" else None),
        "idle": IdleForm(
            request.POST if action == "idle" else None,
            initial={
                "kind": "floor",
                "idle_since": timezone.localdate(),
                "floor_area_sqm": selectors.vacancy(building),
            },
        ),
    }
    if action in forms and forms[action].is_valid():
        form = forms[action]
        try:
            if action == "lease":
                services.lease_save(actor=request.user, building=building, **form.cleaned_data)
                messages.success(request, "已登记租赁。")
                return redirect("land:building", pk=building.pk)
            item = idle_services.idle_create(
                actor=request.user, building=building, **{**form.cleaned_data, "kind": "floor"}
            )
            messages.success(request, "已列入闲置资源清单。")
            return redirect("land:idle_item", pk=item.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
    today = timezone.localdate()
    leases = list(selectors.leases_of(building))
    return render(
        request,
        "land/building_detail.html",
        {
            "title": str(building),
            "building": building,
            "leases": leases,
            "today": today,
            "vacant": selectors.vacancy(building),
            "reuse": selectors.reuse_history(building=building),
            "forms": forms,
            "active_form": action,
            "can_edit": can_edit,
            "history": timeline(building),
            "breadcrumbs": [*CRUMBS, ("厂房楼栋", reverse("land:buildings"))],
        },
    )


def building_edit(request, pk=None):
    building = selectors.building(user=request.user, pk=pk) if pk else None
    if not can_edit_space(request.user, building and building.park_id, building and building.zone_id):
        raise PermissionDenied("您无权登记或修改楼栋。")
    initial = {}
    if building:
        initial = {f: getattr(building, f) for f in services.BUILDING_FIELDS if f != "parcel"}
        initial["version"] = building.updated_at.isoformat()
    form = BuildingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        ok, saved = run_service(
            form,
            lambda: (
                services.building_update(
                    actor=request.user, building=building, expected_updated_at=version_of(form), **data
                )
                if building
                else services.building_create(actor=request.user, **data)
            ),
        )
        if ok:
            messages.success(request, f"已保存楼栋“{saved.code}”。")
            return redirect("land:building", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"编辑楼栋：{building.code}" if building else "登记楼栋",
        cancel_url=reverse("land:building", args=[building.pk]) if building else reverse("land:buildings"),
        breadcrumbs=CRUMBS,
    )


def match(request):
    """For a project's or an enterprise's 用地/厂房 need: ranked parcels and buildings, reasons, misses."""
    from qiangxian.projects.models import Project

    from ..choices import OfferOutcome

    projects = (
        Project.objects.visible_to(request.user)
        .filter(Q(land_need_mu__gt=0) | Q(building_need_sqm__gt=0))
        .order_by("-pk")
    )
    demands = selectors.land_demands(user=request.user)
    project = demand = None
    raw = request.GET.get("project") or request.POST.get("project")
    if _int(raw):
        project = projects.filter(pk=_int(raw)).first()
    raw = request.GET.get("demand") or request.POST.get("demand")
    if project is None and _int(raw):
        demand = demands.filter(pk=_int(raw)).first()
    target = {"project": project} if project else {"demand": demand}
    if request.method == "POST" and (project or demand):
        try:
            if request.POST.get("action") == "offer":
                parcel = (
                    selectors.parcels(user=request.user).filter(pk=_int(request.POST.get("parcel"))).first()
                )
                building = (
                    selectors.buildings(user=request.user)
                    .filter(pk=_int(request.POST.get("building")))
                    .first()
                )
                services.offer_record(actor=request.user, parcel=parcel, building=building, **target)
                messages.success(request, "已记录推荐。")
            elif request.POST.get("action") == "outcome":
                offer = (
                    selectors.offers(user=request.user, **target)
                    .filter(pk=_int(request.POST.get("offer")))
                    .first()
                )
                if offer is None:
                    raise ValidationError("推荐记录不存在。")
                services.offer_outcome(
                    actor=request.user, offer=offer, outcome=request.POST.get("outcome", "")
                )
                messages.success(request, "已登记推荐结果。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        key, obj = next(iter(target.items()))
        return redirect(f"{reverse('land:match')}?{key}={obj.pk}")
    chosen = project or demand
    return render(
        request,
        "land/match.html",
        {
            "title": "空间匹配",
            "projects": projects[:300],
            "demands": demands[:300],
            "project": project,
            "demand": demand,
            "chosen": chosen,
            "target_key": "project" if project else "demand",
            "need": selectors.need_of(**target) if chosen else None,
            "found": selectors.match_space(user=request.user, **target) if chosen else None,
            "offers": selectors.offers(user=request.user, **target) if chosen else [],
            "outcomes": OfferOutcome.choices,
            "can_offer": can_edit_space(request.user),
            "breadcrumbs": CRUMBS,
        },
    )


def _int(raw) -> int:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 19 else 0


def map_page(request):
    """Parcels drawn from the county's own GeoJSON (no tile server), with the same rows as a table."""
    colour_by = "grade" if request.GET.get("colour") == "grade" else "status"
    parks = selectors.map_parks(user=request.user)
    park = parks.filter(pk=_int(request.GET.get("park"))).first()
    data = selectors.map_data(user=request.user, colour_by=colour_by, park=park)
    return render(
        request,
        "land/map.html",
        {
            "title": "园区地图",
            "map": {"geojson": data["geojson"], "option": data["option"]},
            "rows": data["rows"],
            "legend": data["legend"],
            "colour_by": colour_by,
            "parks": parks,
            "park": park,
            "breadcrumbs": CRUMBS,
        },
    )


def parcel_import(request):
    """Upload the parcel ledger, see what it would change and its errors, then apply it as one."""
    from .. import importers

    return _ledger_import(request, importers.PARCELS, "地块台账", "land:parcels")


def building_import(request):
    """Upload the building ledger, the same way as the parcel ledger."""
    from .. import importers

    return _ledger_import(request, importers.BUILDINGS, "厂房台账", "land:buildings")


def _ledger_import(request, ledger, title: str, list_url: str):
    from qiangxian.core.sheets import FileRejected

    from .. import importers

    if not can_edit_space(request.user):
        raise PermissionDenied(f"您无权导入{title}。")
    checked = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        try:
            done = importers.apply(actor=request.user, token=request.POST.get("token", ""), ledger=ledger)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request,
                f"已导入{title}：新增 {done.creates} {ledger.noun}，更新 {done.updates} {ledger.noun}。",
            )
            return redirect(list_url)
    elif request.method == "POST" and request.FILES.get("file"):
        try:
            checked = importers.check_upload(actor=request.user, upload=request.FILES["file"], ledger=ledger)
        except FileRejected as error:
            messages.error(request, str(error))
    required = "、".join(ledger.labels[k] for k in ledger.required)
    return render(
        request,
        "land/ledger_import.html",
        {
            "title": f"导入{title}",
            "checked": checked,
            "columns": ledger.labels.values(),
            "required": required,
            "noun": ledger.noun,
            "breadcrumbs": [*CRUMBS, (title, reverse(list_url))],
        },
    )
