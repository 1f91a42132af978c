"""Stored rollups: aggregates per (month, population, scope, group), refreshed with the facts.

Following Zulip's analytics design, definitions live in code and aggregates are stored;
:func:`refresh_months` recomputes the months an import or rollback touched (and the same months
a year later, whose comparable bases may fall back on them) inside the same transaction, so a
page that reads :class:`~.models.Rollup` is never stale and never scans the facts.

The arithmetic is exact: values are summed as integer fen (cents) with numpy. Enterprises are
first reduced to fine cells (town, park, zone, industry division) and (town, park, zone,
cluster); every scope × group combination is then summed from those few cells.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal

import numpy as np
from django.db import connection

from qiangxian.core.bulk import among, bulk_insert, fetch
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import ClusterMembership, Enterprise

from . import calc
from .figures import MONTHLY_FIGURES, ROLLUP_FIGURES, Source
from .models import (
    MonitorSettings,
    MonitorWarning,
    MonthlyFact,
    Rollup,
    RollupFillState,
    RollupRanking,
)

SCOPE_KINDS = ("county", "town", "park", "zone")
GROUP_KINDS = ("total", "town", "park", "zone", "cluster", "division")
# Attribute columns of the fine cells, in order. "county" is the enterprise's county when the
# county sits under a city or province, else 0: a lone county's rollups stay keyed ("county", 0).
ATTRS = ("town", "park", "zone", "division", "county")
COUNTY_COL = ATTRS.index("county")
RANK_SIZE = 10
RANK_FIGURE = "gross_output"
F = len(ROLLUP_FIGURES)
PARTS = 6  # v, b, m, mb, vc, mc (money, summed in fen)
# After the money columns, per figure: reported 1-N月, reported month, comparable 1-N月,
# comparable month (0/1 per enterprise, counts once summed); then a 1 per enterprise.
COUNTS = 4
# Enterprises in no cluster form their own cluster group (不属于任何产业集群).
NO_CLUSTER = 0


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


class _Enterprises:
    """Every enterprise's place and clusters, as arrays indexed like ``ids``."""

    def __init__(self, towns: list[int] | None = None) -> None:
        """``towns``: only the enterprises of these towns (all when None)."""
        enterprises = Enterprise.objects.all()
        memberships = ClusterMembership.objects.all()
        if towns is not None:
            enterprises = enterprises.filter(town_id__in=towns)
            memberships = memberships.filter(enterprise__town_id__in=towns)
        rows = list(
            enterprises.order_by("pk").values_list("pk", "town_id", "park_id", "zone_id", "industry_code")
        )
        # Only counties placed under a city or province are kept apart.
        town_county = dict(
            OrgUnit.objects.filter(kind=OrgUnitKind.TOWN, county__parent__isnull=False).values_list(
                "pk", "county_id"
            )
        )
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.attrs = np.array(
            [
                [
                    r[1] or 0,
                    r[2] or 0,
                    r[3] or 0,
                    int(r[4][:2]) if (r[4] or "")[:2].isdigit() else 0,
                    town_county.get(r[1], 0),
                ]
                for r in rows
            ],
            dtype=np.int64,
        ).reshape(-1, len(ATTRS))
        members = list(memberships.values_list("enterprise_id", "cluster_id"))
        self.member_ent = np.array([m[0] for m in members], dtype=np.int64)
        self.member_cluster = np.array([m[1] for m in members], dtype=np.int64)


def _reduce(keys: np.ndarray, values: np.ndarray, rows: np.ndarray | None = None):
    """Sum rows of ``values`` by identical ``keys`` rows; returns unique keys and sums.

    ``keys`` has one row per summed row; ``rows`` picks those rows of ``values`` (all of them when
    None), so a selection is summed without copying the whole matrix first. The sorted copy is
    made a block of columns at a time: memory stays at a fraction of the matrix however many
    enterprises.
    """
    width = values.shape[1]
    if len(keys) == 0:
        return keys, np.zeros((0, width), dtype=values.dtype)
    order = np.lexsort(keys.T[::-1])
    keys = keys[order]
    change = np.ones(len(keys), dtype=bool)
    change[1:] = np.any(keys[1:] != keys[:-1], axis=1)
    starts = np.flatnonzero(change)
    picked = order if rows is None else rows[order]
    sums = np.empty((len(starts), width), dtype=values.dtype)
    for first in range(0, width, REDUCE_BLOCK):
        last = min(first + REDUCE_BLOCK, width)
        sums[:, first:last] = np.add.reduceat(values[picked, first:last], starts, axis=0)
    return keys[starts], sums


REDUCE_BLOCK = 16  # columns sorted and summed at a time by _reduce


# Missing values come out of SQL as these sentinels so numpy converts whole result sets at C speed.
MISSING = "-1e300"
MISSING_FEN = -(2**63) + 1
FETCH_ROWS = 10_000  # rows turned into an array at a time on SQLite


def _matrix(keys: list[str], values: list[str], table: str, where: str, params: list) -> np.ndarray:
    """A query result as a float matrix: integer ``keys`` columns, then money ``values`` (yuan,
    NaN for missing), read at C speed.

    PostgreSQL sends the whole result as one bytea of big-endian 64-bit integers, money as whole
    fen: numeric → bigint is native, whereas numeric → double goes through text and costs three
    times as much; building a Python object per value, or a round trip per row, costs more still.
    SQLite stores these columns as doubles and returns them as such.
    """
    width = len(keys) + len(values)
    if connection.vendor == "postgresql":
        # numeric → bigint rounds half away from zero, as ROUND() would, without a second call.
        columns = [f"CAST({k} AS BIGINT)" for k in keys] + [
            f"COALESCE(CAST({v} * 100 AS BIGINT), {MISSING_FEN})" for v in values
        ]
        packed = " || ".join(f"int8send({c})" for c in columns)
        rows = fetch(f"SELECT string_agg({packed}, ''::bytea) FROM {table} WHERE {where}", params)
        ints = np.frombuffer(bytes(rows[0][0] or b""), dtype=">i8").reshape(-1, width)
        array = ints.astype(np.float64)
        money = array[:, len(keys) :]
        money[ints[:, len(keys) :] == MISSING_FEN] = np.nan
        money /= 100
        return array
    # Doubles, not numerics: the aggregation is exact in integer fen after rounding, and the
    # driver builds Decimal objects far more slowly than floats.
    columns = [f"CAST({k} AS DOUBLE PRECISION)" for k in keys] + [
        f"CAST(COALESCE({v}, {MISSING}) AS DOUBLE PRECISION)" for v in values
    ]
    # Fetched a slice at a time: a whole month as Python tuples of floats takes several times the
    # memory of the array it becomes.
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params)
        while chunk := cursor.fetchmany(FETCH_ROWS):
            parts.append(np.array(chunk, dtype=np.float64).reshape(-1, width))
    array = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.float64)
    array[array < -1e299] = np.nan
    return array


def _month_matrix(month: dt.date, within: np.ndarray | None = None):
    """Per enterprise reported at ``month`` (only ``within`` when given): ids, above-scale flags,
    values matrix (fen), presence."""
    last = add_months(month, -12)
    qn = connection.ops.quote_name
    table = qn(MonthlyFact._meta.db_table)
    by_source: dict[str, list[str]] = {}
    for code in ROLLUP_FIGURES:
        by_source.setdefault(MONTHLY_FIGURES[code].source, []).append(code)
    current: dict[str, np.ndarray] = {}
    previous: dict[str, np.ndarray] = {}
    id_sets = []
    where, extra = "month = %s AND source = %s", []
    if within is not None:
        sql, extra = among("enterprise_id", within.tolist())
        where += f" AND {sql}"
    ident = ["enterprise_id"]
    for source, codes in by_source.items():
        cols = [qn(f"{c}_{p}") for c in codes for p in ("ytd", "month", "ytd_ly", "month_ly")]
        rows = _matrix([*ident, "CAST(above_scale AS INTEGER)"], cols, table, where, [month, source, *extra])
        current[source] = rows
        id_sets.append(rows[:, 0].astype(np.int64))
        cols_ly = [qn(f"{c}_{p}") for c in codes for p in ("ytd", "month")]
        previous[source] = _matrix(ident, cols_ly, table, where, [last, source, *extra])
    ids = np.unique(np.concatenate(id_sets)) if id_sets else np.zeros(0, dtype=np.int64)
    n = len(ids)
    # Filled in place, a column at a time: a float copy of the whole matrix and a stacked copy
    # of its parts would each cost as much memory as the matrix itself.
    matrix = np.zeros((n, F * PARTS + 4 * F + 1), dtype=np.int64)
    matrix[:, -1] = 1
    above = np.zeros(n, dtype=bool)
    stats_seen = np.zeros(n, dtype=bool)

    def put(rows, column, values) -> None:
        matrix[rows, column] = np.rint(np.nan_to_num(values) * 100)

    for source, codes in by_source.items():
        rows = current[source]
        if not len(rows):
            continue
        pos = np.searchsorted(ids, rows[:, 0].astype(np.int64))
        flags = rows[:, 1] > 0
        if source == Source.STATS:
            above[pos] = flags
            stats_seen[pos] = True
        else:
            above[pos] = np.where(stats_seen[pos], above[pos], above[pos] | flags)
        values = rows[:, 2:]
        prev_rows = previous[source]
        own = np.full((n, len(codes) * 2), np.nan)
        if len(prev_rows):
            prev_ids = prev_rows[:, 0].astype(np.int64)
            prev_pos = np.searchsorted(ids, prev_ids)
            inside = (
                (prev_pos < n) & (ids[np.minimum(prev_pos, max(n - 1, 0))] == prev_ids) if n else prev_pos < 0
            )
            prev_values = prev_rows[:, 1:]
            own[prev_pos[inside]] = prev_values[inside]
        own_cur = own[pos]
        del own
        for j, code in enumerate(codes):
            k = ROLLUP_FIGURES.index(code)
            ytd, mon, ytd_ly, mon_ly = (values[:, 4 * j + i] for i in range(4))
            own_ytd, own_mon = own_cur[:, 2 * j], own_cur[:, 2 * j + 1]
            # NaN prior = a new entrant (no 上年同期 and no own row last year): a blank is not a zero.
            prior = np.where(np.isnan(ytd_ly), own_ytd, ytd_ly)
            mprior = np.where(np.isnan(mon_ly), own_mon, mon_ly)
            comp = ~np.isnan(ytd) & ~np.isnan(prior)
            mcomp = ~np.isnan(mon) & ~np.isnan(mprior)
            # A missing value counts as 0 in the sums; the presence counts say whether it is known.
            put(pos, PARTS * k, ytd)
            put(pos, PARTS * k + 1, np.where(comp, prior, 0))
            put(pos, PARTS * k + 2, mon)
            put(pos, PARTS * k + 3, np.where(mcomp, mprior, 0))
            put(pos, PARTS * k + 4, np.where(comp, ytd, 0))
            put(pos, PARTS * k + 5, np.where(mcomp, mon, 0))
            counts = F * PARTS + k
            matrix[pos, counts] = ~np.isnan(ytd)
            matrix[pos, counts + F] = ~np.isnan(mon)
            matrix[pos, counts + 2 * F] = comp
            matrix[pos, counts + 3 * F] = mcomp
    return ids, above, matrix


def _rollup_rows(month, above_only, ent: _Enterprises, ids, matrix, rows=None):
    """Rollup rows of the enterprises ``ids``: their rows of ``matrix`` are ``rows`` (None: all)."""
    pos = np.searchsorted(ent.ids, ids)
    attrs = ent.attrs[pos] if len(ids) else np.zeros((0, len(ATTRS)), dtype=np.int64)
    fine_keys, fine_vals = _reduce(attrs, matrix, rows)
    # Cluster cells: one row per (enterprise, cluster) membership.
    member_rows = np.searchsorted(ids, ent.member_ent)
    inside = (
        (member_rows < len(ids)) & (ids[np.minimum(member_rows, max(len(ids) - 1, 0))] == ent.member_ent)
        if len(ids)
        else np.zeros(len(ent.member_ent), dtype=bool)
    )
    rows_idx = member_rows[inside]
    # Enterprises in no cluster: one more cell each, under cluster 0.
    outside = np.flatnonzero(~np.isin(ids, ent.member_ent))
    clusters = np.concatenate([ent.member_cluster[inside], np.full(len(outside), NO_CLUSTER, dtype=np.int64)])
    rows_idx = np.concatenate([rows_idx, outside])
    # town, park, zone, cluster, county: the county stays at its ATTRS column.
    cluster_keys = np.hstack(
        [attrs[rows_idx][:, :3], clusters.reshape(-1, 1), attrs[rows_idx][:, COUNTY_COL : COUNTY_COL + 1]]
    )
    c_keys, c_vals = _reduce(cluster_keys, matrix, rows_idx if rows is None else rows[rows_idx])

    # v, b, m, mb, vc, mc of each figure: known when the figure was reported (1-N月 or month).
    money_parts = [
        (PARTS * k + j, F * PARTS + (F if j in (2, 3, 5) else 0) + k) for k in range(F) for j in range(PARTS)
    ]
    # n, nc, mn, mnc of each figure.
    count_parts = [F * PARTS + block * F + k for k in range(F) for block in (0, 2, 1, 3)]
    out = []
    for scope_kind in SCOPE_KINDS:
        s_col = ATTRS.index(scope_kind)
        for group_kind in GROUP_KINDS:
            if group_kind == scope_kind or (scope_kind == "zone" and group_kind == "park"):
                continue
            keys_src, vals_src = (c_keys, c_vals) if group_kind == "cluster" else (fine_keys, fine_vals)
            if len(keys_src) == 0:
                continue
            s = keys_src[:, s_col]
            if group_kind == "total":
                g = np.zeros(len(keys_src), dtype=np.int64)
            elif group_kind == "cluster":
                g = keys_src[:, 3]
            else:
                g = keys_src[:, ATTRS.index(group_kind)]
            valid = np.ones(len(keys_src), dtype=bool)
            if scope_kind != "county":
                valid &= s > 0
            if group_kind not in ("total", "division", "cluster"):
                valid &= g > 0
            keys, vals = _reduce(np.stack([s[valid], g[valid]], axis=1), vals_src[valid])
            for (scope_id, group), row in zip(keys.tolist(), vals.tolist(), strict=True):
                if group_kind == "division":
                    group_key = f"{group:02d}"
                elif group_kind == "total":
                    group_key = ""
                else:
                    group_key = str(group)
                # Per figure: which presence count (1-N月 or month) makes each money part known.
                values = [
                    Decimal(row[i]).scaleb(-2) if row[presence] else None for i, presence in money_parts
                ]
                counts = [row[i] for i in count_parts]
                out.append(
                    (
                        month,
                        above_only,
                        scope_kind,
                        scope_id,
                        group_kind,
                        group_key,
                        row[-1],
                        *values,
                        *counts,
                    )
                )
    return out


def _rankings(month, above_only, ent: _Enterprises, ids, matrix, rows=None):
    """Top and bottom enterprises by pull and growth, per scope.

    ``top_pull``/``bottom_pull`` rank the comparable enterprises (the growth's own parts);
    ``*_all`` rank everyone, new entrants with a base of 0 (the other convention);
    ``new_entrants`` lists the largest enterprises without a prior-year value.
    """
    k = ROLLUP_FIGURES.index(RANK_FIGURE)
    picked = np.arange(len(ids)) if rows is None else rows
    present = matrix[picked, F * PARTS + k] > 0
    ids_p = ids[present]
    picked = picked[present]
    v = matrix[picked, PARTS * k]
    b = matrix[picked, PARTS * k + 1]
    comparable = matrix[picked, F * PARTS + 2 * F + k] > 0
    attrs = (
        ent.attrs[np.searchsorted(ent.ids, ids_p)]
        if len(ids_p)
        else np.zeros((0, len(ATTRS)), dtype=np.int64)
    )
    delta = v - b
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(b > 0, delta / np.where(b > 0, b, 1), np.nan)
    result = []
    for scope_kind in SCOPE_KINDS:
        scope = attrs[:, ATTRS.index(scope_kind)]
        for scope_id in np.unique(scope[scope > 0] if scope_kind != "county" else scope).tolist():
            sel_all = np.flatnonzero(scope == scope_id)
            by_delta_all = sel_all[np.lexsort((ids_p[sel_all], delta[sel_all]))]
            sel = sel_all[comparable[sel_all]]
            new = sel_all[~comparable[sel_all]]
            by_delta = sel[np.lexsort((ids_p[sel], delta[sel]))]
            by_new = new[np.lexsort((ids_p[new], v[new]))]
            has_rate = sel[~np.isnan(rate[sel])]
            by_rate = has_rate[np.lexsort((ids_p[has_rate], rate[has_rate]))]

            def entries(index):
                return [[int(ids_p[i]), int(v[i]), int(b[i])] for i in index]

            data = {
                "top_pull": entries(by_delta[::-1][:RANK_SIZE]),
                "bottom_pull": entries(by_delta[:RANK_SIZE]),
                "top_growth": entries(by_rate[::-1][:RANK_SIZE]),
                "bottom_growth": entries(by_rate[:RANK_SIZE]),
                "top_pull_all": entries(by_delta_all[::-1][:RANK_SIZE]),
                "bottom_pull_all": entries(by_delta_all[:RANK_SIZE]),
                "new_entrants": entries(by_new[::-1][:RANK_SIZE]),
            }
            result.append(
                RollupRanking(
                    month=month,
                    above_only=above_only,
                    scope_kind=scope_kind,
                    scope_id=scope_id,
                    figure=RANK_FIGURE,
                    data=data,
                )
            )
    return result


def _warnings(month: dt.date, ids, above, matrix, settings: MonitorSettings) -> Iterator[tuple]:
    """Enterprise warnings of one month, as rows for :data:`WARNING_COLUMNS` (conditions vectorised).

    Yielded one at a time to the insert: a county's scale candidates can be a row per enterprise.
    Stalled enterprises (which need queries of their own) are found by :func:`_stalled`.
    """
    n_month = month.month
    go = ROLLUP_FIGURES.index("gross_output")
    present = matrix[:, F * PARTS + go] > 0
    v, b = matrix[:, PARTS * go], matrix[:, PARTS * go + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(b > 0, (v - b) / np.where(b > 0, b, 1), np.nan)
    drop = float(settings.output_drop_pct) / 100
    flag_drop = present & above & (b > 0) & (rate < -drop)
    revenue = np.full(len(ids), np.nan)
    for code in ("gross_output", "revenue", "main_revenue"):  # later ones take precedence
        j = ROLLUP_FIGURES.index(code)
        revenue = np.where(matrix[:, F * PARTS + j] > 0, matrix[:, PARTS * j].astype(np.float64), revenue)
    known = ~np.isnan(revenue)
    projected = np.where(known, revenue * 12 / n_month, np.nan)
    threshold_fen = float(settings.scale_threshold) * 100
    flag_down = above & known & (projected < threshold_fen)
    flag_up = ~above & known & (projected >= threshold_fen)
    threshold = Decimal(settings.scale_threshold)
    for i in np.flatnonzero(flag_drop).tolist():
        value = Decimal(int(v[i])).scaleb(-2)
        growth = calc.growth(value, Decimal(int(b[i])).scaleb(-2))
        yield (
            month,
            MonitorWarning.Kind.OUTPUT_DROP.value,
            int(ids[i]),
            value,
            f"1-{n_month}月工业总产值同比下降{abs(growth) * 100:.1f}%",
        )
    for kind, flags in ((MonitorWarning.Kind.SCALE_DOWN, flag_down), (MonitorWarning.Kind.SCALE_UP, flag_up)):
        for i in np.flatnonzero(flags).tolist():
            ytd = Decimal(int(revenue[i])).scaleb(-2)
            expected = calc.annualised(ytd, n_month).quantize(Decimal("0.01"))
            text = f"按1-{n_month}月进度预计全年主营业务收入{expected / 10000:,.0f}万元，"
            if kind == MonitorWarning.Kind.SCALE_DOWN:
                text += "低于2000万元规上标准"
            else:
                need = calc.months_to_reach(ytd, n_month, threshold)
                text += "已达到2000万元" if need == 0 else f"按当前进度还需约{need}个月累计达到2000万元"
                # The year-to-date projection, named apart from the 规上 status (last full year).
                text = "入规候选（本年累计测算）：" + text
            yield (month, kind.value, int(ids[i]), expected, text)


def _settings_by_county(counties, known: dict[int, MonitorSettings]) -> dict[int, MonitorSettings]:
    """The warning thresholds of each county kept apart (0: enterprises of no such county), read
    only for the counties not already in ``known``: a county's monthly file asks for its own."""
    missing = [c for c in counties if c not in known]
    if missing:
        known.update(MonitorSettings.current_many(missing))
    return known


def _county_of(ent: _Enterprises, ids: np.ndarray) -> np.ndarray:
    """The county column (0: none kept apart) of each of ``ids``, all of them in ``ent``."""
    return ent.attrs[np.clip(np.searchsorted(ent.ids, ids), 0, len(ent.ids) - 1), COUNTY_COL]


def _by_county(ent: _Enterprises, ids: np.ndarray):
    """(county, indices into ``ids``) per county of the month's enterprises; None: all of them."""
    if not len(ids) or not len(ent.ids):
        yield 0, None
        return
    county = _county_of(ent, ids)
    values = np.unique(county)
    if len(values) == 1:
        yield int(values[0]), None
        return
    for value in values.tolist():
        yield value, np.flatnonzero(county == value)


def _stalled(
    month: dt.date, settings_of: dict[int, MonitorSettings], ent: _Enterprises
) -> dict[int, list[tuple]]:
    """Per county of the month (0: the enterprises of no county under a city), its enterprises
    with output last year but no output and no electricity in its last N months (its setting).

    Counties that share a window length are read together; counties under a city read only their
    own enterprises' facts, so one county's file does not read the whole province's.
    """
    by_window: dict[int, list[int]] = {}
    for county, settings in settings_of.items():
        by_window.setdefault(max(1, settings.stalled_months), []).append(county)
    result: dict[int, list[tuple]] = {}
    for length, counties in by_window.items():
        window = [add_months(month, -i) for i in range(length)]
        facts = MonthlyFact.objects.all()
        if 0 not in counties:
            facts = facts.filter(enterprise__town__county_id__in=counties)
        had = dict(
            facts.filter(
                month=add_months(month, -12), source=Source.STATS, gross_output_ytd__gt=0
            ).values_list("enterprise_id", "gross_output_ytd")
        )
        if not had:
            continue
        active = set(
            facts.filter(month__in=window, source=Source.STATS, gross_output_month__gt=0).values_list(
                "enterprise_id", flat=True
            )
        )
        active |= set(
            facts.filter(month__in=window, source=Source.POWER, electricity_kwh_month__gt=0).values_list(
                "enterprise_id", flat=True
            )
        )
        stalled = sorted((pk, value) for pk, value in had.items() if pk not in active)
        # The refresh's enterprises hold every stalled one: all enterprises, or those of the
        # counties the facts were limited to.
        county_of = _county_of(ent, np.array([pk for pk, _ in stalled], dtype=np.int64)).tolist()
        wanted = set(counties)
        for (pk, value), county in zip(stalled, county_of, strict=True):
            if county in wanted:
                result.setdefault(county, []).append(
                    (
                        month,
                        MonitorWarning.Kind.STALLED.value,
                        pk,
                        value,
                        f"连续{length}个月无产值、无用电（上年同期累计产值{value / 10000:,.0f}万元）",
                    )
                )
    return result


WARNING_COLUMNS = ["month", "kind", "enterprise_id", "value", "reason"]
ROLLUP_COLUMNS = (
    ["month", "above_only", "scope_kind", "scope_id", "group_kind", "group_key", "n"]
    + [f"{code}_{suffix}" for code in ROLLUP_FIGURES for suffix in ("v", "b", "m", "mb", "vc", "mc")]
    + [f"{code}_{suffix}" for code in ROLLUP_FIGURES for suffix in ("n", "nc", "mn", "mnc")]
)


def refresh_months(
    months: Iterable[dt.date], *, follow: bool = True, counties: Collection[int] | None = None
) -> list[dt.date]:
    """Recompute the rollups, rankings and warnings of ``months`` (and, with ``follow``, the same
    months of the next year, whose comparable bases may use these months' values).

    ``counties``: only those counties' rows. Every rollup, ranking and warning row is of one
    county's scope (its county, towns, parks and zones) and reads only that county's enterprises,
    so a county's monthly file in a province refreshes its own county and leaves the other
    counties' rows as they are (the city and province figures are read as sums of counties).
    Counties not placed under a city are not kept apart: the whole month is refreshed for them.

    Call inside the transaction that changed the facts; returns the months refreshed.
    """
    wanted = {dt.date(m.year, m.month, 1) for m in months}
    if follow:
        wanted |= {add_months(m, 12) for m in wanted}
    limit = _County.of(counties)
    facts = MonthlyFact.objects.filter(month__in=wanted)
    if limit is not None:
        facts = facts.filter(enterprise__town_id__in=limit.towns)
    existing = set(facts.values_list("month", flat=True).distinct())
    # In a province, one county's refresh reads its own enterprises, not every county's.
    ent = _Enterprises(limit.towns if limit is not None else None)
    settings_of: dict[int, MonitorSettings] = {}
    done = []
    for month in sorted(wanted):
        if limit is None:
            Rollup.objects.filter(month=month).delete()
            RollupRanking.objects.filter(month=month).delete()
            MonitorWarning.objects.filter(month=month).delete()
        else:
            Rollup.objects.filter(month=month, scope_id__in=limit.units).delete()
            RollupRanking.objects.filter(month=month, scope_id__in=limit.units).delete()
            MonitorWarning.objects.filter(month=month, enterprise__town_id__in=limit.towns).delete()
        if month not in existing:
            if not MonthlyFact.objects.filter(month=month).exists():
                RollupFillState.objects.filter(month=month).delete()
            continue
        ids, above, matrix = _month_matrix(month, None if limit is None else ent.ids)
        rows = []
        rankings = []
        for above_only in (False, True):
            # The above-scale rows are picked by index, not copied out of the matrix.
            picked = np.flatnonzero(above) if above_only else None
            chosen = ids if picked is None else ids[picked]
            rows += _rollup_rows(month, above_only, ent, chosen, matrix, picked)
            rankings += _rankings(month, above_only, ent, chosen, matrix, picked)
        bulk_insert(Rollup, ROLLUP_COLUMNS, rows)
        RollupRanking.objects.bulk_create(rankings, batch_size=500)
        # Each county's warnings with its own thresholds (a lone county: the default row).
        counties = list(_by_county(ent, ids))
        _settings_by_county([county for county, _ in counties], settings_of)
        # Queried before the insert starts: PostgreSQL's COPY admits no other query beside it.
        stalled = _stalled(month, {county: settings_of[county] for county, _ in counties}, ent)
        parts = []
        for county, picked in counties:
            part = (ids, above, matrix) if picked is None else (ids[picked], above[picked], matrix[picked])
            parts.append(
                itertools.chain(_warnings(month, *part, settings_of[county]), stalled.get(county, []))
            )
        bulk_insert(MonitorWarning, WARNING_COLUMNS, itertools.chain(*parts))
        reported = len(ids) if limit is None else _enterprises_reported(month)
        RollupFillState.objects.update_or_create(month=month, defaults={"fact_rows": reported})
        done.append(month)
    return done


class _County:
    """The counties one refresh is limited to: their towns (whose enterprises it reads) and all
    their units (the scopes of the rows it replaces)."""

    def __init__(self, counties: list[int]) -> None:
        self.towns = list(
            OrgUnit.objects.filter(kind=OrgUnitKind.TOWN, county_id__in=counties).values_list("pk", flat=True)
        )
        self.units = [*counties, *OrgUnit.objects.filter(county_id__in=counties).values_list("pk", flat=True)]

    @classmethod
    def of(cls, counties: Collection[int] | None) -> _County | None:
        """None (the whole month) unless every county named is placed under a city."""
        if not counties or 0 in counties:
            return None
        counties = list(set(counties))
        placed = OrgUnit.objects.filter(
            pk__in=counties, kind=OrgUnitKind.COUNTY, parent__isnull=False
        ).count()
        return cls(counties) if placed == len(counties) else None


def counties_of(user) -> list[int] | None:
    """The counties whose figures a user's file or settings can change (their county boundary);
    None: no boundary, the whole month is refreshed."""
    from qiangxian.core.access import scope_of

    counties = scope_of(user).counties if user is not None else None
    return None if counties is None else list(counties)


def _enterprises_reported(month: dt.date) -> int:
    """How many enterprises have a row of ``month`` (any source)."""
    return MonthlyFact.objects.filter(month=month).values("enterprise_id").distinct().count()


def refresh_all() -> list[dt.date]:
    """Rebuild every month's rollups (after enterprises move between towns, parks or clusters)."""
    months = list(MonthlyFact.objects.values_list("month", flat=True).distinct())
    Rollup.objects.exclude(month__in=months).delete()
    RollupFillState.objects.exclude(month__in=months).delete()
    return refresh_months(months, follow=False)


def stale_months() -> list[dt.date]:
    """Months with facts but no fill-state record (should always be empty)."""
    filled = set(RollupFillState.objects.values_list("month", flat=True))
    return sorted(set(MonthlyFact.objects.values_list("month", flat=True).distinct()) - filled)
