"""Render every page a demo role reaches and list raw values that must not appear on a page.

Usage (on a database holding the demo county)::

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

# Visible-text patterns: (name, regex).
RAW = [
    ("布尔值", re.compile(r"(?<![A-Za-z_])(True|False)(?![A-Za-z_])")),
    ("None", re.compile(r"(?<![A-Za-z_])None(?![A-Za-z_])")),
    ("范围代码", re.compile(r"(?<![A-Za-z_/.-])(county|park|zone|town)(?![A-Za-z_/.-])")),
    ("1-N月", re.compile(r"1-N月")),
    ("月份写成日期", re.compile(r"\d{4}年\d{1,2}月1日")),
]
EMPTY_UNKNOWN = re.compile(r'<option value="(?:unknown|)"[^>]*>\s*未知\s*</option>')
SKIP = ("/logout", "/static/", "/api/", "export=", "/admin/", "download", "template")


def visible_text(page: str) -> str:
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return unescape(page)


def sweep(user: User, start: list[str], depth: int, limit: int) -> list[str]:
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
            text = visible_text(page)
            for name, pattern in RAW:
                for match in pattern.finditer(text):
                    around = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
                    problems.append(f"{user.username}: {url} {name}: …{' '.join(around.split())}…")
            if EMPTY_UNKNOWN.search(page):
                problems.append(f"{user.username}: {url} 筛选的空选项写作“未知”")
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
    for user in User.objects.order_by("pk"):
        start = ["/"]
        for item in items_for(user, "/"):
            start += [item.get("url")] + [c.get("url") for c in item.get("children", [])]
        problems += sweep(user, [u for u in start if u], args.depth, args.max_per_role)
    for line in dict.fromkeys(problems):
        print(line)
    print(f"{len(set(problems))} 处问题")


if __name__ == "__main__":
    main()
