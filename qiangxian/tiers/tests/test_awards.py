"""Awards (科技奖励) counted from their date on the evaluation date, and titles that lapsed."""

from __future__ import annotations

import datetime as dt

import pytest

from qiangxian.enterprises.models import Enterprise
from qiangxian.statistics.snapshot import build_snapshot
from qiangxian.tiers import tiers as tier_defs
from qiangxian.tiers.models import AssessmentAward, AssessmentDesignation
from qiangxian.tiers.selectors import enterprise_evaluation

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
PROVINCIAL_3Y = "近三年省级以上科技奖励"
PROVINCIAL_TOP3 = "近三年省级科技奖励排名前三"


def _award(firm, day, level="provincial", rank=1, user=None):
    return AssessmentAward.objects.create(
        enterprise=firm,
        name="省科学技术进步奖二等奖",
        level=level,
        rank=rank,
        awarded_on=day,
        recorded_by=user,
    )


def _complete(firm, user):
    AssessmentDesignation.objects.create(
        enterprise=firm, name=tier_defs.AWARDS_COMPLETE, held=True, evidence="对照名单核查", recorded_by=user
    )


def _at(snap, name, firm):
    return snap.designation_at(name, snap.row_of(firm.pk))


def test_an_award_exactly_three_years_old_counts_and_one_day_older_does_not(facts, users):
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    textile = Enterprise.objects.get(name="甲镇纺织有限公司")
    _award(shoe, tier_defs.years_before(AS_OF, 3))  # 2023-06-15, evaluated 2026-06-15
    _award(textile, tier_defs.years_before(AS_OF, 3) - dt.timedelta(days=1))  # three years and a day
    _complete(textile, users["office"])
    snap = build_snapshot(as_of=AS_OF)
    assert _at(snap, PROVINCIAL_3Y, shoe) is True
    assert _at(snap, PROVINCIAL_3Y, textile) is False
    # The same record, judged one day later, no longer counts: computed from the date, not a flag.
    later = build_snapshot(as_of=AS_OF + dt.timedelta(days=1))
    assert later.designation_at(PROVINCIAL_3Y, later.row_of(shoe.pk)) is None
    assert later.expiry_of(PROVINCIAL_3Y, shoe.pk) == AS_OF


def test_the_trace_says_when_an_award_stopped_counting(facts, users):
    textile = Enterprise.objects.get(name="甲镇纺织有限公司")
    _award(textile, dt.date(2023, 6, 14))
    _complete(textile, users["office"])
    result = enterprise_evaluation(user=users["office"], pk=textile.pk, as_of=AS_OF)
    texts = [
        v.text
        for c in result.checks
        for t in c.explanation.criteria
        for v in t.values
        if v.identifier == PROVINCIAL_3Y
    ]
    assert texts and set(texts) == {"已于 2026-06-14 到期"}


def test_rank_and_level_and_the_completeness_declaration(facts, users):
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    textile = Enterprise.objects.get(name="甲镇纺织有限公司")
    machine = Enterprise.objects.get(name="乙镇机械有限公司")
    _award(shoe, dt.date(2025, 1, 10), rank=4)
    _complete(shoe, users["office"])
    _award(textile, dt.date(2025, 1, 10), rank=None)
    _complete(textile, users["office"])
    _award(machine, dt.date(2025, 1, 10), level="national", rank=2)
    snap = build_snapshot(as_of=AS_OF)
    # Rank 4 of a provincial award: counts as 省级以上, not as 排名前三.
    assert _at(snap, PROVINCIAL_3Y, shoe) is True
    assert _at(snap, PROVINCIAL_TOP3, shoe) is False
    # Rank not recorded: might be in the top three, so unknown.
    assert _at(snap, PROVINCIAL_TOP3, textile) is None
    # National rank 2: top three and top five nationally; no declaration, so other names unknown.
    assert _at(snap, "近三年国家级科技奖励排名前三", machine) is True
    assert _at(snap, "近三年国家级科技奖励排名前五", machine) is True
    assert _at(snap, PROVINCIAL_TOP3, machine) is None


def test_award_names_are_not_offered_as_flags():
    names = tier_defs.assessment_designations()
    assert not set(tier_defs.AWARD_DESIGNATIONS) & set(names)
    assert tier_defs.AWARDS_COMPLETE in names


def test_an_expired_title_reads_its_end_date(facts, users):
    # 甲镇纺织's 高新技术企业 title ended 2022-12-31 (conftest).
    textile = Enterprise.objects.get(name="甲镇纺织有限公司")
    result = enterprise_evaluation(user=users["office"], pk=textile.pk, as_of=AS_OF)
    texts = {
        v.text
        for c in result.checks
        for t in c.explanation.criteria
        for v in t.values
        if v.identifier == "高新技术企业"
    }
    assert texts == {"已于 2022-12-31 到期"}
