"""Reads of visits and demands, scoped to the user through the models' ``visible_to``."""

from .demands import access_demand_by_id, demand_list, is_overdue, my_work, overdue_condition
from .league import LeagueRow, league_table
from .similar import SimilarGroup, similar_groups
from .visits import access_visit_by_id, campaign_coverage, visit_list, visit_plan_list

__all__ = [
    "LeagueRow",
    "SimilarGroup",
    "access_demand_by_id",
    "access_visit_by_id",
    "campaign_coverage",
    "demand_list",
    "is_overdue",
    "league_table",
    "my_work",
    "overdue_condition",
    "similar_groups",
    "visit_list",
    "visit_plan_list",
]
