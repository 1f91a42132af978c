"""The inbox: sending to users and units, the unread count in one query, marking read, the export."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.inbox import selectors, services
from qiangxian.inbox.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(county, users):
    units = county["units"]
    return services.notice_send(
        kind="test.event",
        title="统计局的待办",
        body="请处理",
        link="/service/",
        users=[users["leader"], users["leader"]],
        units=[units["统计局"], units["甲镇"]],
        related=units["统计局"],
    )


def test_one_insert_and_duplicates_dropped(county, users, django_assert_num_queries):
    with django_assert_num_queries(2):  # the content type lookup is cached after the first; plus the insert
        notices = services.notice_send(
            kind="x",
            title="t",
            users=[users["town"], users["town"]],
            units=[county["units"]["甲镇"]],
            related=users["town"],
        )
    assert len(notices) == 2
    assert Notice.objects.get(recipient_user=users["town"]).related == users["town"]


def test_unit_members_see_unit_notices_others_do_not(users, sent):
    assert selectors.unread_count(user=users["bureau"]) == 1  # 统计局
    assert selectors.unread_count(user=users["town"]) == 1  # 甲镇
    assert selectors.unread_count(user=users["leader"]) == 1  # personal, once
    assert selectors.unread_count(user=users["park"]) == 0


def test_unread_count_is_one_query(users, sent, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.unread_count(user=users["bureau"]) == 1


def test_mark_read_only_touches_own_notices(users, sent):
    town_notice = Notice.objects.get(recipient_unit__name="甲镇")
    assert services.notice_mark_read(actor=users["bureau"], notice_ids=[town_notice.pk]) == 0
    assert services.notice_mark_read(actor=users["town"]) == 1
    assert selectors.unread_count(user=users["town"]) == 0
    assert Notice.objects.get(pk=town_notice.pk).read_by == users["town"]


def test_top_bar_badge_and_page(client, users, sent):
    client.force_login(users["bureau"])
    page = client.get("/inbox/").content.decode()
    assert 'hx-get="/inbox/badge/"' in page and "统计局的待办" in page
    assert 'data-testid="inbox-unread"' in client.get("/inbox/badge/").content.decode()
    notice = Notice.objects.get(recipient_unit__name="统计局")
    response = client.get(f"/inbox/{notice.pk}/open/")
    assert response["Location"] == "/service/"
    assert client.get("/inbox/badge/").content == b""
    other = Notice.objects.get(recipient_unit__name="甲镇")
    assert client.get(f"/inbox/{other.pk}/open/").status_code == 404


def test_gateway_export_has_phones_and_is_scoped(client, users, sent):
    users["town"].phone = "13800000001"
    users["town"].save()
    client.force_login(users["office"])
    sheet = CalamineWorkbook.from_filelike(
        io.BytesIO(client.get("/inbox/export/").content)
    ).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][:4] == ["时间", "类型", "接收人/单位", "手机号"]
    assert ["甲镇", "13800000001"] in [r[2:4] for r in rows[1:]]
    assert len(rows) == 4  # header + leader + 统计局 + 甲镇
    client.force_login(users["town"])
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(client.get("/inbox/export/").content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 2


def test_anonymous_is_sent_to_login(client):
    assert client.get("/inbox/")["Location"].startswith("/login/")
