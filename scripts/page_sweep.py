"""Render every page a demo role reaches and list raw values that must not appear on a page.

Usage (on a database holding the demo county)::

    QX_TESTING=1 DJANGO_ALLOWED_HOSTS=testserver DATABASE_URL=... \
        .venv/bin/python scripts/page_sweep.py [--depth 1] [--max-per-role 150]

For each demo user it opens the navigation's pages, then the same-site links found on them
(GET only, no exports), and reports every page whose visible text shows True/False/None,
a scope code (county/park...), "1-N月", a month as a full date ("2026年11月1日"), or a filter
whose empty choice reads "未知"; and every link to a page that answers 403 for that user.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiangxian.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from qiangxian.core.models import User  # noqa: E402
from qiangxian.core.page_check import raw_values  # noqa: E402

SKIP = ("/logout", "/static/", "/api/", "export=", "/admin/", "download", "template")


def sweep(user: User, start: list[str], depth: int, limit: int, usernames: tuple[str, ...]) -> list[str]:
    client = Client()
    client.force_login(user)
    seen: set[str] = set()
    frontier = list(start)
    problems = []
    for _ in range(depth + 1):
        following = []
        for url in frontier:
            if url in seen or len(seen) >= limit or any(s in url for s in SKIP):
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code == 403:
                problems.append(f"{user.username}: 链接指向无权访问的页面 {url}")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            for problem in raw_values(page, usernames=usernames, months_as_dates=True):
                problems.append(f"{user.username}: {url} {problem}")
            for href in re.findall(r'href="(/[^"#]*)"', page):
                href = unescape(href)
                if urlsplit(href).path and not any(s in href for s in SKIP):
                    following.append(href)
        frontier = following
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--max-per-role", type=int, default=150)
    args = parser.parse_args()
    from qiangxian.core.navigation import items_for

    problems = []
    usernames = tuple(User.objects.values_list("username", flat=True))
    for user in User.objects.order_by("pk"):
        start = ["/"]
        for item in items_for(user, "/"):
            start += [item.get("url")] + [c.get("url") for c in item.get("children", [])]
        problems += sweep(user, [u for u in start if u], args.depth, args.max_per_role, usernames)
    for line in dict.fromkeys(problems):
        print(line)
    print(f"{len(set(problems))} 处问题")


if __name__ == "__main__":
    main()
