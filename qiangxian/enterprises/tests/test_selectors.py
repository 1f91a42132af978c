"""Reads of the registry: scoping, search, titles to re-review, overdue measures, my enterprises."""

from __future__ import annotations

import datetime as dt

from qiangxian.enterprises import selectors, services
from qiangxian.enterprises.models import Designation, Enterprise

TODAY = dt.date(2026, 11, 25)


def _title(e, kind, valid_from, valid_to=None):
    return Designation.objects.create(enterprise=e, kind=kind, valid_from=valid_from, valid_to=valid_to)


def test_scoped_lists(county, users):
    names = lambda user: {e.name for e in selectors.enterprise_list(user=user)}  # noqa: E731
    assert len(names(users["office"])) == 5 and len(names(users["bureau"])) == 5
    assert names(users["park"]) == {"甲镇园区鞋业有限公司", "乙镇机械有限公司"}
    assert names(users["zone"]) == {"甲镇园区鞋业有限公司"}
    assert names(users["enterprise"]) == {"甲镇园区鞋业有限公司"}


def test_search_by_former_name_code_and_registration_number(county, users):
    e = county["enterprises"]["乙镇电子有限公司"]
    Enterprise.objects.filter(pk=e.pk).update(
        former_names="乙镇无线电厂", registration_number="361129000001234"
    )
    office = users["office"]
    assert list(selectors.enterprise_list(user=office, query="无线电")) == [e]
    assert list(selectors.enterprise_list(user=office, query=e.uscc[-6:].lower())) == [e]
    assert list(selectors.enterprise_list(user=office, query="361129000001")) == [e]


def test_expiring_and_awaiting_review(county, users):
    a = county["enterprises"]["甲镇纺织有限公司"]
    b = county["enterprises"]["乙镇机械有限公司"]
    soon = _title(a, "srdi_sme", dt.date(2023, 12, 1), TODAY + dt.timedelta(days=30))
    _title(a, "high_tech", dt.date(2023, 1, 1), TODAY + dt.timedelta(days=120))  # not yet
    expired = _title(b, "innovative_sme", dt.date(2022, 1, 1), TODAY - dt.timedelta(days=5))
    old = _title(b, "tech_sme", dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    _title(b, "tech_sme", dt.date(2025, 4, 1), dt.date(2026, 3, 31))  # renewal of `old`, itself expired
    office = users["office"]
    assert list(selectors.designations_expiring(user=office, today=TODAY)) == [soon]
    waiting = list(selectors.designations_awaiting_review(user=office, today=TODAY))
    assert expired in waiting and old not in waiting and len(waiting) == 2
    assert list(selectors.designations_expiring(user=users["town"], today=TODAY)) == [soon]
    assert not list(selectors.designations_awaiting_review(user=users["town"], today=TODAY))


def test_overdue_measures_and_my_enterprises(county, users):
    e = county["enterprises"]["乙镇机械有限公司"]
    plan = services.plan_create(
        actor=users["office"],
        enterprise=e,
        target_tier="srdi_sme",
        target_year=2027,
        measures=[
            {"content": "逾期的", "deadline": TODAY - dt.timedelta(days=1)},
            {"content": "已完成", "deadline": TODAY - dt.timedelta(days=1), "status": "done"},
            {"content": "未到期", "deadline": TODAY + dt.timedelta(days=1)},
        ],
    )
    overdue = list(selectors.overdue_measures(user=users["office"], today=TODAY))
    assert [m.content for m in overdue] == ["逾期的"]
    assert not list(selectors.overdue_measures(user=users["town"], today=TODAY))
    assert selectors.plan_list(user=users["office"]).get(pk=plan.pk).measure_count == 3
    services.liaisons_set(
        actor=users["office"], enterprise=e, leader=users["leader"], officials=[users["town"]]
    )
    _title(e, "srdi_sme", dt.date(2024, 1, 1), TODAY + dt.timedelta(days=10))
    items = selectors.my_enterprises(user=users["town"], today=TODAY)
    assert len(items) == 1 and items[0].enterprise == e and items[0].roles == ["包联干部"]
    assert [m.content for m in items[0].overdue] == ["逾期的"] and len(items[0].expiring) == 1
    assert selectors.my_enterprises(user=users["bureau"], today=TODAY) == []


def test_task_force_leader_sees_its_enterprises(county, users):
    e = county["enterprises"]["乙镇机械有限公司"]
    assert e not in selectors.enterprise_list(user=users["town"])
    tf = services.task_force_save(actor=users["office"], name="专班", leader=users["town"])
    services.liaisons_set(actor=users["office"], enterprise=e, task_force=tf)
    assert e in selectors.enterprise_list(user=users["town"])
    assert [i.enterprise for i in selectors.my_enterprises(user=users["town"])] == [e]
    assert services.can_see_contacts(users["town"], e)
