"""The workbench's registry items: the enterprises in scope (and, for a town or park, its liaison
enterprises outside it), titles about to expire, and cultivation measures past their deadline."""

from __future__ import annotations

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors
from .filters import DesignationFilter, EnterpriseFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    if not (scope.everything or scope.kind in ("bureau", "town", "park", "zone")):
        return []
    enterprises = selectors.enterprise_list(user=user)
    result: list[workbench.Section] = []
    if scope.kind != "bureau":
        items = [
            workbench.counted(
                "企业总数",
                "enterprises:list",
                enterprises,
                filterset_class=EnterpriseFilter,
                user=user,
                params={"place": "inside"} if scope.kind in ("town", "park", "zone") else None,
                key="enterprises-total",
            ),
            workbench.counted(
                "规上工业企业",
                "enterprises:list",
                enterprises,
                filterset_class=EnterpriseFilter,
                user=user,
                params={"above_scale": "true", **({"place": "inside"} if not scope.everything else {})},
                key="enterprises-above",
            ),
        ]
        if selectors.jurisdiction_q(user) is not None:
            items.append(
                workbench.counted(
                    "辖区外的包联企业",
                    "enterprises:list",
                    enterprises,
                    filterset_class=EnterpriseFilter,
                    user=user,
                    params={"place": "outside"},
                    note="本单位人员包联、位于辖区外，列表中单独标注",
                    key="enterprises-outside",
                )
            )
        result.append(
            workbench.Section(
                key="enterprises",
                title="全县企业" if scope.everything else "辖区企业",
                icon="building",
                items=tuple(items),
                order=25,
            )
        )
    result.append(
        workbench.Section(
            key="cultivation",
            title="称号与培育",
            icon="award",
            items=(
                workbench.counted(
                    "90天内到期的称号",
                    "enterprises:designation_list",
                    selectors.designation_list(user=user),
                    filterset_class=DesignationFilter,
                    params={"state": "expiring"},
                    alert_tone="warning",
                    key="titles-expiring",
                ),
                workbench.counted(
                    "逾期未完成的培育措施",
                    "enterprises:plan_overdue",
                    selectors.overdue_measures(user=user),
                    alert_tone="danger",
                    key="measures-overdue",
                ),
            ),
            order=35,
        )
    )
    return result
