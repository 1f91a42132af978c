"""The structured forms of labour, finance and land demands: what is needed, and what was provided."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..choices import AreaUnit, DemandCategory, FinanceKind
from ..models import Demand, FinanceNeed, LabourNeed, LandNeed
from .demands import can_handle

NEED_MODELS = {
    DemandCategory.LABOUR: LabourNeed,
    DemandCategory.FINANCE: FinanceNeed,
    DemandCategory.LAND: LandNeed,
}
# What the lead unit records as the outcome; the rest is the need, recorded by whoever raised it.
OUTCOME_FIELDS = {"filled", "arranged", "offered", "offered_parcel", "offered_building"}
OUTCOME_FIELDS |= {f"{name}_id" for name in ("offered_parcel", "offered_building")}
# The parcel or building offered may come as an id (API) or a record (forms).
OFFERED_SPACE = {"offered_parcel": "land.Parcel", "offered_building": "land.Building"}
MAX_MONEY = Decimal("99999999999999.99")


def can_edit_need(user, demand: Demand) -> bool:
    """The one who recorded the demand, the enterprise itself, the lead unit and the office."""
    return bool(
        user.is_authenticated
        and (
            user.can_manage
            or can_handle(user, demand)
            or demand.created_by_id == user.pk
            or (demand.enterprise.org_unit_id and user.org_unit_id == demand.enterprise.org_unit_id)
        )
    )


def _validate(need, errors: dict) -> None:
    if isinstance(need, LabourNeed):
        if not need.positions.strip():
            errors["positions"] = ["请填写岗位。"]
        if not need.headcount or need.headcount <= 0:
            errors["headcount"] = ["人数应大于 0。"]
        if need.filled and need.headcount and need.filled > need.headcount * 2:
            errors["filled"] = ["已招到人数明显超过需求，请核对。"]
    elif isinstance(need, FinanceNeed):
        if need.amount is None or not 0 < need.amount <= MAX_MONEY:
            errors["amount"] = ["需求金额应大于 0。"]
        if need.kind not in FinanceKind.values:
            errors["kind"] = ["请选择融资方式。"]
        if need.arranged is not None and not 0 <= need.arranged <= MAX_MONEY:
            errors["arranged"] = ["已落实金额不能为负数。"]
    else:
        if need.area is None or not 0 < need.area < Decimal("10000000000"):
            errors["area"] = ["面积应大于 0。"]
        if need.area_unit not in AreaUnit.values:
            errors["area_unit"] = ["请选择亩或平方米。"]


def _offered_space(actor, fields: dict) -> dict:
    """The parcel and building offered, as records the actor may see (ids are looked up)."""
    from django.apps import apps

    fields = dict(fields)
    errors: dict[str, list[str]] = {}
    for name, label in OFFERED_SPACE.items():
        value = fields.pop(f"{name}_id", None) if f"{name}_id" in fields else fields.get(name)
        if value is None or value == "":
            continue
        model = apps.get_model(label)
        pk = getattr(value, "pk", value)
        record = model.objects.visible_to(actor).filter(pk=pk).first()
        if record is None:
            errors[name] = [f"找不到编号为 {pk} 的{model._meta.verbose_name}，或您无权查看。"]
        fields[name] = record
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def need_save(*, actor, demand: Demand, **fields):
    """Create or update the structured form of a labour, finance or land demand.

    Only the lead unit records the outcome (places filled, amount arranged, parcel offered).
    """
    model = NEED_MODELS.get(demand.category)
    if model is None:
        raise ValidationError("该类别的诉求没有结构化需求表。")
    if not can_edit_need(actor, demand):
        raise PermissionDenied("您无权填写该诉求的需求表。")
    if OUTCOME_FIELDS & {k for k, v in fields.items() if v not in (None, "", 0)} and not (
        can_handle(actor, demand) or actor.can_manage
    ):
        raise PermissionDenied("落实情况由牵头单位填写。")
    fields = _offered_space(actor, fields) if model is LandNeed else fields
    need = model.objects.select_for_update().filter(demand=demand).first() or model(demand=demand)
    names = {f.name for f in model._meta.fields} - {"id", "demand", "updated_at"}
    for key, value in fields.items():
        if key in names and value is not None:
            setattr(need, key, value)
    errors: dict[str, list[str]] = {}
    _validate(need, errors)
    if errors:
        raise ValidationError(errors)
    need._history_user = actor
    need.save()
    return need
