"""Status lights (红黄绿灯) of a project for one evaluation month.

Pure: the facts of one project and the thresholds in, a light with its reasons out. The
evaluation month is a parameter, so "what does this project look like three months from now"
is a plain function call. Services store the result on the project; pages only read it.

Two clocks: investment pace is judged against the month the figures are for (the evaluation
month), while deadlines (start, production, approval limits) are judged and counted as of
``today``, so a reason never says "已超期2天" when the deadline passed five weeks ago.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .approvals import blocking
from .choices import LIGHT_RANK, Light, Stage

WAN = Decimal(10_000)


@dataclass(frozen=True)
class Thresholds:
    """The office's configurable limits (ProjectSettings holds the stored values)."""

    pace_yellow_pp: Decimal = Decimal(10)
    pace_red_pp: Decimal = Decimal(30)
    default_start_months: int = 6  # start deadline when the agreement names none
    signed_red_months: int = 3
    stats_yellow_months: int = 1
    stats_red_months: int = 2
    production_red_months: int = 3
    intensity_red_ratio: Decimal = Decimal("0.8")
    stats_threshold: Decimal = Decimal(5_000_000)  # 计划总投资 500万元 and up enter the statistics
    approval_lookahead_days: int = 60  # warn this many days before the start deadline


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules need to know about one project as of the evaluation month."""

    stage: str
    total_investment: Decimal | None = None
    signed_on: dt.date | None = None
    started_on: dt.date | None = None
    start_deadline: dt.date | None = None
    production_deadline: dt.date | None = None
    planned_investment: Decimal | None = None  # the plan for the evaluation year
    completed_ytd: Decimal = Decimal(0)  # January to the evaluation month
    completed_to_date: Decimal = Decimal(0)  # since the project began
    in_statistics_since: dt.date | None = None  # first month reported as 入库
    land_mu: Decimal | None = None
    committed_intensity: Decimal | None = None  # yuan per mu, from the agreement
    approvals: tuple[blocking.ItemFacts, ...] = ()  # the checklist (前期手续与要素保障)


@dataclass(frozen=True)
class Reason:
    level: str
    code: str
    text: str


@dataclass(frozen=True)
class LightResult:
    light: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def as_json(self) -> list[dict]:
        """The reasons in the shape stored on the project."""
        return [{"level": r.level, "code": r.code, "text": r.text} for r in self.reasons]


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: the date a month's evaluation stands on."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is not later)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(0, months)


def _fmt_wan(value: Decimal) -> str:
    return f"{(value / WAN).quantize(Decimal('0.1'))}"


def start_deadline_of(facts: ProjectFacts, t: Thresholds) -> dt.date | None:
    """The agreed start date, or the default months after signing."""
    if facts.signed_on is None:
        return facts.start_deadline
    return facts.start_deadline or add_months(facts.signed_on, t.default_start_months)


def _waiting_for(facts: ProjectFacts, today: dt.date) -> str:
    found = blocking.blocker(facts.approvals, today)
    return f"；卡在：{found.text()}" if found else ""


def _signed_not_started(facts: ProjectFacts, today: dt.date, t: Thresholds) -> Reason | None:
    if facts.stage != Stage.SIGNED or facts.signed_on is None:
        return None
    deadline = start_deadline_of(facts, t)
    if today <= deadline:
        return None
    late = (today - deadline).days
    agreed = "协议约定" if facts.start_deadline else f"签约后{t.default_start_months}个月内"
    waiting = _waiting_for(facts, today)
    if today > add_months(deadline, t.signed_red_months):
        return Reason(
            Light.RED,
            "not_started",
            f"签约未开工：{agreed}于{deadline:%Y-%m-%d}前开工，已超期{late}天"
            f"（超过{t.signed_red_months}个月）{waiting}",
        )
    return Reason(
        Light.YELLOW,
        "not_started",
        f"签约未开工：{agreed}于{deadline:%Y-%m-%d}前开工，已超期{late}天{waiting}",
    )


def _approval_late(facts: ProjectFacts, today: dt.date) -> Reason | None:
    found = blocking.latest_late(facts.approvals, today)
    if found is None:
        return None
    item, days, level = found
    limit = (
        f"超过法定时限{item.statutory_days}个工作日"
        if level == blocking.STATUTORY
        else f"超过承诺时限{item.promised_days}个工作日"
    )
    return Reason(
        Light.RED if level == blocking.STATUTORY else Light.YELLOW,
        "approval_late",
        f"手续超时：{item.name}在{item.unit or '办理单位'}已办理{days}个工作日，{limit}",
    )


def _approvals_miss_start(facts: ProjectFacts, today: dt.date, t: Thresholds) -> Reason | None:
    """Flag ahead of the start deadline when the open approvals cannot be done by then."""
    if facts.stage != Stage.SIGNED or not facts.approvals:
        return None
    deadline = start_deadline_of(facts, t)
    if deadline is None or today > deadline or (deadline - today).days > t.approval_lookahead_days:
        return None
    done_by = blocking.forecast(facts.approvals, today)
    if done_by is None or done_by <= deadline:
        return None
    found = blocking.blocker(facts.approvals, today)
    return Reason(
        Light.YELLOW,
        "approvals_miss_start",
        f"手续预计无法按期开工：约定{deadline:%Y-%m-%d}前开工，尚有{found.open_count}项手续未办结，"
        f"按承诺时限预计{done_by:%Y-%m-%d}办结；当前卡在：{found.text()}",
    )


def _behind_pace(facts: ProjectFacts, month: int, t: Thresholds) -> Reason | None:
    if facts.stage not in (Stage.STARTED, Stage.BUILDING) or not facts.planned_investment:
        return None
    if facts.planned_investment <= 0:
        return None
    completion = facts.completed_ytd / facts.planned_investment * 100
    pace = Decimal(month) * 100 / 12
    gap = pace - completion
    if gap < t.pace_yellow_pp:
        return None
    level = Light.RED if gap >= t.pace_red_pp else Light.YELLOW
    return Reason(
        level,
        "behind_pace",
        f"投资进度滞后（1-{month}月）：完成年度计划{completion.quantize(Decimal('0.1'))}%，"
        f"序时进度{pace.quantize(Decimal('0.1'))}%，落后{gap.quantize(Decimal('0.1'))}个百分点",
    )


def _not_in_statistics(facts: ProjectFacts, as_of: dt.date, t: Thresholds) -> Reason | None:
    if facts.stage not in (Stage.STARTED, Stage.BUILDING, Stage.COMPLETED) or facts.started_on is None:
        return None
    if facts.total_investment is None or facts.total_investment < t.stats_threshold:
        return None
    if facts.in_statistics_since is not None and facts.in_statistics_since <= as_of:
        return None
    months = months_between(facts.started_on, as_of)
    if months >= t.stats_red_months:
        return Reason(Light.RED, "not_in_statistics", f"开工已{months}个月仍未纳入固定资产投资统计（未入库）")
    if months >= t.stats_yellow_months:
        return Reason(
            Light.YELLOW, "not_in_statistics", f"开工已{months}个月仍未纳入固定资产投资统计（未入库）"
        )
    return None


def _production_late(facts: ProjectFacts, today: dt.date, t: Thresholds) -> Reason | None:
    waiting = (Stage.SIGNED, Stage.STARTED, Stage.BUILDING, Stage.COMPLETED)
    if facts.stage not in waiting or facts.production_deadline is None or today <= facts.production_deadline:
        return None
    late = (today - facts.production_deadline).days
    level = (
        Light.RED if today > add_months(facts.production_deadline, t.production_red_months) else Light.YELLOW
    )
    return Reason(
        level,
        "production_late",
        f"未按协议约定投产：约定于{facts.production_deadline:%Y-%m-%d}前投产，已超期{late}天",
    )


def _intensity_short(facts: ProjectFacts, t: Thresholds) -> Reason | None:
    if facts.stage not in (Stage.PRODUCING, Stage.AT_CAPACITY):
        return None
    if not facts.committed_intensity or not facts.land_mu or facts.land_mu <= 0:
        return None
    actual = facts.completed_to_date / facts.land_mu
    if actual >= facts.committed_intensity:
        return None
    level = Light.RED if actual < facts.committed_intensity * t.intensity_red_ratio else Light.YELLOW
    return Reason(
        level,
        "intensity",
        f"投资强度未达协议约定：约定{_fmt_wan(facts.committed_intensity)}万元/亩，"
        f"实际{_fmt_wan(actual)}万元/亩",
    )


def evaluate(
    facts: ProjectFacts,
    *,
    year: int,
    month: int,
    thresholds: Thresholds | None = None,
    today: dt.date | None = None,
) -> LightResult:
    """The project's light: pace as of the end of the given month, deadlines as of ``today``
    (the end of that month when not given)."""
    t = thresholds or Thresholds()
    if facts.stage == Stage.TERMINATED:
        return LightResult(Light.NONE)
    as_of = month_end(year, month)
    today = today or as_of
    found = [
        _signed_not_started(facts, today, t),
        _approvals_miss_start(facts, today, t),
        _approval_late(facts, today),
        _behind_pace(facts, month, t),
        _not_in_statistics(facts, as_of, t),
        _production_late(facts, today, t),
        _intensity_short(facts, t),
    ]
    reasons = tuple(sorted((r for r in found if r is not None), key=lambda r: -LIGHT_RANK[r.level]))
    light = reasons[0].level if reasons else Light.GREEN
    return LightResult(light, reasons)
