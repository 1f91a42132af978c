"""Reads of parks, land, buildings, idle space and evaluation results, always scoped to the user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from qiangxian.core.access import get_visible_or_404, scope_of, within_counties
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
    """The schemes of the user's county (every scheme when no user is given: jobs, the shell)."""
    return Scheme.objects.all() if user is None else Scheme.objects.visible_to(user)


def runs(*, official_only: bool = False, user=None):
    """Runs under the user's county's schemes (every run when no user is given)."""
    qs = EvaluationRun.objects.select_related("scheme")
    if user is not None:
        qs = qs.filter(scheme__in=schemes(user))
    return qs.filter(kind=RunKind.OFFICIAL) if official_only else qs


def current_run(year: int | None = None, *, user=None) -> EvaluationRun | None:
    """The latest official run (of a year) of the user's county: the one lists and aggregates show."""
    qs = runs(official_only=True, user=user)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-created_at").first()


def results(*, user, run: EvaluationRun):
    return EvaluationResult.objects.visible_to(user).filter(run=run).select_related("enterprise", "park")


def result(*, user, pk) -> EvaluationResult:
    return get_visible_or_404(
        EvaluationResult.objects.select_related("enterprise", "run", "run__scheme", "park"), user, pk
    )


def trace_rows(res: EvaluationResult) -> list[dict]:
    """The trace of a result: per indicator the value, the benchmark, the weight and the points."""
    from .grading import INDICATORS

    specs = res.run.layout.get("categories", {}).get(res.category, [])
    trace = res.trace or {}
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
                "method": "极差法" if spec["method"] == "minmax" else f"比值法（封顶 {spec['cap']} 倍）",
            }
        )
    return rows


def grade_counts(*, user, run: EvaluationRun) -> dict[str, int]:
    counts = dict(results(user=user, run=run).exclude(grade="").values_list("grade").annotate(n=Count("pk")))
    return {g: counts.get(g, 0) for g in GRADE_ORDER}


def aggregates(*, user, run: EvaluationRun, by: str) -> list[dict]:
    """Output and tax per mu and class counts per park, zone or town (graded enterprises)."""
    field = {"park": "park__name", "zone": "zone__name", "town": "town__name"}[by]
    groups: dict[str, dict] = defaultdict(
        lambda: {"n": 0, "land": 0.0, "tax": 0.0, "output": 0.0, **{g: 0 for g in GRADE_ORDER}}
    )
    for name, grade, land, trace in (
        results(user=user, run=run).exclude(grade="").values_list(field, "grade", "land_mu", "trace")
    ):
        row = groups[name or "（未划入）"]
        row["n"] += 1
        row[grade] += 1
        inputs = trace.get("inputs") or {}
        row["land"] += land or 0
        row["tax"] += inputs.get("tax") or 0
        row["output"] += inputs.get("output") or 0
    out = []
    for name, row in sorted(groups.items()):
        land = row["land"] or None
        out.append(
            {
                "name": name,
                **row,
                "tax_per_mu": row["tax"] / land / 10_000 if land else None,
                "output_per_mu": row["output"] / land / 10_000 if land else None,
            }
        )
    return out


def county_per_mu(*, user, counties) -> dict[int, dict]:
    """Per county: its latest official run's year, class counts and output and tax per mu (万元/亩),
    the sums of the town aggregates of that run."""
    out = {}
    for county in counties:
        county_runs = runs(official_only=True, user=user).filter(scheme__county=county)
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


def match_space(*, user, project, limit: int = 15) -> dict:
    """Parcels and buildings that fit a project's land and floor-space needs, ranked, with reasons.

    Candidates are ranked from plain columns; records are read only for the ones shown.
    """
    import numpy as np

    from qiangxian.enterprises.industry import get_industry

    from . import matching
    from .choices import AVAILABLE_STATUSES
    from .models import SpaceProfile

    profiles = {p.unit_id: p for p in SpaceProfile.objects.all()}
    code = project.industry_code or ""
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
    need_mu = float(project.land_need_mu or 0)
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
    need_sqm = float(project.building_need_sqm or 0)
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


def offers(*, user, project=None):
    from .models import SpaceOffer

    qs = SpaceOffer.objects.visible_to(user).select_related("project", "parcel", "building")
    return qs.filter(project=project) if project is not None else qs


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
