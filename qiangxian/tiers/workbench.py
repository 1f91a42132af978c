"""The workbench's tier items for a town or park: its enterprises close to the next tier."""

from __future__ import annotations

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors
from .tiers import TIERS

ROLES = ("park", "town")


def sections(user) -> list[workbench.Section]:
    if scope_of(user).kind not in ("town", "park", "zone"):
        return []
    data = selectors.pool_data(user=user, as_of=selectors.evaluation_date())
    items = []
    for tier in TIERS:
        near = len(selectors.pool_rows(data, tier.code, "near"))
        if near:
            items.append(
                workbench.Item(
                    label=f"接近“{tier.label}”标准的企业",
                    count=near,
                    url=workbench.link("tiers:pool", {"tier": tier.code, "list": "near"}),
                    tone="success",
                    key=f"tiers-near-{tier.code}",
                )
            )
    return [
        workbench.Section(
            key="tiers",
            title="梯度培育：接近标准的企业",
            icon="bar-chart-steps",
            items=tuple(items),
            order=27,
        )
    ]
