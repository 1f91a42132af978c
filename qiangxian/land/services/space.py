"""Writes of park profiles, parcels, land contracts, buildings and leases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qiangxian.core.choices import OrgUnitKind

from ..choices import ParcelStatus
from ..geo import parse_boundary
from ..models import Building, LandContract, Lease, Parcel, SpaceProfile
from ..models.space import SQM_PER_MU
from .common import Errors, check_place, lock, require_space_edit

# One parcel above this is almost certainly an area in m² typed as 亩 (1 亩 ≈ 666.67 m²).
MAX_PARCEL_MU = Decimal(3000)
MAX_BUILDING_SQM = Decimal(500_000)

PARCEL_FIELDS = {
    "code",
    "name",
    "park",
    "zone",
    "area_mu",
    "land_use",
    "status",
    "status_since",
    "holder",
    "project",
    "boundary",
    "notes",
}
CONTRACT_FIELDS = {
    "number",
    "signed_on",
    "price",
    "intensity_promised",
    "far_promised",
    "start_deadline",
    "completion_deadline",
    "output_per_mu_promised",
    "tax_per_mu_promised",
    "started_on",
    "completed_on",
    "investment_actual",
    "far_actual",
}
BUILDING_FIELDS = {
    "code",
    "name",
    "kind",
    "park",
    "zone",
    "parcel",
    "floors",
    "floor_area_sqm",
    "floor_load_kn",
    "crane_tonnage",
    "power_kva",
    "owner",
    "owner_name",
    "completed_year",
}
LEASE_FIELDS = {
    "floor",
    "unit",
    "area_sqm",
    "tenant",
    "tenant_name",
    "rent_per_sqm_month",
    "start_on",
    "end_on",
}
PROFILE_FIELDS = {
    "area_mu",
    "planned_industrial_mu",
    "built_mu",
    "utilities",
    "platforms",
    "leading_industries",
    "negative_list",
    "output_target_per_mu",
    "tax_target_per_mu",
}


def _pick(fields: dict, allowed: set[str]) -> dict:
    return {k: v for k, v in fields.items() if k in allowed}


# --- profiles ------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, actor, unit, **fields) -> SpaceProfile:
    """Record a park's or zone's land, utilities, platforms and targets."""
    if unit.kind not in (OrgUnitKind.PARK, OrgUnitKind.ZONE):
        raise ValidationError("只能为园区或片区登记概况。")
    park_id = unit.pk if unit.kind == OrgUnitKind.PARK else unit.parent_id
    require_space_edit(actor, park_id, unit.pk if unit.kind == OrgUnitKind.ZONE else None)
    profile = SpaceProfile.objects.filter(unit=unit).first() or SpaceProfile(unit=unit, park_id=park_id)
    for key, value in _pick(fields, PROFILE_FIELDS).items():
        setattr(profile, key, value)
    errors = Errors()
    for key in ("area_mu", "planned_industrial_mu", "built_mu", "output_target_per_mu", "tax_target_per_mu"):
        value = getattr(profile, key)
        if value is not None and value < 0:
            errors.add(key, "不能为负数。")
    if profile.area_mu and profile.planned_industrial_mu and profile.planned_industrial_mu > profile.area_mu:
        errors.add("planned_industrial_mu", "规划工业用地不能大于规划面积。")
    if profile.area_mu and profile.built_mu and profile.built_mu > profile.area_mu:
        errors.add("built_mu", "已建成用地不能大于规划面积。")
    for key in ("leading_industries", "negative_list"):
        codes = (getattr(profile, key) or "").split()
        bad = [c for c in codes if not (len(c) == 2 and c.isdigit())]
        if bad:
            errors.add(key, f"行业大类代码应为两位数字：{'、'.join(bad)}。")
    errors.raise_if_any()
    profile._history_user = actor
    profile.save()
    return profile


# --- parcels -------------------------------------------------------------------------------


def _validate_parcel(parcel: Parcel, actor) -> None:
    errors = Errors()
    if not (parcel.code or "").strip():
        errors.add("code", "请填写地块编号。")
    elif Parcel.objects.filter(code=parcel.code).exclude(pk=parcel.pk).exists():
        errors.add("code", f"地块编号“{parcel.code}”已存在。")
    area = parcel.area_mu
    if area is None:
        errors.add("area_mu", "请填写面积（亩）。")
    elif area <= 0:
        errors.add("area_mu", "面积必须大于 0 亩。")
    elif area > MAX_PARCEL_MU:
        errors.add(
            "area_mu",
            f"面积 {area} 亩超出单个地块的合理范围（{MAX_PARCEL_MU} 亩），是否把平方米填成了亩？"
            f"{area} 平方米约合 {(area / SQM_PER_MU).quantize(Decimal('0.01'))} 亩。",
        )
    check_place(errors, parcel, actor)
    if parcel.holder_id and parcel.status in (ParcelStatus.RESERVE, ParcelStatus.APPROVED_UNSUPPLIED):
        errors.add("status", f"“{parcel.get_status_display()}”的地块尚未供应，不应有使用权人。")
    try:
        parcel.boundary = parse_boundary(parcel.boundary)
    except ValidationError as error:
        errors.add("boundary", error.messages[0])
    errors.raise_if_any()


@transaction.atomic
def parcel_create(*, actor, today: dt.date | None = None, **fields) -> Parcel:
    """Register a parcel in the land ledger."""
    parcel = Parcel(**_pick(fields, PARCEL_FIELDS))
    require_space_edit(actor, parcel.park_id, parcel.zone_id)
    parcel.status_since = parcel.status_since or today or timezone.localdate()
    _validate_parcel(parcel, actor)
    parcel._history_user = actor
    parcel.save()
    return parcel


@transaction.atomic
def parcel_update(*, actor, parcel: Parcel, expected_updated_at=None, today=None, **fields) -> Parcel:
    """Change a parcel; a change of status restarts its 进入当前状态日期 unless one is given."""
    require_space_edit(actor, parcel.park_id, parcel.zone_id)
    current = lock(Parcel, parcel, expected_updated_at)
    old_status = current.status
    for key, value in _pick(fields, PARCEL_FIELDS).items():
        setattr(current, key, value)
    if current.status != old_status and "status_since" not in fields:
        current.status_since = today or timezone.localdate()
    _validate_parcel(current, actor)
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def contract_save(*, actor, parcel: Parcel, **fields) -> LandContract:
    """Record or change a parcel's land-transfer contract and its 履约 terms."""
    require_space_edit(actor, parcel.park_id, parcel.zone_id)
    contract = LandContract.objects.filter(parcel=parcel).first() or LandContract(parcel=parcel)
    for key, value in _pick(fields, CONTRACT_FIELDS).items():
        setattr(contract, key, value)
    errors = Errors()
    if contract.signed_on is None:
        errors.add("signed_on", "请填写签订日期。")
    if contract.price is None or contract.price < 0:
        errors.add("price", "出让价款不能为空或负数。")
    for key in (
        "intensity_promised",
        "far_promised",
        "output_per_mu_promised",
        "tax_per_mu_promised",
        "investment_actual",
        "far_actual",
    ):
        value = getattr(contract, key)
        if value is not None and value < 0:
            errors.add(key, "不能为负数。")
    for key in ("far_promised", "far_actual"):
        value = getattr(contract, key)
        if value is not None and value > 20:
            errors.add(key, "容积率超出合理范围（0–20）。")
    deadlines = (contract.start_deadline, contract.completion_deadline)
    if all(deadlines) and deadlines[1] < deadlines[0]:
        errors.add("completion_deadline", "约定竣工日期不能早于约定开工日期。")
    if contract.signed_on and contract.start_deadline and contract.start_deadline < contract.signed_on:
        errors.add("start_deadline", "约定开工日期不能早于合同签订日期。")
    if contract.started_on and contract.completed_on and contract.completed_on < contract.started_on:
        errors.add("completed_on", "实际竣工日期不能早于实际开工日期。")
    errors.raise_if_any()
    contract._history_user = actor
    contract.save()
    return contract


# --- buildings and leases -------------------------------------------------------------------


def _validate_building(building: Building, actor) -> None:
    errors = Errors()
    if not (building.code or "").strip():
        errors.add("code", "请填写楼栋编号。")
    elif Building.objects.filter(code=building.code).exclude(pk=building.pk).exists():
        errors.add("code", f"楼栋编号“{building.code}”已存在。")
    if not (building.name or "").strip():
        errors.add("name", "请填写名称。")
    area = building.floor_area_sqm
    if area is None or area <= 0:
        errors.add("floor_area_sqm", "建筑面积必须大于 0。")
    elif area > MAX_BUILDING_SQM:
        errors.add("floor_area_sqm", f"建筑面积 {area} 平方米超出单栋楼的合理范围，请核对单位。")
    if not building.floors or building.floors < 1:
        errors.add("floors", "层数至少为 1。")
    for key in ("floor_load_kn", "crane_tonnage"):
        value = getattr(building, key)
        if value is not None and value < 0:
            errors.add(key, "不能为负数。")
    check_place(errors, building, actor)
    if building.parcel_id and building.parcel.park_id != building.park_id:
        errors.add("parcel", "所在地块不在所选园区。")
    if building.pk and area:
        leased = _peak_leased(building, None, None, None)
        if leased > area:
            errors.add("floor_area_sqm", f"已出租面积 {leased} 平方米超过建筑面积。")
    errors.raise_if_any()


@transaction.atomic
def building_create(*, actor, **fields) -> Building:
    """Register a building."""
    building = Building(**_pick(fields, BUILDING_FIELDS))
    require_space_edit(actor, building.park_id, building.zone_id)
    _validate_building(building, actor)
    building._history_user = actor
    building.save()
    return building


@transaction.atomic
def building_update(*, actor, building: Building, expected_updated_at=None, **fields) -> Building:
    """Change a building's record."""
    require_space_edit(actor, building.park_id, building.zone_id)
    current = lock(Building, building, expected_updated_at)
    for key, value in _pick(fields, BUILDING_FIELDS).items():
        setattr(current, key, value)
    _validate_building(current, actor)
    current._history_user = actor
    current.save()
    return current


def _peak_leased(building: Building, start, end, extra: Decimal | None, exclude_pk=None) -> Decimal:
    """The largest leased area at any moment of [start, end] (all time when None), counting ``extra``."""
    leases = Lease.objects.filter(building=building)
    if exclude_pk:
        leases = leases.exclude(pk=exclude_pk)
    if start is not None:
        leases = leases.filter(start_on__lte=end, end_on__gte=start)
    spans = list(leases.values_list("start_on", "end_on", "area_sqm"))
    points = {s for s, _, _ in spans} | ({start} if start is not None else set())
    peak = Decimal(0)
    for moment in points:
        if start is not None and not (start <= moment <= end):
            continue
        total = sum((a for s, e, a in spans if s <= moment <= e), Decimal(0))
        peak = max(peak, total + (extra or 0))
    return peak


def _validate_lease(lease: Lease) -> None:
    errors = Errors()
    building = lease.building
    if lease.area_sqm is None or lease.area_sqm <= 0:
        errors.add("area_sqm", "租赁面积必须大于 0。")
    if lease.floor is None or lease.floor < 1 or lease.floor > building.floors:
        errors.add("floor", f"楼层应在 1–{building.floors} 之间。")
    if not lease.tenant_id and not (lease.tenant_name or "").strip():
        errors.add("tenant_name", "请选择承租企业或填写承租方名称。")
    if lease.rent_per_sqm_month is not None and lease.rent_per_sqm_month < 0:
        errors.add("rent_per_sqm_month", "租金不能为负数。")
    if lease.start_on and lease.end_on and lease.end_on < lease.start_on:
        errors.add("end_on", "到期日期不能早于起租日期。")
    if errors:
        errors.raise_if_any()
    same_place = Q(floor=lease.floor) & (Q(unit=lease.unit) | Q(unit="") if lease.unit else Q())
    clash = (
        Lease.objects.filter(building=building)
        .filter(same_place)
        .filter(start_on__lte=lease.end_on, end_on__gte=lease.start_on)
        .exclude(pk=lease.pk)
        .first()
    )
    if clash:
        place = f"{clash.floor}层{clash.unit or '（整层）'}"
        errors.add(
            "start_on",
            f"{place}在 {clash.start_on:%Y-%m-%d} 至 {clash.end_on:%Y-%m-%d} "
            f"已租给“{clash.tenant_display}”，租期重叠。",
        )
    else:
        peak = _peak_leased(building, lease.start_on, lease.end_on, lease.area_sqm, exclude_pk=lease.pk)
        if peak > building.floor_area_sqm:
            errors.add(
                "area_sqm",
                f"租期内出租面积合计将达 {peak} 平方米，超过该楼建筑面积 {building.floor_area_sqm} 平方米。",
            )
    errors.raise_if_any()


@transaction.atomic
def lease_save(*, actor, building: Building, lease: Lease | None = None, **fields) -> Lease:
    """Record a tenant on a floor or unit (or change one); overlaps and over-letting are refused."""
    require_space_edit(actor, building.park_id, building.zone_id)
    # Lock the building so two leases of the same unit cannot pass the overlap check together.
    building = Building.objects.select_for_update().get(pk=building.pk)
    lease = lease or Lease(building=building)
    lease.building = building
    for key, value in _pick(fields, LEASE_FIELDS).items():
        setattr(lease, key, value)
    lease.unit = (lease.unit or "").strip()
    _validate_lease(lease)
    lease._history_user = actor
    lease.save()
    return lease


@transaction.atomic
def lease_delete(*, actor, lease: Lease) -> None:
    """Remove a lease entered by mistake (its history stays)."""
    require_space_edit(actor, lease.building.park_id, lease.building.zone_id)
    lease._history_user = actor
    lease.delete()


# --- offers ---------------------------------------------------------------------------------


@transaction.atomic
def offer_record(*, actor, project=None, demand=None, parcel=None, building=None, note: str = "", today=None):
    """Record that a parcel or building was offered to a project or for an enterprise's demand."""
    from ..models import SpaceOffer

    place = parcel or building
    if place is None or (parcel is not None and building is not None):
        raise ValidationError("请选择一个地块或一栋楼宇。")
    if (project is None) == (demand is None):
        raise ValidationError("请选择推荐给哪个项目或哪条企业诉求。")
    if demand is not None and demand.category != "land":
        raise ValidationError("只有用地/厂房类诉求可以推荐空间。")
    require_space_edit(actor, place.park_id, place.zone_id)
    if SpaceOffer.objects.filter(
        project=project, demand=demand, parcel=parcel, building=building, outcome="offered"
    ).exists():
        raise ValidationError(f"已向该{'项目' if project else '企业'}推荐过此处空间，请登记推荐结果。")
    offer = SpaceOffer(
        project=project,
        demand=demand,
        parcel=parcel,
        building=building,
        park_id=place.park_id,
        zone_id=place.zone_id,
        offered_on=today or timezone.localdate(),
        note=note,
    )
    offer._history_user = actor
    offer.save()
    return offer


@transaction.atomic
def offer_outcome(*, actor, offer, outcome: str, note: str = ""):
    """Record what came of an offer (踏勘、落地、未采纳)."""
    from ..choices import OfferOutcome

    require_space_edit(actor, offer.park_id, offer.zone_id)
    if outcome not in OfferOutcome.values:
        raise ValidationError({"outcome": ["请选择推荐结果。"]})
    offer.outcome = outcome
    offer.note = note or offer.note
    offer._history_user = actor
    offer.save()
    return offer
