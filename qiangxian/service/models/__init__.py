"""Models of visits and demands."""

from .demands import Demand, DemandGroup, DemandQuerySet, DemandStep, ExtensionRequest, RoutingRule
from .needs import FinanceNeed, LabourNeed, LandNeed
from .visits import CampaignTarget, Visit, VisitAttachment, VisitCampaign, VisitPlan

__all__ = [
    "CampaignTarget",
    "Demand",
    "DemandGroup",
    "DemandQuerySet",
    "DemandStep",
    "ExtensionRequest",
    "FinanceNeed",
    "LabourNeed",
    "LandNeed",
    "RoutingRule",
    "Visit",
    "VisitAttachment",
    "VisitCampaign",
    "VisitPlan",
]
