"""Reads of the reports module: the archive, and the figures a report is written from.

Every number of a report comes from the objects the dashboard and its API read: the dashboard
board (``dashboard.services.build_cached``: headlines, targets, breakdowns with share and pull,
rankings, trend, warnings), the projects overview (``projects.selectors.dashboard_summary``),
the projects' problems and the enterprises' demands through their own selectors. Nothing is
recomputed here: figures are copied into a JSON-safe dict (Decimals as text), which is what the
archive keeps and what the documents are written from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils import timezone

from qiangxian.core.access import get_visible_or_404
from qiangxian.dashboard import services as dashboard
from qiangxian.projects import selectors as project_selectors
from qiangxian.projects.choices import Light, Stage
from qiangxian.service.choices import OPEN_STATES
from qiangxian.service.selectors.demands import demand_list, overdue_condition
from qiangxian.statistics import indicators
from qiangxian.statistics import selectors as stats_selectors
from qiangxian.statistics.models import MonitorWarning, RollupFillState

from .models import GeneratedReport, ReportKind, ReportNote, ReportTemplate

AREA_KINDS = ("town", "park", "zone")


def report_list(*, user, kind: str | None = None):
    qs = GeneratedReport.objects.visible_to(user).select_related("created_by", "template")
    return qs.filter(kind=kind) if kind else qs


def access_report_by_id(user, pk) -> GeneratedReport:
    return get_visible_or_404(GeneratedReport.objects.select_related("created_by", "previous"), user, pk)


def template_list(*, user):
    return ReportTemplate.objects.visible_to(user).select_related("uploaded_by")


def access_template_by_id(user, pk) -> ReportTemplate:
    return get_visible_or_404(ReportTemplate.objects.all(), user, pk)


def note_for(*, user, month: dt.date, scope) -> ReportNote | None:
    return (
        ReportNote.objects.visible_to(user)
        .filter(month=month, scope_kind=scope[0], scope_id=scope[1])
        .first()
    )


def checked_month(raw) -> dt.date:
    """The month asked for, which must have filled statistics (else a Chinese refusal)."""
    month = stats_selectors.parse_month(raw) if not isinstance(raw, dt.date) else raw.replace(day=1)
    if month is None:
        raise ValidationError({"month": "请选择月份（格式 2026-05）。"})
    if month not in stats_selectors.available_months():
        raise ValidationError({"month": f"{month.year}年{month.month}月暂无运行监测数据，无法生成报告。"})
    return month


def _s(value) -> str | None:
    """A Decimal as exact text for the JSON (None stays None)."""
    if value is None:
        return None
    return str(value if isinstance(value, Decimal) else Decimal(str(value)))


def data_as_of(month: dt.date) -> dt.datetime | None:
    state = RollupFillState.objects.filter(month=month).values_list("filled_at", flat=True).first()
    return state


def _item(i: indicators.IndicatorValue) -> dict:
    return {
        "key": i.group_key,
        "label": i.label,
        "value": _s(i.value),
        "base": _s(i.base),
        "growth": _s(i.growth),
        "share": _s(i.share),
        "contribution": _s(i.contribution),
        "pull": _s(i.pull),
        "rank": i.rank,
        "n_reported": i.n_reported or 0,
    }


def _ranked(r: dashboard.Ranked) -> dict:
    return {
        "enterprise_id": r.enterprise_id,
        "name": r.name,
        "value": _s(r.value),
        "base": _s(r.base),
        "growth": _s(r.growth),
        "pull": _s(r.pull),
    }


def _progress(p) -> dict:
    return {
        "indicator": p.target.indicator,
        "name": p.name,
        "unit": p.unit,
        "target": _s(p.target.value),
        "actual": _s(p.actual),
        "completion": _s(p.completion),
        "elapsed": _s(p.elapsed),
        "status": p.status,
        "status_label": p.status_label,
        "responsible": str(p.target.responsible_unit or ""),
    }


def _area_q(scope, prefix: str):
    return indicators.scope_q(scope, prefix=prefix)


def board_figures(*, month: dt.date, scope) -> dict:
    """The dashboard board of a month and scope, as the report's figures."""
    board = dashboard.build_cached(month=month, scope=scope, above_only=True)
    headlines = []
    for h in board.headlines:
        t = h.target
        headlines.append(
            {
                "code": h.item.code,
                "name": h.name,
                "unit": indicators.CATALOGUE[h.item.code].unit,
                "value": _s(h.item.value),
                "base": _s(h.item.base),
                "growth": _s(h.item.growth),
                "n_reported": h.item.n_reported or 0,
                "n_comparable": h.item.n_comparable or 0,
                "note": h.note,
                "target": _s(t.target.value) if t else None,
                "completion": _s(t.completion) if t else None,
                "elapsed": _s(t.elapsed) if t else None,
                "status_label": t.status_label if t else "",
            }
        )
    trend = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "value": _s(row["value"]),
            "growth": _s(row["growth"]),
            "month_value": _s(row.get("month_value")),
            "month_base": _s(row.get("month_base")),
        }
        for row in board.trend
    ]
    return {
        "basis_label": board.basis_label,
        "scope_label": board.scope_label,
        "headlines": headlines,
        "trend": trend,
        "breakdowns": {
            kind: {"label": dashboard.BREAKDOWN_LABELS[kind], "items": [_item(i) for i in items]}
            for kind, items in board.breakdowns.items()
        },
        "rankings": {key: [_ranked(r) for r in rows] for key, rows in board.rankings.items()},
        "new_entrants": [_ranked(r) for r in board.new_entrants],
        "warnings": {
            kind: {"label": label, "count": board.warnings.get(kind, 0)}
            for kind, label in MonitorWarning.Kind.choices
        },
        "targets": [_progress(p) for p in board.targets],
    }


def stalled_enterprises(*, user, month: dt.date, scope, limit: int = 10) -> list[str]:
    """Names of the enterprises the monitoring flags as stalled this month (the dashboard's list)."""
    return list(
        stats_selectors.warning_list(user=user, month=month, kind=MonitorWarning.Kind.STALLED)
        .filter(_area_q(scope, "enterprise__"))
        .order_by("enterprise__name")
        .values_list("enterprise__name", flat=True)[:limit]
    )


def project_figures(*, user, month: dt.date, scope) -> dict:
    """The projects overview of the dashboard, and the signed-not-started and red-light projects."""
    summary = project_selectors.dashboard_summary(user=user, year=month.year, month=month.month, area=scope)

    def block(b):
        return {"actual": _s(b["actual"]), "target": _s(b["target"]), "completion": _s(b["completion"])}

    projects = project_selectors.project_list(user=user)
    if scope[0] in AREA_KINDS:
        projects = projects.filter(**{f"{scope[0]}_id": scope[1]})
    elif scope[1]:
        projects = projects.filter(county_id=scope[1])
    flagged = projects.filter(light__in=(Light.RED, Light.YELLOW)).exclude(stage=Stage.TERMINATED)
    return {
        "period_label": summary["period_label"],
        "data_note": summary["data_note"],
        "elapsed": _s(summary["elapsed_share"]),
        "investment": block(summary["investment"]),
        "funds": block(summary["funds"]),
        "big_signed": summary["big_projects"]["signed"],
        "big_target": summary["big_projects"]["target"],
        "big_threshold": _s(summary["big_projects"]["threshold"]),
        "signed_not_started": summary["signed_not_started"],
        "lights": {str(k): v for k, v in summary["lights"].items()},
        "flagged": [
            {
                "name": p.name,
                "light": p.light,
                "light_label": p.get_light_display(),
                "stage_label": p.get_stage_display(),
                "reasons": "；".join(r for r in p.light_texts if r),
                "unit": str(p.responsible_unit or ""),
            }
            for p in flagged.select_related("responsible_unit").order_by("-light", "name")[:30]
        ],
    }


def problem_figures(*, user, month: dt.date, scope, today: dt.date | None = None) -> dict:
    """Project problems and enterprise demands outstanding, overdue ones by unit."""
    today = today or timezone.localdate()
    area = _county_q(scope, "project__") if scope[0] == "county" else _area_q(scope, "project__")
    problems = project_selectors.problem_list(user=user).filter(area)
    overdue = project_selectors.overdue_problems(user=user, today=today).filter(pk__in=problems.values("pk"))
    demands = demand_list(user=user).filter(_area_q(scope, "enterprise__"))
    open_demands = demands.filter(state__in=OPEN_STATES)
    overdue_demands = open_demands.filter(overdue_condition(today))
    by_unit: dict[str, dict] = {}
    for row in overdue.values("owner_unit__name").annotate(n=Count("pk")):
        by_unit.setdefault(row["owner_unit__name"] or "未指定", {"problems": 0, "demands": 0})["problems"] = (
            row["n"]
        )
    for row in overdue_demands.values("lead_unit__name").annotate(n=Count("pk")):
        by_unit.setdefault(row["lead_unit__name"] or "未指定", {"problems": 0, "demands": 0})["demands"] = (
            row["n"]
        )
    return {
        "problems_open": problems.filter(status="open").count(),
        "problems_overdue": overdue.count(),
        "demands_open": open_demands.count(),
        "demands_overdue": overdue_demands.count(),
        "overdue_by_unit": [
            {"unit": unit, **counts}
            for unit, counts in sorted(by_unit.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ],
    }


def _county_q(scope, prefix: str):
    from django.db.models import Q

    return Q(**{f"{prefix}county_id": scope[1]}) if scope[1] else Q()


def monthly_figures(*, user, month: dt.date, scope) -> dict:
    """Everything the monthly analysis says, from the dashboard's objects (JSON-safe)."""
    figures = board_figures(month=month, scope=scope)
    as_of = data_as_of(month)
    figures["meta"] = {
        "month": month.strftime("%Y-%m"),
        "scope_kind": scope[0],
        "scope_id": scope[1],
        "scope_label": figures.pop("scope_label"),
        "data_as_of": as_of.isoformat() if as_of else None,
    }
    figures["stalled"] = stalled_enterprises(user=user, month=month, scope=scope)
    figures["projects"] = project_figures(user=user, month=month, scope=scope)
    figures["problems"] = problem_figures(user=user, month=month, scope=scope)
    return figures


def latest_data_as_of() -> dt.datetime | None:
    return RollupFillState.objects.aggregate(at=Max("filled_at"))["at"]


def previous_report(*, kind: str, month: dt.date, scope, template=None) -> GeneratedReport | None:
    qs = GeneratedReport.objects.filter(kind=kind, month=month, scope_kind=scope[0], scope_id=scope[1])
    if template is not None:
        qs = qs.filter(template=template)
    return qs.order_by("-created_at", "-pk").first()


KIND_LABELS = dict(ReportKind.choices)


def task_figures(*, user, scope) -> list[dict]:
    """Supervised tasks still open, with the lead unit's latest progress (the supervision module's)."""
    from qiangxian.supervision.selectors import latest_report, task_list

    tasks = (
        task_list(user=user)
        .exclude(status__in=("closed",))
        .select_related("lead_unit")
        .prefetch_related("reports")
    )
    result = []
    for task in tasks.order_by("deadline", "pk")[:60]:
        report = latest_report(task)
        result.append(
            {
                "title": task.title,
                "unit": str(task.lead_unit or ""),
                "deadline": task.deadline.isoformat(),
                "status_label": task.get_status_display(),
                "percent": report.percent_done if report else None,
                "progress": (report.progress[:120] if report else ""),
            }
        )
    return result


def pool_figures(*, user, month: dt.date, scope) -> dict:
    """The cultivation pool's movements this year up to the month: new above-scale enterprises
    (入规月份) and titles granted (有效期起), from the registry's designations."""
    from qiangxian.enterprises.choices import DesignationKind
    from qiangxian.enterprises.models import Designation

    start = dt.date(month.year, 1, 1)
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    rows = (
        Designation.objects.visible_to(user)
        .filter(_area_q(scope, "enterprise__"))
        .select_related("enterprise")
    )
    entered = rows.filter(kind=DesignationKind.ABOVE_SCALE, entry_month__gte=start, entry_month__lt=end)
    titles = rows.exclude(kind=DesignationKind.ABOVE_SCALE).filter(valid_from__gte=start, valid_from__lt=end)
    return {
        "new_above_scale": [d.enterprise.name for d in entered.order_by("entry_month", "enterprise__name")],
        "new_titles": [
            {
                "name": d.enterprise.name,
                "title": d.get_kind_display(),
                "level": d.get_level_display() if d.level else "",
            }
            for d in titles.order_by("kind", "enterprise__name")
        ],
    }


def meeting_figures(*, user, month: dt.date, scope) -> dict:
    """The leading group's meeting material: targets, projects by light, overdue problems by unit,
    supervised tasks, the pool's movements; the same objects as the monthly analysis."""
    board = board_figures(month=month, scope=scope)
    as_of = data_as_of(month)
    return {
        "meta": {
            "month": month.strftime("%Y-%m"),
            "scope_kind": scope[0],
            "scope_id": scope[1],
            "scope_label": board["scope_label"],
            "data_as_of": as_of.isoformat() if as_of else None,
        },
        "basis_label": board["basis_label"],
        "headlines": board["headlines"],
        "targets": board["targets"],
        "projects": project_figures(user=user, month=month, scope=scope),
        "problems": problem_figures(user=user, month=month, scope=scope),
        "tasks": task_figures(user=user, scope=scope),
        "pool": pool_figures(user=user, month=month, scope=scope),
    }
