"""Writes of the project pipeline: keyword-only, one transaction, validated first, history kept.

Every write that changes a project's facts refreshes its stored light, so the pipeline pages
read lights without computing them; ``lights_refresh`` also runs for all projects each month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from qiangxian.core.access import scope_of, settings_county_id
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.concurrency import STALE, same_version
from qiangxian.enterprises.industry import validate_industry_code
from qiangxian.enterprises.uscc import validate_uscc

from . import lights, transitions
from .approvals import blocking
from .choices import STAGE_ORDER, ProblemStatus, Stage
from .models import (
    Problem,
    ProblemNote,
    Project,
    ProjectProgress,
    ProjectSettings,
    ProjectStageChange,
    ProjectTarget,
    size_class_of,
)

EDITABLE_FIELDS = {
    "name",
    "industrial",
    "investor",
    "investor_id",
    "investor_name",
    "investor_uscc",
    "lead_source",
    "referrer",
    "cluster",
    "cluster_id",
    "industry_code",
    "park",
    "park_id",
    "zone",
    "zone_id",
    "town",
    "town_id",
    "location",
    "total_investment",
    "fixed_asset_investment",
    "plan_year",
    "planned_investment",
    "responsible_unit",
    "responsible_unit_id",
    "liaison_leader",
    "liaison_leader_id",
    "committed_intensity",
    "committed_output",
    "committed_tax",
    "start_deadline",
    "production_deadline",
    "committed_jobs",
    "land_need_mu",
    "building_need_sqm",
    "description",
    "lead_received_on",
}
WRITER_ROLES = (Role.OFFICE, Role.ADMIN, Role.BUREAU, Role.PARK, Role.TOWN)
STALE_MESSAGE = "该项目已被他人修改，请刷新页面后重新操作。"


# --- settings and permissions --------------------------------------------------------------


# What a project promises or needs: none of these can be negative.
COMMITMENTS = (
    "committed_intensity",
    "committed_output",
    "committed_tax",
    "committed_jobs",
    "land_need_mu",
    "building_need_sqm",
)


def project_settings(county_id: int | None = None) -> ProjectSettings:
    """The settings that apply to a county (default: the asking user's), created on first use."""
    return ProjectSettings.current(county_id)


def thresholds_of(settings: ProjectSettings) -> lights.Thresholds:
    """The light thresholds in the pure module's terms."""
    return lights.Thresholds(
        pace_yellow_pp=settings.pace_yellow_pp,
        pace_red_pp=settings.pace_red_pp,
        default_start_months=settings.default_start_months,
        signed_red_months=settings.signed_red_months,
        stats_yellow_months=settings.stats_yellow_months,
        stats_red_months=settings.stats_red_months,
        production_red_months=settings.production_red_months,
        intensity_red_ratio=settings.intensity_red_ratio,
        stats_threshold=settings.stats_threshold,
        approval_lookahead_days=settings.approval_lookahead_days,
    )


def default_evaluation_month(today: dt.date | None = None) -> tuple[int, int]:
    """The last complete month: monthly figures for month N arrive in month N+1."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _owns(user, project: Project) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    unit = scope.unit_id
    return {
        "bureau": project.responsible_unit_id == unit,
        "park": project.park_id == unit,
        "zone": project.zone_id == unit,
        "town": project.town_id == unit,
    }.get(scope.kind, False)


def can_edit_project(user, project: Project | None = None) -> bool:
    """Office and admins edit every project; a bureau, park or town those it is responsible for or hosts."""
    if not user.is_authenticated or user.role not in WRITER_ROLES:
        return False
    if user.can_manage or user.is_superuser:
        return True
    return project is None or _owns(user, project)


def can_manage_settings(user) -> bool:
    """Thresholds, targets and the monthly recompute belong to the office."""
    return user.is_authenticated and (user.can_manage or user.is_superuser)


def can_handle_problem(user, problem: Problem) -> bool:
    """The owner unit's staff, the project's editors and the office may add notes and solve."""
    if can_edit_project(user, problem.project):
        return True
    return user.is_authenticated and user.role == Role.BUREAU and user.org_unit_id == problem.owner_unit_id


def _require_edit(actor, project: Project | None = None) -> None:
    if not can_edit_project(actor, project):
        raise PermissionDenied("您无权登记或修改该项目。")


# --- projects ------------------------------------------------------------------------------


def _next_code(year: int) -> str:
    prefix = f"XM{year}"
    last = (
        Project.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:04d}"


def _validate(project: Project, actor) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (project.name or "").strip():
        add("name", "请填写项目名称。")
    if not project.investor_id and not (project.investor_name or "").strip():
        add("investor_name", "请选择名录内企业或填写投资方名称。")
    if project.investor_uscc:
        result = validate_uscc(project.investor_uscc)
        if result.ok:
            project.investor_uscc = result.normalized
        else:
            errors.setdefault("investor_uscc", []).extend(issue.message for issue in result.errors)
    if project.industry_code:
        ok, message = validate_industry_code(project.industry_code)
        if not ok:
            add("industry_code", message)
    for field in ("total_investment", "fixed_asset_investment", "planned_investment"):
        value = getattr(project, field)
        if value is None or value < 0:
            add(field, "金额不能为负数。")
    for field in COMMITMENTS:
        value = getattr(project, field)
        if value is not None and value < 0:
            add(field, "承诺指标和用地、用房需求不能为负数。")
    amounts_ok = not errors.get("total_investment") and not errors.get("fixed_asset_investment")
    if amounts_ok and project.fixed_asset_investment > project.total_investment:
        add("fixed_asset_investment", "固定资产投资不能大于总投资。")
    if project.planned_investment and project.planned_investment > 0 and not project.plan_year:
        add("plan_year", "填写了年度计划投资，请同时填写计划年度。")
    if project.park_id and project.park.kind != OrgUnitKind.PARK:
        add("park", "所在园区必须是园区。")
    if project.zone_id:
        if project.zone.kind != OrgUnitKind.ZONE:
            add("zone", "所在片区必须是园区的片区。")
        elif project.zone.parent_id != project.park_id:
            add("zone", f"片区“{project.zone}”不属于所选园区。")
    if project.town_id and project.town.kind != OrgUnitKind.TOWN:
        add("town", "所在乡镇必须是乡镇/街道。")
    if project.responsible_unit_id and project.responsible_unit.kind not in (
        OrgUnitKind.BUREAU,
        OrgUnitKind.PARK,
        OrgUnitKind.OFFICE,
        OrgUnitKind.TOWN,
    ):
        add("responsible_unit", "责任单位应为部门、园区或乡镇。")
    if (
        project.start_deadline
        and project.production_deadline
        and project.production_deadline < project.start_deadline
    ):
        add("production_deadline", "约定投产日期不能早于约定开工日期。")
    scope = scope_of(actor)
    # A bureau, park or town may only place a project inside its own responsibility.
    if scope.kind == "bureau" and project.responsible_unit_id != scope.unit_id:
        add("responsible_unit", "只能登记本单位负责的项目。")
    if scope.kind == "park" and project.park_id != scope.unit_id:
        add("park", "只能登记本园区的项目。")
    if scope.kind == "zone" and project.zone_id != scope.unit_id:
        add("zone", "只能登记本片区的项目。")
    if scope.kind == "town" and project.town_id != scope.unit_id:
        add("town", "只能登记本乡镇的项目。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, actor, today: dt.date | None = None, **fields) -> Project:
    """Register a project (usually a new lead, stage 线索) with its first stage record."""
    _require_edit(actor)
    today = today or timezone.localdate()
    project = Project(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    if not project.responsible_unit_id and scope_of(actor).kind == "bureau":
        project.responsible_unit_id = actor.org_unit_id
    _validate(project, actor)
    project.county_id = project.place_county_id() or (actor.org_unit.county_id if actor.org_unit_id else None)
    project.code = _next_code(today.year)
    project.lead_received_on = project.lead_received_on or today
    project.stage = Stage.SOURCING
    project.stage_on = project.lead_received_on
    project.size_class = size_class_of(project.total_investment)
    project._history_user = actor
    project.save()
    ProjectStageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=Stage.SOURCING,
        changed_on=project.stage_on,
        reason="登记线索",
        actor=actor,
    )
    lights_refresh(project_ids=[project.pk])
    project.refresh_from_db()
    return project


def _lock(project: Project, expected_updated_at) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    if not same_version(current.updated_at, expected_updated_at):
        raise ValidationError(STALE_MESSAGE, code=STALE)
    return current


@transaction.atomic
def project_update(*, actor, project: Project, expected_updated_at=None, **fields) -> Project:
    """Change a project's record; refuses to overwrite a change someone else saved meanwhile."""
    _require_edit(actor, project)
    current = _lock(project, expected_updated_at)
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(current, key, value)
    _validate(current, actor)
    current.size_class = size_class_of(current.total_investment)
    current._history_user = actor
    current.save()
    lights_refresh(project_ids=[current.pk])
    current.refresh_from_db()
    return current


@transaction.atomic
def project_transition(
    *,
    actor,
    project: Project,
    target: str,
    on: dt.date,
    reason: str = "",
    today: dt.date | None = None,
    expected_updated_at=None,
) -> Project:
    """Move a project to another stage on a date; the rules in ``transitions`` decide, in Chinese."""
    _require_edit(actor, project)
    today = today or timezone.localdate()
    current = _lock(project, expected_updated_at)
    dates = {field: getattr(current, field) for field in transitions.MILESTONE_FIELDS.values()}
    errors = transitions.check_transition(
        current=current.stage,
        target=target,
        on=on,
        today=today,
        last_change_on=current.stage_on,
        dates=dates,
        reason=reason,
    )
    if errors:
        raise ValidationError({"stage": errors})
    for field, value in transitions.dates_after(
        current=current.stage, target=target, on=on, dates=dates
    ).items():
        setattr(current, field, value)
    ProjectStageChange.objects.create(
        project=current,
        from_stage=current.stage,
        to_stage=target,
        changed_on=on,
        reason=reason.strip(),
        actor=actor,
    )
    current.stage = target
    current.stage_on = on
    current.termination_reason = reason.strip() if target == Stage.TERMINATED else ""
    current._history_user = actor
    current._change_reason = f"阶段变更为“{Stage(target).label}”" + (
        f"：{reason.strip()}" if reason.strip() else ""
    )
    current.save()
    lights_refresh(project_ids=[current.pk])
    current.refresh_from_db()
    return current


def next_stages(project: Project) -> list[tuple[str, str]]:
    """The stages offered on the project page: the next ones forward, and termination."""
    if project.stage == Stage.TERMINATED:
        return [(s.value, s.label) for s in STAGE_ORDER]
    index = transitions.stage_index(project.stage)
    options = [(s.value, s.label) for s in STAGE_ORDER if s != project.stage]
    options.sort(
        key=lambda item: (transitions.stage_index(item[0]) < index, transitions.stage_index(item[0]))
    )
    return [*options, (Stage.TERMINATED.value, Stage.TERMINATED.label)]


@transaction.atomic
def lead_assign_owner(*, actor, project: Project, owner, on: dt.date | None = None) -> Project:
    """Name the person responsible for a lead (due within the configured working days)."""
    _require_edit(actor, project)
    current = _lock(project, None)
    if owner is None:
        raise ValidationError({"owner": "请选择线索责任人。"})
    current.owner = owner
    current.owner_assigned_on = on or timezone.localdate()
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def lead_assess(*, actor, project: Project, assessment: str, on: dt.date | None = None) -> Project:
    """Record the assessment (研判) of a lead."""
    _require_edit(actor, project)
    current = _lock(project, None)
    if not (assessment or "").strip():
        raise ValidationError({"assessment": "请填写研判意见。"})
    current.assessment = assessment.strip()
    current.assessed_on = on or timezone.localdate()
    current._history_user = actor
    current.save()
    return current


# --- monthly progress ----------------------------------------------------------------------


def first_of_month(value: dt.date) -> dt.date:
    """A month is stored as its first day."""
    return value.replace(day=1)


def check_progress(
    *,
    project: Project,
    month: dt.date,
    completed_investment: Decimal,
    completed_to_date: Decimal | None,
    funds_in_place: Decimal,
    today: dt.date | None = None,
) -> tuple[dict[str, str], Decimal]:
    """Field errors (Chinese) for one month's progress, and the cumulative investment it implies."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if month > first_of_month(today):
        errors["month"] = "不能填报未来月份的进度。"
    if project.stage in (Stage.SOURCING, Stage.NEGOTIATING):
        errors["month"] = "项目尚未签约，不能填报投资进度。"
    if completed_investment is None or completed_investment < 0:
        errors["completed_investment"] = "本月完成投资不能为负数。"
    if funds_in_place is None or funds_in_place < 0:
        errors["funds_in_place"] = "本月到位资金不能为负数。"
    previous = (
        ProjectProgress.objects.filter(project=project, month__lt=month)
        .order_by("-month")
        .values_list("completed_to_date", flat=True)
        .first()
    ) or Decimal(0)
    implied = previous + (completed_investment or Decimal(0))
    if completed_to_date is None:
        completed_to_date = implied
    elif completed_to_date < previous:
        errors["completed_to_date"] = f"累计完成投资不能小于上月累计（{previous / 10000:.2f}万元）。"
    elif completed_investment is not None and completed_to_date < completed_investment:
        errors["completed_to_date"] = "累计完成投资不能小于本月完成投资。"
    if project.total_investment and completed_to_date > project.total_investment * Decimal("1.5"):
        errors["completed_to_date"] = "累计完成投资超过总投资的1.5倍，请核实单位（应为元）。"
    return errors, completed_to_date


@transaction.atomic
def progress_record(
    *,
    actor,
    project: Project,
    month: dt.date,
    completed_investment: Decimal,
    funds_in_place: Decimal,
    in_statistics: bool,
    notes: str = "",
    completed_to_date: Decimal | None = None,
    today: dt.date | None = None,
) -> ProjectProgress:
    """Enter or correct one month's progress of a project."""
    _require_edit(actor, project)
    month = first_of_month(month)
    errors, to_date = check_progress(
        project=project,
        month=month,
        completed_investment=completed_investment,
        completed_to_date=completed_to_date,
        funds_in_place=funds_in_place,
        today=today,
    )
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    row = ProjectProgress.objects.filter(project=project, month=month).first() or ProjectProgress(
        project=project, month=month
    )
    row.completed_investment = completed_investment
    row.completed_to_date = to_date
    row.funds_in_place = funds_in_place
    row.in_statistics = in_statistics
    row.notes = (notes or "").strip()
    row.batch = None
    row._history_user = actor
    row.save()
    lights_refresh(project_ids=[project.pk])
    return row


# --- problems ------------------------------------------------------------------------------


@transaction.atomic
def problem_create(
    *,
    actor,
    project: Project,
    title: str,
    category: str,
    owner_unit,
    deadline: dt.date,
    description: str = "",
    today: dt.date | None = None,
) -> Problem:
    """Raise a problem on a project and route it to the unit that must solve it."""
    _require_edit(actor, project)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = ["请填写问题。"]
    if owner_unit is None:
        errors["owner_unit"] = ["请选择责任单位。"]
    elif owner_unit.kind == OrgUnitKind.ENTERPRISE:
        errors["owner_unit"] = ["责任单位应为政府部门、园区或乡镇。"]
    if deadline is None or deadline < today:
        errors["deadline"] = ["办结时限不能早于今天。"]
    if errors:
        raise ValidationError(errors)
    problem = Problem(
        project=project,
        title=title.strip(),
        category=category,
        owner_unit=owner_unit,
        deadline=deadline,
        description=(description or "").strip(),
        raised_by=actor,
        raised_on=today,
    )
    problem._history_user = actor
    problem.save()
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, **fields) -> Problem:
    """Correct a problem's title, category, owner unit, deadline or description."""
    _require_edit(actor, problem.project)
    current = Problem.objects.select_for_update().get(pk=problem.pk)
    for key in ("title", "category", "owner_unit", "deadline", "description"):
        if key in fields:
            setattr(current, key, fields[key])
    errors: dict[str, list[str]] = {}
    if not (current.title or "").strip():
        errors["title"] = ["请填写问题。"]
    if current.owner_unit.kind == OrgUnitKind.ENTERPRISE:
        errors["owner_unit"] = ["责任单位应为政府部门、园区或乡镇。"]
    if current.deadline < current.raised_on:
        errors["deadline"] = ["办结时限不能早于提出日期。"]
    if errors:
        raise ValidationError(errors)
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def problem_add_note(*, actor, problem: Problem, text: str) -> ProblemNote:
    """Add a progress note to a problem."""
    if not can_handle_problem(actor, problem):
        raise PermissionDenied("您无权办理该问题。")
    if not (text or "").strip():
        raise ValidationError({"text": "请填写进展情况。"})
    note = ProblemNote(problem=problem, author=actor, text=text.strip())
    note._history_user = actor
    note.save()
    return note


@transaction.atomic
def problem_solve(*, actor, problem: Problem, solution: str, on: dt.date | None = None) -> Problem:
    """Close a problem with how it was solved."""
    if not can_handle_problem(actor, problem):
        raise PermissionDenied("您无权办理该问题。")
    current = Problem.objects.select_for_update().get(pk=problem.pk)
    if current.status == ProblemStatus.SOLVED:
        raise ValidationError("该问题已解决。")
    if not (solution or "").strip():
        raise ValidationError({"solution": "请填写解决方式。"})
    current.status = ProblemStatus.SOLVED
    current.solution = solution.strip()
    current.solved_on = on or timezone.localdate()
    current.solved_by = actor
    current._history_user = actor
    current.save()
    return current


# --- settings and targets ------------------------------------------------------------------


@transaction.atomic
def settings_update(*, actor, **fields) -> ProjectSettings:
    """Change the thresholds; every light is recomputed with them."""
    if not actor.can_issue:
        raise PermissionDenied("只有领导小组办公室可以修改项目参数。")
    settings = ProjectSettings.own(settings_county_id(actor))
    for key, value in fields.items():
        setattr(settings, key, value)
    if settings.pace_red_pp <= settings.pace_yellow_pp:
        raise ValidationError({"pace_red_pp": "红灯阈值应大于黄灯阈值。"})
    if settings.stats_red_months <= settings.stats_yellow_months:
        raise ValidationError({"stats_red_months": "红灯月数应大于黄灯月数。"})
    settings.full_clean()
    settings._history_user = actor
    settings.save()
    lights_refresh()
    return settings


@transaction.atomic
def target_save(*, actor, year: int, **fields) -> ProjectTarget:
    """Set the county's project targets for a year."""
    if not can_manage_settings(actor):
        raise PermissionDenied("只有领导小组办公室可以修改项目目标。")
    target = ProjectTarget.objects.visible_to(actor).filter(year=year).first() or ProjectTarget(
        year=year, county_id=actor.org_unit.county_id if actor.org_unit_id else None
    )
    for key, value in fields.items():
        setattr(target, key, value)
    target.full_clean()
    target._history_user = actor
    target.save()
    return target


# --- lights --------------------------------------------------------------------------------


def data_month(year: int, month: int, projects=None) -> int:
    """The latest month of ``year`` up to ``month`` for which progress was reported (``month``
    when none was): investment figures and their pace are for that month, not a later one."""
    rows = ProjectProgress.objects.filter(month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, month, 1))
    if projects is not None:
        rows = rows.filter(project__in=projects)
    latest = rows.aggregate(latest=Max("month"))["latest"]
    return latest.month if latest else month


def lights_refresh(
    *, project_ids=None, year: int | None = None, month: int | None = None, today: dt.date | None = None
) -> int:
    """Recompute and store the light and the blocking approval of some projects (all when
    ``project_ids`` is None).

    A constant number of queries whatever the number of projects: the projects, one aggregate
    over their progress, their approval items, then bulk updates. Without a month, the office's
    last evaluation month is used (or the last complete month). Pace is judged against the
    latest month with reported progress; deadlines are counted as of ``today``.
    """
    from .approvals import selectors as approval_selectors

    settings = project_settings()
    today = today or timezone.localdate()
    if year is None or month is None:
        if settings.lights_month:
            year, month = settings.lights_month.year, settings.lights_month.month
        else:
            year, month = default_evaluation_month(today)
    pace_month = data_month(year, month)
    thresholds = thresholds_of(settings)
    projects = Project.objects.all()
    progress = ProjectProgress.objects.filter(month__lte=dt.date(year, month, 1))
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
        progress = progress.filter(project_id__in=project_ids)
    fields = [
        "pk",
        "stage",
        "total_investment",
        "signed_on",
        "started_on",
        "start_deadline",
        "production_deadline",
        "plan_year",
        "planned_investment",
        "land_need_mu",
        "committed_intensity",
        "light",
        "light_reasons",
        "light_month",
        "approval_blocker",
    ]
    rows = list(projects.only(*fields[1:]))
    sums = {
        item["project_id"]: item
        for item in progress.values("project_id").annotate(
            ytd=Sum("completed_investment", filter=Q(month__gte=dt.date(year, 1, 1))),
            to_date=Max("completed_to_date"),
            stats=Min("month", filter=Q(in_statistics=True)),
        )
    }
    checklists = approval_selectors.item_facts_by_project(project_ids=project_ids)
    evaluated_month = dt.date(year, month, 1)
    changed = []
    for project in rows:
        agg = sums.get(project.pk, {})
        approvals = checklists.get(project.pk, ())
        facts = lights.ProjectFacts(
            stage=project.stage,
            total_investment=project.total_investment,
            signed_on=project.signed_on,
            started_on=project.started_on,
            start_deadline=project.start_deadline,
            production_deadline=project.production_deadline,
            planned_investment=project.planned_investment if project.plan_year == year else None,
            completed_ytd=agg.get("ytd") or Decimal(0),
            completed_to_date=agg.get("to_date") or Decimal(0),
            in_statistics_since=agg.get("stats"),
            land_mu=project.land_need_mu,
            committed_intensity=project.committed_intensity,
            approvals=approvals,
        )
        result = lights.evaluate(facts, year=year, month=pace_month, thresholds=thresholds, today=today)
        reasons = result.as_json()
        found = blocking.blocker(approvals, today) if project.stage != Stage.TERMINATED else None
        blocker = found.as_json() if found else {}
        if found and project.stage == Stage.SIGNED:
            done_by = blocking.forecast(approvals, today)
            blocker["forecast"] = done_by.isoformat() if done_by else None
        if (project.light, project.light_reasons, project.light_month, project.approval_blocker) != (
            result.light,
            reasons,
            evaluated_month,
            blocker,
        ):
            project.light, project.light_reasons, project.light_month = result.light, reasons, evaluated_month
            project.approval_blocker = blocker
            changed.append(project)
    # Lights are derived, not facts: stored without a history row per project and month.
    Project.objects.bulk_update(
        changed, ["light", "light_reasons", "light_month", "approval_blocker"], batch_size=500
    )
    if project_ids is None:
        ProjectSettings.objects.filter(pk=settings.pk).update(lights_refreshed_on=today)
    return len(changed)


def lights_refresh_if_stale(today: dt.date | None = None) -> None:
    """Refresh every light once a day, so day counts on the pages are as of today."""
    today = today or timezone.localdate()
    if project_settings().lights_refreshed_on != today:
        with transaction.atomic():
            lights_refresh(today=today)


@transaction.atomic
def lights_recompute_month(*, actor, year: int, month: int, today: dt.date | None = None) -> int:
    """The monthly evaluation: set the evaluation month and recompute every light for it."""
    if actor is not None and not can_manage_settings(actor):
        raise PermissionDenied("只有领导小组办公室可以重算灯号。")
    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应在1到12之间。"})
    settings = project_settings()
    settings.lights_month = dt.date(year, month, 1)
    settings.save(update_fields=["lights_month", "updated_at"])
    return lights_refresh(year=year, month=month, today=today)
