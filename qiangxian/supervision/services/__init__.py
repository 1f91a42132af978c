"""Writes of the supervision app: tasks and their lifecycle, reports, letters, meetings, drafts."""

from .drafts import document_create, draft_confirm_target, draft_confirm_task
from .meetings import meeting_save
from .tasks import (
    can_change,
    can_lead,
    can_manage,
    can_report,
    letter_issue,
    milestone_done,
    milestone_save,
    overdue_sweep,
    report_submit,
    settings_update,
    task_close,
    task_complete,
    task_create,
    task_extend,
    task_reopen,
    task_update,
)

__all__ = [
    "can_change",
    "can_lead",
    "can_manage",
    "can_report",
    "document_create",
    "draft_confirm_target",
    "draft_confirm_task",
    "letter_issue",
    "meeting_save",
    "milestone_done",
    "milestone_save",
    "overdue_sweep",
    "report_submit",
    "settings_update",
    "task_close",
    "task_complete",
    "task_create",
    "task_extend",
    "task_reopen",
    "task_update",
]
