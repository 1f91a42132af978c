"""Reads of the monitoring module, always within the user's jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404

from qiangxian.core.access import county_filter, get_visible_or_404, scope_of
from qiangxian.core.models import OrgUnit

from . import indicators
from .models import FactRevision, ImportBatch, ImportProfile, MonitorWarning, MonthlyFact, RollupFillState

SCOPE_LABELS = {"county": "全县", "town": "乡镇", "park": "园区", "zone": "片区"}


def aggregate_scope(user) -> tuple[str, int] | None:
    """The rollup scope a user reads: the county, or their town/park/zone; None for enterprises.

    A lone county's rollups are keyed ("county", 0); a county under a city or province by its own
    id. A city or province user starts on the first of its counties.
    """
    scope = scope_of(user)
    if scope.everything or scope.kind == "bureau":
        if scope.counties is None:
            return indicators.COUNTY
        return ("county", scope.counties[0]) if scope.counties else None
    if scope.kind in ("town", "park", "zone") and scope.unit_id:
        return (scope.kind, scope.unit_id)
    return None


def county_scopes(user) -> list[tuple[str, int]]:
    """Every county rollup scope the user may read (several for a city or province user)."""
    scope = scope_of(user)
    if not (scope.everything or scope.kind == "bureau"):
        return []
    if scope.counties is None:
        return [indicators.COUNTY]
    return [("county", pk) for pk in scope.counties]


def require_aggregate_scope(user) -> tuple[str, int]:
    """Like :func:`aggregate_scope`, but enterprises and unplaced users are refused."""
    scope = aggregate_scope(user)
    if scope is None:
        raise PermissionDenied("运行监测汇总数据仅对政府部门用户开放。")
    return scope


def requested_scope(user, kind: str | None, unit_id) -> tuple[str, int]:
    """A scope asked for in a URL: county users may pick any; others only their own (else 404)."""
    own = require_aggregate_scope(user)
    allowed_counties = county_scopes(user)
    if not kind or kind == "county":
        if not kind:
            return own
        if own[0] != "county":
            raise Http404("未找到该记录，或您无权查看。")
        if len(allowed_counties) == 1:
            return allowed_counties[0]
        try:
            wanted = ("county", int(unit_id))
        except (TypeError, ValueError):
            return own
        if wanted not in allowed_counties:
            raise Http404("未找到该记录，或您无权查看。")
        return wanted
    try:
        wanted = (kind, int(unit_id))
    except (TypeError, ValueError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc
    if (
        kind not in ("town", "park", "zone")
        or not OrgUnit.objects.visible_to(user).filter(pk=wanted[1], kind=kind).exists()
    ):
        raise Http404("未找到该记录，或您无权查看。")
    if own[0] == "county" or own == wanted:
        return wanted
    if (
        own[0] == "park"
        and kind == "zone"
        and OrgUnit.objects.filter(pk=wanted[1], parent_id=own[1]).exists()
    ):
        return wanted
    raise Http404("未找到该记录，或您无权查看。")


def scope_label(scope: tuple[str, int]) -> str:
    if scope[0] == "county":
        counties = OrgUnit.objects.filter(kind="county")
        if scope[1]:
            counties = counties.filter(pk=scope[1])
        county = counties.order_by("pk").values_list("name", flat=True).first()
        return county or "全县"
    return OrgUnit.objects.filter(pk=scope[1]).values_list("name", flat=True).first() or "—"


def scope_options(user) -> list[dict]:
    """Scopes the user may switch to on the dashboard."""
    own = require_aggregate_scope(user)
    if own[0] != "county":
        options = [{"kind": own[0], "id": own[1], "label": scope_label(own)}]
        if own[0] == "park":
            options += [
                {"kind": "zone", "id": pk, "label": name}
                for pk, name in OrgUnit.objects.filter(parent_id=own[1], kind="zone").values_list(
                    "pk", "name"
                )
            ]
        return options
    options = [{"kind": "county", "id": s[1], "label": scope_label(s)} for s in county_scopes(user)]
    for unit in (
        OrgUnit.objects.visible_to(user)
        .filter(kind__in=("park", "zone", "town"))
        .order_by("kind", "sort_order", "name")
    ):
        options.append({"kind": unit.kind, "id": unit.pk, "label": unit.name})
    return options


def available_months() -> list[dt.date]:
    """Months with filled rollups, newest first."""
    return list(RollupFillState.objects.order_by("-month").values_list("month", flat=True))


def latest_month() -> dt.date | None:
    months = available_months()
    return months[0] if months else None


def parse_month(raw, default: dt.date | None = None) -> dt.date | None:
    """ "2026-10" → 2026-10-01; the default for blanks and nonsense."""
    try:
        year, month = str(raw or "").split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return default


def batch_list(*, user):
    """Import batches: the office and the statistics users see them all; others none."""
    scope = scope_of(user)
    if not (scope.everything or scope.kind == "bureau"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(county_filter(scope, "county")).select_related(
        "profile", "created_by", "committed_by"
    )


def access_batch_by_id(user, pk) -> ImportBatch:
    try:
        return batch_list(user=user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def profile_list(*, user):
    scope = scope_of(user)
    if not (scope.everything or scope.kind == "bureau"):
        return ImportProfile.objects.none()
    return ImportProfile.objects.all()


def access_profile_by_id(user, pk) -> ImportProfile:
    try:
        return profile_list(user=user).get(pk=pk)
    except (ImportProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def enterprise_facts(*, user, enterprise_id: int, year: int | None = None):
    """One enterprise's monthly rows (all sources) the user may see."""
    qs = MonthlyFact.objects.visible_to(user).filter(enterprise_id=enterprise_id).select_related("batch")
    if year:
        qs = qs.filter(month__year=year)
    return qs.order_by("-month", "source")


def enterprise_revisions(*, user, enterprise_id: int):
    return (
        FactRevision.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("batch", "old_batch")
        .order_by("-changed_at")[:200]
    )


def warning_list(*, user, month: dt.date, kind: str | None = None):
    qs = (
        MonitorWarning.objects.visible_to(user)
        .filter(month=month)
        .select_related("enterprise", "enterprise__town", "enterprise__park")
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def access_enterprise(user, pk):
    from qiangxian.enterprises.models import Enterprise

    return get_visible_or_404(Enterprise.objects.select_related("town", "park", "zone"), user, pk)
