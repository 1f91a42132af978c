"""The per-mu evaluation: schemes (validated), runs (graded with numpy), notice, objections, freezing.

Inputs come from the indicators snapshot's one entry point (``statistics.snapshot.build_snapshot``)
and the land from the parcels and leases here; a correction from an upheld objection overrides
the snapshot's figure for that enterprise and year in every later run.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from decimal import Decimal

import numpy as np
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, FloatField, IntegerField, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone
from django_fsm import can_proceed

from qiangxian.core.access import home_county_id, issuer_chain, issuing_unit_id, nearest_issued, scope_of
from qiangxian.core.bulk import bulk_insert, fetch
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.workdays import add_working_days
from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.engine.catalogue import year_period
from qiangxian.statistics.snapshot import build_snapshot

from .. import grading
from ..choices import (
    GRADE_ORDER,
    AdjustmentKind,
    Category,
    ObjectionState,
    ParcelStatus,
    RunKind,
    RunState,
    SchemeStatus,
)
from ..models import (
    RESULT_INPUTS,
    AdjustmentRecord,
    EvaluationResult,
    EvaluationRun,
    InputCorrection,
    Lease,
    Objection,
    Parcel,
    Scheme,
)
from .common import Errors, can_manage_evaluation, require_office

# Snapshot identifier for each grading input.
SNAPSHOT_INPUTS = {
    "tax": "tax_paid",
    "revenue": "revenue",
    "output": "gross_output",
    "energy": "energy_tce",
    "employees": "employees",
    "rd": "rd_expense",
    "kwh": "electricity_kwh",
    "emissions": "emissions_t",
}
NOTICE_WORKING_DAYS = 7
# Land held this way counts as the holder's own land in the evaluation.
OWN_LAND_STATUSES = (
    ParcelStatus.IN_USE,
    ParcelStatus.INEFFICIENT,
    ParcelStatus.IDLE,
    ParcelStatus.BUILDING,
    ParcelStatus.SUPPLIED_UNUSED,
)


# --- schemes -------------------------------------------------------------------------------


def applicable_scheme(county_id: int | None, year: int) -> Scheme | None:
    """The adopted scheme a county evaluates a year with: its own (latest version), else its
    city's, else its province's; None when no level has adopted one for the year."""
    adopted = Scheme.objects.filter(year=year, status=SchemeStatus.ADOPTED).select_related("county")
    if county_id is None:
        return adopted.order_by("-version", "pk").first()
    return nearest_issued(adopted, county_id, order=("-version", "pk"))


def can_edit_scheme(user, scheme: Scheme) -> bool:
    """A scheme is drafted, changed and adopted by the office of the level that issued it (a
    county's, a city's or a province's); the counties below read it and may copy it."""
    if not getattr(user, "can_issue", False):
        return False
    own = issuing_unit_id(user)
    if own is None:  # unplaced: an administrator of a lone county, or a superuser
        return scope_of(user).counties is None
    return scheme.county_id == own


def require_scheme_issuer(actor, scheme: Scheme) -> None:
    if not can_edit_scheme(actor, scheme):
        raise PermissionDenied("只有发布该方案的单位的办公室可以修改或启用方案；可复制为本级草稿后调整。")


@transaction.atomic
def scheme_create(*, actor, year: int) -> Scheme:
    """A draft scheme of the actor's level (county, city or province) for a year, from the
    standard indicators, weights and bands."""
    from ..defaults import create_default_scheme

    if not getattr(actor, "can_issue", False):
        raise PermissionDenied("只有领导小组办公室可以新建评价方案。")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "请填写正确的评价年度。"})
    issuer = issuing_unit_id(actor)
    if issuer is None and scope_of(actor).counties is not None:
        raise PermissionDenied("请以县、市或省的办公室身份新建评价方案。")
    from qiangxian.core.models import OrgUnit

    unit = OrgUnit.objects.get(pk=issuer) if issuer is not None else None
    return create_default_scheme(year=year, status=SchemeStatus.DRAFT, county=unit, actor=actor)


def _label(code: str) -> str:
    indicator = grading.INDICATORS.get(code)
    return indicator.label if indicator else code


def scheme_problems(scheme: Scheme) -> list[str]:
    """Why a scheme cannot be used (weights not adding up, overlapping cut-offs…), in Chinese."""
    problems = []
    indicators = list(scheme.indicators.all())
    if not indicators:
        problems.append("方案尚未设置评价指标。")
    by_category: dict[str, Decimal] = {}
    for ind in indicators:
        by_category[ind.category] = by_category.get(ind.category, Decimal(0)) + ind.weight
        if ind.code not in grading.INDICATORS:
            problems.append(f"未知的指标“{ind.code}”。")
        if ind.weight <= 0:
            problems.append(f"{ind.get_category_display()}的“{_label(ind.code)}”权重应大于 0。")
        if ind.benchmark_kind == "fixed" and (ind.benchmark_value is None or ind.benchmark_value <= 0):
            problems.append(f"{ind.get_category_display()}的指标选择了固定基准值，但未填写正数基准值。")
        if ind.missing not in grading.MISSING_RULES:
            problems.append(
                f"{ind.get_category_display()}的“{_label(ind.code)}”缺少数据时的计分方式"
                "应为“计 0 分”或“按平均分计”。"
            )
    for category, total in by_category.items():
        if total != scheme.total_weight:
            problems.append(
                f"{Category(category).label}的权重合计为 {total.normalize():f}，"
                f"应等于 {scheme.total_weight.normalize():f}。"
            )
    bands = {b.grade: (float(b.lower), float(b.upper)) for b in scheme.bands.all()}
    problems.extend(grading.band_problems(bands, scheme.cutoff_mode))
    for adj in scheme.adjustments.all():
        if adj.kind == AdjustmentKind.VETO and not adj.grade_cap:
            problems.append(f"否决项“{adj.name}”未设置最高可评类别。")
    return problems


@transaction.atomic
def scheme_save_weights(
    *,
    actor,
    scheme: Scheme,
    weights: dict[int, Decimal],
    bands: dict[str, tuple],
    cutoff_mode=None,
    benchmarks: dict | None = None,
    missing: dict[int, str] | None = None,
) -> Scheme:
    """Change a draft scheme's weights, benchmarks, missing-value rules and cut-offs together;
    refused whole if wrong."""
    require_scheme_issuer(actor, scheme)
    if scheme.status != SchemeStatus.DRAFT:
        raise ValidationError("已启用的方案不能修改，请复制为新版本后调整。")
    for ind in scheme.indicators.all():
        changed = False
        if ind.pk in weights:
            ind.weight, changed = weights[ind.pk], True
        if benchmarks and ind.pk in benchmarks:
            ind.benchmark_kind, ind.benchmark_value = benchmarks[ind.pk]
            changed = True
        if missing and ind.pk in missing:
            ind.missing, changed = missing[ind.pk], True
        if changed:
            ind._history_user = actor
            ind.save()
    for band in scheme.bands.all():
        if band.grade in bands:
            band.lower, band.upper = bands[band.grade]
            band._history_user = actor
            band.save()
    if cutoff_mode:
        scheme.cutoff_mode = cutoff_mode
    scheme._history_user = actor
    scheme.save()
    problems = scheme_problems(scheme)
    if problems:
        # Nothing is kept: the transaction rolls back with the refusal.
        raise ValidationError(problems)
    return scheme


@transaction.atomic
def scheme_copy(*, actor, scheme: Scheme, name: str | None = None) -> Scheme:
    """A new draft version of a scheme with the same indicators, bands and adjustments, issued by
    the actor's level: a county copies its city's scheme into one of its own."""
    if not getattr(actor, "can_issue", False):
        raise PermissionDenied("只有领导小组办公室可以复制评价方案。")
    county_id = issuing_unit_id(actor)
    if county_id is None:
        if scope_of(actor).counties is not None:
            raise PermissionDenied("请以县、市或省的办公室身份复制评价方案。")
        county_id = scheme.county_id
    version = (
        Scheme.objects.filter(county=county_id, year=scheme.year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    copy = Scheme(
        county_id=county_id,
        year=scheme.year,
        version=version,
        name=name or scheme.name,
        status=SchemeStatus.DRAFT,
        based_on=scheme,
        total_weight=scheme.total_weight,
        small_land_mu=scheme.small_land_mu,
        sqm_per_mu=scheme.sqm_per_mu,
        exempt_years=scheme.exempt_years,
        cutoff_mode=scheme.cutoff_mode,
        notes=scheme.notes,
    )
    copy._history_user = actor
    copy.save()
    for ind in scheme.indicators.all():
        ind.pk, ind.scheme = None, copy
        ind.save()
    for band in scheme.bands.all():
        band.pk, band.scheme = None, copy
        band.save()
    for adj in scheme.adjustments.all():
        adj.pk, adj.scheme = None, copy
        adj.save()
    return copy


@transaction.atomic
def scheme_adopt(*, actor, scheme: Scheme) -> Scheme:
    """Adopt a draft scheme for its year (checked first)."""
    require_scheme_issuer(actor, scheme)
    problems = scheme_problems(scheme)
    if problems:
        raise ValidationError(problems)
    scheme.status = SchemeStatus.ADOPTED
    scheme._history_user = actor
    scheme.save()
    return scheme


def layout_of(scheme: Scheme) -> dict:
    """The scheme as graded, stored on the run (JSON)."""
    categories: dict[str, list[dict]] = {}
    for ind in scheme.indicators.all().order_by("category", "sort_order", "pk"):
        categories.setdefault(ind.category, []).append(
            {
                "code": ind.code,
                "weight": float(ind.weight),
                "method": ind.method,
                "cap": float(ind.cap),
                "benchmark": ind.benchmark_kind,
                "fixed": float(ind.benchmark_value) if ind.benchmark_value is not None else None,
                "missing": ind.missing,
            }
        )
    return {
        "categories": categories,
        "bands": {b.grade: [float(b.lower), float(b.upper)] for b in scheme.bands.all()},
        "mode": scheme.cutoff_mode,
        "small_land_mu": float(scheme.small_land_mu),
        "sqm_per_mu": float(scheme.sqm_per_mu),
        "exempt_years": scheme.exempt_years,
        "adjustments": [
            {"kind": a.kind, "name": a.name, "points": float(a.points), "cap": a.grade_cap}
            for a in scheme.adjustments.all()
        ],
    }


def grading_layout(layout: dict) -> grading.Layout:
    return grading.Layout(
        categories={
            c: [grading.IndicatorSpec(**s) for s in specs] for c, specs in layout["categories"].items()
        },
        bands={g: tuple(v) for g, v in layout["bands"].items()},
        mode=layout["mode"],
    )


# --- inputs --------------------------------------------------------------------------------


def _columns(queryset, width: int) -> np.ndarray:
    """Rows of numbers as an (n, width) float array (NULL → NaN), without the per-row converters."""
    try:
        rows = fetch(*queryset.query.sql_with_params())
    except EmptyResultSet:
        rows = []
    try:
        # No NULL (the registry's columns are coalesced in SQL): straight from the flat rows.
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width)
    except TypeError:  # a NULL among them: NaN
        flat = np.array(rows, dtype=np.float64)
    return flat.reshape(len(rows), width)


def _per_id(ids: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The second column of (id, value) rows put in the order of ``ids`` (0 where an id has no
    row), and whether each id has a row."""
    out = np.zeros(len(ids))
    present = np.zeros(len(ids), dtype=bool)
    if len(data) and len(ids):
        order = np.argsort(ids, kind="stable")
        keys = data[:, 0].astype(np.int64)
        pos = np.clip(np.searchsorted(ids[order], keys), 0, len(ids) - 1)
        hit = ids[order][pos] == keys
        out[order[pos[hit]]] = np.nan_to_num(data[hit, 1])
        present[order[pos[hit]]] = True
    return out, present


def _exact_sums(queryset, key: str, field: str) -> np.ndarray:
    """(id, Σ field) rows of a decimal column of 2 places, per ``key``, summed exactly.

    The rows are read as whole hundredths and added in numpy (exact in a double up to 2^53), so
    the sum is the decimal sum rounded once to a float on either backend, and the database does
    no grouping of 100,000 keys (PostgreSQL's hash aggregate of numeric sums took longer than
    reading the rows).
    """
    data = _columns(
        queryset.values_list(key, Cast(Round(F(field) * 100), BigIntegerField())).order_by(),
        2,
    )
    if not len(data):
        return data
    data = data[np.argsort(data[:, 0], kind="stable")]
    keys = data[:, 0]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return np.column_stack([keys[starts], np.add.reduceat(data[:, 1], starts) / 100])


def land_inputs(ids: np.ndarray, year: int, sqm_per_mu: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per enterprise id: own land 亩, tenanted floor space in 亩 by the conversion rule, and
    whether it holds land or tenanted floor space in the year (a parcel or a lease on the ledger)."""
    own = _exact_sums(
        Parcel.objects.filter(holder__isnull=False, status__in=OWN_LAND_STATUSES), "holder_id", "area_mu"
    )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    leased = _exact_sums(
        Lease.objects.filter(tenant__isnull=False, start_on__lte=end, end_on__gte=start),
        "tenant_id",
        "area_sqm",
    )
    own_mu, holds = _per_id(ids, own)
    leased_sqm, tenant = _per_id(ids, leased)
    return own_mu, leased_sqm / sqm_per_mu, holds | tenant


def _category_codes(above: np.ndarray, own: np.ndarray, leased: np.ndarray, small: float) -> np.ndarray:
    category = np.where(own >= small, Category.BELOW_LARGE.value, Category.BELOW_SMALL.value).astype(object)
    category[(own <= 0) & (leased > 0)] = Category.TENANT.value
    category[above] = Category.ABOVE.value
    return category


# --- runs ----------------------------------------------------------------------------------


def _previous_grades(year: int, county_id: int | None) -> dict[int, str]:
    """Last year's final grades of the county's enterprises (its own final run, not another's)."""
    previous = (
        EvaluationRun.objects.filter(
            year=year - 1, kind=RunKind.OFFICIAL, state=RunState.FINAL, county=county_id
        )
        .order_by("-finalized_at")
        .first()
    )
    if previous is None:
        return {}
    return dict(previous.results.exclude(grade="").values_list("enterprise_id", "grade"))


def compute(scheme: Scheme, year: int, layout: dict | None = None, county_id: int | None = None):
    """Grade a year under a scheme: arrays per enterprise, ready to store (nothing written).

    ``county_id`` is the county graded (default: the scheme's own, for a county's scheme)."""
    county_id = county_id if county_id is not None else scheme.county_id
    layout = layout or layout_of(scheme)
    as_of = dt.date(year, 12, 31)
    # The registry's columns of every enterprise in one read (sorted here: no sort in SQL).
    cutoff = as_of.replace(year=year - layout["exempt_years"])
    firms = Enterprise.objects.order_by()
    if county_id:  # a county grades its own enterprises, standing alone or among others
        firms = firms.filter(town__county=county_id)
    registry = _columns(
        firms.values_list(
            "pk",
            Cast("above_scale", IntegerField()),
            Case(When(established_on__gt=cutoff, then=Value(1)), default=Value(0)),
            # No unit and no registered land are 0 (as below): NULL would cost a slow conversion.
            Coalesce("park_id", Value(0)),
            Coalesce("zone_id", Value(0)),
            Coalesce("town_id", Value(0)),
            Coalesce(Cast("land_area_mu", FloatField()), Value(0.0)),
            Case(When(status="operating", then=Value(1)), default=Value(0)),
        ),
        8,
    )
    registry = registry[np.argsort(registry[:, 0], kind="stable")]
    registry_ids = registry[:, 0].astype(np.int64)
    own, leased, holds = land_inputs(registry_ids, year, layout["sqm_per_mu"])
    # Evaluated: operating enterprises holding land or tenanted floor space in the year, and
    # every operating 规上 one.
    wanted = registry_ids[(registry[:, 7] == 1) & (holds | (registry[:, 1] == 1))]
    # The snapshot of every enterprise, then the evaluated rows: naming 100,000 ids (or a
    # subquery with alternatives) in each fact query costs more than reading the few others.
    # Only this year's figures (本年), and whether the industry is industrial, from the same read.
    current = year_period(0)
    snapshot = build_snapshot(
        as_of=as_of,
        identifiers=[(ident, current) for ident in [*SNAPSHOT_INPUTS.values(), "is_industrial"]],
    )
    keep = np.isin(snapshot.enterprise_ids, wanted)
    ids = snapshot.enterprise_ids[keep]
    n = len(ids)
    inputs = {name: snapshot.column(ident, current)[keep].copy() for name, ident in SNAPSHOT_INPUTS.items()}
    industrial = snapshot.column("is_industrial", current)[keep] == 1
    at = np.searchsorted(registry_ids, ids) if n else np.zeros(0, dtype=np.int64)
    registry, own, leased = registry[at], own[at], leased[at]
    places = np.nan_to_num(registry[:, 3:6]).astype(np.int64)  # park, zone, town (0: none)
    above = registry[:, 1] == 1
    registry_land = np.nan_to_num(registry[:, 6])
    land = own + leased
    # Where neither parcels nor leases are on the ledger, the registry's 用地面积 stands in.
    land = np.where(land > 0, land, registry_land)
    inputs["land"] = np.where(land > 0, land, np.nan)
    index = {e: i for i, e in enumerate(ids.tolist())}
    for code, enterprise_id, value in InputCorrection.objects.filter(year=year).values_list(
        "input_code", "enterprise_id", "value"
    ):
        if code in inputs and enterprise_id in index:
            inputs[code][index[enterprise_id]] = value
    category = _category_codes(
        above, np.where(own > 0, own, registry_land * (leased <= 0)), leased, layout["small_land_mu"]
    )
    new_firm = registry[:, 2] == 1
    building = np.array(
        sorted(
            set(
                Parcel.objects.filter(status=ParcelStatus.BUILDING, holder__isnull=False).values_list(
                    "holder_id", flat=True
                )
            )
        ),
        dtype=np.int64,
    )
    under_construction = np.isin(ids, building)
    exempt = new_firm | under_construction
    graded = ~exempt & industrial & np.isfinite(inputs["land"])
    graded &= np.isin(category, list(layout["categories"]))
    bonus = np.zeros(n)
    cap = np.full(n, 4, dtype=np.int64)
    veto_text = [""] * n
    adjustments = {a["name"]: a for a in layout.get("adjustments", [])}
    for enterprise_id, name in AdjustmentRecord.objects.filter(year=year).values_list(
        "enterprise_id", "name"
    ):
        adj = adjustments.get(name)
        if adj is None or enterprise_id not in index:
            continue
        i = index[enterprise_id]
        if adj["kind"] == AdjustmentKind.BONUS:
            bonus[i] += adj["points"]
        elif adj["cap"]:
            cap[i] = min(cap[i], GRADE_ORDER.index(adj["cap"]))
            veto_text[i] = "；".join(filter(None, [veto_text[i], name]))
    _, park_groups = (
        np.unique(places[:, 0], return_inverse=True) if n else (None, np.zeros(0, dtype=np.int64))
    )
    result = grading.grade(
        grading_layout(layout),
        category=category,
        graded=graded,
        inputs=inputs,
        park=park_groups,
        bonus=bonus,
        cap=cap,
    )
    return {
        "ids": ids,
        "places": places,
        "inputs": inputs,
        "category": category,
        "exempt": ~graded,
        "bonus": bonus,
        "veto": veto_text,
        "graded": result,
        "layout": layout,
    }


def _result_rows(run: EvaluationRun, data: dict, previous: dict[int, str]) -> list[tuple]:
    """One row per enterprise for the bulk write; the trace as JSON text (NaN written as null)."""
    # Hundreds of thousands of small lists would set off the cyclic collector again and again;
    # none of them form cycles, so it is paused while they are built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _rows(run.pk, data, previous)
    finally:
        if enabled:
            gc.enable()


def _json_numbers(text: str) -> str:
    """Python float reprs made JSON: nan and inf (no JSON number) are written null."""
    return text.replace("nan", "null").replace("inf", "null")


def _texts(matrix: np.ndarray, digits: int | None = 4, json: bool = False) -> list[str]:
    """Each row of a 2-D float array as the text of a JSON list's items, "1.5, nan" (rounded to 4 places).

    One ``str`` of the whole nested list and one split: the float reprs are written by the
    interpreter's C code, never one call per row. With ``json`` nan and inf are written null.
    """
    n, width = matrix.shape
    if n == 0:
        return []
    if width == 0:
        return [""] * n
    text = str((np.round(matrix, digits) if digits is not None else matrix).tolist())
    if json:
        text = _json_numbers(text)
    return text[2:-2].split("], [")


def benchmark_table(data: dict) -> dict[str, dict[str, list]]:
    """The benchmarks of a run, once per category and park: {category: {park id or "0": [..]}}.

    Within a category a benchmark is the same for every enterprise (county average, fixed value,
    the category's maximum) or for every enterprise of a park (park average).
    """
    graded, category, parks = data["graded"], data["category"], data["places"][:, 0]
    table: dict[str, dict[str, list]] = {}
    for cat, benches in graded.benchmarks.items():
        rows = np.flatnonzero(category == cat)
        if not len(rows):
            continue
        _, first = np.unique(parks[rows], return_index=True)
        table[cat] = {str(int(parks[rows[i]])): _nullable(benches[rows[i]]) for i in first.tolist()}
    return table


def _nullable(values: np.ndarray, digits: int | None = 4) -> list:
    """A float column as Python values, NaN as None."""
    out = (np.round(values, digits) if digits is not None else values).astype(object)
    out[np.isnan(values.astype(float))] = None
    return out.tolist()


def _rows(run_id: int, data: dict, previous: dict[int, str]) -> list[tuple]:
    graded = data["graded"]
    ids, inputs = data["ids"], data["inputs"]
    n = len(ids)
    if n == 0:
        return []
    category = data["category"]
    # The inputs go in as numbers, one column each (see ``EvaluationResult.inputs``); the trace's
    # JSON holds only the points (and the bonus), composed from the interpreter's float reprs
    # (JSON but for nan and inf, replaced in each column's text), several times faster than
    # json.dumps per row. The values follow from the inputs and the benchmarks are one row per
    # category and park, kept once on the run (see ``benchmark_table`` and ``selectors.full_trace``).
    traces = np.full(n, "{}", dtype=object)
    for cat in graded.points:
        rows = np.flatnonzero(category == cat)
        if not len(rows):
            continue
        points = np.array(_texts(graded.points[cat][rows], json=True), dtype=object)
        traces[rows] = '{"points": [' + points + "]}"
    bonus = data["bonus"]
    for i in np.flatnonzero(bonus).tolist():
        head = traces[i][:-1]  # "{" or '{"points": [...]'
        separator = ", " if len(head) > 1 else ""
        traces[i] = head + separator + _json_numbers(f'"bonus": {bonus[i].item()}') + "}"
    grades = np.array([*GRADE_ORDER, ""], dtype=object)[
        np.where(graded.grade >= 0, graded.grade, len(GRADE_ORDER))
    ]
    ranks = graded.rank.astype(object)
    ranks[graded.rank == 0] = None
    places = data["places"].astype(object)
    places[data["places"] == 0] = None
    id_list = ids.tolist()
    return list(
        zip(
            [run_id] * n,
            id_list,
            places[:, 0].tolist(),
            places[:, 1].tolist(),
            places[:, 2].tolist(),
            category.tolist(),
            data["exempt"].tolist(),
            _nullable(inputs["land"]),
            _nullable(graded.score),
            ranks.tolist(),
            grades.tolist(),
            [previous.get(e, "") for e in id_list],
            list(data["veto"]),
            traces.tolist(),
            *(_nullable(inputs[code], None) for code in RESULT_INPUTS),
            strict=True,
        )
    )


RESULT_FIELDS = [
    "run_id",
    "enterprise_id",
    "park_id",
    "zone_id",
    "town_id",
    "category",
    "exempt",
    "land_mu",
    "score",
    "rank",
    "grade",
    "previous_grade",
    "vetoed",
    "trace",
    *(f"input_{code}" for code in RESULT_INPUTS),
]


def store_results(run: EvaluationRun, data: dict) -> int:
    """Replace a run's results with freshly graded ones (one bulk write); the benchmarks on the run."""
    run.results.all().delete()
    run.layout = {**run.layout, "benchmarks": benchmark_table(data)}
    EvaluationRun.objects.filter(pk=run.pk).update(layout=run.layout)
    # The trace goes in as JSON text, the inputs as numbers: bulk_insert writes plain tuples.
    rows = _result_rows(run, data, _previous_grades(run.year, run.county_id))
    bulk_insert(EvaluationResult, RESULT_FIELDS, rows, binary=True)
    return len(rows)


@transaction.atomic
def run_create(
    *, actor, scheme: Scheme, year: int | None = None, kind: str = RunKind.OFFICIAL, compared_to=None
) -> EvaluationRun:
    """Grade a year under a scheme. An official run needs an adopted scheme; a sandbox any draft.

    The county graded is the actor's: with its own scheme, or with the one its city or province
    issued when it has adopted none of its own for the year."""
    require_office(actor)
    year = year or scheme.year
    county_id = run_county(actor, scheme)
    if kind == RunKind.OFFICIAL and scheme.status != SchemeStatus.ADOPTED:
        raise ValidationError("正式评价须使用已启用的方案；草稿方案请用模拟测算。")
    problems = scheme_problems(scheme)
    if problems:
        raise ValidationError(problems)
    if (
        kind == RunKind.OFFICIAL
        and EvaluationRun.objects.filter(
            county=county_id,
            year=year,
            kind=RunKind.OFFICIAL,
            state__in=(RunState.NOTICE, RunState.FINAL),
        ).exists()
    ):
        raise ValidationError(f"{year}年的正式评价已公示或定档，不能重新测算。")
    run = EvaluationRun(
        scheme=scheme, county_id=county_id, year=year, kind=kind, created_by=actor, compared_to=compared_to
    )
    run.layout = layout_of(scheme)
    run.computed_at = timezone.now()
    run._history_user = actor
    run.save()
    store_results(run, compute(scheme, year, layout=run.layout, county_id=county_id))
    return run


def run_county(actor, scheme: Scheme) -> int | None:
    """The county a run of the actor's under a scheme grades, checked: the scheme must be its
    county's or issued above it, and an official run uses a scheme from above only where the
    county has adopted none of its own for the year."""
    county_id = home_county_id(actor)
    if county_id is None:  # unplaced: the scheme's own county (a lone county's administrator)
        if scheme.county_id is not None and scheme.county.kind != OrgUnitKind.COUNTY:
            raise ValidationError("市级、省级方案由各县办公室用于本县测算。")
        return scheme.county_id
    if scheme.county_id is not None and scheme.county_id not in issuer_chain(county_id):
        raise ValidationError("该方案不适用于本县。")
    if scheme.county_id != county_id and scheme.status == SchemeStatus.ADOPTED:
        nearest = applicable_scheme(county_id, scheme.year)
        if nearest is not None and nearest.county_id != scheme.county_id:
            raise ValidationError(f"本县已启用{scheme.year}年自己的评价方案，请用本县方案测算。")
    return county_id


@transaction.atomic
def run_recompute(*, actor, run: EvaluationRun) -> EvaluationRun:
    """Grade a run again (after corrections); a final run is frozen."""
    require_office(actor)
    current = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if current.state == RunState.FINAL:
        raise ValidationError("评价结果已定档，不能再修改。")
    store_results(
        current, compute(current.scheme, current.year, layout=current.layout, county_id=current.county_id)
    )
    current.computed_at = timezone.now()
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def run_publish(*, actor, run: EvaluationRun, start: dt.date | None = None) -> EvaluationRun:
    """Publish provisional results for the notice period (7 working days)."""
    require_office(actor)
    current = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if current.kind != RunKind.OFFICIAL or not can_proceed(current.publish):
        raise ValidationError("只有测算中的正式评价可以公示。")
    start = start or timezone.localdate()
    current.publish(start=start, until=add_working_days(start, NOTICE_WORKING_DAYS))
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def run_finalize(*, actor, run: EvaluationRun, today: dt.date | None = None) -> EvaluationRun:
    """Freeze the results once the notice period is over and every objection is ruled on."""
    require_office(actor)
    current = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    today = today or timezone.localdate()
    if not can_proceed(current.finalize):
        raise ValidationError("只有公示中的评价可以定档。")
    if current.notice_until and today <= current.notice_until:
        raise ValidationError(f"公示期至 {current.notice_until:%Y-%m-%d}，公示期满后方可定档。")
    if current.objections.filter(state=ObjectionState.FILED).exists():
        raise ValidationError("尚有未裁定的异议，裁定后方可定档。")
    current.finalize(at=timezone.now())
    current._history_user = actor
    current.save()
    return current


# --- objections ----------------------------------------------------------------------------


def can_object(user, enterprise: Enterprise) -> bool:
    """The enterprise itself (its portal account) or the office on its behalf; nobody else."""
    if can_manage_evaluation(user):
        return True
    return user.is_authenticated and user.role == "enterprise" and enterprise.org_unit_id == user.org_unit_id


@transaction.atomic
def objection_file(
    *,
    actor,
    run: EvaluationRun,
    enterprise: Enterprise,
    input_code: str,
    claimed_value,
    reason: str,
    evidence: str,
    today=None,
) -> Objection:
    """File an objection about one input of a provisional result, with evidence."""
    if not can_object(actor, enterprise):
        raise PermissionDenied("只有企业本身或领导小组办公室（代企业）可以提出异议。")
    today = today or timezone.localdate()
    errors = Errors()
    if run.state != RunState.NOTICE:
        errors.add("input_code", "评价结果不在公示期内，不能提出异议。")
    elif run.notice_until and today > run.notice_until:
        errors.add("input_code", f"公示期已于 {run.notice_until:%Y-%m-%d} 结束。")
    if input_code not in grading.INPUTS:
        errors.add("input_code", "请选择有异议的数据项。")
    if claimed_value is None or claimed_value < 0:
        errors.add("claimed_value", "请填写企业主张的数值（不能为负数）。")
    if not (reason or "").strip():
        errors.add("reason", "请说明异议理由。")
    if not (evidence or "").strip():
        errors.add("evidence", "请提供证明材料。")
    result = run.results.filter(enterprise=enterprise).first()
    if result is None:
        errors.add("input_code", "该企业不在本次评价范围内。")
    errors.raise_if_any()
    if run.objections.filter(
        enterprise=enterprise, input_code=input_code, state=ObjectionState.FILED
    ).exists():
        raise ValidationError({"input_code": ["该数据项已有待裁定的异议。"]})
    objection = Objection(
        run=run,
        enterprise=enterprise,
        input_code=input_code,
        recorded_value=result.inputs.get(input_code),
        claimed_value=float(claimed_value),
        reason=reason.strip(),
        evidence=evidence.strip(),
        filed_by=actor,
        on_behalf=actor.role != "enterprise",
        filed_on=today,
        grade_before=result.grade,
    )
    objection._history_user = actor
    objection.save()
    return objection


@transaction.atomic
def objection_rule(
    *, actor, objection: Objection, uphold: bool, ruling: str, value=None, today=None
) -> Objection:
    """Rule on an objection: correct the input (the run is graded again) or reject with a reason."""
    require_office(actor)
    today = today or timezone.localdate()
    current = Objection.objects.select_for_update().get(pk=objection.pk)
    if current.run.state == RunState.FINAL:
        raise ValidationError("评价结果已定档，不能再裁定。")
    if not (ruling or "").strip():
        raise ValidationError({"ruling": ["请填写裁定意见。"]})
    if uphold:
        value = current.claimed_value if value is None else float(value)
        if value < 0:
            raise ValidationError({"value": ["更正数值不能为负数。"]})
        if not can_proceed(current.correct):
            raise ValidationError("该异议已裁定。")
        current.correct(by=actor, on=today, ruling=ruling.strip())
        correction = InputCorrection.objects.filter(
            year=current.run.year, enterprise=current.enterprise, input_code=current.input_code
        ).first() or InputCorrection(
            year=current.run.year, enterprise=current.enterprise, input_code=current.input_code
        )
        correction.value = value
        correction.objection = current
        correction._history_user = actor
        correction.save()
        run_recompute(actor=actor, run=current.run)
        result = current.run.results.filter(enterprise=current.enterprise).first()
        current.grade_after = result.grade if result else ""
    else:
        if not can_proceed(current.reject):
            raise ValidationError("该异议已裁定。")
        current.reject(by=actor, on=today, ruling=ruling.strip())
        current.grade_after = current.grade_before
    current._history_user = actor
    current.save()
    return current


# --- sandbox -------------------------------------------------------------------------------


@transaction.atomic
def sandbox_run(*, actor, scheme: Scheme, compared_to: EvaluationRun) -> EvaluationRun:
    """Grade the compared run's year under a draft scheme, beside the published result."""
    return run_create(
        actor=actor, scheme=scheme, year=compared_to.year, kind=RunKind.SANDBOX, compared_to=compared_to
    )


def require_office_or_leader(user) -> None:
    """Schemes are read by the office (of a county, or of the city or province that issues
    schemes) and the leaders."""
    if not (
        can_manage_evaluation(user)
        or getattr(user, "can_issue", False)
        or (user.is_authenticated and user.role == "leader")
    ):
        raise PermissionDenied("只有领导小组办公室和县领导可以查看评价方案。")


# --- bonus and veto items --------------------------------------------------------------------

MAX_BONUS_POINTS = Decimal(50)


@transaction.atomic
def adjustment_add(*, actor, scheme: Scheme, kind: str, name: str, points=None, grade_cap: str = ""):
    """Add a bonus item (points) or a veto item (highest class allowed) to a draft scheme."""
    from ..models import SchemeAdjustment

    require_scheme_issuer(actor, scheme)
    errors = Errors()
    if scheme.status != SchemeStatus.DRAFT:
        raise ValidationError("已启用的方案不能修改，请复制为新版本后调整。")
    name = (name or "").strip()
    if not name:
        errors.add("name", "请填写事项名称。")
    elif scheme.adjustments.filter(name=name).exists():
        errors.add("name", f"方案中已有“{name}”。")
    if kind == AdjustmentKind.BONUS:
        if points is None or not Decimal(0) < Decimal(points) <= MAX_BONUS_POINTS:
            errors.add("points", f"加分应大于 0 且不超过 {MAX_BONUS_POINTS} 分。")
        grade_cap = ""
    elif kind == AdjustmentKind.VETO:
        if grade_cap not in GRADE_ORDER:
            errors.add("grade_cap", "否决项须选择最高可评类别。")
        points = Decimal(0)
    else:
        errors.add("kind", "请选择加分项或否决项。")
    errors.raise_if_any()
    item = SchemeAdjustment(scheme=scheme, kind=kind, name=name, points=points or 0, grade_cap=grade_cap)
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def adjustment_record(*, actor, scheme: Scheme, enterprise: Enterprise, name: str, source: str):
    """Record that a bonus or veto item of the scheme applies to an enterprise in the scheme's year."""
    require_office(actor)
    errors = Errors()
    if not scheme.adjustments.filter(name=name).exists():
        errors.add("name", "请选择方案中的加分或否决事项。")
    if not (source or "").strip():
        errors.add("source", "请填写依据（文件、事故通报或认定文号）。")
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        errors.add("enterprise", "该企业不在您的管辖范围内。")
    errors.raise_if_any()
    if AdjustmentRecord.objects.filter(year=scheme.year, enterprise=enterprise, name=name).exists():
        raise ValidationError({"name": [f"{enterprise.name} {scheme.year}年已记录“{name}”。"]})
    record = AdjustmentRecord(year=scheme.year, enterprise=enterprise, name=name, source=source.strip())
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def adjustment_record_delete(*, actor, record: AdjustmentRecord) -> None:
    """Remove a record entered by mistake (its history stays); a frozen year keeps its records."""
    require_office(actor)
    frozen = EvaluationRun.objects.filter(year=record.year, kind=RunKind.OFFICIAL, state=RunState.FINAL)
    county_id = (
        Enterprise.objects.filter(pk=record.enterprise_id).values_list("town__county", flat=True).first()
    )
    if county_id is not None:  # the enterprise's county's year, not a neighbour's
        frozen = frozen.filter(county=county_id)
    if frozen.exists():
        raise ValidationError(f"{record.year}年评价结果已定档，不能删除加分/否决记录。")
    record._history_user = actor
    record.delete()
