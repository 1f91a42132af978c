"""The portal's pages: registration from the login page, rate limited; the officials' review; the
enterprise's own pages with its policies, demands and data requests."""

from __future__ import annotations

import pytest

from qiangxian.portal import services
from qiangxian.portal.models import Registration

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Qx-firm-pass-2026"


def _form(firm, **overrides):
    data = {
        "uscc": firm.uscc,
        "contact_name": "王经理",
        "phone": "13905551234",
        "username": "fangzhi",
        "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_login_page_links_to_registration_which_an_anonymous_visitor_can_use(client, county):
    assert "/portal/register/" in client.get("/login/").content.decode()
    firm = county["enterprises"]["甲镇纺织有限公司"]
    response = client.post("/portal/register/", _form(firm, password2="other"))
    assert "两次输入的密码不一致" in response.content.decode()
    response = client.post("/portal/register/", _form(firm))
    assert "注册申请已提交" in response.content.decode()
    assert Registration.objects.get().enterprise == firm


def test_registration_is_limited_per_address(client, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    for _ in range(5):
        assert client.post("/portal/register/", _form(firm, uscc="1")).status_code == 200
    assert client.post("/portal/register/", _form(firm)).status_code == 429
    assert not Registration.objects.exists()


def test_its_town_approves_from_the_list_another_town_cannot_see_it(client, county, users, django_user_model):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    registration = services.registration_submit(
        uscc=firm.uscc, contact_name="王经理", phone="13905551234", username="fangzhi", password=GOOD_PASSWORD
    )
    other = django_user_model.objects.create(username="yi", role="town", org_unit=county["units"]["乙镇"])
    client.force_login(other)
    assert "甲镇纺织" not in client.get("/portal/registrations/").content.decode()
    assert client.get(f"/portal/registrations/{registration.pk}/").status_code == 404
    client.force_login(users["town"])
    assert "甲镇纺织" in client.get("/portal/registrations/").content.decode()
    client.post(f"/portal/registrations/{registration.pk}/", {"action": "approve", "note": ""})
    registration.refresh_from_db()
    assert registration.state == "approved"
    client.force_login(users["enterprise"])
    assert client.get("/portal/registrations/").status_code == 404


def test_the_enterprise_raises_a_demand_from_the_portal(client, county, users):
    client.force_login(users["enterprise"])
    response = client.post(
        "/portal/demands/", {"category": "labour", "title": "缺熟练缝纫工 20 人", "description": ""}
    )
    from qiangxian.service.models import Demand

    demand = Demand.objects.get()
    assert response.url == f"/service/demands/{demand.pk}/"
    assert demand.enterprise == county["enterprises"]["甲镇园区鞋业有限公司"] and demand.channel == "portal"
    page = client.get("/portal/demands/").content.decode()
    assert demand.code in page
    assert client.get(response.url).status_code == 200


def test_the_portal_shows_the_policy_it_qualifies_for_with_the_amount(client, users, run):
    client.force_login(users["enterprise"])
    page = client.get("/portal/").content.decode()
    assert "研发投入奖励" in page and "20.00万元" in page
    policies = client.get("/portal/policies/").content.decode()
    assert "研发投入奖励" in policies


def test_officials_do_not_have_a_portal(client, users):
    client.force_login(users["office"])
    assert client.get("/portal/").status_code == 404
    assert client.get("/").status_code == 200


def test_the_enterprise_fills_a_data_request_with_evidence(client, county, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    request = services.data_request_create(
        actor=users["office"], enterprise=firm, title="专精特新申报", year=2025, indicators=["ip_class1"]
    )
    client.force_login(users["enterprise"])
    assert "专精特新申报" in client.get("/portal/").content.decode()
    item = request.items.get()
    evidence = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    client.post(
        f"/portal/data/{request.pk}/", {"action": "submit", f"item_{item.pk}": "4", "evidence": evidence}
    )
    request.refresh_from_db()
    assert request.state == "submitted" and request.evidence
    client.force_login(users["town"])
    assert client.get(f"/portal/data/{request.pk}/evidence/").status_code == 200


def test_the_figures_page_shows_its_own_figures_only(client, users, figures):
    client.force_login(users["enterprise"])
    page = client.get("/portal/figures/").content.decode()
    assert "营业收入" in page and "5,000.00万元" in page  # 甲镇园区鞋业's 1-12月 revenue
    assert "3,000.00万元" not in page  # 乙镇机械's
