"""Writes of the registry: validated, in one transaction, with history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from qiangxian.core.access import scope_filter, scope_of
from qiangxian.core.choices import OrgUnitKind, Role

from .industry import validate_industry_code
from .models import Cluster, ClusterMembership, Enterprise, EnterpriseQuerySet
from .uscc import validate_uscc

EDITABLE_FIELDS = [
    "town_id", "park_id", "zone_id",
    "uscc", "name", "short_name", "legal_representative", "established_on", "registered_address",
    "production_address", "town", "park", "zone", "industry_code", "status", "above_scale",
    "land_area_mu", "land_tenure",
]


def pinyin_initials(name: str) -> str:
    """Lower-case initials of a Chinese name: 青山鞋业有限公司 -> qsxyyxgs."""
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()[:200]


def can_edit_enterprise(user, enterprise: Enterprise | None = None) -> bool:
    """Office and admins edit all; a town or park edits the enterprises located in it."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser:
        return True
    if user.role not in (Role.TOWN, Role.PARK):
        return False
    if enterprise is None:
        return True
    scope = scope_of(user)
    return Enterprise.objects.filter(scope_filter(scope, EnterpriseQuerySet.scope_paths), pk=enterprise.pk).exists()


def _validate(enterprise: Enterprise, actor) -> None:
    errors: dict[str, list[str]] = {}
    result = validate_uscc(enterprise.uscc or "")
    if not result.ok:
        errors["uscc"] = [issue.message for issue in result.errors]
    else:
        enterprise.uscc = result.normalized
        duplicate = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk).first()
        if duplicate:
            errors["uscc"] = [f"统一社会信用代码已登记为“{duplicate.name}”（编号 {duplicate.pk}）。"]
    ok, message = validate_industry_code(enterprise.industry_code or "")
    if not ok:
        errors["industry_code"] = [message]
    if enterprise.town_id and enterprise.town.kind != OrgUnitKind.TOWN:
        errors["town"] = ["所属乡镇必须是乡镇/街道。"]
    if enterprise.park_id and enterprise.park.kind != OrgUnitKind.PARK:
        errors["park"] = ["所在园区必须是园区。"]
    if enterprise.zone_id:
        if enterprise.zone.kind != OrgUnitKind.ZONE:
            errors["zone"] = ["所在片区必须是园区的片区。"]
        elif enterprise.zone.parent_id != enterprise.park_id:
            errors["zone"] = [f"片区“{enterprise.zone}”不属于所选园区。"]
    # A town or park user may only place an enterprise inside their own jurisdiction.
    scope = scope_of(actor)
    if scope.kind == "town" and enterprise.town_id != scope.unit_id:
        errors["town"] = ["只能登记本乡镇的企业。"]
    if scope.kind == "park" and enterprise.park_id != scope.unit_id:
        errors["park"] = ["只能登记本园区的企业。"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enterprise_create(*, actor, **fields) -> Enterprise:
    """Register an enterprise; the USCC is validated and must be new."""
    if not can_edit_enterprise(actor):
        raise PermissionDenied("您无权登记企业。")
    enterprise = Enterprise(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    _validate(enterprise, actor)
    enterprise.pinyin_initials = pinyin_initials(enterprise.name)
    enterprise.full_clean(exclude=["uscc"])
    enterprise._history_user = actor
    enterprise.save()
    transaction.on_commit(lambda: clusters_sync_for([enterprise.pk]))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, expected_updated_at=None, **fields) -> Enterprise:
    """Change an enterprise; refuses to overwrite a change someone else saved in the meantime."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权修改该企业。")
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise ValidationError("该企业信息已被他人修改，请刷新页面后重新编辑。", code="stale")
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(current, key, value)
    _validate(current, actor)
    current.pinyin_initials = pinyin_initials(current.name)
    current.full_clean(exclude=["uscc"])
    current._history_user = actor
    current.save()
    transaction.on_commit(lambda: clusters_sync_for([current.pk]))
    return current


def cluster_sync_memberships(*, cluster: Cluster, enterprise_ids=None) -> int:
    """Bring a cluster's class-based memberships in line with its industry classes.

    Manual assignments are kept whatever the class; returns how many memberships the cluster has.
    Called after a cluster's classes change and after enterprises are created or re-classified.
    """
    enterprises = Enterprise.objects.all()
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
    wanted = set(enterprises.filter(industry_code__in=cluster.industry_codes).values_list("pk", flat=True))
    existing = cluster.memberships.filter(manual=False)
    if enterprise_ids is not None:
        existing = existing.filter(enterprise_id__in=enterprise_ids)
    have = set(existing.values_list("enterprise_id", flat=True))
    manual = set(cluster.memberships.filter(manual=True).values_list("enterprise_id", flat=True))
    existing.filter(enterprise_id__in=have - wanted).delete()
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(cluster=cluster, enterprise_id=pk) for pk in sorted(wanted - have - manual)],
        batch_size=2000,
    )
    return cluster.memberships.count()


def clusters_sync_for(enterprise_ids) -> None:
    """Re-derive every cluster's class-based memberships for some enterprises."""
    for cluster in Cluster.objects.all():
        cluster_sync_memberships(cluster=cluster, enterprise_ids=list(enterprise_ids))
