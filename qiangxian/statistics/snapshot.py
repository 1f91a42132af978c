"""The indicators layer's public product: one columnar Snapshot of indicators for a set of enterprises.

``build_snapshot`` is the one entry point: tiers, custom rules, policies, per-mu grading and
warnings all read indicators through it, never through another app's internals.

What each indicator is read from (years are relative to Y = ``as_of.year``; 本年 = Y, 上年 = Y-1):

- **Monthly statistics** (``statistics.MonthlyFact``, each figure from its authoritative source
  only, ``figures.MONTHLY_FIGURES[code].source``): revenue, main_revenue, rd_expense, profit,
  tax_paid, gross_output, electricity_kwh, employees. A completed year Y-k (k >= 1) is the
  *December cumulative* (1-12月) of that year; a past year without a December row is missing,
  never extrapolated from a partial year. The current year Y is the latest cumulative 1-M月,
  M being the latest month on or before ``as_of`` for which that source has figures (the
  above-scale screening reads 本年 this way, see above_scale_2011.toml); an enterprise that
  did not report month M has no current value. Employees are the reported average (a stock).
- **Annual statistics** (``statistics.AnnualFact``, the statistics bureau's row preferred over
  other sources): energy_tce, land_area_mu (falling back to the registry's 用地面积 for 本年),
  rd_staff, ip_class1, ip_class2, total_assets, asset_liability_ratio = total liabilities ÷
  total assets, and emissions_t = 主要污染物排放量, the sum of the four pollutants (COD, ammonia
  nitrogen, SO2, NOx, 吨) of the row where any of them is reported (none reported: missing, not 0).
- **The registry** (``enterprises.Enterprise``): 成立年限 from the establishment date;
  is_industrial from the GB/T 4754 class (sections B, C, D), the same for every year.
- **Titles** (``enterprises.Designation`` in force on ``as_of``, plus the 规上 flag): the registry
  is the county's record of them, so an enterprise without the title is known *not* to hold it.
- **Assessment data** (``tiers.AssessmentValue`` / ``AssessmentDesignation`` /
  ``AssessmentJudgement``, entered by the office): every other indicator, qualification and
  人工判断. Assessment values fill only what the statistics leave missing: a statistical figure,
  when present, is the one every page shows. A qualification nobody recorded is unknown;
  a judgement nobody made is unknown.

Everything is read with a fixed number of bulk queries (independent of the number of
enterprises) straight into numpy arrays.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from qiangxian.enterprises.industry import is_industrial
from qiangxian.enterprises.models import Designation, Enterprise
from qiangxian.rules.engine import Catalogue, Snapshot
from qiangxian.rules.engine.catalogue import MAX_WINDOW, period_label, window_years, year_period
from qiangxian.tiers import tiers
from qiangxian.tiers.models import (
    AssessmentAward,
    AssessmentDesignation,
    AssessmentJudgement,
    AssessmentValue,
)

from .figures import MONTHLY_FIGURES, Source
from .models import AnnualFact, ImportBatch, MonthlyFact

# Engine identifier -> monthly figure code.
MONTHLY_INDICATORS: dict[str, str] = {
    "revenue": "revenue",
    "main_revenue": "main_revenue",
    "rd_expense": "rd_expense",
    "profit": "profit",
    "tax_paid": "tax_paid",
    "gross_output": "gross_output",
    "electricity_kwh": "electricity_kwh",
    "employees": "employees",
}
# Engine identifier -> annual figure field.
ANNUAL_INDICATORS: dict[str, str] = {
    "energy_tce": "energy_tce",
    "land_area_mu": "land_mu",
    "rd_staff": "rd_staff",
    "ip_class1": "ip_class1",
    "ip_class2": "ip_class2",
    "total_assets": "total_assets",
}
ANNUAL_EXTRA = ("total_liabilities",)
# 主要污染物排放量: the sum of these annual figures (吨), computed here and nowhere else.
POLLUTANTS = ("cod_t", "ammonia_t", "so2_t", "nox_t")
# Stocks held at the latest year end stand for 本年 until this year's report arrives (an IP
# right counted in last year's report is still held; 本年 is what 拥有…知识产权 asks about).
CARRY_FORWARD = ("ip_class1", "ip_class2", "land_area_mu")
# Qualifications that imply another: a national R&D centre is also "省部级以上" (indicators.toml).
IMPLIES = {"国家级研发机构": "省部级以上研发机构"}
SOURCE_LABELS = dict(Source.choices)


def statistics_identifiers() -> frozenset[str]:
    """Indicators the statistics carry (assessment data only fills their gaps)."""
    return (
        frozenset(MONTHLY_INDICATORS)
        | frozenset(ANNUAL_INDICATORS)
        | {"asset_liability_ratio", "emissions_t"}
    )


def _fetch(queryset) -> list[tuple]:
    # The raw cursor skips the ORM's per-row converters (Decimal, date parsing): values are
    # cast to float in SQL, which is what the engine computes with anyway.
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Missing values travel as this sentinel so rows convert to numpy without a per-value check.
MISSING = -1.0e300


def _number(expression) -> Coalesce:
    return Coalesce(Cast(expression, FloatField()), Value(MISSING), output_field=FloatField())


def _fetch_array(queryset, width: int) -> np.ndarray:
    """Rows of numbers as an (n, width) float array, NULL -> NaN."""
    rows = _fetch(queryset)
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width)
    data = flat.reshape(len(rows), width)
    data[data == MISSING] = np.nan
    return data


# Up to this many enterprises, fact queries name them (the (enterprise, month, source) index
# answers); beyond, they take the caller's queryset as a subquery.
ID_LIST_MAX = 500


class _Builder:
    def __init__(
        self, ids: np.ndarray, year: int, with_sources: bool, enterprises, offsets: dict[str, set[int]]
    ) -> None:
        self.ids = ids
        self.n = len(ids)
        self.year = year
        self.with_sources = with_sources
        self.enterprises = enterprises
        self.offsets = offsets  # identifier -> years back (0 = 本年) to read
        self.wanted = set(offsets)
        self.columns: dict[tuple[str, str], np.ndarray] = {}
        self.sources: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
        self.batches: dict[int, str] = {}
        self.expired: dict[str, dict[int, dt.date]] = {}

    def restrict(self, queryset, path: str = "enterprise_id"):
        """Fact rows of the snapshot's enterprises only."""
        if self.enterprises is None:
            return queryset
        if self.n <= ID_LIST_MAX:
            return queryset.filter(**{f"{path}__in": self.ids.tolist()})
        return queryset.filter(**{f"{path}__in": self.enterprises.order_by().values("pk")})

    def column(self, identifier: str, period: str) -> np.ndarray:
        key = (identifier, period)
        if key not in self.columns:
            self.columns[key] = np.full(self.n, np.nan)
        return self.columns[key]

    def rows_of(self, enterprise_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Snapshot rows of fact rows' enterprise ids, and the mask of those in the snapshot."""
        if self.n == 0 or len(enterprise_ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(len(enterprise_ids), dtype=bool)
        pos = np.searchsorted(self.ids, enterprise_ids)
        pos = np.clip(pos, 0, self.n - 1)
        ok = self.ids[pos] == enterprise_ids
        return pos[ok], ok

    def put(self, identifier: str, period: str, rows: np.ndarray, values: np.ndarray, *, fill_only: bool):
        """Write values into a column; with fill_only, only where the column is still missing."""
        present = ~np.isnan(values)
        if not present.any():
            return np.zeros(len(rows), dtype=bool)
        col = self.column(identifier, period)
        if fill_only:
            present &= np.isnan(col[rows])
        col[rows[present]] = values[present]
        return present


def _batch_names(batch_ids: Iterable[int], cache: dict[int, str] | None = None) -> dict[int, str]:
    """File names of import batches, read once per batch for the whole snapshot."""
    cache = {} if cache is None else cache
    ids = {int(b) for b in batch_ids if b is not None} - set(cache)
    if ids:
        cache.update(ImportBatch.objects.filter(pk__in=ids).values_list("pk", "file_name"))
    return cache


def _monthly(b: _Builder, as_of: dt.date) -> None:
    by_source: dict[str, list[str]] = defaultdict(list)
    for identifier, code in MONTHLY_INDICATORS.items():
        if identifier in b.wanted:
            by_source[MONTHLY_FIGURES[code].source].append(identifier)
    y = b.year
    for source, identifiers in by_source.items():
        months: list[tuple[int, dt.date]] = [(k, dt.date(y - k, 12, 1)) for k in range(1, MAX_WINDOW + 1)]
        if any(0 in b.offsets[ident] for ident in identifiers):
            latest = _latest_month(source, y, as_of)
            if latest is not None:
                months.insert(0, (0, latest))
        for k, month in months:
            needed = [ident for ident in identifiers if k in b.offsets[ident]]
            if not needed:
                continue
            casts = {f"v{i}": _number(f"{MONTHLY_INDICATORS[ident]}_ytd") for i, ident in enumerate(needed)}
            qs = b.restrict(MonthlyFact.objects.filter(source=source, month=month))
            qs = qs.annotate(_b=_number("batch_id"), **casts).values_list("enterprise_id", "_b", *casts)
            data = _fetch_array(qs, 2 + len(casts))
            if not len(data):
                continue
            rows, ok = b.rows_of(data[:, 0].astype(np.int64))
            data = data[ok]
            period = year_period(k)
            span = f"{month.year}年1-{month.month}月累计" if k == 0 else f"{month.year}年全年（1-12月累计）"
            names = (
                _batch_names(np.unique(data[~np.isnan(data[:, 1]), 1]), b.batches) if b.with_sources else {}
            )
            for i, ident in enumerate(needed):
                present = b.put(ident, period, rows, data[:, 2 + i], fill_only=False)
                if b.with_sources and present.any():
                    target = b.sources[(ident, period)]
                    for row, batch in zip(rows[present].tolist(), data[present, 1].tolist(), strict=True):
                        target[int(b.ids[row])] = _fact_source(source, span, batch, names)


def _latest_month(source: str, year: int, as_of: dt.date) -> dt.date | None:
    """The latest month of ``year`` on or before ``as_of`` for which a source has figures.

    Asked month by month from the newest: each question is one (month, source) index lookup,
    where a MAX() over the year would walk every other source's rows of those months.
    """
    last = as_of.month if as_of.year == year else 12
    for month in range(last, 0, -1):
        candidate = dt.date(year, month, 1)
        if MonthlyFact.objects.filter(month=candidate, source=source).exists():
            return candidate
    return None


def _fact_source(source: str, span: str, batch: float, names: dict[int, str]) -> str:
    label = SOURCE_LABELS.get(source, source)
    if np.isnan(batch):
        return f"{label}数据 {span}"
    batch_id = int(batch)
    name = names.get(batch_id)
    return f"{label}数据 {span}，导入批次 #{batch_id}" + (f"（{name}）" if name else "")


def _annual(b: _Builder) -> None:
    y = b.year
    fields = [f for i, f in ANNUAL_INDICATORS.items() if i in b.wanted]
    wanted = {i: f for i, f in ANNUAL_INDICATORS.items() if i in b.wanted}
    ratio = "asset_liability_ratio" in b.wanted
    emissions = "emissions_t" in b.wanted
    names = list(
        dict.fromkeys(
            [
                *fields,
                *(["total_assets", *ANNUAL_EXTRA] if ratio else []),
                *(POLLUTANTS if emissions else []),
            ]
        )
    )
    if not names:
        return
    casts = {f"v_{f}": _number(f) for f in names}
    idents = [*wanted, *(["asset_liability_ratio"] if ratio else []), *(["emissions_t"] if emissions else [])]
    years = sorted({y - k for ident in idents for k in b.offsets[ident]})
    # Other sources first, the statistics bureau last, so its values win where both exist.
    order = [s for s in Source.values if s != Source.STATS] + [Source.STATS]
    for source in order:
        qs = b.restrict(AnnualFact.objects.filter(source=source, year__in=years))
        qs = qs.annotate(_b=_number("batch_id"), **casts).values_list("enterprise_id", "year", "_b", *casts)
        data = _fetch_array(qs, 3 + len(casts))
        if not len(data):
            continue
        rows, ok = b.rows_of(data[:, 0].astype(np.int64))
        data = data[ok]
        offsets = y - data[:, 1].astype(np.int64)
        batch_names = (
            _batch_names(np.unique(data[~np.isnan(data[:, 2]), 2]), b.batches) if b.with_sources else {}
        )
        col = {f: 3 + i for i, f in enumerate(names)}
        derived: dict[str, np.ndarray] = {}
        if ratio:
            assets, debts = data[:, col["total_assets"]], data[:, col["total_liabilities"]]
            with np.errstate(divide="ignore", invalid="ignore"):
                derived["asset_liability_ratio"] = np.where(assets > 0, debts / assets, np.nan)
        if emissions:
            parts = data[:, [col[f] for f in POLLUTANTS]]
            reported = ~np.isnan(parts).all(axis=1)
            derived["emissions_t"] = np.where(reported, np.nansum(parts, axis=1), np.nan)
        for k in range(MAX_WINDOW + 1):
            sel = offsets == k
            if not sel.any():
                continue
            period = year_period(k)
            values = {ident: data[sel, col[f]] for ident, f in wanted.items()}
            values.update({ident: v[sel] for ident, v in derived.items()})
            for ident, vals in values.items():
                present = b.put(ident, period, rows[sel], vals, fill_only=False)
                if b.with_sources and present.any():
                    span = f"{y - k}年年报"
                    target = b.sources[(ident, period)]
                    for row, batch in zip(
                        rows[sel][present].tolist(), data[sel, 2][present].tolist(), strict=True
                    ):
                        target[int(b.ids[row])] = _fact_source(source, span, batch, batch_names)


def _carry_forward(b: _Builder) -> None:
    current, last = year_period(0), year_period(1)
    for ident in CARRY_FORWARD:
        previous = b.columns.get((ident, last))
        if previous is None:
            continue
        col = b.column(ident, current)
        fill = np.isnan(col) & ~np.isnan(previous)
        col[fill] = previous[fill]
        if b.with_sources:
            source, target = b.sources.get((ident, last), {}), b.sources[(ident, current)]
            for row in np.flatnonzero(fill).tolist():
                eid = int(b.ids[row])
                if eid in source:
                    target[eid] = f"{source[eid]}（最近一期，本年沿用）"


def _window_sources(b: _Builder) -> None:
    # Traces look a window up under its own key (近2年...): list each year's source there.
    by_ident: dict[str, list[str]] = defaultdict(list)
    for ident, period in list(b.sources):
        by_ident[ident].append(period)
    for ident in by_ident:
        for n in range(2, MAX_WINDOW + 1):
            years = window_years(f"last_{n}_years") or ()
            parts = [b.sources.get((ident, y), {}) for y in years]
            if not any(parts):
                continue
            eids = set().union(*parts)
            target = b.sources[(ident, f"last_{n}_years")]
            for eid in eids:
                texts = [
                    f"{period_label(y)}：{p[eid]}" for y, p in zip(years, parts, strict=True) if eid in p
                ]
                target[eid] = "；".join(texts)


def _registry(b: _Builder, land: np.ndarray, industry: list[str]) -> None:
    if "land_area_mu" in b.wanted:
        present = b.put("land_area_mu", year_period(0), np.arange(b.n), land, fill_only=True)
        if b.with_sources:
            target = b.sources[("land_area_mu", year_period(0))]
            for row in np.flatnonzero(present).tolist():
                target.setdefault(int(b.ids[row]), "企业名录登记的用地面积")
    if "is_industrial" in b.wanted:
        known = {code: is_industrial(code) for code in set(industry) if code}
        flags = np.array([1.0 if known.get(code) else 0.0 for code in industry]) if b.n else np.zeros(0)
        for k in range(MAX_WINDOW + 1):
            b.column("is_industrial", year_period(k))[:] = flags


def _codes(field: str, names: list[str]) -> RawSQL:
    """A SQL expression numbering a text column's values (so rows come back as plain numbers).

    A simple ``CASE column WHEN %s THEN 0 ...`` with the names as parameters: the ORM's
    ``Case(When(...))`` resolves a filter per name, which costs more than the query itself when
    one enterprise is explained. Only for single-table queries (the column is not qualified).
    """
    if not names:
        return RawSQL("-1", [], output_field=IntegerField())
    whens = " ".join(f"WHEN %s THEN {i}" for i in range(len(names)))
    sql = f"CASE {connection.ops.quote_name(field)} {whens} ELSE -1 END"
    return RawSQL(sql, list(names), output_field=IntegerField())


def _assessment_values(b: _Builder) -> None:
    y = b.year
    names = sorted(b.wanted)
    qs = b.restrict(
        AssessmentValue.objects.filter(indicator__in=names, year__gte=y - MAX_WINDOW, year__lte=y)
    )
    qs = qs.annotate(code=_codes("indicator", names), v=_number("value"))
    data = _fetch_array(qs.values_list("enterprise_id", "code", "year", "v"), 4)
    if not len(data):
        return
    pos, ok = b.rows_of(data[:, 0].astype(np.int64))
    data = data[ok]
    kind, years, values = data[:, 1].astype(np.int64), data[:, 2].astype(np.int64), data[:, 3]
    filled: list[tuple[str, str, np.ndarray]] = []
    for code in np.unique(kind).tolist():
        ident = names[code]
        for year in np.unique(years[kind == code]).tolist():
            if y - year not in b.offsets[ident]:
                continue
            sel = (kind == code) & (years == year)
            period = year_period(y - year)
            present = b.put(ident, period, pos[sel], values[sel], fill_only=True)
            if b.with_sources and present.any():
                filled.append((ident, period, b.ids[pos[sel][present]]))
    if filled:
        _assessment_sources(b, filled)


def _assessment_sources(b: _Builder, filled: list[tuple[str, str, np.ndarray]]) -> None:
    # Who entered what: read only for the values that made it into the snapshot.
    wanted = {(ident, period): set(eids.tolist()) for ident, period, eids in filled}
    qs = b.restrict(AssessmentValue.objects.filter(indicator__in={i for i, _ in wanted}))
    for eid, ident, year, note, display, username, at in qs.values_list(
        "enterprise_id",
        "indicator",
        "year",
        "source_note",
        "entered_by__display_name",
        "entered_by__username",
        "entered_at",
    ):
        period = year_period(b.year - year)
        if eid in wanted.get((ident, period), ()):
            who = display or username or "未知用户"
            when = timezone.localtime(at).date().isoformat() if at else ""
            b.sources[(ident, period)][eid] = f"评价数据（{note or '未注明来源'}），{who} {when} 录入"


def _designations(
    b: _Builder, as_of: dt.date, above_flags: np.ndarray, catalogue: Catalogue
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    # Every registry title is read, whether or not a rule names it: the pool needs to know who
    # already holds a tier.
    for name in tiers.REGISTRY_DESIGNATIONS.values():
        out[name] = (np.zeros(b.n, dtype=bool), np.ones(b.n, dtype=bool))
    out["规模以上工业企业"][0][:] = above_flags
    current = b.restrict(
        Designation.objects.current(as_of).filter(kind__in=list(tiers.REGISTRY_DESIGNATIONS))
    )
    held_rows = _fetch(current.values_list("enterprise_id", "kind"))
    pos, ok = b.rows_of(np.array([r[0] for r in held_rows], dtype=np.int64))
    for row, (_eid, kind) in zip(
        pos.tolist(), [r for r, k in zip(held_rows, ok.tolist(), strict=True) if k], strict=True
    ):
        out[tiers.REGISTRY_DESIGNATIONS[kind]][0][row] = True
    _lapsed(
        b,
        out,
        b.restrict(
            Designation.objects.filter(kind__in=list(tiers.REGISTRY_DESIGNATIONS), valid_to__lt=as_of)
        ),
        "kind",
        tiers.REGISTRY_DESIGNATIONS,
    )
    # Registry titles come from the registry; awards from the award records (_awards).
    skip = set(tiers.REGISTRY_DESIGNATIONS.values()) | set(tiers.AWARD_DESIGNATIONS)
    names = sorted(catalogue.designations - skip)
    recorded = b.restrict(AssessmentDesignation.objects.filter(name__in=names))
    # Held and still valid on the evaluation date, computed in SQL (dates come back as text on SQLite).
    in_force = Q(held=True) & (Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
    recorded = recorded.annotate(
        code=_codes("name", names),
        ok=Case(When(in_force, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    data = _fetch_array(recorded.values_list("enterprise_id", "code", "ok"), 3)
    if len(data):
        pos, ok = b.rows_of(data[:, 0].astype(np.int64))
        data = data[ok]
        kind, held = data[:, 1].astype(np.int64), data[:, 2] == 1
        for code in np.unique(kind).tolist():
            held_arr, known_arr = out.setdefault(
                names[code], (np.zeros(b.n, dtype=bool), np.zeros(b.n, dtype=bool))
            )
            sel = kind == code
            known_arr[pos[sel]] = True
            held_arr[pos[sel]] = held[sel]
    _lapsed(
        b,
        out,
        b.restrict(AssessmentDesignation.objects.filter(name__in=names, held=True, valid_to__lt=as_of)),
        "name",
        {n: n for n in names},
    )
    _awards(b, as_of, out, catalogue)
    _per_mu_class(b, as_of, out, catalogue)
    for source, target in IMPLIES.items():
        if source in out and target in catalogue.designations:
            s_held, _ = out[source]
            t_held, t_known = out.setdefault(target, (np.zeros(b.n, dtype=bool), np.zeros(b.n, dtype=bool)))
            t_held |= s_held
            t_known |= s_held
    return out


def _per_mu_class(b: _Builder, as_of: dt.date, out, catalogue: Catalogue) -> None:
    """亩均效益评价A/B/C/D类: the class of the latest frozen per-mu evaluation (land app).

    Known for every enterprise once a year's results are frozen (one not graded holds none);
    unknown before any.
    """
    from qiangxian.land.selectors import CLASS_DESIGNATIONS, class_in_force

    wanted = {g: n for g, n in CLASS_DESIGNATIONS.items() if n in catalogue.designations}
    if not wanted:
        return
    counties, rows = class_in_force(as_of)
    if None in counties or not counties:
        known = np.full(b.n, bool(counties))
    else:  # a county's results say nothing of another county's enterprises
        known = np.zeros(b.n, dtype=bool)
        inside = b.restrict(Enterprise.objects.filter(town__county__in=counties), path="pk")
        pos, ok = b.rows_of(np.fromiter(inside.values_list("pk", flat=True), dtype=np.int64))
        known[pos[ok]] = True
    arrays = {g: np.zeros(b.n, dtype=bool) for g in wanted}
    if rows:
        pos, ok = b.rows_of(np.array([r[0] for r in rows], dtype=np.int64))
        grades = np.array([r[1] for r in rows])[ok]
        for g, held in arrays.items():
            held[pos[grades == g]] = True
    for g, name in wanted.items():
        out[name] = (arrays[g], known.copy())


def _lapsed(b: _Builder, out, queryset, field: str, names: dict[str, str]) -> None:
    """Titles and qualifications whose validity ended before the evaluation date and that are not
    held on it: the trace reads "已于 YYYY-MM-DD 到期" rather than just "未持有"."""
    for eid, key, valid_to in _fetch(queryset.values_list("enterprise_id", field, "valid_to")):
        name = names.get(key)
        if name is None or name not in out:
            continue
        pos, found = b.rows_of(np.array([eid], dtype=np.int64))
        if not found[0] or out[name][0][pos[0]]:
            continue
        day = valid_to if isinstance(valid_to, dt.date) else dt.date.fromisoformat(str(valid_to))
        target = b.expired.setdefault(name, {})
        target[int(eid)] = max(day, target.get(int(eid), day))


def _awards(
    b: _Builder, as_of: dt.date, out: dict[str, tuple[np.ndarray, np.ndarray]], catalogue: Catalogue
) -> None:
    """The "近三年…科技奖励" names from the award records, on the evaluation date.

    Held: an award of a level that counts, with a good enough rank (a ranked requirement is not
    met by an award whose rank nobody recorded: that leaves it unknown), dated within the window
    (on or after the same day N years before the evaluation date). Known not held: the office
    declared the enterprise's awards complete (tiers.AWARDS_COMPLETE) and none qualifies.
    """
    wanted = {n: rule for n, rule in tiers.AWARD_DESIGNATIONS.items() if n in catalogue.designations}
    if not wanted:
        return
    longest = max(years for _, _, years in wanted.values())
    rows = _fetch(
        b.restrict(
            AssessmentAward.objects.filter(
                awarded_on__lte=as_of, awarded_on__gte=tiers.years_before(as_of, longest + 10)
            )
        ).values_list("enterprise_id", "level", "rank", "awarded_on")
    )
    complete = {
        eid
        for (eid,) in _fetch(
            b.restrict(
                AssessmentDesignation.objects.filter(name=tiers.AWARDS_COMPLETE, held=True)
            ).values_list("enterprise_id")
        )
    }
    complete_rows, _ = b.rows_of(np.array(sorted(complete), dtype=np.int64))
    positions, found = b.rows_of(np.array([r[0] for r in rows], dtype=np.int64))
    kept = [r for r, f in zip(rows, found.tolist(), strict=True) if f]
    awards = [(int(p), *r[1:]) for p, r in zip(positions.tolist(), kept, strict=True)]
    for name, (levels, best, years) in wanted.items():
        held, known = np.zeros(b.n, dtype=bool), np.zeros(b.n, dtype=bool)
        known[complete_rows] = True
        start = tiers.years_before(as_of, years)
        unsure: set[int] = set()
        lapsed: dict[int, dt.date] = {}
        for row, level, rank, day in awards:
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
            if level not in levels:
                continue
            ranked = best is None or (rank is not None and rank <= best)
            if day >= start:
                if ranked:
                    held[row] = True
                elif rank is None:
                    unsure.add(row)  # might qualify: the rank is not recorded
            elif ranked:
                # It counted up to the same day N years on: the trace says when it stopped.
                end = _years_after(day, years)
                lapsed[row] = max(end, lapsed.get(row, end))
        known[list(unsure)] = False
        known |= held
        out[name] = (held, known)
        still = {int(b.ids[row]): day for row, day in lapsed.items() if not held[row]}
        if still:
            b.expired[name] = still


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _judgements(b: _Builder, as_of: dt.date) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    qs = b.restrict(AssessmentJudgement.objects.filter(judged_on__lte=as_of))
    if b.enterprises is not None and b.n <= ID_LIST_MAX:
        # A few enterprises (one explained): their few rows in one query.
        grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for text, eid, satisfied in _fetch(
            qs.order_by().values_list("criterion", "enterprise_id", "satisfied")
        ):
            grouped[text].append((eid, int(satisfied)))
        by_text = {text: np.array(rows, dtype=np.float64).reshape(-1, 2) for text, rows in grouped.items()}
    else:
        # One query per criterion text through the (criterion, enterprise) index: the long texts
        # are read once each, not once per enterprise.
        texts = [r[0] for r in _fetch(qs.order_by().values_list("criterion").distinct())]
        by_text = {
            text: _fetch_array(
                qs.filter(criterion=text).order_by().values_list("enterprise_id", "satisfied"), 2
            )
            for text in texts
        }
    for text, rows in by_text.items():
        pos, ok = b.rows_of(rows[:, 0].astype(np.int64))
        satisfied = rows[:, 1] == 1
        value, known = np.zeros(b.n, dtype=bool), np.zeros(b.n, dtype=bool)
        known[pos] = True
        value[pos] = satisfied[ok]
        out[text] = (value, known)
    return out


def _offset(period: str) -> int:
    if period == year_period(0):
        return 0
    if period == year_period(1):
        return 1
    return int(period.rsplit("_", 1)[1])


def _offsets(identifiers, catalogue: Catalogue) -> dict[str, set[int]]:
    """Which years to read per indicator: all of them, or those the given references need."""
    everything = set(range(MAX_WINDOW + 1))
    if identifiers is None:
        return {ident: set(everything) for ident in catalogue.indicators}
    out: dict[str, set[int]] = defaultdict(set)
    for item in identifiers:
        if isinstance(item, str):
            ident, years = item, everything
        else:
            ident, period = item
            years = {_offset(p) for p in (window_years(period) or (period,))}
        if ident in catalogue.indicators:
            out[ident] |= years
    for ident in CARRY_FORWARD:
        if 0 in out.get(ident, ()):
            out[ident].add(1)  # 本年 may be carried forward from the latest year end
    return dict(out)


def build_snapshot(
    *,
    enterprises=None,
    as_of: dt.date,
    catalogue: Catalogue | None = None,
    with_sources: bool = False,
    identifiers: Iterable[str] | None = None,
) -> Snapshot:
    """A Snapshot with one row per enterprise (ordered by id) for evaluating rules on ``as_of``.

    ``enterprises`` is an Enterprise queryset already scoped by the caller (None: all).
    ``catalogue`` limits which indicators and designations are read (default: the built-in
    catalogue). With ``with_sources`` the snapshot's ``sources`` say, per value, which import
    batch or whose entry it came from (for traces; costs time on large sets). ``identifiers``
    narrows what is read to what a set of rules uses: indicator identifiers (every year) or
    (identifier, period) pairs such as ("revenue", "last_2_years").
    """
    cat = catalogue or tiers.catalogue()
    offsets = _offsets(identifiers, cat)
    base = (
        Enterprise.objects.all()
        if enterprises is None
        else Enterprise.objects.filter(pk__in=enterprises.order_by().values("pk"))
    )
    raw = _fetch(
        base.order_by("pk")
        .annotate(land=Cast("land_area_mu", FloatField()))
        .values_list("pk", "established_on", "industry_code", "above_scale", "land")
    )
    ids = np.array([r[0] for r in raw], dtype=np.int64)
    established = (
        np.array([r[1] for r in raw], dtype="datetime64[D]") if raw else np.array([], "datetime64[D]")
    )
    industry = [r[2] or "" for r in raw]
    above = np.array([bool(r[3]) for r in raw], dtype=bool)
    land = np.array([r[4] for r in raw], dtype=np.float64) if raw else np.zeros(0)

    b = _Builder(ids, as_of.year, with_sources, enterprises, offsets)
    if len(ids):
        _monthly(b, as_of)
        _annual(b)
        _registry(b, land, industry)
        _assessment_values(b)
        _carry_forward(b)
        if with_sources:
            _window_sources(b)
    designations = _designations(b, as_of, above, cat) if len(ids) else {}
    judgements = _judgements(b, as_of) if len(ids) else {}
    sources: dict[tuple[str, str], Any] = dict(b.sources) if with_sources else {}
    return Snapshot(
        enterprise_ids=ids,
        columns=b.columns,
        designations=designations,
        judgements=judgements,
        established=established,
        as_of=as_of,
        sources=sources,
        expired=b.expired,
    )
