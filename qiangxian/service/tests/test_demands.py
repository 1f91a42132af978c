"""The demand lifecycle, its refusals and its deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core import workdays
from qiangxian.core.concurrency import is_stale
from qiangxian.inbox.models import Notice
from qiangxian.service import selectors, services
from qiangxian.service.choices import DemandState, StepKind
from qiangxian.service.models import Demand, DemandStep

from .conftest import at

pytestmark = pytest.mark.django_db


def _labour(svc, own, when="2026-09-29", **extra):
    return services.demand_create(
        actor=svc["town"], enterprise=own, category="labour", title="招不到熟练缝纫工",
        channel="visit", at=at(when), **extra,
    )  # fmt: skip


def test_refuses_demand_without_enterprise_or_category(svc):
    with pytest.raises(ValidationError) as error:
        services.demand_create(actor=svc["office"], enterprise=None, category="", title="")
    messages = error.value.message_dict
    assert messages["enterprise"] == ["请选择提出诉求的企业。"]
    assert messages["category"] == ["请选择诉求类别。"]
    assert messages["title"] == ["请填写诉求内容。"]
    assert not Demand.objects.exists()


def test_refuses_a_wanted_date_in_the_past(svc, own):
    with pytest.raises(ValidationError) as error:
        _labour(svc, own, wanted_by=dt.date(2026, 9, 1))
    assert "不能早于今天" in error.value.message_dict["wanted_by"][0]
    assert not Demand.objects.exists()


def test_town_cannot_raise_a_demand_for_another_towns_enterprise(svc):
    other = svc["enterprises"]["乙镇电子有限公司"]
    with pytest.raises(ValidationError) as error:
        services.demand_create(actor=svc["town"], enterprise=other, category="labour", title="缺工")
    assert error.value.message_dict["enterprise"] == ["您无权为该企业登记诉求。"]


def test_routed_by_rule_with_deadlines_in_working_days_across_national_day(svc, own):
    demand = _labour(svc, own, when="2026-09-30")
    assert demand.state == DemandState.ASSIGNED
    assert demand.lead_unit == svc["hr"]
    assert list(demand.supporting_units.values_list("name", flat=True)) == ["甲镇"]
    # 2026-10-01..10-07 is the National Day holiday: the first working day after 09-30 is not in it.
    assert demand.sign_due == workdays.add_working_days(dt.date(2026, 9, 30), 1)
    assert demand.sign_due > dt.date(2026, 10, 7)
    assert demand.complete_due == workdays.add_working_days(dt.date(2026, 9, 30), 10)
    notice = Notice.objects.get(kind="service.demand.routed", recipient_unit=svc["hr"])
    assert notice.link == f"/service/demands/{demand.pk}/"


def test_full_lifecycle_is_timed_and_counted_once(svc, own):
    demand = _labour(svc, own)
    services.demand_sign(actor=svc["hr1"], demand=demand, at=at("2026-09-29", 15))
    services.demand_note(
        actor=svc["hr1"], demand=demand, text="已推送三场招聘会", interim=True, at=at("2026-09-30")
    )
    services.demand_answer(actor=svc["hr1"], demand=demand, answer="已对接职业学校", at=at("2026-10-09"))
    services.demand_rate(
        actor=svc["enterprise"],
        demand=demand,
        rating="unsatisfied",
        comment="只来了两人",
        at=at("2026-10-10"),
    )
    services.demand_reopen(actor=svc["enterprise"], demand=demand, at=at("2026-10-10", 11))
    services.demand_answer(actor=svc["hr1"], demand=demand, answer="专场招聘到岗 12 人", at=at("2026-10-16"))
    final = services.demand_rate(
        actor=svc["enterprise"], demand=demand, rating="satisfied", at=at("2026-10-19")
    )

    assert final.state == DemandState.RATED
    assert final.reopen_count == 1
    kinds = list(DemandStep.objects.filter(demand=demand).values_list("kind", flat=True))
    assert kinds == [
        StepKind.ACCEPT, StepKind.ASSIGN, StepKind.SIGN, StepKind.INTERIM, StepKind.ANSWER,
        StepKind.RATE, StepKind.REOPEN, StepKind.ANSWER, StepKind.RATE,
    ]  # fmt: skip
    answered = DemandStep.objects.filter(demand=demand, kind=StepKind.ANSWER).first()
    # 09-30 → 10-09 spans the holiday: 10-08 (Thursday) is the only working day before 10-09.
    assert answered.working_days == workdays.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 9))
    assert final.days_to_answer == workdays.working_days_between(dt.date(2026, 9, 29), dt.date(2026, 10, 16))

    rows = selectors.league_table(first_month=dt.date(2026, 9, 1), last_month=dt.date(2026, 10, 1))
    hr = next(r for r in rows if r.unit == "人社局")
    assert (hr.received, hr.solved, hr.rated, hr.satisfied, hr.signed_on_time) == (1, 1, 1, 1, 1)
    assert hr.satisfaction_rate == 100


def test_second_signature_is_refused_and_says_who_signed(svc, own):
    demand = _labour(svc, own)
    seen_by_second = Demand.objects.get(pk=demand.pk)  # read before the first signature
    services.demand_sign(actor=svc["hr1"], demand=demand)
    with pytest.raises(ValidationError) as error:
        services.demand_sign(actor=svc["hr2"], demand=seen_by_second)
    assert is_stale(error.value)
    assert "hr1用户" in error.value.messages[0]
    assert DemandStep.objects.filter(demand=demand, kind=StepKind.SIGN).count() == 1


def test_another_unit_cannot_reply(svc, own):
    demand = _labour(svc, own)
    services.demand_sign(actor=svc["hr1"], demand=demand)
    with pytest.raises(PermissionDenied) as error:
        services.demand_answer(actor=svc["fin"], demand=demand, answer="我们来答复")
    assert "人社局" in str(error.value)
    demand.refresh_from_db()
    assert demand.state == DemandState.SIGNED and demand.answer == ""


def test_rating_only_by_the_enterprise_or_marked_on_its_behalf(svc, own):
    demand = _labour(svc, own)
    services.demand_sign(actor=svc["hr1"], demand=demand)
    services.demand_answer(actor=svc["hr1"], demand=demand, answer="已解决")
    with pytest.raises(PermissionDenied):
        services.demand_rate(actor=svc["hr2"], demand=demand, rating="satisfied", on_behalf=True)
    with pytest.raises(PermissionDenied):
        services.demand_rate(actor=svc["town_b"], demand=demand, rating="satisfied", on_behalf=True)
    with pytest.raises(ValidationError) as error:
        services.demand_rate(actor=svc["town"], demand=demand, rating="satisfied")
    assert "代企业评价" in error.value.message_dict["on_behalf"][0]
    rated = services.demand_rate(actor=svc["town"], demand=demand, rating="basic", on_behalf=True)
    assert rated.rated_on_behalf is True
    assert DemandStep.objects.get(demand=demand, kind=StepKind.RATE).on_behalf is True


def test_returned_then_rerouted(svc, own):
    demand = services.demand_create(
        actor=svc["office"], enterprise=own, category="finance", title="应急转贷 500 万"
    )
    services.demand_return(actor=svc["fin"], demand=demand, reason="属于用地问题")
    demand.refresh_from_db()
    assert demand.state == DemandState.RETURNED and demand.lead_unit is None
    assert Notice.objects.filter(kind="service.demand.returned").exists()
    assert not Demand.objects.visible_to(svc["fin"]).filter(pk=demand.pk).exists()
    services.demand_route(actor=svc["office"], demand=demand, lead_unit=svc["hr"])
    demand.refresh_from_db()
    assert demand.state == DemandState.ASSIGNED and demand.lead_unit == svc["hr"]
    with pytest.raises(PermissionDenied):
        services.demand_route(actor=svc["hr1"], demand=demand, lead_unit=svc["finance"])


def test_return_needs_a_reason(svc, own):
    demand = _labour(svc, own)
    with pytest.raises(ValidationError) as error:
        services.demand_return(actor=svc["hr1"], demand=demand, reason=" ")
    assert error.value.message_dict["reason"] == ["请填写退回理由。"]


def test_extension_approved_by_the_office_moves_the_deadline(svc, own):
    demand = _labour(svc, own, when="2026-11-02")
    services.demand_sign(actor=svc["hr1"], demand=demand, at=at("2026-11-02", 11))
    demand.refresh_from_db()
    with pytest.raises(ValidationError):
        services.demand_request_extension(
            actor=svc["hr1"], demand=demand, new_due=demand.complete_due, reason="等场地"
        )
    new_due = demand.complete_due + dt.timedelta(days=20)
    request = services.demand_request_extension(
        actor=svc["hr1"], demand=demand, new_due=new_due, reason="等招聘季"
    )
    with pytest.raises(PermissionDenied):
        services.demand_decide_extension(actor=svc["hr1"], extension=request, approve=True)
    services.demand_decide_extension(actor=svc["office"], extension=request, approve=True)
    demand.refresh_from_db()
    assert demand.complete_due == new_due


def test_escalation_once_and_reminder_the_day_before(svc, own):
    late = _labour(svc, own, when="2026-11-02")
    soon = services.demand_create(
        actor=svc["office"], enterprise=own, category="finance", title="贷款", at=at("2026-11-16")
    )
    result = services.demands_escalate(today=dt.date(2026, 11, 16))
    assert result == {"reminded": 1, "escalated": 1}
    late.refresh_from_db()
    assert late.escalated_at is not None
    escalated = Notice.objects.filter(kind="service.demand.escalated")
    assert {n.recipient_unit.name for n in escalated} == {"人社局", "领导小组办公室"}
    assert Notice.objects.get(kind="service.demand.due_soon").object_id == soon.pk
    again = services.demands_escalate(today=dt.date(2026, 11, 16))
    assert again == {"reminded": 0, "escalated": 0}


def test_archive_refuses_an_unsatisfied_demand(svc, own):
    demand = _labour(svc, own)
    services.demand_sign(actor=svc["hr1"], demand=demand)
    services.demand_answer(actor=svc["hr1"], demand=demand, answer="已解决")
    services.demand_rate(actor=svc["enterprise"], demand=demand, rating="unsatisfied", comment="没解决")
    with pytest.raises(ValidationError):
        services.demand_archive(actor=svc["office"], demand=demand)


def test_escalation_reaches_the_unit_leader_in_person_and_the_county_office_only(svc, own):
    from qiangxian.core.choices import OrgUnitKind
    from qiangxian.core.models import OrgUnit
    from qiangxian.inbox import selectors as inbox

    other = OrgUnit.objects.create(name="乙县", kind=OrgUnitKind.COUNTY)
    OrgUnit.objects.create(name="乙县办公室", kind=OrgUnitKind.OFFICE, parent=other)
    leader = svc["hr2"]
    leader.is_unit_leader = True
    leader.save()
    late = _labour(svc, own, when="2026-11-02")
    assert services.demands_escalate(today=dt.date(2026, 11, 16))["escalated"] == 1
    notices = Notice.objects.filter(kind="service.demand.escalated", object_id=late.pk)
    assert {n.recipient_user_id for n in notices if n.recipient_user_id} == {leader.pk}
    # The unit's other staff are not addressed: the leader is the one told to push.
    assert {n.recipient_unit.name for n in notices if n.recipient_unit_id} == {"领导小组办公室"}
    assert inbox.inbox(user=leader).filter(kind="service.demand.escalated").count() == 1
    assert not inbox.inbox(user=svc["hr1"]).filter(kind="service.demand.escalated").exists()
    # The neighbouring county's office hears nothing of this county's demand.
    assert not Notice.objects.filter(recipient_unit__county=other).exists()
