"""Writes of the policy module: keyword-only, one transaction, validated first, history kept."""

from .grants import (
    application_approve,
    application_exclude,
    application_mark_read,
    application_return,
    approve_batch,
    can_pay,
    can_review,
    evidence_add,
    payment_record,
    quick_apply,
    willingness_confirm,
)
from .library import (
    can_keep_library,
    can_manage_policies,
    clause_save,
    policy_publish,
    policy_save,
    validate_version,
)
from .matching import match_notices, notify_run, run_matching

__all__ = [
    "application_approve",
    "application_exclude",
    "application_mark_read",
    "application_return",
    "approve_batch",
    "can_keep_library",
    "can_manage_policies",
    "can_pay",
    "can_review",
    "clause_save",
    "evidence_add",
    "match_notices",
    "notify_run",
    "payment_record",
    "policy_publish",
    "policy_save",
    "quick_apply",
    "run_matching",
    "validate_version",
    "willingness_confirm",
]
