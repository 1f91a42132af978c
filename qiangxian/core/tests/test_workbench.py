"""The workbench (home page) per role and the top bar's search, through the real views.

Every count on the workbench links to a list; following the link must show the same count. The
search finds only what the user may see, by name, short name, pinyin initials or code.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from qiangxian.core import workbench

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'data-testid="list-count">\s*(?:共|待裁定)\s*(\d+)\s*条')
ITEM = re.compile(r'href="([^"]+)" data-testid="wb-item" data-key="([^"]*)" data-count="(\d+)"')


def _items(client) -> list[tuple[str, str, int]]:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    return [(url.replace("&amp;", "&"), key, int(n)) for url, key, n in ITEM.findall(html)]


def _list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = COUNT.findall(response.content.decode())
    assert found, f"{url} shows no count"
    return int(found[0])


@pytest.fixture
def busy_county(county, users):
    """Some overdue and open work: a routed demand past its deadline, a title about to expire,
    a liaison enterprise of the town user outside its town."""
    from qiangxian.enterprises.models import Designation, EnterpriseLiaison
    from qiangxian.service.choices import DemandCategory, DemandState
    from qiangxian.service.models import Demand

    e = county["enterprises"]
    today = dt.date.today()
    bureau = users["bureau"].org_unit
    for i, (name, overdue) in enumerate((("甲镇纺织有限公司", True), ("乙镇电子有限公司", False))):
        Demand.objects.create(
            code=f"SQ2026{i:04d}",
            enterprise=e[name],
            title=f"用工诉求{i}",
            category=DemandCategory.choices[0][0],
            state=DemandState.ASSIGNED,
            lead_unit=bureau,
            sign_due=today - dt.timedelta(days=3) if overdue else today + dt.timedelta(days=5),
            complete_due=today + dt.timedelta(days=20),
            month=today.replace(day=1),
            accepted_at=timezone.now(),
        )
    Designation.objects.create(
        enterprise=e["甲镇食品有限公司"],
        kind="srdi_sme",
        level="provincial",
        year=today.year - 3,
        valid_from=today - dt.timedelta(days=1000),
        valid_to=today + dt.timedelta(days=30),
    )
    EnterpriseLiaison.objects.create(enterprise=e["乙镇机械有限公司"], user=users["town"], role="official")
    return county


@pytest.mark.parametrize("who", ["admin", "leader", "office", "bureau", "park", "zone", "town"])
def test_each_count_links_to_a_list_with_the_same_count(busy_county, users, client, who):
    client.force_login(users[who])
    items = _items(client)
    assert items, f"{who} has no workbench counts"
    for url, key, count in items:
        assert _list_count(client, url) == count, (who, key, url)


def test_counts_are_the_scope_of_each_role(busy_county, users, client):
    counts = {}
    for who in ("office", "bureau", "town"):
        client.force_login(users[who])
        counts[who] = {key: n for _, key, n in _items(client)}
    # The bureau's routed demands: one open, one of them overdue, first.
    assert counts["bureau"]["demands-mine-open"] == 2
    assert counts["bureau"]["demands-mine-overdue"] == 1
    # The office sees the county: five enterprises; the town its two (and its liaison one apart).
    assert counts["office"]["enterprises-total"] == 5
    assert counts["town"]["enterprises-total"] == 3
    assert counts["town"]["enterprises-outside"] == 1
    assert counts["office"]["titles-expiring"] == 1
    assert counts["office"]["demands-overdue"] == 1
    # The town sees the overdue demand of its own enterprise only.
    assert counts["town"]["demands-overdue"] == 1


def test_town_registry_labels_liaison_enterprises_outside_the_town(busy_county, users, client):
    client.force_login(users["town"])
    html = client.get("/enterprises/").content.decode()
    assert 'data-testid="liaison-outside-note"' in html
    assert "辖区外包联企业" in html
    outside = client.get("/enterprises/?place=outside").content.decode()
    assert "乙镇机械有限公司" in outside and "甲镇纺织有限公司" not in outside


def test_roles_without_business_get_only_their_inbox(county, users, client, django_user_model):
    auditor = django_user_model.objects.create(username="aud", role="auditor", display_name="审计")
    client.force_login(auditor)
    html = client.get("/").content.decode()
    assert re.findall(r'data-section="([^"]+)"', html) == ["inbox"]
    assert 'data-testid="search-input"' not in html


def test_registry_allows_a_role_with_no_entry(users):
    """An enterprise has no workbench entry of its own (its portal is its first screen)."""
    sections = workbench.sections_for(users["enterprise"])
    assert {s.key for s in sections} <= {"inbox"}


# --- search --------------------------------------------------------------------------------------


def _search(client, q) -> str:
    return client.get("/search/", {"q": q}).content.decode()


def test_search_by_name_pinyin_initials_and_code_only_within_scope(county, users, client):
    from qiangxian.enterprises.services import pinyin_initials

    e = county["enterprises"]
    for enterprise in e.values():
        enterprise.pinyin_initials = pinyin_initials(enterprise.name)
        enterprise.save(update_fields=["pinyin_initials"])
    client.force_login(users["office"])
    assert "乙镇机械有限公司" in _search(client, "yzjx")
    assert "乙镇机械有限公司" in _search(client, e["乙镇机械有限公司"].uscc[:12])
    assert "乙镇机械有限公司" in _search(client, "机械")
    client.force_login(users["town"])  # 甲镇: 乙镇's enterprise is outside its scope
    assert "乙镇机械有限公司" not in _search(client, "yzjx")
    assert "乙镇机械有限公司" not in _search(client, "机械")
    assert "甲镇纺织有限公司" in _search(client, "jzfz")


def test_search_finds_demands_by_number_and_the_total_matches_the_list(busy_county, users, client):
    client.force_login(users["bureau"])
    html = _search(client, "SQ20260001")
    assert "用工诉求1" in html
    total = re.search(r'data-group="demands".*?data-testid="search-total">(\d+)<', html, re.S)
    more = re.search(r'data-group="demands".*?href="([^"]+)" data-testid="search-more"', html, re.S)
    assert total and more
    assert _list_count(client, more.group(1).replace("&amp;", "&")) == int(total.group(1)) == 1
    # The suggest drop-down answers the same, and nothing for a user who may not see it.
    assert "用工诉求1" in client.get("/search/suggest/", {"q": "SQ20260001"}).content.decode()
    client.force_login(users["park"])  # 工业园: the demand's enterprise (乙镇电子) lies outside it
    assert "用工诉求1" not in client.get("/search/suggest/", {"q": "SQ20260001"}).content.decode()
