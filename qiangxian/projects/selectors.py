"""Reads of the project pipeline, always scoped to the user through ``visible_to``.

Every investment figure (1-N月 completed investment, funds in place) comes from
``investment_filter``/``annotate_investment``, so the overview, the project page, the lists and
their exports show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from qiangxian.core.access import get_visible_or_404, scope_of
from qiangxian.core.workdays import add_working_days

from .choices import LEAD_STAGES, LIGHT_RANK, STAGE_ORDER, Light, ProblemStatus, Stage
from .models import Problem, Project, ProjectProgress, ProjectStageChange, ProjectTarget
from .services import data_month, project_settings

ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


def project_list(*, user):
    """Projects the user may see, with what list pages show joined in."""
    return Project.objects.visible_to(user).select_related(
        "park", "zone", "town", "responsible_unit", "cluster", "investor", "liaison_leader"
    )


def access_project_by_id(user, pk) -> Project:
    """One project, or the same "not found" for missing and forbidden."""
    return get_visible_or_404(
        Project.objects.select_related(
            "park", "zone", "town", "responsible_unit", "cluster", "investor", "liaison_leader", "owner"
        ),
        user,
        pk,
    )


# --- investment figures --------------------------------------------------------------------


def period_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """1-N月 as stored months: January 1st to the first day of month N."""
    return dt.date(year, 1, 1), dt.date(year, month, 1)


def investment_filter(year: int, month: int, prefix: str = "") -> Q:
    """Progress rows that count towards 1-N月 of a year."""
    start, end = period_bounds(year, month)
    return Q(**{f"{prefix}month__gte": start, f"{prefix}month__lte": end})


def _progress_sum(field: str, year: int, month: int):
    rows = (
        ProjectProgress.objects.filter(investment_filter(year, month), project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def annotate_investment(queryset, *, year: int, month: int):
    """Add ytd_completed (1-N月 completed investment) and ytd_funds (1-N月 funds in place)."""
    return queryset.annotate(
        ytd_completed=_progress_sum("completed_investment", year, month),
        ytd_funds=_progress_sum("funds_in_place", year, month),
    )


def project_investment(project: Project, *, year: int, month: int) -> dict:
    """One project's 1-N月 figures and its cumulative investment, N being the latest month of the
    county's reported progress up to the month asked."""
    month = data_month(year, month)
    totals = ProjectProgress.objects.filter(investment_filter(year, month), project=project).aggregate(
        completed=Sum("completed_investment"), funds=Sum("funds_in_place")
    )
    latest = (
        ProjectProgress.objects.filter(project=project, month__lte=dt.date(year, month, 1))
        .order_by("-month")
        .first()
    )
    planned = project.planned_investment if project.plan_year == year else None
    completed = totals["completed"] or ZERO
    return {
        "year": year,
        "month": month,
        "completed": completed,
        "funds": totals["funds"] or ZERO,
        "to_date": latest.completed_to_date if latest else ZERO,
        "in_statistics": bool(latest and latest.in_statistics),
        "planned": planned,
        "completion": (completed / planned) if planned else None,
        "elapsed_share": Decimal(month) / 12,
    }


AREA_KINDS = ("town", "park", "zone")


def dashboard_summary_version(*also) -> str:
    """A fingerprint of everything :func:`dashboard_summary` reads, for pages that keep its output:
    projects, progress, targets, problems and approvals (their history rows), the settings, and
    the day the lights were last refreshed (the refresh writes the lights without history).
    ``also``: further models the page reads (in the same query)."""
    from qiangxian.core.versions import history_fingerprint

    from .approvals.models import ApprovalItem
    from .models import ProjectSettings

    refreshed = ProjectSettings.objects.values_list("county_id", "lights_refreshed_on").order_by("pk")
    return history_fingerprint(
        Project,
        ProjectProgress,
        ProjectTarget,
        ProjectSettings,
        Problem,
        ApprovalItem,
        *also,
        extra=[timezone.localdate(), list(refreshed)],
    )


def dashboard_summary(*, user, year: int, month: int, area: tuple[str, int] | None = None) -> dict:
    """The projects figures for 1-N月 of a year, within the user's scope, against the annual targets.

    Industrial investment completed vs its target and the pace of the year (N/12), projects of
    the big-project size (5亿元 and up) signed this year vs target, funds in place vs target (and
    the stretch of 20% over it). ``area`` narrows to one town, park or zone (the dashboard's chosen
    scope). Targets are county-wide, so they are shown for the whole county only.
    """
    scope = scope_of(user)
    projects = Project.objects.visible_to(user)
    narrowed = area is not None and area[0] in AREA_KINDS
    targets = ProjectTarget.objects.visible_to(user).filter(year=year)
    if narrowed:
        projects = projects.filter(**{f"{area[0]}_id": area[1]})
    elif area is not None and area[0] == "county" and area[1]:
        # One county of a city: its projects and its own targets.
        projects = projects.filter(county_id=area[1])
        targets = targets.filter(county_id=area[1])
    target = targets.first()
    # The figures are for the latest month with reported progress, and say so: a dashboard on
    # November must not call October's investment "1-11月" nor judge it against 11/12.
    asked_month = month
    month = data_month(year, month, projects=projects.values("pk"))
    start, end = period_bounds(year, month)
    month_end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    sums = ProjectProgress.objects.filter(
        investment_filter(year, month), project__in=projects.filter(industrial=True).values("pk")
    ).aggregate(completed=Sum("completed_investment"), funds=Sum("funds_in_place"))
    threshold = target.big_project_threshold if target else Decimal(500_000_000)
    big_signed = projects.filter(
        signed_on__gte=start, signed_on__lte=month_end, total_investment__gte=threshold
    )
    county_wide = scope.everything and not narrowed
    elapsed = Decimal(month) / 12

    def versus(actual: Decimal, goal: Decimal | None) -> dict:
        goal = goal if county_wide and goal else None
        completion = actual / goal if goal else None
        return {
            "actual": actual,
            "target": goal,
            "completion": completion,
            "gap_pp": (completion - elapsed) * 100 if completion is not None else None,
            "behind": completion is not None and completion < elapsed,
        }

    completed = sums["completed"] or ZERO
    funds = sums["funds"] or ZERO
    stage_counts = dict(projects.values_list("stage").annotate(n=Count("pk")).order_by())
    light_counts = dict(
        projects.exclude(stage=Stage.TERMINATED).values_list("light").annotate(n=Count("pk")).order_by()
    )
    funds_block = versus(funds, target.funds_in_place if target else None)
    if funds_block["target"]:
        funds_block["stretch_target"] = funds_block["target"] * (1 + target.funds_stretch_pct / 100)
        funds_block["stretch_pct"] = target.funds_stretch_pct
    return {
        "year": year,
        "month": month,
        "asked_month": asked_month,
        "data_note": f"项目进度数据截至{year}年{month}月，{asked_month}月进度尚未报送"
        if month != asked_month
        else "",
        "period_label": f"{year}年1-{month}月" if month > 1 else f"{year}年1月",
        "elapsed_share": elapsed,
        "county_wide": county_wide,
        "investment": versus(completed, target.industrial_investment if target else None),
        "big_projects": {
            "signed": big_signed.count(),
            "target": target.big_project_count if target and county_wide else None,
            "threshold": threshold,
        },
        "funds": funds_block,
        "stages": [
            {"stage": s.value, "label": s.label, "count": stage_counts.get(s.value, 0)}
            for s in [*STAGE_ORDER, Stage.TERMINATED]
        ],
        "lights": {light: light_counts.get(light, 0) for light in (Light.RED, Light.YELLOW, Light.GREEN)},
        "signed_not_started": stage_counts.get(Stage.SIGNED, 0),
    }


# --- board and lists -----------------------------------------------------------------------


def pipeline_board(*, queryset, per_stage: int = 12) -> list[dict]:
    """Columns per stage with counts, sums, light counts and the most urgent cards.

    Three queries whatever the number of projects: the counts, the ids of each stage's most
    urgent cards (a window over the stages, so only ids are sorted), and those cards.
    """
    counts: dict[str, dict] = {}
    for row in (
        queryset.order_by().values("stage", "light").annotate(n=Count("pk"), total=Sum("total_investment"))
    ):
        column = counts.setdefault(row["stage"], {"count": 0, "total": ZERO, "lights": {}})
        column["count"] += row["n"]
        column["total"] += row["total"] or ZERO
        column["lights"][row["light"]] = row["n"]
    urgency = [F("light_rank").desc(), F("total_investment").desc(), F("pk").asc()]
    chosen = (
        with_light_rank(queryset.order_by().select_related(None))
        .annotate(place=Window(RowNumber(), partition_by=[F("stage")], order_by=urgency))
        .filter(place__lte=per_stage)
        .values_list("pk", flat=True)
    )
    ids = list(chosen) if counts else []
    by_stage: dict[str, list] = {}
    cards_qs = with_light_rank(Project.objects.filter(pk__in=ids)).select_related("park", "responsible_unit")
    for card in cards_qs.order_by("-light_rank", "-total_investment", "pk"):
        by_stage.setdefault(card.stage, []).append(card)
    columns = []
    for stage in [*STAGE_ORDER, Stage.TERMINATED]:
        info = counts.get(stage, {"count": 0, "total": ZERO, "lights": {}})
        cards = by_stage.get(stage, [])
        columns.append(
            {
                "stage": stage.value,
                "label": stage.label,
                **info,
                "cards": cards,
                "more": max(0, info["count"] - len(cards)),
            }
        )
    return columns


def with_light_rank(queryset):
    """Order-able light severity (red first)."""
    from django.db.models import Case, IntegerField, When

    return queryset.annotate(
        light_rank=Case(
            *[When(light=k, then=Value(v)) for k, v in LIGHT_RANK.items()],
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def signed_not_started(*, user, today: dt.date | None = None):
    """Signed projects that have not broken ground, longest waiting first, with days since signing."""
    today = today or timezone.localdate()
    rows = list(project_list(user=user).filter(stage=Stage.SIGNED).order_by("signed_on", "pk"))
    for project in rows:
        project.days_since_signing = (today - project.signed_on).days if project.signed_on else None
    return rows


def stage_changes(project: Project):
    """The project's dated stage timeline, newest first."""
    return ProjectStageChange.objects.filter(project=project).select_related("actor")


def progress_rows(project: Project):
    """The project's monthly progress, oldest first."""
    return ProjectProgress.objects.filter(project=project).order_by("month")


def progress_chart(project: Project) -> dict | None:
    """ECharts option: completed investment per month (万元) and the cumulative line."""
    rows = list(progress_rows(project)[:120])
    if not rows:
        return None
    months = [r.month.strftime("%Y-%m") for r in rows]
    wan = Decimal(10_000)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": ["本月完成投资", "到位资金", "累计完成投资"]},
        "grid": {"left": 60, "right": 70, "bottom": 30, "top": 60},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [{"type": "value", "name": "万元"}, {"type": "value", "name": "累计（万元）"}],
        "series": [
            {
                "name": "本月完成投资",
                "type": "bar",
                "data": [float(r.completed_investment / wan) for r in rows],
            },
            {"name": "到位资金", "type": "bar", "data": [float(r.funds_in_place / wan) for r in rows]},
            {
                "name": "累计完成投资",
                "type": "line",
                "yAxisIndex": 1,
                "data": [float(r.completed_to_date / wan) for r in rows],
            },
        ],
    }


# --- problems and leads --------------------------------------------------------------------


def problem_list(*, user):
    """Problems the user may see (a bureau: those routed to it or on its projects)."""
    return Problem.objects.visible_to(user).select_related("project", "owner_unit", "raised_by")


def access_problem_by_id(user, pk) -> Problem:
    """One problem, or "not found"."""
    return get_visible_or_404(
        Problem.objects.select_related("project", "owner_unit", "raised_by", "solved_by"), user, pk
    )


def overdue_problems(*, user, today: dt.date | None = None):
    """Open problems past their deadline."""
    today = today or timezone.localdate()
    return problem_list(user=user).filter(status=ProblemStatus.OPEN, deadline__lt=today)


def overdue_by_unit(*, user, today: dt.date | None = None) -> list[dict]:
    """Overdue open problems counted per owner unit, most first."""
    rows = (
        overdue_problems(user=user, today=today)
        .values("owner_unit_id", "owner_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner_unit__name")
    )
    return [{"unit_id": r["owner_unit_id"], "unit": r["owner_unit__name"], "count": r["n"]} for r in rows]


def lead_deadlines(project: Project, settings) -> tuple[dt.date | None, dt.date | None]:
    """When a lead must have an owner, and when its assessment is due (working days)."""
    received = project.lead_received_on
    if received is None:
        return None, None
    return add_working_days(received, settings.lead_owner_days), add_working_days(
        received, settings.lead_assess_days
    )


def overdue_leads(*, user, today: dt.date | None = None) -> list[Project]:
    """Leads without an owner or an assessment past their deadline, each with what is late."""
    today = today or timezone.localdate()
    settings = project_settings()
    candidates = (
        project_list(user=user)
        .filter(stage__in=LEAD_STAGES)
        .filter(Q(owner__isnull=True) | Q(assessed_on__isnull=True))
        .select_related("owner")
        .order_by("lead_received_on", "pk")
    )
    late = []
    for project in candidates:
        owner_due, assess_due = lead_deadlines(project, settings)
        project.overdue_items = []
        if owner_due and project.owner_id is None and today > owner_due:
            project.overdue_items.append(f"未落实责任人（应于{owner_due:%Y-%m-%d}前）")
        if assess_due and project.assessed_on is None and today > assess_due:
            project.overdue_items.append(f"未完成研判（应于{assess_due:%Y-%m-%d}前）")
        if project.overdue_items:
            late.append(project)
    return late
