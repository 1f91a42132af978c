"""Writes of the tiers app: validation in Chinese, history with the acting user, permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.tiers import services
from qiangxian.tiers.models import AssessmentDesignation, AssessmentJudgement, AssessmentValue

pytestmark = pytest.mark.django_db
MARKET = "主导产品在国内或国际细分市场占有率较高"


def test_value_saved_with_history_and_corrected_in_place(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    first = services.assessment_value_save(
        actor=users["office"],
        enterprise=firm,
        indicator="细分市场年限",
        year=2026,
        value=3,
        source_note="申报书",
    )
    assert first.indicator == "niche_market_years"
    second = services.assessment_value_save(
        actor=users["town"], enterprise=firm, indicator="niche_market_years", year=2026, value=4
    )
    assert second.pk == first.pk and second.value == Decimal(4)
    history = list(AssessmentValue.history.filter(id=first.pk).order_by("history_date"))
    assert [h.history_user.username for h in history] == ["office", "town"]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"indicator": "不存在的指标", "year": 2026, "value": 1}, "不在指标目录中"),
        ({"indicator": "niche_market_years", "year": 1999, "value": 1}, "四位年份"),
        ({"indicator": "niche_market_years", "year": 2026, "value": -1}, "不能为负数"),
        ({"indicator": "strategic_emerging_product", "year": 2026, "value": 2}, "只能填 1"),
        ({"indicator": "niche_market_years", "year": 2026, "value": "abc"}, "请填写数值"),
    ],
)
def test_value_validation(county, users, fields, message):
    with pytest.raises(ValidationError) as error:
        services.assessment_value_save(
            actor=users["office"], enterprise=county["enterprises"]["甲镇纺织有限公司"], **fields
        )
    assert message in str(error.value)


def test_other_towns_and_readers_cannot_write(county, users):
    firm = county["enterprises"]["乙镇电子有限公司"]
    for username in ("town", "bureau", "leader", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.judgement_save(
                actor=users[username], enterprise=firm, criterion=MARKET, satisfied=True, reason="x"
            )
    assert not AssessmentJudgement.objects.exists()


def test_judgement_needs_a_known_criterion_and_a_reason(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError, match="不在现行规则"):
        services.judgement_save(
            actor=users["office"], enterprise=firm, criterion="编造的", satisfied=True, reason="x"
        )
    with pytest.raises(ValidationError, match="判断依据"):
        services.judgement_save(
            actor=users["office"], enterprise=firm, criterion=MARKET, satisfied=True, reason=" "
        )
    saved = services.judgement_save(
        actor=users["office"],
        enterprise=firm,
        criterion=MARKET,
        satisfied=False,
        reason="走访核实",
        judged_on=dt.date(2026, 5, 1),
    )
    assert saved.judged_by == users["office"] and saved.judged_on == dt.date(2026, 5, 1)


def test_registry_titles_are_not_assessment_data(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError, match="企业称号"):
        services.assessment_designation_save(
            actor=users["office"], enterprise=firm, name="高新技术企业", held=True
        )
    record = services.assessment_designation_save(
        actor=users["office"],
        enterprise=firm,
        name="省部级以上研发机构",
        held=True,
        evidence="赣工信〔2025〕1号",
    )
    assert AssessmentDesignation.history.filter(id=record.pk).get().history_user == users["office"]
    record_id = record.pk
    services.assessment_delete(actor=users["office"], record=record)
    assert not AssessmentDesignation.objects.exists()
    deleted = AssessmentDesignation.history.get(id=record_id, history_type="-")
    assert deleted.history_user == users["office"]


def test_plan_target_year():
    assert services.plan_target_year(dt.date(2026, 6, 1)) == 2026
    assert services.plan_target_year(dt.date(2026, 12, 2)) == 2027


def test_awards_are_checked_before_saving(county, users):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from qiangxian.tiers.models import AssessmentAward

    shoe = county["enterprises"]["甲镇园区鞋业有限公司"]
    office = users["office"]
    saved = services.assessment_award_save(
        actor=office,
        enterprise=shoe,
        name="省科技进步奖二等奖",
        level="provincial",
        awarded_on=dt.date(2025, 3, 1),
        rank=2,
    )
    assert saved.history.first().history_user == office
    for bad in (
        {"awarded_on": dt.date.today() + dt.timedelta(days=1)},
        {"rank": 0},
        {"level": "county"},
    ):
        kwargs = {"name": "奖", "level": "national", "awarded_on": dt.date(2025, 3, 1), "rank": 1, **bad}
        with pytest.raises(ValidationError):
            services.assessment_award_save(actor=office, enterprise=shoe, **kwargs)
    assert AssessmentAward.objects.count() == 1


def test_counts_cannot_be_negative(county, users):
    from django.core.exceptions import ValidationError

    shoe = county["enterprises"]["甲镇园区鞋业有限公司"]
    with pytest.raises(ValidationError, match="不能为负数"):
        services.assessment_value_save(
            actor=users["office"], enterprise=shoe, indicator="ip_class1_transferred_in", year=2026, value=-1
        )
