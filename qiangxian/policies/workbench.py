"""The workbench's policy items: benefits awaiting review or payment (a bureau: those it reviews),
and, for towns and parks, benefits still awaiting their enterprises' confirmation."""

from __future__ import annotations

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors
from .choices import ApplicationStatus
from .filters import ApplicationFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    if not (scope.everything or scope.kind in ("bureau", "town", "park", "zone")):
        return []
    applications = selectors.application_list(user=user)
    wanted = [(ApplicationStatus.SUBMITTED, "warning"), (ApplicationStatus.APPROVED, "warning")]
    if scope.kind in ("town", "park", "zone"):
        wanted.insert(0, (ApplicationStatus.MATCHED, "warning"))
    labels = {
        ApplicationStatus.MATCHED: "待企业确认的兑现",
        ApplicationStatus.SUBMITTED: "待审核的兑现申请",
        ApplicationStatus.APPROVED: "审核通过、待拨付",
    }
    items = tuple(
        workbench.counted(
            labels[status],
            "policies:applications",
            applications,
            filterset_class=ApplicationFilter,
            params={"status": status},
            alert_tone=tone,
            key=f"applications-{status}",
        )
        for status, tone in wanted
    )
    title = "本单位审核的政策兑现" if scope.kind == "bureau" else "惠企政策兑现"
    return [workbench.Section(key="policies", title=title, icon="cash-coin", items=items, order=33)]
