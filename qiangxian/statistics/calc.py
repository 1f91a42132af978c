"""The statistical arithmetic of the monitoring module (criteria.md §6), pure and exact.

Everything takes and returns :class:`~decimal.Decimal` (or ``None`` where a ratio is undefined):
growth, share, contribution (贡献率) and pull (拉动) are ratios (0.179 is 17.9% or 17.9个百分点),
the templates format them. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def growth(value, base) -> Decimal | None:
    """同比增速 = value ÷ base − 1; undefined (None) when there is no base."""
    if value is None or base is None:
        return None
    base = _d(base)
    if base == 0:
        return None
    return (_d(value) - base) / base


def share(part, whole) -> Decimal | None:
    """占比 = part ÷ whole."""
    if part is None or whole is None or _d(whole) == 0:
        return None
    return _d(part) / _d(whole)


def contribution(part_value, part_base, whole_value, whole_base) -> Decimal | None:
    """贡献率 = the part's increment ÷ the whole's increment (criteria.md §6)."""
    if None in (part_value, part_base, whole_value, whole_base):
        return None
    whole_delta = _d(whole_value) - _d(whole_base)
    if whole_delta == 0:
        return None
    return (_d(part_value) - _d(part_base)) / whole_delta


def pull(part_value, part_base, whole_base) -> Decimal | None:
    """拉动 = the part's increment ÷ the whole's base (a ratio; ×100 gives 个百分点).

    The pulls of the parts of a partition add up to the whole's growth.
    """
    if None in (part_value, part_base, whole_base) or _d(whole_base) == 0:
        return None
    return (_d(part_value) - _d(part_base)) / _d(whole_base)


COMPARABLE = "comparable"
ALL = "all"
BASIS_LABELS = {COMPARABLE: "可比口径", ALL: "含新投产企业"}


@dataclass(frozen=True)
class Comparable:
    """A group's value and its comparable base.

    ``value`` and ``n`` count every enterprise that reported this period (what the share and
    the total use); ``comparable_value`` and ``n_comparable`` only those that also have a
    prior-year value; ``base`` is those enterprises' prior-year values. An enterprise with no
    prior-year value (a new entrant: 新投产/新入统) adds to the value but not to the base.
    """

    value: Decimal
    base: Decimal
    n: int
    comparable_value: Decimal | None = None
    n_comparable: int | None = None

    def __post_init__(self) -> None:
        # Without the split given, every enterprise is taken as comparable.
        if self.comparable_value is None:
            object.__setattr__(self, "comparable_value", self.value)
        if self.n_comparable is None:
            object.__setattr__(self, "n_comparable", self.n)

    @property
    def growth(self) -> Decimal | None:
        """Growth on the comparable basis: the same enterprises in both years."""
        return growth(self.comparable_value, self.base)

    @property
    def growth_all(self) -> Decimal | None:
        """Growth counting the new entrants with a prior-year value of 0 (the other convention)."""
        return growth(self.value, self.base)

    @property
    def new_value(self) -> Decimal:
        """The new entrants' value this period."""
        return self.value - self.comparable_value

    @property
    def n_new(self) -> int:
        return self.n - self.n_comparable

    def growth_on(self, basis: str) -> Decimal | None:
        return self.growth_all if basis == ALL else self.growth


def prior_value(reported_last_year, own_last_year) -> Decimal | None:
    """An enterprise's prior-year value: reported 上年同期, else its own value last year, else None.

    None (not 0) marks a new entrant: a blank is not a zero. A reported 0 is a value (an
    enterprise that produced nothing last year is comparable, and so is one stalled this year).
    """
    if reported_last_year is not None:
        return _d(reported_last_year)
    if own_last_year is not None:
        return _d(own_last_year)
    return None


def comparable_base(reported_last_year, own_last_year) -> Decimal:
    """An enterprise's contribution to the base: its prior-year value, or 0 for a new entrant."""
    prior = prior_value(reported_last_year, own_last_year)
    return ZERO if prior is None else prior


def comparable_totals(
    current: Mapping[object, object],
    reported_last_year: Mapping[object, object] | None = None,
    own_last_year: Mapping[object, object] | None = None,
) -> Comparable:
    """Sum this year's values of the current enterprise set and the same set's bases.

    ``current`` holds the enterprises in the population this period (e.g. this year's
    above-scale set) with their values; enterprises only in last year's data do not count.
    Enterprises without a prior-year value count in ``value`` but not in ``comparable_value``.
    """
    reported_last_year = reported_last_year or {}
    own_last_year = own_last_year or {}
    value = base = comparable_value = ZERO
    n = n_comparable = 0
    for key, amount in current.items():
        if amount is None:
            continue
        value += _d(amount)
        n += 1
        prior = prior_value(reported_last_year.get(key), own_last_year.get(key))
        if prior is not None:
            base += prior
            comparable_value += _d(amount)
            n_comparable += 1
    return Comparable(value, base, n, comparable_value, n_comparable)


def naive_growth(current_total, last_year_published_total) -> Decimal | None:
    """This year's total over last year's *published* total: what the platform must not do.

    Kept to show (and test) how far it is from the comparable basis.
    """
    return growth(current_total, last_year_published_total)


def monthly_from_cumulative(cumulative: Sequence) -> list[Decimal | None]:
    """Single-month values from 1-N月 values (index 0 = January): month N = cum(N) − cum(N−1).

    A missing cumulative value leaves that month and the next unknown.
    """
    result: list[Decimal | None] = []
    previous: Decimal | None = ZERO
    for value in cumulative:
        if value is None:
            result.append(None)
            previous = None
            continue
        value = _d(value)
        result.append(None if previous is None else value - previous)
        previous = value
    return result


def cumulative_from_monthly(monthly: Iterable) -> list[Decimal | None]:
    """1-N月 values from single months; unknown from the first missing month on."""
    result: list[Decimal | None] = []
    total: Decimal | None = ZERO
    for value in monthly:
        total = None if (total is None or value is None) else total + _d(value)
        result.append(total)
    return result


def elapsed_share(month: int, months_in_year: int = 12) -> Decimal:
    """序时进度 after month N: N/12 unless a target says otherwise."""
    return Decimal(month) / Decimal(months_in_year)


def completion(actual, target) -> Decimal | None:
    """完成率 = actual ÷ annual target."""
    return share(actual, target)


PACE_LABELS = {"ahead": "快于序时", "slightly_behind": "略慢于序时", "far_behind": "明显滞后", "unknown": "—"}


def pace(completion_ratio, elapsed, slight_pp=Decimal(5)) -> str:
    """Colour of a target: ahead of the elapsed share, slightly behind (within ``slight_pp``), far behind."""
    if completion_ratio is None or elapsed is None:
        return "unknown"
    gap_pp = (_d(completion_ratio) - _d(elapsed)) * 100
    if gap_pp >= 0:
        return "ahead"
    if gap_pp >= -_d(slight_pp):
        return "slightly_behind"
    return "far_behind"


def annualised(ytd, month: int) -> Decimal | None:
    """A year-end projection at the current monthly pace: ytd × 12 ÷ N."""
    if ytd is None or month <= 0:
        return None
    return _d(ytd) * 12 / month


def months_to_reach(ytd, month: int, threshold) -> int | None:
    """How many more months at the current pace until 1-N月 reaches ``threshold`` (0 if already)."""
    if ytd is None or month <= 0:
        return None
    ytd, threshold = _d(ytd), _d(threshold)
    if ytd >= threshold:
        return 0
    rate = ytd / month
    if rate <= 0:
        return None
    needed = (threshold - ytd) / rate
    whole = int(needed)
    return whole if needed == whole else whole + 1
