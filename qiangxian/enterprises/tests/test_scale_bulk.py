"""Bulk 入规/退规 from the registry list: one service, all or none, each user within its own scope."""

from __future__ import annotations

import pytest

from qiangxian.enterprises.choices import DesignationKind
from qiangxian.enterprises.models import Designation, Enterprise

URL = "/enterprises/scale/bulk/"


def _ids(county, *names):
    return [county["enterprises"][n].pk for n in names]


def test_office_records_entry_for_several_with_history(client_as, county):
    ids = _ids(county, "甲镇纺织有限公司", "乙镇电子有限公司")
    response = client_as("office").post(
        URL, {"ids": ids, "action": "entry", "month": "2026-04", "reason": "纳统名单"}
    )
    assert response.status_code == 302
    for e in Enterprise.objects.filter(pk__in=ids):
        assert e.above_scale
        assert e.history.filter(history_change_reason__contains="入规（批量登记）").exists()
    records = Designation.objects.filter(enterprise_id__in=ids, kind=DesignationKind.ABOVE_SCALE)
    assert {d.entry_month.isoformat() for d in records} == {"2026-04-01"} and records.count() == 2
    assert all(d.history.first().history_user.username == "office" for d in records)


def test_one_bad_enterprise_stops_the_whole_action(client_as, county):
    client = client_as("office")
    textile = county["enterprises"]["甲镇纺织有限公司"]
    client.post(URL, {"ids": [textile.pk], "action": "entry", "month": "2026-04"})
    ids = _ids(county, "甲镇纺织有限公司", "乙镇电子有限公司")
    response = client.post(URL, {"ids": ids, "action": "entry", "month": "2026-05"}, follow=True)
    assert "已是规上企业" in response.content.decode()
    assert not Enterprise.objects.get(name="乙镇电子有限公司").above_scale


def test_town_user_only_within_its_town(client_as, county):
    client = client_as("town")  # 甲镇
    own = _ids(county, "甲镇纺织有限公司")
    assert client.post(URL, {"ids": own, "action": "entry", "month": "2026-04"}).status_code == 302
    assert Enterprise.objects.get(pk=own[0]).above_scale
    other = _ids(county, "乙镇电子有限公司")
    assert client.post(URL, {"ids": other, "action": "entry", "month": "2026-04"}).status_code in (403, 404)
    assert not Enterprise.objects.get(pk=other[0]).above_scale


@pytest.mark.parametrize("role", ["leader", "bureau", "enterprise"])
def test_readers_cannot(client_as, county, role):
    ids = _ids(county, "甲镇纺织有限公司")
    response = client_as(role).post(URL, {"ids": ids, "action": "entry", "month": "2026-04"})
    assert response.status_code in (403, 404)
    assert not Enterprise.objects.get(pk=ids[0]).above_scale


def test_anonymous_is_sent_to_login(client_as, county):
    response = client_as(None).post(
        URL, {"ids": _ids(county, "甲镇纺织有限公司"), "action": "entry", "month": "2026-04"}
    )
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_offers_the_bulk_form_only_to_editors(client_as, county):
    assert 'data-testid="bulk-scale"' in client_as("office").get("/enterprises/").content.decode()
    assert 'data-testid="bulk-scale"' not in client_as("leader").get("/enterprises/").content.decode()
