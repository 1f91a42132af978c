"""Annual targets against the pace of the year (序时进度), for catalogue and registered indicators.

Other modules register the indicators they own so their targets compute themselves::

    from qiangxian.statistics.targets import register_target_indicator

    register_target_indicator("industrial_investment", "工业投资", "元",
                              lambda *, year, month, scope: completed_investment(year, month, scope))

``compute`` returns the cumulative actual (Jan..month of ``year``) for a scope
(``("county", 0)``, ``("park", id)``...), or None when unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import calc, indicators
from .models import MonitorSettings, Target


@dataclass(frozen=True)
class ExternalIndicator:
    code: str
    name: str
    unit: str
    compute: Callable[..., Decimal | None]
    above_scale_applies: bool = False


_registry: dict[str, ExternalIndicator] = {}


def register_target_indicator(
    code: str, name: str, unit: str, compute: Callable[..., Decimal | None]
) -> None:
    """Make an indicator owned by another module usable for targets (call in ``AppConfig.ready``)."""
    _registry[code] = ExternalIndicator(code, name, unit, compute)


def known_indicator(code: str) -> bool:
    return code in indicators.CATALOGUE or code in _registry


def indicator_name(code: str) -> str:
    if code in indicators.CATALOGUE:
        return indicators.CATALOGUE[code].name
    if code in _registry:
        return _registry[code].name
    return code


def indicator_unit(code: str) -> str:
    if code in indicators.CATALOGUE:
        return indicators.CATALOGUE[code].unit
    return _registry[code].unit if code in _registry else ""


def target_choices() -> list[tuple[str, str]]:
    """Indicators a target can be set for (summable catalogue entries and registered ones)."""
    own = [(c, i.name) for c, i in indicators.CATALOGUE.items() if not i.is_ratio]
    return own + [(c, e.name) for c, e in _registry.items()]


@dataclass
class Progress:
    target: Target
    name: str
    unit: str
    actual: Decimal | None
    completion: Decimal | None
    elapsed: Decimal
    status: str
    growth: Decimal | None = None
    scope_label: str = ""  # the scope in words (全县, a town's or park's name), never its code
    issued_by: str = ""  # who issued it, when a level above the reader did (core.access.issued_by)

    @property
    def gap_pp(self) -> Decimal | None:
        """完成率 − 序时进度, in percentage points."""
        return None if self.completion is None else (self.completion - self.elapsed) * 100

    @property
    def status_label(self) -> str:
        return calc.PACE_LABELS[self.status]


def progress(target: Target, *, month: dt.date, settings: MonitorSettings | None = None) -> Progress:
    """A target's completion at ``month`` against N/12 of the year, coloured by the thresholds."""
    settings = settings or MonitorSettings.current()
    scope = (target.scope_kind, target.scope_id)
    if month.year != target.year:
        month = dt.date(target.year, 12, 1) if month.year > target.year else dt.date(target.year, 1, 1)
    growth = None
    if target.indicator in indicators.CATALOGUE:
        result = indicators.value(
            target.indicator,
            month=month,
            above_only=target.above_only,
            scope=scope,
            basis=settings.growth_basis,
        )
        actual = result.value if result else None
        growth = result.growth if result else None
    elif target.indicator in _registry:
        actual = _registry[target.indicator].compute(year=target.year, month=month, scope=scope)
    else:
        actual = None
    done = calc.completion(actual, target.value)
    elapsed = calc.elapsed_share(month.month)
    return Progress(
        target,
        indicator_name(target.indicator),
        indicator_unit(target.indicator),
        actual,
        done,
        elapsed,
        calc.pace(done, elapsed, settings.target_slight_pp),
        growth,
    )


def progress_for(*, year: int, month: dt.date, scope=None, user=None) -> list[Progress]:
    """Progress of every target of a year: those of one scope, or all the user may see."""
    qs = Target.objects.filter(year=year).select_related("responsible_unit")
    if user is not None:
        qs = qs & Target.objects.visible_to(user)
    if scope is not None:
        qs = qs.filter(scope_kind=scope[0], scope_id=scope[1])
    settings = MonitorSettings.current()
    targets = list(qs)
    from qiangxian.core.models import OrgUnit

    names = dict(
        OrgUnit.objects.filter(pk__in={t.scope_id for t in targets if t.scope_kind != "county"}).values_list(
            "pk", "name"
        )
    )
    county_names = dict(
        OrgUnit.objects.filter(pk__in={t.scope_id for t in targets if t.scope_kind == "county"}).values_list(
            "pk", "name"
        )
    )
    result = []
    for target in targets:
        item = progress(target, month=month, settings=settings)
        item.scope_label = (
            county_names.get(target.scope_id, "全县")
            if target.scope_kind == "county"
            else names.get(target.scope_id, "—")
        )
        result.append(item)
    return result
