"""Reads of parks, land, buildings, idle space and evaluation results, always scoped to the user."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, Q, Sum
from django.utils import timezone

from qiangxian.core.access import (
    county_filter,
    get_visible_or_404,
    issuer_chain,
    issuing_unit_id,
    scope_of,
    within_counties,
)
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from .breaches import contract_breaches
from .choices import GRADE_ORDER, IDLE_STATUSES, IdleKind, IdleState, RunKind, RunState
from .models import (
    Building,
    EvaluationResult,
    EvaluationRun,
    IdleItem,
    LandContract,
    Lease,
    Objection,
    Parcel,
    Scheme,
)


def parcels(*, user):
    return Parcel.objects.visible_to(user).select_related("park", "zone", "holder", "project", "contract")


def parcel(*, user, pk) -> Parcel:
    return get_visible_or_404(parcels(user=user), user, pk)


def buildings(*, user, on: dt.date | None = None):
    """Buildings with the area leased on ``on`` (today) annotated as ``leased_sqm``."""
    on = on or timezone.localdate()
    active = Q(leases__start_on__lte=on, leases__end_on__gte=on)
    return (
        Building.objects.visible_to(user)
        .select_related("park", "zone", "owner", "parcel")
        .annotate(leased_sqm=Sum("leases__area_sqm", filter=active, default=Decimal(0)))
    )


def building(*, user, pk) -> Building:
    return get_visible_or_404(buildings(user=user), user, pk)


def vacancy(b: Building) -> Decimal:
    """Unlet floor area of a building let to tenants (a standard factory or one with leases)."""
    return max(Decimal(b.floor_area_sqm) - Decimal(getattr(b, "leased_sqm", 0) or 0), Decimal(0))


def idle_items(*, user):
    return IdleItem.objects.visible_to(user).select_related("park", "zone", "parcel", "building", "reused_by")


def idle_item(*, user, pk) -> IdleItem:
    return get_visible_or_404(idle_items(user=user), user, pk)


def idle_days(item: IdleItem, today: dt.date | None = None) -> int:
    end = item.closed_on or today or timezone.localdate()
    return max((end - item.idle_since).days, 0)


def idle_figures(*, user, year: int) -> list[dict]:
    """Per park and zone: open idle land (亩) and floor space (㎡), disposed and reused this year."""
    rows: dict[tuple, dict] = defaultdict(
        lambda: {
            "idle_mu": Decimal(0),
            "idle_sqm": Decimal(0),
            "open": 0,
            "disposed": 0,
            "reused": 0,
            "reused_mu": Decimal(0),
        }
    )
    for item in idle_items(user=user):
        key = (item.park.name, item.zone.name if item.zone_id else "（园区直管）")
        row = rows[key]
        if item.state in (IdleState.OPEN, IdleState.DISPOSING):
            row["open"] += 1
            if item.kind == IdleKind.PARCEL:
                row["idle_mu"] += item.area_mu or 0
            else:
                row["idle_sqm"] += item.floor_area_sqm or 0
        elif item.closed_on and item.closed_on.year == year:
            row["disposed" if item.state == IdleState.DISPOSED else "reused"] += 1
            if item.state == IdleState.REUSED:
                row["reused_mu"] += item.area_mu or 0
    return [{"park": k[0], "zone": k[1], **v} for k, v in sorted(rows.items())]


def breaches(*, user, today: dt.date | None = None) -> list[dict]:
    """Every contract term not met on the user's parcels, worst first."""
    today = today or timezone.localdate()
    found = []
    for contract in LandContract.objects.filter(parcel__in=Parcel.objects.visible_to(user)).select_related(
        "parcel", "parcel__park", "parcel__holder", "parcel__project"
    ):
        for b in contract_breaches(contract, area_mu=contract.parcel.area_mu, today=today):
            found.append({"parcel": contract.parcel, "contract": contract, "breach": b})
    found.sort(key=lambda r: (r["breach"].light != "red", r["parcel"].code))
    return found


def space_overview(*, user) -> list[dict]:
    """Per park: parcels and area by status, buildings and vacancy."""
    rows = []
    visible = Parcel.objects.visible_to(user)
    parks = OrgUnit.objects.filter(kind=OrgUnitKind.PARK, pk__in=visible.values("park_id")).order_by(
        "sort_order", "name"
    )
    for park in parks:
        stats = visible.filter(park=park).aggregate(
            n=Count("pk"),
            area=Sum("area_mu", default=Decimal(0)),
            idle=Sum("area_mu", filter=Q(status__in=IDLE_STATUSES), default=Decimal(0)),
        )
        bs = list(buildings(user=user).filter(park=park))
        floor = sum((b.floor_area_sqm for b in bs), Decimal(0))
        vacant = sum((vacancy(b) for b in bs if b.kind == "standard"), Decimal(0))
        rows.append({"park": park, **stats, "buildings": len(bs), "floor": floor, "vacant": vacant})
    return rows


def leases_of(building: Building):
    return (
        Lease.objects.filter(building=building).select_related("tenant").order_by("floor", "unit", "start_on")
    )


# --- evaluation ----------------------------------------------------------------------------


def schemes(user=None):
    """The schemes the user may read: their county's, the adopted ones its city and province
    issued; a city's or province's own and its counties' (every scheme when no user is given:
    jobs, the shell)."""
    qs = Scheme.objects.select_related("county")
    return qs if user is None else qs.visible_to(user)


def own_level_schemes(user):
    """The schemes a user's level works with: those it issued and those issued above it (a county
    office's list; a city office's own and its province's), never the neighbours' or those below."""
    qs = schemes(user)
    issuer = issuing_unit_id(user)
    if issuer is None or scope_of(user).counties is None:
        return qs
    return qs.filter(county__in=issuer_chain(issuer))


def runs(*, official_only: bool = False, user=None):
    """Runs of the user's county, or of the counties below a city or province (every run when no
    user is given)."""
    qs = EvaluationRun.objects.select_related("scheme", "scheme__county")
    if user is not None:
        scope = scope_of(user)
        if not (scope.everything or scope.kind):
            return qs.none()
        qs = qs.filter(county_filter(scope, "county"))
    return qs.filter(kind=RunKind.OFFICIAL) if official_only else qs


def current_run(year: int | None = None, *, user=None) -> EvaluationRun | None:
    """The latest official run (of a year) of the user's county: the one lists and aggregates show."""
    qs = runs(official_only=True, user=user)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-created_at").first()


def results(*, user, run: EvaluationRun):
    return (
        EvaluationResult.objects.visible_to(user).filter(run=run).select_related("enterprise", "park", "run")
    )


def result(*, user, pk) -> EvaluationResult:
    return get_visible_or_404(
        EvaluationResult.objects.select_related("enterprise", "run", "run__scheme", "park"), user, pk
    )


def full_trace(result: EvaluationResult) -> dict:
    """A result's trace with each indicator's value and benchmark.

    A run stores per result the inputs (columns) and the points (the trace); the values follow
    from the inputs and the benchmarks are kept once per category and park on the run
    (``layout["benchmarks"]``).
    """
    from .grading import INDICATORS

    trace = dict(result.trace or {})
    if "inputs" not in trace:  # kept in columns (older results carry them in the trace)
        trace = {"inputs": result.inputs, **trace}
    specs = result.run.layout.get("categories", {}).get(result.category, [])
    if "points" not in trace or "values" in trace:
        return trace
    inputs = trace["inputs"]
    values = []
    for spec in specs:
        d = INDICATORS[spec["code"]]
        num, den = inputs.get(d.numerator), inputs.get(d.denominator)
        ok = num is not None and den is not None and den > 0
        # Rounded the way the run rounds (numpy), so the value shown is the value graded.
        values.append(float(np.round(num / den * d.factor, 4)) if ok else None)
    table = result.run.layout.get("benchmarks", {}).get(result.category, {})
    # A missing value the scheme scores at the average says so (无排放数据，按平均分计).
    notes = [
        missing_note(spec, inputs) if value is None else None
        for spec, value in zip(specs, values, strict=True)
    ]
    if any(notes):
        trace["notes"] = notes
    trace["values"] = values
    trace["benchmarks"] = table.get(str(result.park_id or 0)) or [None] * len(specs)
    return trace


def missing_note(spec: dict, inputs: dict) -> str | None:
    """Why an indicator without a value still has points, in the trace's words (None: it has none)."""
    from .grading import INDICATORS

    if spec.get("missing") != "average":
        return None
    d = INDICATORS[spec["code"]]
    reason = d.missing_note if inputs.get(d.denominator) is None else "无法计算"
    return f"{reason}，按平均分计"


def trace_rows(res: EvaluationResult) -> list[dict]:
    """The trace of a result: per indicator the value, the benchmark, the weight and the points."""
    from .grading import INDICATORS

    specs = res.run.layout.get("categories", {}).get(res.category, [])
    trace = full_trace(res)
    rows = []
    for k, spec in enumerate(specs):
        d = INDICATORS[spec["code"]]
        rows.append(
            {
                "label": d.label,
                "unit": d.unit,
                "value": (trace.get("values") or [None] * len(specs))[k],
                "benchmark": (trace.get("benchmarks") or [None] * len(specs))[k],
                "weight": spec["weight"],
                "points": (trace.get("points") or [0] * len(specs))[k],
                "note": (trace.get("notes") or [None] * len(specs))[k],
                "method": "极差法" if spec["method"] == "minmax" else f"比值法（封顶 {spec['cap']} 倍）",
            }
        )
    return rows


def grade_counts(*, user, run: EvaluationRun) -> dict[str, int]:
    counts = dict(results(user=user, run=run).exclude(grade="").values_list("grade").annotate(n=Count("pk")))
    return {g: counts.get(g, 0) for g in GRADE_ORDER}


AGGREGATE_BY = {
    "park": ("park_id", "park__name"),
    "zone": ("zone_id", "zone__name"),
    "town": ("town_id", "town__name"),
    # An enterprise in two clusters counts in both; one in none under （未划入）.
    "cluster": (
        "enterprise__cluster_memberships__cluster_id",
        "enterprise__cluster_memberships__cluster__name",
    ),
}


def aggregates(*, user, run: EvaluationRun, by: str) -> list[dict]:
    """Output and tax per mu and class counts per park, zone, town or cluster (graded enterprises).

    Parks and zones carry their targets (亩均产值/税收目标 of their profile) beside the figures.
    """
    key, name_path = AGGREGATE_BY[by]
    groups: dict[tuple, dict] = defaultdict(
        lambda: {"n": 0, "land": 0.0, "tax": 0.0, "output": 0.0, **{g: 0 for g in GRADE_ORDER}}
    )
    for unit_id, name, grade, land, tax, output in (
        results(user=user, run=run)
        .exclude(grade="")
        .values_list(key, name_path, "grade", "land_mu", "input_tax", "input_output")
        .order_by()
    ):
        row = groups[(unit_id, name or "（未划入）")]
        row["n"] += 1
        row[grade] += 1
        row["land"] += land or 0
        row["tax"] += tax or 0
        row["output"] += output or 0
    targets = {}
    if by in ("park", "zone"):
        from .models import SpaceProfile

        targets = {
            p.unit_id: p for p in SpaceProfile.objects.filter(unit_id__in=[k[0] for k in groups if k[0]])
        }
    out = []
    for (unit_id, name), row in sorted(
        groups.items(), key=lambda item: (item[0][1] == "（未划入）", item[0][1])
    ):
        land = row["land"] or None
        profile = targets.get(unit_id)
        output_target = profile.output_target_per_mu if profile else None
        tax_target = profile.tax_target_per_mu if profile else None
        out.append(
            {
                "name": name,
                **row,
                "tax_per_mu": row["tax"] / land / 10_000 if land else None,
                "output_per_mu": row["output"] / land / 10_000 if land else None,
                "tax_target": float(tax_target) / 10_000 if tax_target else None,
                "output_target": float(output_target) / 10_000 if output_target else None,
            }
        )
    return out


def county_per_mu(*, user, counties) -> dict[int, dict]:
    """Per county: its latest official run's year, class counts and output and tax per mu (万元/亩),
    the sums of the town aggregates of that run."""
    out = {}
    for county in counties:
        county_runs = runs(official_only=True, user=user).filter(county=county)
        run = county_runs.order_by("-year", "-created_at").first()
        if run is None:
            continue
        towns = aggregates(user=user, run=run, by="town")
        land = sum(t["land"] for t in towns) or None
        out[county] = {
            "year": run.year,
            "graded": sum(t["n"] for t in towns),
            "grades": grade_counts(user=user, run=run),
            "output_per_mu": sum(t["output"] for t in towns) / land / 10_000 if land else None,
            "tax_per_mu": sum(t["tax"] for t in towns) / land / 10_000 if land else None,
        }
    return out


def class_changes(*, user, run: EvaluationRun, base: EvaluationRun) -> list[dict]:
    """Who changes class between a base run and another run of the same year, and why (score, rank)."""
    mine = {r.enterprise_id: r for r in results(user=user, run=run)}
    changes = []
    for old in results(user=user, run=base):
        new = mine.get(old.enterprise_id)
        if new is None or new.grade == old.grade:
            continue
        changes.append({"enterprise": old.enterprise, "old": old, "new": new, "why": _why(old, new)})
    changes.sort(key=lambda c: (c["old"].grade or "Z", c["enterprise"].name))
    return changes


def _why(old: EvaluationResult, new: EvaluationResult) -> str:
    from .grading import INDICATORS

    parts = []
    if old.score is not None and new.score is not None:
        parts.append(f"得分 {old.score:.2f} → {new.score:.2f}")
    if old.rank and new.rank and old.rank != new.rank:
        parts.append(f"类内排名 {old.rank} → {new.rank}")
    specs_old = {s["code"]: k for k, s in enumerate(old.run.layout["categories"].get(old.category, []))}
    specs_new = new.run.layout["categories"].get(new.category, [])
    deltas = []
    for k, spec in enumerate(specs_new):
        j = specs_old.get(spec["code"])
        p_new = (new.trace.get("points") or [0] * len(specs_new))[k]
        p_old = (old.trace.get("points") or [])[j] if j is not None and old.trace.get("points") else 0.0
        if abs(p_new - p_old) >= 0.01:
            deltas.append(
                (abs(p_new - p_old), f"{INDICATORS[spec['code']].label} {p_old:.2f}→{p_new:.2f} 分")
            )
    deltas.sort(reverse=True)
    parts.extend(text for _, text in deltas[:2])
    return "；".join(parts)


def objections(*, user, run: EvaluationRun | None = None):
    qs = Objection.objects.visible_to(user).select_related("enterprise", "run", "filed_by", "ruled_by")
    return qs.filter(run=run) if run else qs


def published_runs(user=None):
    return runs(official_only=True, user=user).filter(state__in=(RunState.NOTICE, RunState.FINAL))


# --- matching space to needs ---------------------------------------------------------------


def _industry_fit(profiles: dict, park_id, zone_id, code: str) -> int:
    prefix = (code or "")[:2]
    if not prefix:
        return 0
    for unit_id in (zone_id, park_id):
        profile = profiles.get(unit_id)
        if profile is None:
            continue
        if prefix in profile.negative_codes():
            return -1
        if prefix in profile.industry_codes():
            return 1
    return 0


@dataclass(frozen=True)
class SpaceNeed:
    """What a project or an enterprise's 用地/厂房 demand asks for: land in 亩, floor space in ㎡."""

    industry_code: str
    land_mu: float
    building_sqm: float


def need_of(*, project=None, demand=None) -> SpaceNeed:
    """A project's land and building needs, or a land demand's form (亩: land, 平方米: floor space)."""
    if project is not None:
        return SpaceNeed(
            project.industry_code or "",
            float(project.land_need_mu or 0),
            float(project.building_need_sqm or 0),
        )
    need = getattr(demand, "land_need", None)
    area = float(need.area or 0) if need else 0.0
    by_mu = need is not None and need.area_unit == "mu"
    return SpaceNeed(
        demand.enterprise.industry_code or "", area if by_mu else 0.0, 0.0 if by_mu or need is None else area
    )


def land_demands(*, user):
    """The enterprises' 用地/厂房 demands the user sees that have their need form filled in."""
    from qiangxian.service.models import Demand

    return (
        Demand.objects.visible_to(user)
        .filter(category="land", land_need__area__gt=0)
        .select_related("enterprise", "land_need")
        .order_by("-pk")
    )


def match_space(*, user, project=None, demand=None, limit: int = 15) -> dict:
    """Parcels and buildings that fit a project's or a demand's land and floor-space needs, ranked.

    Candidates are ranked from plain columns; records are read only for the ones shown.
    """
    wanted = need_of(project=project, demand=demand)
    import numpy as np

    from qiangxian.enterprises.industry import get_industry

    from . import matching
    from .choices import AVAILABLE_STATUSES
    from .models import SpaceProfile

    profiles = {p.unit_id: p for p in SpaceProfile.objects.all()}
    code = wanted.industry_code
    division = get_industry(code[:2]) if code[:2].isdigit() else None
    label = f"所属行业（{division.name}）" if division else ""
    fit_of: dict[tuple, int] = {}

    def fits(rows) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.int64)
        for i, (park_id, zone_id) in enumerate(rows):
            key = (park_id, zone_id)
            if key not in fit_of:
                fit_of[key] = _industry_fit(profiles, park_id, zone_id, code)
            out[i] = fit_of[key]
        return out

    out = {"parcels": [], "buildings": []}
    need_mu = wanted.land_mu
    if need_mu > 0:
        rows = list(
            Parcel.objects.visible_to(user)
            .filter(status__in=AVAILABLE_STATUSES)
            .values_list("pk", "area_mu", "park_id", "zone_id")
        )
        size = np.array([float(r[1]) for r in rows])
        fit = fits([(r[2], r[3]) for r in rows])
        ranked = matching.rank(size, need_mu, fit)
        top = ranked.order[:limit].tolist()
        objects = parcels(user=user).in_bulk([rows[i][0] for i in top])
        for i in top:
            good, bad = matching.reasons(size[i], need_mu, "亩", int(fit[i]), label)
            out["parcels"].append(
                {"obj": objects[rows[i][0]], "score": ranked.score[i], "reasons": good, "misses": bad}
            )
    need_sqm = wanted.building_sqm
    if need_sqm > 0:
        rows = [
            r
            for r in buildings(user=user).values_list(
                "pk", "floor_area_sqm", "leased_sqm", "park_id", "zone_id"
            )
            if r[1] - (r[2] or 0) > 0
        ]
        size = np.array([float(r[1] - (r[2] or 0)) for r in rows])
        fit = fits([(r[3], r[4]) for r in rows])
        ranked = matching.rank(size, need_sqm, fit)
        top = ranked.order[:limit].tolist()
        objects = buildings(user=user).in_bulk([rows[i][0] for i in top])
        for i in top:
            good, bad = matching.reasons(size[i], need_sqm, "平方米", int(fit[i]), label)
            b = objects[rows[i][0]]
            if b.floor_load_kn:
                good.append(f"楼面荷载 {b.floor_load_kn} kN/㎡")
            if b.crane_tonnage:
                good.append(f"行车 {b.crane_tonnage} 吨")
            out["buildings"].append({"obj": b, "score": ranked.score[i], "reasons": good, "misses": bad})
    return out


def offers(*, user, project=None, demand=None):
    from .models import SpaceOffer

    qs = SpaceOffer.objects.visible_to(user).select_related(
        "project", "demand", "demand__enterprise", "parcel", "building"
    )
    if project is not None:
        return qs.filter(project=project)
    return qs.filter(demand=demand) if demand is not None else qs


# --- map ------------------------------------------------------------------------------------

STATUS_COLOURS = {
    "in_use": "#4e79a7",
    "idle": "#e15759",
    "inefficient": "#f28e2b",
    "building": "#59a14f",
    "reserve": "#bab0ac",
    "approved": "#b07aa1",
    "supplied": "#edc948",
}
GRADE_COLOURS = {"A": "#2e7d32", "B": "#81c784", "C": "#ffb74d", "D": "#e53935", "": "#bdbdbd"}


def map_parks(*, user):
    """The parks a map may be drawn for: those inside the user's county boundary."""
    parks = OrgUnit.objects.filter(kind=OrgUnitKind.PARK).order_by("sort_order", "name")
    return within_counties(parks, scope_of(user))


def map_data(*, user, colour_by: str = "status", park=None) -> dict:
    """The county's own parcel boundaries as GeoJSON, each coloured by status or by its holder's class."""
    from .choices import ParcelStatus

    queryset = parcels(user=user).filter(boundary__isnull=False)
    if park is not None:
        queryset = queryset.filter(park=park)
    grades: dict[int, str] = {}
    run = current_run(user=user)
    if colour_by == "grade" and run is not None:
        grades = dict(EvaluationResult.objects.filter(run=run).values_list("enterprise_id", "grade"))
    features, data, rows = [], [], []
    labels = dict(ParcelStatus.choices)
    for p in queryset.order_by("code")[:5000]:
        grade = grades.get(p.holder_id, "") if p.holder_id else ""
        key = grade if colour_by == "grade" else p.status
        colour = (GRADE_COLOURS if colour_by == "grade" else STATUS_COLOURS).get(key, "#bdbdbd")
        features.append({"type": "Feature", "properties": {"name": p.code}, "geometry": p.boundary})
        label = (f"{grade}类" if grade else "未评价") if colour_by == "grade" else labels[p.status]
        data.append(
            {
                "name": p.code,
                "value": float(p.area_mu),
                "itemStyle": {"areaColor": colour},
                "label_text": label,
            }
        )
        rows.append({"parcel": p, "label": label, "colour": colour})
    legend = (
        [(f"{g}类", c) for g, c in GRADE_COLOURS.items() if g] + [("未评价", GRADE_COLOURS[""])]
        if colour_by == "grade"
        else [(labels[s], c) for s, c in STATUS_COLOURS.items()]
    )
    option = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "map",
                "map": "qx-parcels",
                "roam": True,
                "selectedMode": False,
                "label": {"show": False},
                "itemStyle": {"borderColor": "#555", "borderWidth": 0.5},
                "emphasis": {"label": {"show": True}},
                "data": [{k: v for k, v in d.items() if k != "label_text"} for d in data],
            }
        ],
    }
    return {
        "geojson": {"type": "FeatureCollection", "features": features},
        "option": option,
        "rows": rows,
        "legend": legend,
    }


# --- reuse history --------------------------------------------------------------------------


def per_mu_by_year(enterprise_ids) -> dict[tuple[int, int], dict]:
    """(enterprise, year) → tax and output per mu (万元/亩) from the latest official run of each year."""
    out: dict[tuple[int, int], dict] = {}
    rows = (
        EvaluationResult.objects.filter(run__kind=RunKind.OFFICIAL, enterprise_id__in=list(enterprise_ids))
        .order_by("run__year", "run__created_at")
        .values_list("enterprise_id", "run__year", "land_mu", "input_tax", "input_output")
    )
    for enterprise_id, year, land, tax, output in rows:
        per = {"year": year, "tax": None, "output": None}
        if land:
            for key, value in (("tax", tax), ("output", output)):
                if value is not None:
                    per[key] = value / land / 10_000
        out[(enterprise_id, year)] = per
    return out


def _figures(table: dict, enterprise_id, year: int, *, before: bool) -> dict | None:
    """The enterprise's per-mu figures in the last year before ``year`` or the first year from it."""
    if not enterprise_id:
        return None
    years = sorted(y for e, y in table if e == enterprise_id)
    chosen = [y for y in years if y < year] if before else [y for y in years if y >= year]
    if not chosen:
        return None
    return table[(enterprise_id, chosen[-1] if before else chosen[0])]


def _occupant(enterprise=None, project=None, name: str = "") -> dict | None:
    if enterprise is None and project is None and not name:
        return None
    if enterprise is not None:
        return {"label": enterprise.name, "enterprise": enterprise, "industry": _industry_label(enterprise)}
    if project is not None:
        return {"label": f"项目：{project.name}", "enterprise": None, "industry": project.name}
    return {"label": name, "enterprise": None, "industry": ""}


def _industry_label(enterprise) -> str:
    from qiangxian.enterprises.industry import get_industry

    code = enterprise.industry_code or ""
    found = get_industry(code[:2]) if code[:2].isdigit() else None
    return found.name if found else ""


def reuse_history(*, parcel: Parcel | None = None, building: Building | None = None) -> list[dict]:
    """Who left and who came on a parcel (holder changes) or a building's floor/unit (leases), with when,
    what for and the output and tax per mu of the one who left (before) and the one who came (after)."""
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.projects.models import Project

    events = []
    if parcel is not None:
        records = list(
            parcel.history.order_by("history_date", "history_id").values_list(
                "history_date", "holder_id", "project_id"
            )
        )
        ids = {r[1] for r in records if r[1]}
        firms = Enterprise.objects.in_bulk(ids)
        projects = Project.objects.in_bulk({r[2] for r in records if r[2]})
        last = None  # the last (holder, project) that used the parcel
        seen_first = False
        for when, holder_id, project_id in records:
            key = (holder_id, project_id)
            if key == (None, None):
                seen_first = True
                continue
            if seen_first and key != last:
                events.append(
                    {
                        "date": when.date(),
                        "place": str(parcel),
                        "left": _occupant(firms.get(last[0]), projects.get(last[1])) if last else None,
                        "came": _occupant(firms.get(holder_id), projects.get(project_id)),
                        "left_id": last[0] if last else None,
                        "came_id": holder_id,
                    }
                )
            last, seen_first = key, True
        for item in parcel.idle_items.filter(reused_project__isnull=False, reused_by__isnull=True):
            events.append(
                {
                    "date": item.closed_on,
                    "place": str(parcel),
                    "left": None,
                    "came": _occupant(project=item.reused_project),
                    "left_id": None,
                    "came_id": None,
                }
            )
    if building is not None:
        places: dict[tuple, list] = defaultdict(list)
        for lease in building.leases.select_related("tenant").order_by("start_on", "pk"):
            places[(lease.floor, lease.unit)].append(lease)
        for (floor, unit), leases in places.items():
            for old, new in itertools.pairwise(leases):
                if (old.tenant_id, old.tenant_name) == (new.tenant_id, new.tenant_name):
                    continue
                events.append(
                    {
                        "date": new.start_on,
                        "place": f"{floor}层{unit or '（整层）'}",
                        "left": _occupant(old.tenant, name=old.tenant_name),
                        "came": _occupant(new.tenant, name=new.tenant_name),
                        "left_id": old.tenant_id,
                        "came_id": new.tenant_id,
                        "left_until": old.end_on,
                    }
                )
    table = per_mu_by_year(({e["left_id"] for e in events} | {e["came_id"] for e in events}) - {None})
    for e in events:
        year = e["date"].year if e["date"] else 0
        e["before"] = _figures(table, e["left_id"], year, before=True)
        e["after"] = _figures(table, e["came_id"], year, before=False)
    events.sort(key=lambda e: e["date"] or dt.date.min, reverse=True)
    return events


# --- the per-mu class as a designation rules and policies read ------------------------------

CLASS_DESIGNATIONS = {g: f"亩均效益评价{g}类" for g in GRADE_ORDER}


def class_in_force(as_of: dt.date) -> tuple[set, list[tuple[int, str]]]:
    """Per county, the latest official run frozen (定档) on or before ``as_of``: the counties that
    have one (a scheme without a county stands for the whole installation: ``None``) and the
    (enterprise, class) rows of those runs.

    That run's class is the one the differentiated measures (电价、水价、用地) apply until the next
    year's results are frozen; an enterprise it did not grade holds no class.
    """
    latest: dict = {}
    for pk, county_id in (
        EvaluationRun.objects.filter(
            kind=RunKind.OFFICIAL, state=RunState.FINAL, finalized_at__date__lte=as_of
        )
        .order_by("-finalized_at")
        .values_list("pk", "county_id")
    ):
        latest.setdefault(county_id, pk)
    if not latest:
        return set(), []
    rows = (
        EvaluationResult.objects.filter(run_id__in=list(latest.values()))
        .exclude(grade="")
        .values_list("enterprise_id", "grade")
        .order_by()
    )
    return set(latest), list(rows)
