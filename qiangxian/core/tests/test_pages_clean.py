"""Every page each role reaches from the navigation shows no raw value, and no link leads to 403."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from qiangxian.core.navigation import items_for
from qiangxian.core.page_check import raw_values
from qiangxian.statistics.tests.factories import seed_facts

pytestmark = pytest.mark.django_db
SKIP = ("/logout", "/static/", "/api/", "export=", "/admin/", "template", "download")
ROLES = ["admin", "leader", "office", "bureau", "park", "town", "enterprise"]


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_no_raw_values_and_no_forbidden_links(county, users, client, role):
    seed_facts(county)
    user = users[role]
    client.force_login(user)
    start = ["/"]
    for item in items_for(user, "/"):
        start += [item["url"], *(c["url"] for c in item["children"])]
    start += ["/statistics/breakdown/?group=cluster", "/statistics/drilldown/?group_kind=total&group_key="]
    seen: set[str] = set()
    problems = []
    frontier = start
    for depth in range(2):
        following = []
        for url in frontier:
            if url in seen or any(s in url for s in SKIP) or len(seen) > 60:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code == 403:
                if depth:  # a link the user was shown
                    problems.append(f"链接指向无权访问的页面：{url}")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            problems += [f"{url} {p}" for p in raw_values(page, usernames=tuple(users))]
            if depth == 0:
                following += [
                    unescape(h) for h in re.findall(r'href="(/[^"#]*)"', page) if urlsplit(unescape(h)).path
                ]
        frontier = following
    assert len(seen) > 3
    assert problems == []
