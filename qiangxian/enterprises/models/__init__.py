"""Models of the registry: enterprises, designations, liaisons, cultivation plans and import batches."""

from .designations import Designation
from .imports import ImportBatch, ImportBatchItem, RegistryImportProfile
from .plans import CultivationPlan, PlanMeasure, PlanMilestone, PlanReview
from .registry import (
    Cluster,
    ClusterMembership,
    Enterprise,
    EnterpriseContact,
    EnterpriseLiaison,
    EnterpriseQuerySet,
    TaskForce,
)

__all__ = [
    "Cluster",
    "ClusterMembership",
    "CultivationPlan",
    "Designation",
    "Enterprise",
    "EnterpriseContact",
    "EnterpriseLiaison",
    "EnterpriseQuerySet",
    "ImportBatch",
    "ImportBatchItem",
    "PlanMeasure",
    "PlanMilestone",
    "PlanReview",
    "RegistryImportProfile",
    "TaskForce",
]
