"""Models of visits and demands."""

from .demands import Demand, DemandGroup, DemandQuerySet, DemandStep, ExtensionRequest, RoutingRule
from .visits import CampaignTarget, Visit, VisitAttachment, VisitCampaign

__all__ = [
    "CampaignTarget",
    "Demand",
    "DemandGroup",
    "DemandQuerySet",
    "DemandStep",
    "ExtensionRequest",
    "RoutingRule",
    "Visit",
    "VisitAttachment",
    "VisitCampaign",
]
