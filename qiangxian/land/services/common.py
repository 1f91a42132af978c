"""Who may write what, and the checks every space record shares (park and zone placement)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core.access import scope_of
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.concurrency import STALE, same_version

STALE_MESSAGE = "该记录已被他人修改，请刷新页面后重新操作。"


class Errors(dict):
    """Field → Chinese messages, raised together as one ValidationError."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def can_edit_space(user, park_id: int | None = None, zone_id: int | None = None) -> bool:
    """The office edits every park; a park's staff edit its park, a zone's staff their zone."""
    if not user.is_authenticated:
        return False
    if user.can_manage or user.is_superuser:
        return True
    scope = scope_of(user)
    if scope.kind == "park":
        return park_id is None or park_id == scope.unit_id
    if scope.kind == "zone":
        return zone_id is None or zone_id == scope.unit_id
    return False


def require_space_edit(actor, park_id=None, zone_id=None) -> None:
    if not can_edit_space(actor, park_id, zone_id):
        raise PermissionDenied("您无权登记或修改该园区的地块、厂房。")


def can_manage_evaluation(user) -> bool:
    """Schemes, runs, rulings and publication belong to the office."""
    return user.is_authenticated and (user.can_manage or user.is_superuser)


def require_office(actor) -> None:
    if not can_manage_evaluation(actor):
        raise PermissionDenied("只有领导小组办公室可以进行此操作。")


def check_place(errors: Errors, obj, actor) -> None:
    """A record's park is a park, its zone a zone of that park, and within the actor's own unit."""
    park = obj.park if obj.park_id else None
    if park is None:
        errors.add("park", "请选择所在园区。")
    elif park.kind != OrgUnitKind.PARK:
        errors.add("park", "所在园区必须是园区。")
    if obj.zone_id:
        if obj.zone.kind != OrgUnitKind.ZONE:
            errors.add("zone", "所在片区必须是园区的片区。")
        elif obj.zone.parent_id != obj.park_id:
            errors.add("zone", f"片区“{obj.zone}”不属于所选园区。")
    scope = scope_of(actor)
    if scope.kind == "park" and obj.park_id != scope.unit_id:
        errors.add("park", "只能登记本园区的地块和厂房。")
    if scope.kind == "zone" and obj.zone_id != scope.unit_id:
        errors.add("zone", "只能登记本片区的地块和厂房。")


def lock(model, obj, expected_updated_at):
    """The row locked for update; refused if someone saved it since it was read."""
    current = model.objects.select_for_update().get(pk=obj.pk)
    if not same_version(current.updated_at, expected_updated_at):
        raise ValidationError(STALE_MESSAGE, code=STALE)
    return current
