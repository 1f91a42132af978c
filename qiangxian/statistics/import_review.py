"""What the review of an import says beyond row errors: plausibility, unit suspects, dropped columns.

A value that is absurd for one county enterprise (an R&D expense of 1.23e9 万元, a plot of
66,666 亩) is a unit or typing error, not a value: the review flags it. A column whose figure is
counted from another source (用电量 comes from the power company) is stored but feeds no
indicator: the builder and the review say so per column instead of dropping it in silence.
:class:`Checker` finishes each staged row: single-month and cumulative values derived from each
other, then checked against last month (or the file's own 上年同期), for zeros, blank prior-year
values and the plausible range, then written to the staged file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, Source
from .models import MonitorSettings

# The largest value one county enterprise plausibly reports, in the storage unit (元, 千瓦时,
# 人, 亩...). Beyond it the value is flagged as a suspected unit error (the file still imports:
# the clerk decides). Money: 5000亿元 of output or revenue is beyond any county's firm.
PLAUSIBLE_MAX: dict[str, Decimal] = {
    "gross_output": Decimal("5e11"),
    "sales_output": Decimal("5e11"),
    "export_delivery": Decimal("5e11"),
    "revenue": Decimal("5e11"),
    "main_revenue": Decimal("5e11"),
    "profit": Decimal("1e11"),
    "tax_paid": Decimal("1e11"),
    "rd_expense": Decimal("5e10"),
    "electricity_kwh": Decimal("2e10"),
    "employees": Decimal("200000"),
    "land_mu": Decimal("10000"),
    "energy_tce": Decimal("1e7"),
    "cod_t": Decimal("1e5"),
    "ammonia_t": Decimal("1e5"),
    "so2_t": Decimal("1e5"),
    "nox_t": Decimal("1e5"),
    "rd_staff": Decimal("50000"),
    "ip_class1": Decimal("10000"),
    "ip_class2": Decimal("100000"),
    "total_assets": Decimal("1e12"),
    "total_liabilities": Decimal("1e12"),
    "main_business_share": Decimal("100"),
}

# Ratios of a value to the same enterprise's own earlier value that mean a wrong unit.
UNIT_BANDS = (
    (Decimal(5), Decimal(20), "10倍"),
    (Decimal(500), Decimal(2000), "1000倍"),
    (Decimal("0.05"), Decimal("0.2"), "1/10"),
    (Decimal("0.0005"), Decimal("0.002"), "1/1000"),
)

# The principal figures checked against history: enough to catch a wrong unit or a misplaced
# decimal point, cheap enough for a province's file.
CHECKED = ("gross_output", "main_revenue", "revenue", "electricity_kwh", "tax_paid")


def unit_band(ratio: Decimal) -> str | None:
    """ "10倍", "1/1000"... when ``ratio`` of a value to its own history looks like a unit slip."""
    for low, high, label in UNIT_BANDS:
        if low <= ratio <= high:
            return label
    return None


def implausible(figure: str, value: Decimal) -> str | None:
    """The reason a value is beyond what one enterprise reports, or None."""
    limit = PLAUSIBLE_MAX.get(figure)
    if limit is None or abs(value) <= limit:
        return None
    catalogue = {**MONTHLY_FIGURES, **ANNUAL_FIGURES}
    figure_def = catalogue[figure]
    return (
        f"超出单个企业的合理范围（{figure_def.name}一般不超过{_plain(limit, figure_def.unit)}），疑似单位错误"
    )


def _plain(limit: Decimal, unit: str) -> str:
    if unit == "元":
        return f"{limit / Decimal(100_000_000):f}亿元".replace(".0亿", "亿")
    if unit == "千瓦时":
        return f"{limit / Decimal(100_000_000):f}亿千瓦时"
    return f"{limit:f}{unit}"


def column_notes(columns: list[dict], source: str, kind: str) -> list[dict]:
    """Per mapped column, whether it feeds the indicators and, when not, why.

    A monthly figure is counted from its authoritative source only (docs/indicators.md, "来源的
    优先顺序"); the same figure under another source's profile is kept for reconciliation.
    """
    notes = []
    source_labels = dict(Source.choices)
    for col in columns:
        figure = (ANNUAL_FIGURES if kind == "annual" else MONTHLY_FIGURES).get(col.get("figure", ""))
        if figure is None:
            continue
        counted = kind == "annual" or figure.source == source
        reason = ""
        if not counted:
            reason = (
                f"此列不会计入任何指标，因为{figure.name}以{source_labels[figure.source]}的数据为准；"
                f"本列按“{source_labels.get(source, source)}”来源保存，仅在企业页面供对照核实。"
            )
        notes.append(
            {"header": col.get("header", ""), "figure": figure.name, "counted": counted, "reason": reason}
        )
    return notes


def pairs_of(mapped: set[str]) -> list[tuple[str, str, str]]:
    """(cumulative column, single-month column, which one the file gives) for derivable flows."""
    pairs = []
    for code, figure in MONTHLY_FIGURES.items():
        if not figure.flow:
            continue
        for cum, single in (("ytd", "month"), ("ytd_ly", "month_ly")):
            c_col, s_col = f"{code}_{cum}", f"{code}_{single}"
            if c_col in mapped and s_col not in mapped:
                pairs.append((c_col, s_col, "cum"))
            elif s_col in mapped and c_col not in mapped:
                pairs.append((c_col, s_col, "single"))
    return pairs


ZERO = Decimal(0)


def _checked(mapped: set[str]) -> list[str]:
    """The figures whose month-on-month history a row is checked against."""
    return [c for c in CHECKED if f"{c}_month" in mapped or f"{c}_ytd" in mapped]


def needed_columns(mapping, annual: bool) -> list[str]:
    """Last month's columns a row of a file mapped by ``mapping`` is compared with or derived
    from, in the order :meth:`Checker.finish` reads them: known before the file is read."""
    mapped = {m[1] for m in mapping}
    return _needed([] if annual else pairs_of(mapped), _checked(mapped))


def _needed(pairs, checked: list[str]) -> list[str]:
    return sorted({p[0] for p in pairs} | {f"{c}_month" for c in checked})


class Checker:
    """Derivations and review checks of one staged row, then its write to the staged file."""

    def __init__(self, staged, writer, mapping, annual: bool, source: str) -> None:
        self.staged, self.writer, self.annual = staged, writer, annual
        mapped = {m[1] for m in mapping}
        self.figure_of = {column: figure for _h, column, _f, figure in mapping}
        self.pairs = [] if annual else pairs_of(mapped)
        self.checked = _checked(mapped)
        self.needed = _needed(self.pairs, self.checked)
        at = {column: i for i, column in enumerate(self.needed)}
        self.derivations = [(c_col, s_col, given == "cum", at[c_col]) for c_col, s_col, given in self.pairs]
        self.history_columns = [(c, f"{c}_month", f"{c}_ytd", at[f"{c}_month"]) for c in self.checked]
        # Figures given for this year and with a prior-year column: a blank prior is a new entrant.
        self.with_prior = [
            (f"{code}_{basis}", f"{code}_{basis}_ly", code)
            for code in MONTHLY_FIGURES
            for basis in ("ytd", "month")
            if f"{code}_{basis}" in mapped and f"{code}_{basis}_ly" in mapped
        ]
        self.current_checked = [
            col for c in self.checked for col in (f"{c}_ytd", f"{c}_month") if col in mapped
        ]
        self.limits = [
            (column, PLAUSIBLE_MAX[figure], -PLAUSIBLE_MAX[figure])
            for column, figure in self.figure_of.items()
            if figure in PLAUSIBLE_MAX
        ]
        self.threshold = Decimal(MonitorSettings.current().jump_pct) / 100
        self.source = source

    def finish(
        self,
        pk: int,
        period: dt.date,
        above: bool,
        combined: bool,
        values: dict,
        line: int,
        prev,
        plausible: bool = False,
    ):
        """Derive, check and write one row.

        ``prev``: the previous month's values of :attr:`needed`, in that order (a stored text, a
        Decimal or None each; see :meth:`previous`), or None or () when there is no previous
        month. ``plausible``: every given value is already known to be within its plausible range.
        """
        staged = self.staged
        get = values.get
        if not self.annual:
            # 1-2月 together: no single February; the cumulative is kept as reported. Without last
            # month (and after January) nothing is derived.
            january = period.month == 1
            if not combined and (january or prev):
                for c_col, s_col, cum_given, i in self.derivations:
                    if january:
                        prev_cum = ZERO
                    elif (stored := prev[i]) is not None:
                        prev_cum = Decimal(stored)
                    else:
                        continue
                    if cum_given:
                        if (cum_v := get(c_col)) is not None:
                            values[s_col] = cum_v - prev_cum
                    elif (single_v := get(s_col)) is not None:
                        values[c_col] = prev_cum + single_v
            self._history(pk, values, line, prev)
            blank = [
                MONTHLY_FIGURES[code].name
                for now_col, ly_col, code in self.with_prior
                if values.get(now_col) is not None and values.get(ly_col) is None
            ]
            if blank:
                staged.note(
                    "blank_prior",
                    {"row": line, "enterprise_id": pk, "figure": "、".join(dict.fromkeys(blank))},
                )
            zero_figures = [
                MONTHLY_FIGURES[c[: c.rindex("_")]].name for c in self.current_checked if values.get(c) == 0
            ]
            if zero_figures:
                staged.note(
                    "zero_current",
                    {"row": line, "enterprise_id": pk, "figure": "、".join(dict.fromkeys(zero_figures))},
                )
        for column, limit, below in () if plausible else self.limits:
            value = get(column)
            # Two comparisons rather than abs(): no new Decimal for every checked cell.
            if value is not None and (value > limit or value < below):
                figure = self.figure_of[column]
                staged.note(
                    "unit_suspects",
                    {
                        "row": line,
                        "enterprise_id": pk,
                        "figure": (ANNUAL_FIGURES if self.annual else MONTHLY_FIGURES)[figure].name,
                        "value": str(value),
                        "previous": "",
                        "reason": implausible(figure, value),
                    },
                )
        self.writer.add(pk, period, above, combined, values)
        staged.staged_count += 1
        staged.months.add(period)

    def previous(self, values: dict) -> tuple:
        """A row's values (of this file) as the ``prev`` of the next month's row."""
        return tuple(map(values.get, self.needed))

    def _history(self, pk: int, values: dict, line: int, prev) -> None:
        """Against last month when there is one, else against the file's own 上年同期 column."""
        get = values.get
        threshold = self.threshold
        for code, month_col, ytd_col, i in self.history_columns:
            if prev:
                now, before = get(month_col), prev[i]
                if now is None or before is None:
                    continue
                before = Decimal(before)
            else:
                col = ytd_col if ytd_col in values else month_col
                now, before = get(col), get(f"{col}_ly")
            if now is None or not before or before <= 0 or now <= 0:
                continue
            ratio = now / before
            # Most rows are within the threshold and no unit slip: nothing is written for them.
            label = unit_band(ratio)
            if label is None and not (abs(ratio - 1) > threshold if prev else ratio - 1 < -threshold):
                continue
            kind = "unit_suspects" if label is not None else ("jumps" if prev else "declines")
            if not self.staged.keeps(kind):
                continue  # counted; the list shown is full, so no entry is written
            entry = {
                "row": line,
                "enterprise_id": pk,
                "figure": MONTHLY_FIGURES[code].name,
                "value": str(now),
                "previous": str(before),
            }
            if label is not None:
                against = "上月" if prev else "上年同期"
                self.staged.note(kind, {**entry, "reason": f"约为{against}的{label}，疑似单位错误"})
            else:
                self.staged.note(kind, {**entry, "change": f"{(ratio - 1) * 100:+.1f}%"})
