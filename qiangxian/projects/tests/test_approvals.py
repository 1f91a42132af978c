"""Approval items: the pure blocking rules, the services' refusals, inheritance and the lights."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.core.workdays import add_working_days, working_days_between
from qiangxian.projects import lights
from qiangxian.projects.approvals import blocking, selectors, services
from qiangxian.projects.choices import ApprovalStatus, ProjectKind, Stage
from qiangxian.projects.models import ApprovalItem, ApprovalKind, ApprovalTemplate, Project

D = dt.date


def item(name="环评", phase=2, promised=10, statutory=60, **dates):
    return blocking.ItemFacts(
        name=name, unit="生态环境分局", phase=phase, position=0, statutory_days=statutory,
        promised_days=promised, **dates,
    )  # fmt: skip


# --- pure -----------------------------------------------------------------------------------


def test_held_days_count_official_working_days_across_spring_festival():
    # Accepted Friday 13 Feb 2026; on 27 Feb it has been held 5 working days, not 10.
    accepted = item(submitted_on=D(2026, 2, 12), accepted_on=D(2026, 2, 13))
    assert blocking.held_days(accepted, D(2026, 2, 27)) == 5
    assert blocking.due_on(accepted) == D(2026, 3, 5)  # 14, 24-28 Feb, 2-5 Mar
    assert blocking.lateness(accepted, D(2026, 3, 5)) is None
    assert blocking.lateness(accepted, D(2026, 3, 6)) == blocking.PROMISED


def test_blocker_is_the_longest_held_item_of_the_earliest_open_phase():
    today = D(2026, 6, 30)
    items = [
        item("立项", phase=1, approved_on=D(2026, 5, 1), submitted_on=D(2026, 4, 20)),
        item("能评", phase=2, submitted_on=D(2026, 6, 20)),
        item("环评", phase=2, submitted_on=D(2026, 6, 1), accepted_on=D(2026, 6, 2)),
        item("供电", phase=2),
        item("施工许可", phase=5, submitted_on=D(2026, 1, 5)),
    ]
    found = blocking.blocker(items, today)
    assert (found.name, found.days, found.open_count) == (
        "环评",
        working_days_between(D(2026, 6, 2), today),
        4,
    )
    assert found.late == blocking.PROMISED
    assert "环评在生态环境分局办理已" in found.text()


def test_returned_items_wait_on_the_enterprise_and_stop_the_units_clock():
    returned = item(submitted_on=D(2026, 6, 1), returned_on=D(2026, 6, 3))
    assert blocking.status_of(returned) == ApprovalStatus.RETURNED
    assert blocking.lateness(returned, D(2026, 12, 1)) is None
    assert blocking.blocker([returned], D(2026, 6, 10)).holder.startswith("企业补正")


def test_forecast_runs_phases_one_after_another():
    today = D(2026, 6, 1)
    items = [item("立项", phase=1, promised=3), item("规划许可", phase=3, promised=7)]
    assert blocking.forecast(items, today) == add_working_days(add_working_days(today, 3), 7)
    assert blocking.forecast([item(approved_on=D(2026, 5, 1), submitted_on=D(2026, 4, 1))], today) is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 30), st.booleans()), min_size=1, max_size=8))
def test_forecast_is_never_before_any_open_items_promise(specs):
    today = D(2026, 3, 2)
    items = [
        item(f"事项{i}", phase=phase, promised=days, submitted_on=D(2026, 2, 2) if started else None)
        for i, (phase, days, started) in enumerate(specs)
    ]
    done = blocking.forecast(items, today)
    assert done > today
    for i in items:
        due = blocking.due_on(i) or add_working_days(today, i.promised_days)
        assert done >= min(due, done)  # defined
        if i.submitted_on is None:
            assert done >= add_working_days(today, i.promised_days)


def test_light_flags_a_project_ahead_of_its_start_deadline():
    today = D(2026, 6, 1)
    facts = lights.ProjectFacts(
        stage=Stage.SIGNED,
        signed_on=D(2026, 3, 1),
        start_deadline=D(2026, 6, 12),  # 7 + 3 working days from 1 June is 15 June
        approvals=(item("施工许可", phase=5, promised=3), item("规划许可", phase=3, promised=7)),
    )
    result = lights.evaluate(facts, year=2026, month=5, today=today)
    assert result.light == "yellow"
    reason = next(r for r in result.reasons if r.code == "approvals_miss_start")
    assert "尚有2项手续未办结" in reason.text and "规划许可" in reason.text
    # Far from the deadline nothing is said yet; with the items done, nothing either.
    assert lights.evaluate(facts, year=2026, month=3, today=D(2026, 3, 2)).light == "green"


def test_overdue_days_are_counted_as_of_today_not_the_evaluation_month():
    facts = lights.ProjectFacts(stage=Stage.SIGNED, signed_on=D(2026, 3, 1), start_deadline=D(2026, 10, 29))
    result = lights.evaluate(facts, year=2026, month=10, today=D(2026, 12, 4))
    assert "已超期36天" in result.reasons[0].text


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def signed(make_project):
    return make_project(
        name="签约项目", stage=Stage.SIGNED, signed_on=D(2026, 3, 2), start_deadline=D(2026, 12, 31)
    )


def _item(project, name):
    return ApprovalItem.objects.select_related("kind", "project").get(project=project, kind__name=name)


def test_checklist_from_template_and_each_refusal_saves_nothing(users, signed):
    office = users["office"]
    services.checklist_create(actor=office, project=signed)
    assert signed.approval_items.count() == len(
        ApprovalTemplate.objects.get(project_kind="new_build").items.all()
    )
    with pytest.raises(ValidationError):
        services.checklist_create(actor=office, project=signed)
    eia = _item(signed, "环评")
    services.item_record(actor=office, item=eia, action="submit", on=D(2026, 4, 10), today=D(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.item_record(actor=office, item=eia, action="approve", on=D(2026, 4, 1), today=D(2026, 6, 1))
    assert "办结日期（2026-04-01）不能早于申报日期（2026-04-10）" in str(error.value)
    assert _item(signed, "环评").approved_on is None
    services.item_record(
        actor=office,
        item=eia,
        action="approve",
        on=D(2026, 5, 6),
        text="环审〔2026〕12号",
        today=D(2026, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.item_record(actor=office, item=eia, action="approve", on=D(2026, 5, 8), today=D(2026, 6, 1))
    assert "已于2026-05-06办结，不能重复办结" in str(error.value)
    assert _item(signed, "环评").approved_on == D(2026, 5, 6)
    with pytest.raises(ValidationError) as error:
        services.item_update(actor=office, item=eia, promised_days=0)
    assert "承诺时限应为大于0的工作日数" in str(error.value)
    assert _item(signed, "环评").promised_days == 15


def test_a_template_with_an_item_twice_is_refused(users):
    services.ensure_catalogue()
    eia, energy = ApprovalKind.objects.get(code="eia"), ApprovalKind.objects.get(code="energy")
    before = list(
        ApprovalTemplate.objects.get(project_kind="upgrade").items.values_list("kind_id", flat=True)
    )
    with pytest.raises(ValidationError) as error:
        services.template_save(
            actor=users["office"], project_kind=ProjectKind.UPGRADE, kind_ids=[eia.pk, energy.pk, eia.pk]
        )
    assert "“环评”重复出现（第1项和第3项）" in str(error.value)
    after = list(ApprovalTemplate.objects.get(project_kind="upgrade").items.values_list("kind_id", flat=True))
    assert after == before


def test_limits_of_zero_or_negative_days_are_refused():
    assert "法定时限应为大于0" in services.check_limits(0, 5)["statutory_days"][0]
    assert "承诺时限应为大于0" in services.check_limits(10, -1)["promised_days"][0]
    assert "不能超过法定时限" in services.check_limits(10, 12)["promised_days"][0]
    assert services.check_limits(10, 10) == {}


def test_a_zones_regional_assessment_is_inherited(users, county, make_project):
    zone = county["units"]["东片区"]
    inside = make_project(name="片区内项目", zone=zone, stage=Stage.SIGNED, signed_on=D(2026, 3, 2))
    outside = make_project(name="片区外项目", stage=Stage.SIGNED, signed_on=D(2026, 3, 2))
    office = users["office"]
    services.checklist_create(actor=office, project=inside)
    services.checklist_create(actor=office, project=outside)
    eia = ApprovalKind.objects.get(code="eia")
    services.regional_save(
        actor=office, zone=zone, kind=eia, approved_on=D(2026, 4, 1), document="环审〔2026〕1号"
    )
    assert _item(inside, "环评").inherited_from is not None
    assert _item(outside, "环评").inherited_from is None
    later = make_project(name="后来的项目", zone=zone, stage=Stage.SIGNED, signed_on=D(2026, 5, 2))
    services.checklist_create(actor=office, project=later)
    assert selectors.annotate_item(_item(later, "环评"), D(2026, 6, 1)).status == ApprovalStatus.INHERITED
    with pytest.raises(ValidationError):
        services.regional_save(
            actor=office, zone=zone, kind=ApprovalKind.objects.get(code="permit"), approved_on=D(2026, 4, 1)
        )


def test_an_overdue_item_shows_in_the_light_and_the_stored_blocker(users, county, signed):
    office = users["office"]
    services.checklist_create(actor=office, project=signed)
    today = D(2026, 12, 4)
    for kind in ApprovalKind.objects.exclude(code="planning"):
        ApprovalItem.objects.filter(project=signed, kind=kind).update(
            submitted_on=D(2026, 4, 1), approved_on=D(2026, 4, 20)
        )
    planning = _item(signed, "规划许可")
    unit = OrgUnit.objects.create(
        name="自然资源局", kind=OrgUnitKind.BUREAU, parent=county["units"]["测试县"]
    )
    services.item_record(
        actor=office, item=planning, action="submit", on=D(2026, 10, 9), unit=unit, today=today
    )
    services.item_record(actor=office, item=planning, action="accept", on=D(2026, 10, 12), today=today)
    from qiangxian.projects import services as project_services

    project_services.lights_refresh(project_ids=[signed.pk], today=today)
    project = Project.objects.get(pk=signed.pk)
    days = working_days_between(D(2026, 10, 12), today)
    assert project.approval_blocker["name"] == "规划许可" and project.approval_blocker["unit"] == "自然资源局"
    assert project.approval_blocker["days"] == days
    assert project.light == "red"  # 38 working days > the statutory 20
    assert any(f"规划许可在自然资源局已办理{days}个工作日" in t for t in project.light_texts)


def test_unit_performance_and_the_signing_to_start_breakdown(users, county, make_project):
    office = users["office"]
    project = make_project(
        name="已开工项目", stage=Stage.STARTED, signed_on=D(2026, 3, 2), started_on=D(2026, 6, 1)
    )
    services.checklist_create(actor=office, project=project, project_kind=ProjectKind.UPGRADE)
    approvals = {
        "filing": (D(2026, 3, 3), D(2026, 3, 5)),
        "eia": (D(2026, 3, 6), D(2026, 4, 20)),
        "permit": (D(2026, 5, 6), D(2026, 5, 8)),
    }
    for code in ("energy", "safety", "power", "gas", "planning", "drawings"):
        approvals[code] = (D(2026, 3, 6), D(2026, 3, 20))
    for code, (submitted, approved) in approvals.items():
        item = ApprovalItem.objects.get(project=project, kind__code=code)
        item.submitted_on, item.approved_on = submitted, approved
        services.stamp(item).save()
    figures = {u["unit"]: u for u in selectors.unit_performance(user=office, today=D(2026, 6, 1))}
    assert figures["未定办理单位"]["handled"] == 9
    assert figures["未定办理单位"]["p90_days"] == working_days_between(D(2026, 3, 6), D(2026, 4, 20))
    breakdown = selectors.signing_to_start(user=office)
    assert breakdown["projects"] == 1
    assert (
        sum(p["days"] for p in breakdown["parts"])
        == breakdown["total_days"]
        == working_days_between(D(2026, 3, 2), D(2026, 6, 1))
    )
    top = breakdown["parts"][0]
    assert top["item"] == "环评"
    assert selectors.nearest_rank([5, 1, 9, 3], 0.5) == 3 and selectors.nearest_rank([5, 1, 9, 3], 0.9) == 9
