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


def test_land_need_followed_to_the_parcel_or_building_the_lead_unit_offers(client, svc, own, county):
    from qiangxian.core.choices import OrgUnitKind, Role
    from qiangxian.core.models import OrgUnit, User
    from qiangxian.land.models import Building, Parcel

    root, park = county["units"]["测试县"], county["units"]["工业园"]
    bureau = OrgUnit.objects.create(name="自然资源局", kind=OrgUnitKind.BUREAU, parent=root)
    ziran = User.objects.create(username="ziran", role=Role.BUREAU, org_unit=bureau)
    services.routing_rule_save(actor=svc["office"], category="land", lead_unit=bureau)
    parcel = Parcel.objects.create(code="GY-007", name="三号路东", park=park, area_mu=Decimal(50))
    building = Building.objects.create(
        code="B-12", name="标准厂房12栋", park=park, floor_area_sqm=Decimal(6000)
    )

    demand = services.demand_create(actor=svc["town"], enterprise=own, category="land", title="扩产用地")
    services.need_save(actor=svc["town"], demand=demand, area=Decimal(40), area_unit="mu")
    with pytest.raises(PermissionDenied):  # the outcome is the lead unit's to record
        services.need_save(actor=svc["town"], demand=demand, offered_parcel_id=parcel.pk)
    with pytest.raises(ValidationError) as refused:  # no such parcel (or not one the unit may see)
        services.need_save(actor=ziran, demand=demand, offered_parcel_id=parcel.pk + 1000)
    assert "地块" in refused.value.message_dict["offered_parcel"][0]
    need = services.need_save(
        actor=ziran, demand=demand, offered_parcel_id=parcel.pk, offered_building=building, offered="先租后建"
    )
    need.refresh_from_db()
    assert (need.offered_parcel, need.offered_building, need.area) == (parcel, building, Decimal(40))
    assert list(parcel.land_needs.all()) == [need]

    client.force_login(ziran)
    page = client.get(f"/service/demands/{demand.pk}/").content.decode()
    assert "地块 GY-007" in page and "楼栋 B-12 标准厂房12栋" in page
    api = client.get(f"/api/service/demands/{demand.pk}/land").json()
    assert (api["offered_parcel_id"], api["offered_building_id"]) == (parcel.pk, building.pk)
