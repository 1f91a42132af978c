"""Writes of visits and demands: keyword-only, one transaction each, refusals in Chinese."""

from .campaigns import campaign_save, quiet_conflicts, visit_plan_create
from .demands import (
    can_handle,
    can_rate,
    demand_answer,
    demand_archive,
    demand_create,
    demand_decide_extension,
    demand_group_create,
    demand_note,
    demand_rate,
    demand_reopen,
    demand_request_extension,
    demand_return,
    demand_route,
    demand_sign,
    demands_escalate,
    routing_rule_save,
)
from .needs import can_edit_need, need_save
from .visits import campaign_create, visit_create, visits_recent

__all__ = [
    "campaign_create",
    "campaign_save",
    "can_edit_need",
    "can_handle",
    "can_rate",
    "demand_answer",
    "demand_archive",
    "demand_create",
    "demand_decide_extension",
    "demand_group_create",
    "demand_note",
    "demand_rate",
    "demand_reopen",
    "demand_request_extension",
    "demand_return",
    "demand_route",
    "demand_sign",
    "demands_escalate",
    "need_save",
    "quiet_conflicts",
    "routing_rule_save",
    "visit_create",
    "visit_plan_create",
    "visits_recent",
]
