"""Writes of the registry, one module per concern; import them from here."""

from .clusters import cluster_member_add, cluster_member_remove, cluster_save, cluster_sync_memberships
from .designations import (
    default_valid_to,
    designation_delete,
    designation_save,
    scale_entry_record,
    scale_exit_record,
)
from .plans import can_edit_plan, measure_save, milestone_save, plan_create, plan_update, review_create
from .registry import (
    EDITABLE_FIELDS,
    can_edit_enterprise,
    can_manage_registry,
    can_see_contacts,
    clusters_sync_for,
    contact_delete,
    contact_save,
    enterprise_create,
    enterprise_update,
    is_liaison,
    join_list,
    liaisons_set,
    pinyin_initials,
    task_force_save,
)

__all__ = [
    "EDITABLE_FIELDS",
    "can_edit_enterprise",
    "can_edit_plan",
    "can_manage_registry",
    "can_see_contacts",
    "cluster_member_add",
    "cluster_member_remove",
    "cluster_save",
    "cluster_sync_memberships",
    "clusters_sync_for",
    "contact_delete",
    "contact_save",
    "default_valid_to",
    "designation_delete",
    "designation_save",
    "enterprise_create",
    "enterprise_update",
    "is_liaison",
    "join_list",
    "liaisons_set",
    "measure_save",
    "milestone_save",
    "pinyin_initials",
    "plan_create",
    "plan_update",
    "review_create",
    "scale_entry_record",
    "scale_exit_record",
    "task_force_save",
]
