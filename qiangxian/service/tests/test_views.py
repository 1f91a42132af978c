"""Pages: permission matrix, the actions on the detail page, refusals shown in Chinese, exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.core.page_check import raw_values
from qiangxian.service import services
from qiangxian.service.choices import DemandState
from qiangxian.service.models import Demand, Visit

pytestmark = pytest.mark.django_db

PAGES = ["/service/", "/service/my-work/", "/service/visits/", "/service/league/", "/inbox/"]


@pytest.fixture
def demand(svc, own):
    return services.demand_create(actor=svc["town"], enterprise=own, category="labour", title="缺缝纫工")


@pytest.mark.parametrize("url", [*PAGES, "/service/demands/new/", "/service/rules/", "/service/visits/new/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["office", "leader", "hr1", "town", "town_b", "enterprise", "fin"])
def test_pages_open_clean_for_every_role(client, svc, demand, role):
    client.force_login(svc[role])
    for url in PAGES:
        response = client.get(url)
        if role == "enterprise" and url.startswith("/service/"):
            # The enterprise follows its demands and visits in its portal, not the government's lists.
            assert response.status_code == 404, url
            continue
        assert response.status_code == 200, url
        assert raw_values(response.content.decode(), usernames=tuple(svc)) == [], url


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("office", 200),
        ("hr1", 200),
        ("town", 200),
        ("enterprise", 200),
        ("town_b", 404),
        ("fin", 404),
        ("bureau", 404),
    ],
)
def test_detail_matrix(client, svc, demand, role, status):
    client.force_login(svc[role])
    assert client.get(f"/service/demands/{demand.pk}/").status_code == status


def test_list_shows_only_the_town_s_demands_and_exports_them(client, svc, demand):
    other = svc["enterprises"]["乙镇机械有限公司"]
    services.demand_create(actor=svc["office"], enterprise=other, category="labour", title="乙镇的诉求")
    client.force_login(svc["town"])
    page = client.get("/service/").content.decode()
    assert "缺缝纫工" in page and "乙镇的诉求" not in page
    response = client.get("/service/?export=xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    titles = [row[2] for row in sheet[1:]]
    assert "缺缝纫工" in titles and "乙镇的诉求" not in titles


def test_the_demand_contact_is_shown_in_full_only_to_who_may_see_contacts(client, svc, own):
    """The town and the office read the enterprise's number; the bureau handling it sees it masked,
    on the page and in the export alike."""
    demand = services.demand_create(
        actor=svc["town"],
        enterprise=own,
        category="labour",
        title="缺缝纫工",
        contact_name="王经理",
        contact_phone="13812345678",
    )
    expected = {"town": "13812345678", "office": "13812345678", "hr1": "138****5678"}
    for role, phone in expected.items():
        client.force_login(svc[role])
        page = client.get(f"/service/demands/{demand.pk}/").content.decode()
        assert f"王经理 {phone}" in page, role
        if phone != "13812345678":
            assert "13812345678" not in page, role
        response = client.get("/service/?export=xlsx")
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        header, *rows = sheet
        row = next(r for r in rows if r[0] == demand.code)
        assert row[header.index("联系人")] == "王经理", role
        assert row[header.index("联系电话")] == phone, role


def test_sign_answer_rate_through_the_page(client, svc, demand):
    url = f"/service/demands/{demand.pk}/"
    client.force_login(svc["hr1"])
    assert "签收" in client.get(url).content.decode()
    client.post(url, {"action": "sign"})
    response = client.post(url, {"action": "sign"}, follow=True)
    assert "无需重复签收" in response.content.decode()
    client.post(url, {"action": "answer", "answer": "已组织专场招聘"})
    assert Demand.objects.get(pk=demand.pk).state == DemandState.ANSWERED
    # Someone else's rating is refused with the reason, nothing saved.
    client.force_login(svc["hr2"])
    response = client.post(url, {"action": "rate", "rating": "satisfied", "on_behalf": "on"}, follow=True)
    assert "办理单位不能自评" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).rating == ""
    client.force_login(svc["enterprise"])
    response = client.post(url, {"action": "rate", "rating": "unsatisfied"})
    assert "不满意时请说明原因" in response.content.decode()
    client.post(url, {"action": "rate", "rating": "satisfied", "comment": "很快"})
    assert Demand.objects.get(pk=demand.pk).rating == "satisfied"


def test_another_unit_cannot_act_by_posting(client, svc, demand):
    client.force_login(svc["office"])
    response = client.post(f"/service/demands/{demand.pk}/", {"action": "sign"}, follow=True)
    assert "您所在单位不能签收" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).state == DemandState.ASSIGNED


def test_create_form_refuses_in_chinese(client, svc):
    client.force_login(svc["office"])
    response = client.post("/service/demands/new/", {"channel": "office", "title": ""})
    page = response.content.decode()
    assert "请选择提出诉求的企业。" in page and "请选择诉求类别。" in page
    assert not Demand.objects.exists()


def test_rules_page_only_for_the_office(client, svc):
    client.force_login(svc["hr1"])
    assert client.get("/service/rules/").status_code == 403
    client.force_login(svc["office"])
    response = client.post(
        "/service/rules/",
        {
            "category": "land",
            "lead_unit": svc["finance"].pk,
            "sign_days": 1,
            "response_days": 3,
            "complete_days": 2,
        },
    )
    assert "签收 ≤ 答复 ≤ 办结" in response.content.decode()


def test_visit_page_records_and_warns(client, svc, own):
    services.visit_create(actor=svc["hr1"], enterprise=own, visited_on=dt.date.today(), purpose="招聘会对接")
    client.force_login(svc["town"])
    warning = client.get(f"/service/visits/warn/?enterprise={own.pk}").content.decode()
    assert "无事不扰" in warning and "招聘会对接" in warning
    response = client.post(
        "/service/visits/new/",
        {
            "enterprise": own.pk,
            "visited_on": dt.date.today().isoformat(),
            "demand_category": "labour",
            "demand_title": "缺工",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(unit=svc["town"].org_unit)
    assert visit.demands.get().lead_unit == svc["hr"]


def test_league_export(client, svc, demand):
    client.force_login(svc["office"])
    year = demand.month.year
    response = client.get(f"/service/league/?year={year}&export=xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "单位" and sheet[1][0] == "人社局" and sheet[-1][0] == "合计"
