"""Writes of the pipeline: validation in Chinese, history, optimistic locking, stored lights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qiangxian.projects import lights, services
from qiangxian.projects.choices import Light, ProblemStatus, SizeClass, Stage
from qiangxian.projects.models import Problem, Project, ProjectProgress, ProjectStageChange

YI = Decimal(100_000_000)
TODAY = dt.date(2026, 6, 15)


def create(actor, county, **fields):
    units = county["units"]
    values = {
        "name": "年产5GWh锂电池项目",
        "investor_name": "深圳新能科技有限公司",
        "park": units["工业园"],
        "town": units["甲镇"],
        "responsible_unit": units["经信局"],
        "total_investment": 6 * YI,
        "fixed_asset_investment": 5 * YI,
    }
    values.update(fields)
    return services.project_create(actor=actor, today=TODAY, **values)


def test_create_registers_a_lead_with_code_size_and_first_stage(users, county):
    project = create(users["office"], county)
    assert project.code == "XM20260001"
    assert project.stage == Stage.SOURCING and project.lead_received_on == TODAY
    assert project.size_class == SizeClass.FROM_500M
    assert ProjectStageChange.objects.filter(project=project, to_stage=Stage.SOURCING).count() == 1
    assert project.history.first().history_user == users["office"]
    assert create(users["office"], county, name="第二个").code == "XM20260002"


def test_create_validates_in_chinese(users, county):
    units = county["units"]
    with pytest.raises(ValidationError) as error:
        create(
            users["office"],
            county,
            investor_uscc="91350100M000100Y44",
            fixed_asset_investment=7 * YI,
            zone=units["西片区"],
            park=county["units"]["食品园"],
            industry_code="99",
        )
    messages = error.value.message_dict
    assert "investor_uscc" in messages
    assert messages["fixed_asset_investment"] == ["固定资产投资不能大于总投资。"]
    assert messages["zone"] == ["片区“西片区”不属于所选园区。"]
    assert "industry_code" in messages


def test_who_may_create(users, county):
    with pytest.raises(PermissionDenied):
        create(users["leader"], county)
    with pytest.raises(PermissionDenied):
        create(users["enterprise"], county)
    with pytest.raises(ValidationError) as error:
        create(users["park"], county, park=county["units"]["食品园"])
    assert error.value.message_dict["park"] == ["只能登记本园区的项目。"]
    own = create(users["bureau"], county, responsible_unit=None)
    assert own.responsible_unit == county["units"]["统计局"]


def test_update_refuses_to_overwrite_a_newer_change(users, county):
    project = create(users["office"], county)
    seen = project.updated_at
    services.project_update(actor=users["office"], project=project, expected_updated_at=seen, name="改名一")
    with pytest.raises(ValidationError) as error:
        services.project_update(
            actor=users["office"], project=project, expected_updated_at=seen, name="改名二"
        )
    assert error.value.messages == ["该项目已被他人修改，请刷新页面后重新操作。"]
    assert Project.objects.get(pk=project.pk).name == "改名一"


def test_a_lead_through_every_stage(users, county):
    project = create(users["office"], county)
    path = [
        (Stage.NEGOTIATING, "2026-06-16"),
        (Stage.SIGNED, "2026-07-01"),
        (Stage.STARTED, "2026-08-01"),
        (Stage.BUILDING, "2026-08-15"),
        (Stage.COMPLETED, "2027-03-01"),
        (Stage.PRODUCING, "2027-04-01"),
        (Stage.AT_CAPACITY, "2027-12-01"),
    ]
    for stage, on in path:
        project = services.project_transition(
            actor=users["office"],
            project=project,
            target=stage,
            on=dt.date.fromisoformat(on),
            today=dt.date(2028, 1, 1),
        )
    assert project.stage == Stage.AT_CAPACITY
    assert (project.signed_on, project.started_on, project.producing_on) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
        dt.date(2027, 4, 1),
    )
    assert list(project.stage_changes.order_by("changed_on", "pk").values_list("to_stage", flat=True)) == [
        Stage.SOURCING,
        *[s for s, _ in path],
    ]
    assert "阶段变更为“达效”" in project.history.first().history_change_reason


def test_invalid_transitions_are_refused_with_chinese_messages(users, county):
    project = create(users["office"], county)
    with pytest.raises(ValidationError) as error:
        services.project_transition(
            actor=users["office"], project=project, target=Stage.PRODUCING, on=TODAY, today=TODAY
        )
    assert error.value.message_dict["stage"] == ["项目尚未开工，不能登记投产。请先登记开工。"]
    project = services.project_transition(
        actor=users["office"], project=project, target=Stage.SIGNED, on=TODAY, today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.project_transition(
            actor=users["office"], project=project, target=Stage.NEGOTIATING, on=TODAY, today=TODAY
        )
    assert error.value.message_dict["stage"] == ["阶段从“签约”退回“在谈”须填写原因。"]
    back = services.project_transition(
        actor=users["office"],
        project=project,
        target=Stage.NEGOTIATING,
        on=TODAY,
        today=TODAY,
        reason="协议条款重新谈判",
    )
    assert back.signed_on is None and back.stage_changes.first().reason == "协议条款重新谈判"
    ended = services.project_transition(
        actor=users["office"],
        project=back,
        target=Stage.TERMINATED,
        on=TODAY,
        today=TODAY,
        reason="投资方撤资",
    )
    assert ended.light == Light.NONE and ended.termination_reason == "投资方撤资"


def test_progress_record_derives_the_cumulative_and_checks_figures(users, county, make_project):
    project = make_project(
        stage=Stage.BUILDING, signed_on=dt.date(2025, 1, 1), started_on=dt.date(2025, 3, 1)
    )
    office = users["office"]
    services.progress_record(
        actor=office,
        project=project,
        month=dt.date(2026, 1, 1),
        completed_investment=Decimal(1_000_000),
        funds_in_place=Decimal(0),
        in_statistics=True,
        today=TODAY,
    )
    row = services.progress_record(
        actor=office,
        project=project,
        month=dt.date(2026, 2, 9),
        completed_investment=Decimal(2_000_000),
        funds_in_place=Decimal(500_000),
        in_statistics=True,
        today=TODAY,
    )
    assert row.month == dt.date(2026, 2, 1) and row.completed_to_date == Decimal(3_000_000)
    with pytest.raises(ValidationError) as error:
        services.progress_record(
            actor=office,
            project=project,
            month=dt.date(2026, 7, 1),
            completed_investment=Decimal(-1),
            funds_in_place=Decimal(0),
            in_statistics=False,
            completed_to_date=Decimal(1),
            today=TODAY,
        )
    messages = error.value.message_dict
    assert messages["month"] == ["不能填报未来月份的进度。"]
    assert messages["completed_investment"] == ["本月完成投资不能为负数。"]
    lead = make_project()
    with pytest.raises(ValidationError) as error:
        services.progress_record(
            actor=office,
            project=lead,
            month=dt.date(2026, 1, 1),
            completed_investment=Decimal(1),
            funds_in_place=Decimal(0),
            in_statistics=False,
            today=TODAY,
        )
    assert error.value.message_dict["month"] == ["项目尚未签约，不能填报投资进度。"]


def test_progress_refreshes_the_stored_light(users, make_project):
    project = make_project(
        stage=Stage.BUILDING,
        signed_on=dt.date(2025, 1, 1),
        started_on=dt.date(2025, 3, 1),
        plan_year=2026,
        planned_investment=Decimal(12_000_000),
    )
    services.lights_recompute_month(actor=users["office"], year=2026, month=6)
    project.refresh_from_db()
    assert project.light == Light.RED  # nothing done of the year's plan, not in the statistics
    for month in range(1, 7):
        services.progress_record(
            actor=users["office"],
            project=project,
            month=dt.date(2026, month, 1),
            completed_investment=Decimal(1_000_000),
            funds_in_place=Decimal(0),
            in_statistics=True,
            today=TODAY,
        )
    project.refresh_from_db()
    assert project.light == Light.GREEN and project.light_reasons == []
    assert project.light_month == dt.date(2026, 6, 1)


def test_a_signed_project_turns_yellow_then_red_as_months_pass(users, make_project):
    project = make_project(
        stage=Stage.SIGNED, signed_on=dt.date(2026, 1, 10), start_deadline=dt.date(2026, 3, 31)
    )
    seen = []
    for month in (3, 4, 6, 7):
        # Deadlines are judged as of the day of the evaluation: here the end of each month.
        services.lights_recompute_month(
            actor=users["office"], year=2026, month=month, today=lights.month_end(2026, month)
        )
        project.refresh_from_db()
        seen.append(project.light)
    assert seen == [Light.GREEN, Light.YELLOW, Light.YELLOW, Light.RED]
    assert "已超期" in project.light_texts[0]


def test_recompute_uses_a_constant_number_of_queries(users, make_project):
    for i in range(3):
        make_project(stage=Stage.SIGNED, signed_on=dt.date(2026, 1, i + 1))
    with CaptureQueriesContext(connection) as few:
        services.lights_recompute_month(actor=users["office"], year=2026, month=5)
    for i in range(30):
        project = make_project(
            stage=Stage.BUILDING,
            signed_on=dt.date(2025, 1, 1),
            started_on=dt.date(2025, 2, 1),
            plan_year=2026,
            planned_investment=Decimal(1000),
        )
        ProjectProgress.objects.create(project=project, month=dt.date(2026, 1, 1), completed_investment=i)
    with CaptureQueriesContext(connection) as many:
        services.lights_recompute_month(actor=users["office"], year=2026, month=6)
    assert len(many) <= len(few) + 2  # a second bulk-update batch at most
    with pytest.raises(PermissionDenied):
        services.lights_recompute_month(actor=users["leader"], year=2026, month=6)


def test_problem_is_routed_noted_and_solved(users, county, make_project):
    project = make_project()
    stats_bureau = county["units"]["统计局"]
    problem = services.problem_create(
        actor=users["office"],
        project=project,
        title="用地指标未落实",
        category="land",
        owner_unit=stats_bureau,
        deadline=dt.date(2026, 7, 1),
        today=TODAY,
    )
    assert problem.status == ProblemStatus.OPEN and problem.raised_by == users["office"]
    # The bureau the problem is routed to now sees the project, and may handle the problem.
    assert Project.objects.visible_to(users["bureau"]).filter(pk=project.pk).exists()
    assert services.can_handle_problem(users["bureau"], problem)
    assert not services.can_edit_project(users["bureau"], project)
    services.problem_add_note(actor=users["bureau"], problem=problem, text="已对接自然资源部门")
    solved = services.problem_solve(actor=users["bureau"], problem=problem, solution="调剂用地指标解决")
    assert solved.status == ProblemStatus.SOLVED and solved.solved_by == users["bureau"]
    with pytest.raises(ValidationError):
        services.problem_solve(actor=users["bureau"], problem=solved, solution="再次")
    with pytest.raises(PermissionDenied):
        services.problem_add_note(actor=users["zone"], problem=Problem.objects.get(pk=problem.pk), text="x")


def test_problem_create_validates(users, county, make_project):
    with pytest.raises(ValidationError) as error:
        services.problem_create(
            actor=users["office"],
            project=make_project(),
            title=" ",
            category="land",
            owner_unit=county["units"]["统计局"],
            deadline=dt.date(2026, 1, 1),
            today=TODAY,
        )
    assert error.value.message_dict == {"title": ["请填写问题。"], "deadline": ["办结时限不能早于今天。"]}


def test_lead_owner_and_assessment(users, make_project):
    project = make_project()
    project = services.lead_assign_owner(
        actor=users["office"], project=project, owner=users["bureau"], on=dt.date(2026, 1, 6)
    )
    project = services.lead_assess(actor=users["office"], project=project, assessment="符合产业定位")
    assert project.owner == users["bureau"] and project.assessment == "符合产业定位"
    with pytest.raises(ValidationError):
        services.lead_assess(actor=users["office"], project=project, assessment="")


def test_settings_and_targets_belong_to_the_office(users):
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=users["bureau"], pace_yellow_pp=Decimal(5))
    with pytest.raises(ValidationError) as error:
        services.settings_update(actor=users["office"], pace_yellow_pp=Decimal(40))
    assert error.value.message_dict["pace_red_pp"] == ["红灯阈值应大于黄灯阈值。"]
    settings = services.settings_update(actor=users["office"], pace_yellow_pp=Decimal(5), lead_owner_days=2)
    assert settings.lead_owner_days == 2
    target = services.target_save(
        actor=users["office"],
        year=2026,
        industrial_investment=51 * YI,
        big_project_count=7,
        funds_in_place=40 * YI,
    )
    assert target.big_project_count == 7
    with pytest.raises(PermissionDenied):
        services.target_save(actor=users["leader"], year=2026, industrial_investment=YI)


def test_monthly_command_and_task(users, make_project):
    from django.core.management import call_command

    from qiangxian.projects.tasks import recompute_lights

    today = timezone.localdate()
    project = make_project(
        stage=Stage.SIGNED,
        signed_on=today - dt.timedelta(days=200),
        start_deadline=today - dt.timedelta(days=40),
    )
    call_command("projects_lights", "--month", "2026-05")
    project.refresh_from_db()
    # The month is the evaluation month; the deadline is counted as of today.
    assert (project.light, project.light_month) == (Light.YELLOW, dt.date(2026, 5, 1))
    assert "已超期40天" in project.light_texts[0]
    Project.objects.filter(pk=project.pk).update(start_deadline=today - dt.timedelta(days=120))
    recompute_lights.enqueue(2026, 7)
    project.refresh_from_db()
    assert (project.light, project.light_month) == (Light.RED, dt.date(2026, 7, 1))
