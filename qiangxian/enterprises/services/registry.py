"""Writes of the registry: validated, in one transaction, with history."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from pypinyin import Style
from pypinyin.core import _default_pinyin as _PINYIN
from pypinyin.core import seg as _pinyin_seg

from qiangxian.core.access import issuing_unit_id, require_own_level, scope_of
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.concurrency import STALE, same_version

from ..industry import validate_industry_code
from ..models import Enterprise, EnterpriseContact, EnterpriseLiaison, TaskForce
from ..models.registry import LIST_SEPARATOR
from ..uscc import validate_registration_number_15, validate_uscc

EDITABLE_FIELDS = [
    "town_id",
    "park_id",
    "zone_id",
    "uscc",
    "registration_number",
    "name",
    "former_names",
    "short_name",
    "legal_representative",
    "established_on",
    "registered_address",
    "production_address",
    "town",
    "park",
    "zone",
    "industry_code",
    "status",
    "land_area_mu",
    "land_tenure",
    "tags",
]


@lru_cache(maxsize=200_000)
def _word_initials(word: str) -> str:
    readings = _PINYIN._converter.convert(word, Style.FIRST_LETTER, False, "default", True)
    return "".join(r[0][0] for r in readings if r and r[0])


def pinyin_initials(name: str) -> str:
    """Lower-case initials of a Chinese name: 青山鞋业有限公司 -> qsxyyxgs.

    pypinyin splits a name into words and reads each word on its own; the readings are cached per
    word, which gives lazy_pinyin's exact result several times faster (company names share words).
    """
    return "".join(_word_initials(word) for word in _pinyin_seg(name)).lower()[:200]


def join_list(values) -> str:
    """Names or tags as stored: trimmed, de-duplicated, joined by "；" (also accepts a string)."""
    if isinstance(values, str):
        values = values.replace(";", LIST_SEPARATOR).replace("，", LIST_SEPARATOR).split(LIST_SEPARATOR)
    seen: list[str] = []
    for value in values or []:
        value = str(value).strip()
        if value and value not in seen:
            seen.append(value)
    return LIST_SEPARATOR.join(seen)


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
    return Enterprise.objects.filter(Enterprise.objects.scope_q(scope), pk=enterprise.pk).exists()


def can_manage_registry(user) -> bool:
    """Clusters, task forces, liaisons and imports are run by the office and administrators."""
    return bool(user.is_authenticated and (user.can_manage or user.is_superuser))


def is_liaison(user, enterprise: Enterprise) -> bool:
    """A liaison of the enterprise, or the leader of its task force."""
    if not user.is_authenticated:
        return False
    if (
        enterprise.task_force_id
        and TaskForce.objects.filter(pk=enterprise.task_force_id, leader=user).exists()
    ):
        return True
    return EnterpriseLiaison.objects.filter(user=user, enterprise=enterprise).exists()


def can_see_contacts(user, enterprise: Enterprise) -> bool:
    """Full phone numbers: the office and admins, the enterprise itself, its town or park, its liaisons."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser:
        return True
    scope = scope_of(user)
    if (
        scope.kind in ("town", "park", "zone", "enterprise")
        and Enterprise.objects.filter(Enterprise.objects.scope_q(scope), pk=enterprise.pk).exists()
    ):
        return True
    return is_liaison(user, enterprise)


def contacts_visible_ids(user, enterprise_ids) -> set[int]:
    """Of these enterprises, those whose full phone numbers the user may see (the bulk form of
    :func:`can_see_contacts`, for lists and exports: a few queries whatever the number)."""
    ids = {int(i) for i in enterprise_ids}
    if not ids or not user.is_authenticated:
        return set()
    if user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser:
        return ids
    scope = scope_of(user)
    seen: set[int] = set()
    if scope.kind in ("town", "park", "zone", "enterprise"):
        in_scope = Enterprise.objects.filter(Enterprise.objects.scope_q(scope), pk__in=ids)
        seen |= set(in_scope.values_list("pk", flat=True))
    liaised = EnterpriseLiaison.objects.filter(user=user, enterprise_id__in=ids)
    seen |= set(liaised.values_list("enterprise_id", flat=True))
    seen |= set(Enterprise.objects.filter(pk__in=ids, task_force__leader=user).values_list("pk", flat=True))
    return seen


def _validate(enterprise: Enterprise, actor) -> list[str]:
    """Check every rule at once; returns warnings (unusual but acceptable codes)."""
    errors: dict[str, list] = {}
    warnings: list[str] = []
    result = validate_uscc(enterprise.uscc or "")
    if not result.ok:
        errors["uscc"] = [issue.message for issue in result.errors]
    else:
        enterprise.uscc = result.normalized
        warnings = [f"统一社会信用代码：{issue.message}" for issue in result.warnings]
        duplicate = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk).first()
        if duplicate:
            errors["uscc"] = [
                ValidationError(
                    "统一社会信用代码已登记为“%(name)s”（编号 %(pk)s），不能重复登记。",
                    code="duplicate",
                    params={"name": duplicate.name, "pk": duplicate.pk},
                )
            ]
    if enterprise.registration_number:
        reg = validate_registration_number_15(enterprise.registration_number)
        if reg.ok:
            enterprise.registration_number = reg.normalized
        else:
            errors["registration_number"] = [issue.message for issue in reg.errors]
    ok, message = validate_industry_code(enterprise.industry_code or "")
    if not ok:
        errors["industry_code"] = [message]
    if not (enterprise.name or "").strip():
        errors["name"] = ["请填写企业名称。"]
    if not enterprise.town_id:
        errors["town"] = ["请选择所属乡镇。"]
    elif enterprise.town.kind != OrgUnitKind.TOWN:
        errors["town"] = ["所属乡镇必须是乡镇/街道。"]
    if enterprise.park_id and enterprise.park.kind != OrgUnitKind.PARK:
        errors["park"] = ["所在园区必须是园区。"]
    if enterprise.zone_id:
        if enterprise.zone.kind != OrgUnitKind.ZONE:
            errors["zone"] = ["所在片区必须是园区的片区。"]
        elif enterprise.zone.parent_id != enterprise.park_id:
            errors["zone"] = [f"片区“{enterprise.zone}”不属于所选园区。"]
    if enterprise.land_area_mu is not None and enterprise.land_area_mu < 0:
        errors["land_area_mu"] = ["用地面积不能为负数。"]
    # A town or park user may only place an enterprise inside their own jurisdiction.
    scope = scope_of(actor)
    if scope.kind == "town" and enterprise.town_id != scope.unit_id:
        errors["town"] = ["只能登记本乡镇的企业。"]
    if scope.kind == "park" and enterprise.park_id != scope.unit_id:
        errors["park"] = ["只能登记本园区的企业。"]
    if errors:
        raise ValidationError(errors)
    return warnings


def _prepare(fields: dict) -> dict:
    if "above_scale" in fields:
        raise ValidationError(
            {"above_scale": "规上状态随“入规/退规”登记自动变化，请在“称号”中登记入规或退规。"}
        )
    data = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    for key in ("former_names", "tags"):
        if key in data:
            data[key] = join_list(data[key])
    for key in ("name", "short_name", "legal_representative", "registered_address", "production_address"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    if data.get("registration_number") is None and "registration_number" in data:
        data["registration_number"] = ""
    return data


@transaction.atomic
def enterprise_create(*, actor, **fields) -> Enterprise:
    """Register an enterprise; the USCC is validated and must be new.

    Unusual but valid codes (an unknown registering department, say) are saved; their warnings are
    returned on ``enterprise.code_warnings`` for the page to show.
    """
    if not can_edit_enterprise(actor):
        raise PermissionDenied("您无权登记企业。")
    enterprise = Enterprise(**_prepare(fields))
    warnings = _validate(enterprise, actor)
    enterprise.pinyin_initials = pinyin_initials(enterprise.name)
    enterprise.full_clean(exclude=["uscc"])
    enterprise._history_user = actor
    enterprise.save()
    transaction.on_commit(lambda: clusters_sync_for([enterprise.pk]))
    enterprise.code_warnings = warnings
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, expected_updated_at=None, **fields) -> Enterprise:
    """Change an enterprise; refuses to overwrite a change someone else saved in the meantime."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权修改该企业。")
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not same_version(current.updated_at, expected_updated_at):
        raise ValidationError("该企业信息已被他人修改，请刷新页面后重新编辑。", code=STALE)
    old_name = current.name
    for key, value in _prepare(fields).items():
        setattr(current, key, value)
    warnings = _validate(current, actor)
    if current.name != old_name and old_name:
        # A renamed enterprise stays findable by the name it was registered under.
        current.former_names = join_list([*current.former_name_list, old_name])
    current.pinyin_initials = pinyin_initials(current.name)
    current.full_clean(exclude=["uscc"])
    current._history_user = actor
    current.save()
    transaction.on_commit(lambda: clusters_sync_for([current.pk]))
    current.code_warnings = warnings
    return current


def _set_above_scale(*, actor, enterprise: Enterprise, value: bool, reason: str) -> None:
    """Keep ``Enterprise.above_scale`` in line with the 规上 designation; history records the change."""
    current = Enterprise.objects.get(pk=enterprise.pk)
    if current.above_scale == value:
        return
    current.above_scale = value
    current._history_user = actor
    current._change_reason = reason
    current.save(update_fields=["above_scale", "updated_at"])
    enterprise.above_scale = value


# --- contacts --------------------------------------------------------------------------------


@transaction.atomic
def contact_save(
    *,
    actor,
    enterprise: Enterprise,
    contact: EnterpriseContact | None = None,
    name: str,
    post: str = "",
    phone: str = "",
) -> EnterpriseContact:
    """Add or change a contact person of an enterprise."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权修改该企业的联系人。")
    contact = contact or EnterpriseContact(enterprise=enterprise, sort_order=enterprise.contacts.count())
    contact.name, contact.post, contact.phone = name.strip(), post.strip(), phone.strip()
    if not contact.name:
        raise ValidationError({"name": "请填写联系人姓名。"})
    if contact.phone and not all(ch.isdigit() or ch in "-+ " for ch in contact.phone):
        raise ValidationError({"phone": "联系电话只能包含数字、空格和“-”“+”。"})
    contact.full_clean()
    contact._history_user = actor
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: EnterpriseContact) -> None:
    """Remove a contact person (the history keeps the record)."""
    if not can_edit_enterprise(actor, contact.enterprise):
        raise PermissionDenied("您无权修改该企业的联系人。")
    contact._history_user = actor
    contact.delete()


# --- liaisons and task forces -----------------------------------------------------------------


@transaction.atomic
def liaisons_set(
    *,
    actor,
    enterprise: Enterprise,
    leader=None,
    officials=(),
    task_force: TaskForce | None = None,
    on: dt.date | None = None,
) -> list[EnterpriseLiaison]:
    """Assign an enterprise's liaison leader and officials and its task force; returns the assignments."""
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以安排包联和专班。")
    from ..choices import LiaisonRole

    wanted: dict[int, tuple[object, str]] = {}
    for user in officials:
        wanted[user.pk] = (user, LiaisonRole.OFFICIAL)
    if leader is not None:
        wanted[leader.pk] = (leader, LiaisonRole.LEADER)
    inactive = [str(u) for u, _ in wanted.values() if not u.is_active]
    if inactive:
        raise ValidationError({"officials": f"以下账号已停用，不能安排包联：{'、'.join(inactive)}。"})
    existing = {a.user_id: a for a in enterprise.liaisons.all()}
    for user_id, assignment in existing.items():
        if user_id not in wanted:
            assignment._history_user = actor
            assignment.delete()
        elif assignment.role != wanted[user_id][1]:
            assignment.role = wanted[user_id][1]
            assignment._history_user = actor
            assignment.save()
    for user_id, (user, role) in wanted.items():
        if user_id not in existing:
            assignment = EnterpriseLiaison(
                enterprise=enterprise, user=user, role=role, assigned_on=on or dt.date.today()
            )
            assignment._history_user = actor
            assignment.save()
    if enterprise.task_force_id != (task_force.pk if task_force else None):
        current = Enterprise.objects.get(pk=enterprise.pk)
        current.task_force = task_force
        current._history_user = actor
        current.save(update_fields=["task_force", "updated_at"])
        enterprise.task_force = task_force
    return list(enterprise.liaisons.select_related("user"))


@transaction.atomic
def task_force_save(
    *,
    actor,
    task_force: TaskForce | None = None,
    name: str,
    lead_unit=None,
    leader=None,
    description: str = "",
) -> TaskForce:
    """Create or change a task force (专班)."""
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以管理专班。")
    if task_force is not None:
        require_own_level(actor, task_force.issuer_id, "专班")
    task_force = task_force or TaskForce(issuer_id=issuing_unit_id(actor))
    task_force.name, task_force.lead_unit, task_force.leader = name.strip(), lead_unit, leader
    task_force.description = description.strip()
    if not task_force.name:
        raise ValidationError({"name": "请填写专班名称。"})
    if TaskForce.objects.filter(name=task_force.name).exclude(pk=task_force.pk).exists():
        raise ValidationError({"name": f"已有名为“{task_force.name}”的专班。"})
    task_force.full_clean()
    task_force._history_user = actor
    task_force.save()
    return task_force


def clusters_sync_for(enterprise_ids) -> None:
    """Re-derive every cluster's class-based memberships for some enterprises."""
    from ..models import Cluster
    from .clusters import cluster_sync_memberships

    for cluster in Cluster.objects.all():
        cluster_sync_memberships(cluster=cluster, enterprise_ids=list(enterprise_ids))
