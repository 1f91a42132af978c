"""Models of parks, land, buildings, idle space and the per-mu evaluation."""

from .evaluation import (
    RESULT_INPUTS,
    AdjustmentRecord,
    EvaluationResult,
    EvaluationRun,
    GradeBand,
    InputCorrection,
    Objection,
    Scheme,
    SchemeAdjustment,
    SchemeIndicator,
)
from .idle import DisposalPlan, IdleItem
from .space import Building, LandContract, Lease, Parcel, SpaceOffer, SpaceProfile

__all__ = [
    "RESULT_INPUTS",
    "AdjustmentRecord",
    "Building",
    "DisposalPlan",
    "EvaluationResult",
    "EvaluationRun",
    "GradeBand",
    "IdleItem",
    "InputCorrection",
    "LandContract",
    "Lease",
    "Objection",
    "Parcel",
    "Scheme",
    "SchemeAdjustment",
    "SchemeIndicator",
    "SpaceOffer",
    "SpaceProfile",
]
