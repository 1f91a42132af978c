"""Recurring problems among the demands the user may see (举一反三)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from ..models import Demand
from ..similar import group_similar
from .demands import demand_list

MAX_DEMANDS = 20_000


@dataclass
class SimilarGroup:
    demands: list[Demand]

    @property
    def count(self) -> int:
        return len(self.demands)

    @property
    def title(self) -> str:
        """The most frequent title: what the group is about."""
        return Counter(d.title for d in self.demands).most_common(1)[0][0]

    @property
    def units(self) -> list[str]:
        return [
            name for name, _ in Counter(d.lead_unit.name for d in self.demands if d.lead_unit).most_common()
        ]

    @property
    def enterprises(self) -> list[str]:
        return sorted({d.enterprise.name for d in self.demands})

    @property
    def ids(self) -> list[int]:
        return [d.pk for d in self.demands]


def similar_groups(*, user, since: dt.date | None = None, min_enterprises: int = 2) -> list[SimilarGroup]:
    """Groups of similar demands accepted since ``since`` (a year back by default) not yet turned
    into a task or proposal, each from at least ``min_enterprises`` enterprises."""
    since = since or timezone.localdate() - dt.timedelta(days=365)
    demands = list(
        demand_list(user=user)
        .filter(accepted_at__date__gte=since, task_group__isnull=True)
        .order_by("pk")[:MAX_DEMANDS]
    )
    texts = [f"{d.title}。{d.description}" for d in demands]
    groups = [SimilarGroup([demands[i] for i in g]) for g in group_similar(texts)]
    return [g for g in groups if len({d.enterprise_id for d in g.demands}) >= min_enterprises]
