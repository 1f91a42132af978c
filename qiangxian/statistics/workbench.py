"""The workbench's figures from the monitoring: targets against the pace of the year, warnings,
the five targets most behind, and the statistics imports awaiting review."""

from __future__ import annotations

from django.urls import reverse

from qiangxian.core import workbench
from qiangxian.core.formatting import percent_number

from . import indicators, selectors, targets
from .filters import BatchFilter
from .models import ImportBatch
from .templatetags.stats import format_value

ROLES = ("admin", "leader", "office", "bureau", "park", "town")
PACE_TONES = {"ahead": "success", "slightly_behind": "warning", "far_behind": "danger", "unknown": "muted"}


def _pct(ratio) -> str:
    return "—" if ratio is None else f"{percent_number(ratio)}%"


HEADLINE = ("gross_output", "main_revenue", "tax_paid", "electricity_kwh")


def _figures(scope, month, *, url: str) -> list[workbench.Item]:
    """A scope's headline figures (规上, 1-N月) with their growth, where no target is set."""
    from .models import MonitorSettings

    basis = MonitorSettings.current().growth_basis
    items = []
    for code in HEADLINE:
        result = indicators.value(code, month=month, above_only=True, scope=scope, basis=basis)
        if result is None or result.value is None:
            continue
        growth = result.growth
        items.append(
            workbench.Item(
                label=f"{indicators.get(code).name}（规上）",
                value=format_value(result.value, code),
                note="未下达年度目标" + ("" if growth is None else f" · 同比 {percent_number(growth)}%"),
                tone="" if growth is None or growth >= 0 else "danger",
                url=url,
                key=f"figure-{code}",
            )
        )
    return items


def sections(user) -> list[workbench.Section]:
    own = selectors.aggregate_scope(user)
    if own is None:
        return []
    month = selectors.latest_month()
    result: list[workbench.Section] = []
    if month is not None:
        county_level = own[0] == "county"
        url = f"{reverse('statistics:targets')}?month={month:%Y-%m}"
        if user.role != "bureau":
            progress = targets.progress_for(
                year=month.year, month=month, scope=None if county_level else own, user=user
            )
            headline = [p for p in progress if p.target.scope_kind == own[0]] if county_level else progress
            items = [
                workbench.Item(
                    label=f"{p.name}{'（规上）' if p.target.above_only else ''}",
                    value=f"完成 {_pct(p.completion)}",
                    note=f"序时进度 {_pct(p.elapsed)} · {p.status_label}",
                    tone=PACE_TONES.get(p.status, ""),
                    url=url,
                    key=f"target-{p.target.pk}",
                )
                for p in headline
            ]
            has_targets = bool(items)
            if not items:
                # No target set for this scope yet: its headline figures alone, with their growth.
                items = _figures(own, month, url=f"{reverse('statistics:overview')}?month={month:%Y-%m}")
            where = "全县" if county_level else selectors.scope_label(own)
            heading = "年度目标" if has_targets else "主要指标"
            elapsed = targets.calc.elapsed_share(month.month)
            result.append(
                workbench.Section(
                    key="targets",
                    title=f"{where}{heading}（{month.year}年1-{month.month}月）",
                    note=f"序时进度 {_pct(elapsed)}" if has_targets else "",
                    icon="bullseye",
                    items=tuple(items),
                    order=10,
                )
            )
            if user.role in ("leader", "office", "admin") and county_level:
                behind = sorted(
                    (p for p in progress if p.gap_pp is not None and p.gap_pp < 0), key=lambda p: p.gap_pp
                )[:5]
                if behind:
                    result.append(
                        workbench.Section(
                            key="behind",
                            title="落后序时进度最多的五项",
                            icon="exclamation-triangle",
                            table_headers=("目标", "完成率", "序时进度", "差距（个百分点）"),
                            table_rows=tuple(
                                (
                                    (
                                        f"{p.scope_label} · {p.name}",
                                        _pct(p.completion),
                                        _pct(p.elapsed),
                                        str(percent_number(p.gap_pp / 100)),
                                    ),
                                    url,
                                )
                                for p in behind
                            ),
                            order=12,
                        )
                    )
        warnings = selectors.warning_list(user=user, month=month)
        result.append(
            workbench.Section(
                key="warnings",
                title=f"运行预警（{month.year}年{month.month}月）",
                icon="bell",
                items=(
                    workbench.counted(
                        "预警企业（全部类型）",
                        "statistics:warnings",
                        warnings,
                        params={"month": f"{month:%Y-%m}"},
                        alert_tone="warning",
                        key="warnings",
                    ),
                ),
                order=20,
            )
        )
    if user.can_manage:
        result.append(
            workbench.Section(
                key="stat_imports",
                title="待审核的导入",
                icon="cloud-upload",
                items=(
                    workbench.counted(
                        "月报导入待提交",
                        "statistics:batches",
                        selectors.batch_list(user=user),
                        filterset_class=BatchFilter,
                        params={"status": ImportBatch.Status.STAGED},
                        alert_tone="warning",
                        key="stat-staged",
                    ),
                ),
                order=40,
            )
        )
    return result
