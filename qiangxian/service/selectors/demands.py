"""Demand lists: the scoped list, one demand, and a unit's open work by deadline."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from qiangxian.core.access import get_visible_or_404

from ..choices import OPEN_STATES, DemandState
from ..models import Demand


def overdue_condition(today: dt.date) -> Q:
    """Open demands past their current deadline: sign-off while waiting to be signed, else completion."""
    return Q(state=DemandState.ASSIGNED, sign_due__lt=today) | Q(
        state__in=[DemandState.SIGNED, DemandState.HANDLING], complete_due__lt=today
    )


def is_overdue(demand: Demand, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if demand.state == DemandState.ASSIGNED:
        return bool(demand.sign_due and demand.sign_due < today)
    return demand.state in OPEN_STATES and bool(demand.complete_due and demand.complete_due < today)


def demand_list(*, user):
    """The demands the user may see, with what list pages show."""
    return Demand.objects.visible_to(user).select_related("enterprise", "enterprise__town", "lead_unit")


def access_demand_by_id(user, pk) -> Demand:
    """One demand, or the same 404 for missing and forbidden."""
    return get_visible_or_404(
        Demand.objects.select_related(
            "enterprise", "enterprise__org_unit", "lead_unit", "visit", "signed_by"
        ),
        user,
        pk,
    )


def my_work(*, user, today: dt.date | None = None):
    """The open demands the user's unit leads on: overdue first, then by the nearest deadline."""
    today = today or timezone.localdate()
    if not user.is_authenticated or user.org_unit_id is None:
        return Demand.objects.none()
    queryset = demand_list(user=user).filter(lead_unit_id=user.org_unit_id, state__in=OPEN_STATES)
    return queryset.annotate(
        overdue=Case(
            When(overdue_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        due=Case(When(state=DemandState.ASSIGNED, then=F("sign_due")), default=F("complete_due")),
    ).order_by("-overdue", "due", "pk")
