"""Models of the policy module: the library (policies, clauses and their versions), match runs,
and the fulfilment of benefits (applications, evidence, payments)."""

from .grants import Application, Evidence, Payment
from .library import Clause, ClauseVersion, Policy
from .matching import ClauseOutcome, EnterpriseSlice, Match, MatchAlert, MatchRun

__all__ = [
    "Application",
    "Clause",
    "ClauseOutcome",
    "ClauseVersion",
    "EnterpriseSlice",
    "Evidence",
    "Match",
    "MatchAlert",
    "MatchRun",
    "Payment",
    "Policy",
]
