"""The structured forms: who fills the need, who records the outcome, the recruitment list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.service import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def labour(svc, own):
    return services.demand_create(actor=svc["town"], enterprise=own, category="labour", title="缺缝纫工")


def test_need_by_the_raiser_outcome_by_the_lead_unit(svc, labour):
    need = services.need_save(
        actor=svc["town"], demand=labour, positions="缝纫工", headcount=30, wage="6000元/月"
    )
    with pytest.raises(PermissionDenied):
        services.need_save(actor=svc["town"], demand=labour, filled=12)
    with pytest.raises(PermissionDenied):
        services.need_save(actor=svc["fin"], demand=labour, positions="会计")
    services.need_save(actor=svc["hr1"], demand=labour, filled=12)
    need.refresh_from_db()
    assert (need.headcount, need.filled) == (30, 12)


def test_need_validation_in_chinese(svc, own, labour):
    with pytest.raises(ValidationError) as error:
        services.need_save(actor=svc["town"], demand=labour, positions="", headcount=0)
    assert error.value.message_dict == {"positions": ["请填写岗位。"], "headcount": ["人数应大于 0。"]}
    finance = services.demand_create(actor=svc["office"], enterprise=own, category="finance", title="转贷")
    with pytest.raises(ValidationError) as error:
        services.need_save(actor=svc["office"], demand=finance, amount=Decimal(-1), kind="bridge")
    assert "amount" in error.value.message_dict
    other = services.demand_create(actor=svc["office"], enterprise=own, category="policy", title="咨询")
    with pytest.raises(ValidationError):
        services.need_save(actor=svc["office"], demand=other, positions="x")


def test_recruitment_list_for_the_bureau_with_totals_and_export(client, svc, own, labour):
    services.need_save(actor=svc["town"], demand=labour, positions="缝纫工", headcount=30)
    other = svc["enterprises"]["乙镇机械有限公司"]
    hidden = services.demand_create(actor=svc["office"], enterprise=other, category="finance", title="贷款")
    services.need_save(actor=svc["office"], demand=hidden, amount=Decimal(5_000_000), kind="bridge")
    client.force_login(svc["hr1"])
    page = client.get("/service/recruitment/").content.decode()
    assert "缝纫工" in page and "合计需求 30 人" in page
    assert client.get("/service/recruitment/?export=xlsx").status_code == 200
    assert "乙镇机械" not in client.get("/service/finance/").content.decode()
    client.force_login(svc["fin"])
    assert "乙镇机械" in client.get("/service/finance/").content.decode()
    assert "缝纫工" not in client.get("/service/recruitment/").content.decode()


def test_detail_page_form_saves_money_in_wan(client, svc, own):
    finance = services.demand_create(actor=svc["office"], enterprise=own, category="finance", title="转贷")
    client.force_login(svc["office"])
    url = f"/service/demands/{finance.pk}/"
    client.post(url, {"action": "need", "amount": "500", "kind": "bridge", "bank": "农商行"})
    finance.finance_need.refresh_from_db()
    assert finance.finance_need.amount == Decimal(5_000_000)
    assert "500.00万元" in client.get(url).content.decode() or "500万元" in client.get(url).content.decode()
