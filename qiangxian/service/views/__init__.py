"""Pages of visits and demands: thin, they call the selectors and services."""

from .campaigns import campaign_create, campaign_edit, campaign_list, plan_create, plan_list
from .demands import demand_create, demand_detail, demand_list, league, my_work, rules
from .imports import hotline_import, hotline_template
from .needs import finance_list, recruitment
from .similar import similar
from .visits import campaign_detail, visit_create, visit_detail, visit_list, visit_warning

__all__ = [
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "demand_create",
    "demand_detail",
    "demand_list",
    "finance_list",
    "hotline_import",
    "hotline_template",
    "league",
    "my_work",
    "plan_create",
    "plan_list",
    "recruitment",
    "rules",
    "similar",
    "visit_create",
    "visit_detail",
    "visit_list",
    "visit_warning",
]
