"""Links keep their parameters: every link on the dashboard, a breakdown and a drill-down that
leads to a figure page carries the indicator, the month and the scope the reader chose."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
FIGURE_PAGES = ("dashboard:index", "statistics:breakdown", "statistics:drilldown", "statistics:warnings")


def _links(page: str) -> list[tuple[str, dict]]:
    """(path, query) of every <a href> on the page that leads to a figure page with a query."""
    targets = {reverse(name) for name in FIGURE_PAGES}
    found = []
    for raw in re.findall(r'<a [^>]*href="([^"]*)"', page):
        url = urlsplit(html.unescape(raw))
        if url.query and (url.path in targets or url.path == ""):
            assert "??" not in raw and not url.query.startswith("?"), raw
            found.append(
                (url.path, {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()})
            )
    return found


def _check(page: str, expected: dict, *, with_indicator: bool) -> int:
    links = _links(page)
    assert links
    for path, query in links:
        for key, value in expected.items():
            if key == "indicator" and (not with_indicator or path == reverse("statistics:warnings")):
                continue
            assert query.get(key) == value, (path, query, key)
    return len(links)


@pytest.fixture
def chosen(facts):
    town = facts["units"]["甲镇"]
    return {"month": "2026-02", "scope_kind": "town", "scope_id": str(town.pk), "above": "0"}


def test_dashboard_links_keep_month_and_scope(chosen, users, client):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:index"), chosen).content.decode()
    assert 'href="?export=xlsx' not in page
    count = _check(page, chosen, with_indicator=False)
    # The export link downloads the month chosen.
    export = next(q for p, q in _links(page) if q.get("export") == "xlsx")
    assert export["month"] == "2026-02"
    assert count > 3


@pytest.mark.parametrize("group", ["town", "park", "cluster", "division"])
def test_breakdown_links_keep_indicator_month_and_scope(chosen, users, client, group):
    client.force_login(users["leader"])
    params = {**chosen, "indicator": "main_revenue", "group": group, "period": "month"}
    page = client.get(reverse("statistics:breakdown"), params).content.decode()
    _check(page, {**chosen, "indicator": "main_revenue", "period": "month"}, with_indicator=True)
    # The group pills switch the group and nothing else.
    pills = [q for p, q in _links(page) if q.get("group") and "export" not in q]
    assert {q["group"] for q in pills} == {"town", "park", "zone", "cluster", "division"}
    # The period form keeps the indicator and the group as hidden fields.
    assert 'name="indicator" value="main_revenue"' in page and f'name="group" value="{group}"' in page


def test_drilldown_links_keep_indicator_month_and_scope(chosen, users, client):
    client.force_login(users["leader"])
    params = {**chosen, "indicator": "main_revenue", "group_kind": "total", "group_key": "", "sort": "growth"}
    page = client.get(reverse("statistics:drilldown"), params).content.decode()
    _check(page, {**chosen, "indicator": "main_revenue"}, with_indicator=True)
    sorts = {q.get("sort") for p, q in _links(page)}
    assert {"value", "growth", "pull"} <= sorts
