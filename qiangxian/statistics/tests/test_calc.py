"""The statistical arithmetic (criteria.md §6): hand-computed cases and properties."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.statistics import calc

Q1 = D("0.1")


def test_worked_example_of_criteria_section_6():
    # part 3433 vs 2556, whole 6341 vs 4888 → pull 17.9 pp, contribution 60.4%
    assert (calc.pull(3433, 2556, 4888) * 100).quantize(Q1) == D("17.9")
    assert (calc.contribution(3433, 2556, 6341, 4888) * 100).quantize(Q1) == D("60.4")
    # pull = contribution × whole growth
    whole_growth = calc.growth(6341, 4888)
    assert calc.pull(3433, 2556, 4888) == calc.contribution(3433, 2556, 6341, 4888) * whole_growth


def test_growth_share_by_hand():
    assert calc.growth(D("119.3"), D("100")) == D("0.193")
    assert calc.growth(80, 100) == D("-0.2")
    assert calc.growth(5, 0) is None and calc.growth(None, 5) is None
    assert calc.share(D("161.6"), D("194.36")).quantize(D("0.0001")) == D("0.8314")
    assert calc.share(1, 0) is None
    assert calc.contribution(1, 1, 5, 5) is None


def test_pace_and_completion():
    elapsed = calc.elapsed_share(5)
    assert (elapsed * 100).quantize(Q1) == D("41.7")
    assert calc.pace(D("0.45"), elapsed) == "ahead"
    assert calc.pace(D("0.40"), elapsed) == "slightly_behind"
    assert calc.pace(D("0.30"), elapsed) == "far_behind"
    assert calc.pace(None, elapsed) == "unknown"
    assert calc.completion(D("25.05"), D("230")).quantize(D("0.0001")) == D("0.1089")


def test_months_to_reach_threshold():
    # 1500万 after 9 months: 166.7万 a month, 500万 more → 3 months
    assert calc.months_to_reach(15_000_000, 9, 20_000_000) == 3
    assert calc.months_to_reach(21_000_000, 9, 20_000_000) == 0
    assert calc.months_to_reach(0, 9, 20_000_000) is None
    assert calc.annualised(10, 5) == 24


def test_comparable_base_prefers_reported_last_year():
    assert calc.comparable_base(D(7), D(9)) == 7
    assert calc.comparable_base(None, D(9)) == 9
    assert calc.comparable_base(None, None) == 0


def test_comparable_growth_with_entering_and_leaving_firms_by_hand():
    # Last year: A 100, B 50 (left the above-scale set), C reported 30 last year (entered this year).
    current = {"A": D(120), "C": D(40)}
    reported = {"C": D(30)}
    own_last_year = {"A": D(100), "B": D(50)}
    result = calc.comparable_totals(current, reported, own_last_year)
    assert (result.value, result.base, result.n) == (D(160), D(130), 2)
    assert result.growth == D(30) / D(130)
    # Dividing by last year's published total (A+B = 150) understates growth.
    assert calc.naive_growth(160, 150) == D(10) / D(150)


money = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=10**10, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(money, positive), min_size=1, max_size=20))
def test_pulls_of_a_partition_add_up_to_the_total_growth(parts):
    whole_value = sum(v for v, _ in parts)
    whole_base = sum(b for _, b in parts)
    pulls = sum(calc.pull(v, b, whole_base) for v, b in parts)
    assert abs(pulls - calc.growth(whole_value, whole_base)) < D("1e-12")
    if whole_value != whole_base:
        contributions = sum(calc.contribution(v, b, whole_value, whole_base) for v, b in parts)
        assert abs(contributions - 1) < D("1e-12")


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.integers(0, 50), money, min_size=1, max_size=30),
    st.dictionaries(st.integers(0, 50), positive, max_size=30),
    st.dictionaries(st.integers(0, 50), positive, max_size=30),
)
def test_group_value_is_the_sum_of_its_enterprises(current, reported, own):
    result = calc.comparable_totals(current, reported, own)
    assert result.value == sum(current.values())
    assert result.base == sum(calc.comparable_base(reported.get(k), own.get(k)) for k in current)
    assert result.n == len(current)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.integers(0, 40), positive, min_size=1, max_size=25),
    st.dictionaries(st.integers(0, 40), positive, min_size=1, max_size=25),
)
def test_comparable_growth_differs_from_naive_exactly_by_the_population_change(this_year, last_year):
    """Comparable: this year's set against the same firms' last-year values. Naive: against last year's
    whole set. The difference comes only from firms that entered (no base) or left (base not counted)."""
    comparable = calc.comparable_totals(this_year, {}, last_year)
    naive_base = sum(last_year.values())
    stayed = set(this_year) & set(last_year)
    left = set(last_year) - set(this_year)
    assert comparable.base == sum(last_year[k] for k in stayed)
    assert naive_base - comparable.base == sum(last_year[k] for k in left)
    if not left and set(this_year) <= set(last_year):
        assert comparable.growth == calc.naive_growth(comparable.value, naive_base)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=-(10**8), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=12,
    )
)
def test_cumulative_and_monthly_round_trip(monthly):
    cumulative = calc.cumulative_from_monthly(monthly)
    assert calc.monthly_from_cumulative(cumulative) == monthly
    assert cumulative[-1] == sum(monthly)


def test_a_missing_cumulative_month_leaves_the_next_single_month_unknown():
    assert calc.monthly_from_cumulative([D(10), None, D(35), D(50)]) == [D(10), None, None, D(15)]
    assert calc.cumulative_from_monthly([D(1), None, D(2)]) == [D(1), None, None]


def test_new_entrants_and_a_stalled_enterprise_by_hand():
    # A grew 100 → 120; S stalled: reported 0 against 50 last year (a value, so comparable);
    # N1 and N2 are new (blank 上年同期 and no row last year): they count in the value only.
    current = {"A": D(120), "S": D(0), "N1": D(30), "N2": D(10)}
    reported = {"A": D(100), "S": D(50)}
    result = calc.comparable_totals(current, reported, {})
    assert (result.value, result.comparable_value, result.base) == (D(160), D(120), D(150))
    assert (result.n, result.n_comparable, result.n_new, result.new_value) == (4, 2, 2, D(40))
    assert result.growth == D(-30) / D(150)  # −20.0%: the stall shows, the entrants do not hide it
    assert result.growth_all == D(10) / D(150)  # +6.7% if the entrants counted from 0
    # The new entrants' pull is exactly the gap between the two conventions.
    assert calc.pull(result.new_value, 0, result.base) == result.growth_all - result.growth
    assert result.growth_on(calc.ALL) == result.growth_all
    assert result.growth_on(calc.COMPARABLE) == result.growth


def test_a_reported_zero_last_year_is_not_a_blank():
    assert calc.prior_value(D(0), None) == 0
    assert calc.prior_value(None, D(0)) == 0
    assert calc.prior_value(None, None) is None
    result = calc.comparable_totals({"Z": D(5)}, {"Z": D(0)})
    assert (result.n_comparable, result.comparable_value, result.growth) == (1, D(5), None)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.integers(0, 40), money, min_size=1, max_size=25),
    st.dictionaries(st.integers(0, 40), positive, max_size=25),
)
def test_new_entrants_split_the_value_and_never_touch_the_comparable_growth(current, prior):
    result = calc.comparable_totals(current, prior)
    entrants = {k: v for k, v in current.items() if k not in prior}
    assert result.n_new == len(entrants)
    assert result.new_value == sum(entrants.values(), D(0))
    # Dropping the entrants changes neither the base nor the comparable growth.
    stayed = calc.comparable_totals({k: v for k, v in current.items() if k in prior}, prior)
    assert (stayed.base, stayed.comparable_value, stayed.growth) == (
        result.base,
        result.comparable_value,
        result.growth,
    )
    if result.base:
        gap = result.growth_all - result.growth
        # Equal up to Decimal's 28 significant digits of the two growths the gap is taken from
        # (their difference can be far smaller than either, so the rounding scales with them).
        scale = max(D(1), abs(result.growth_all), abs(result.growth))
        assert abs(gap - calc.pull(result.new_value, 0, result.base)) <= D("1e-20") * scale
