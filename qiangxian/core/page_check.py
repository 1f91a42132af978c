"""What must never be seen on a page: raw values the templates forgot to put in Chinese.

Used by ``scripts/page_sweep.py`` (every page each demo role reaches) and by the tests that
render the pages of the fixture county as each role.
"""

from __future__ import annotations

import re
from html import unescape

# Visible-text patterns: (what, regex).
RAW = [
    ("布尔值", re.compile(r"(?<![A-Za-z_])(True|False)(?![A-Za-z_])")),
    ("None", re.compile(r"(?<![A-Za-z_])None(?![A-Za-z_])")),
    ("范围代码", re.compile(r"(?<![A-Za-z_/.@-])(county|park|zone|town)(?![A-Za-z_/.@-])")),
    ("1-N月", re.compile(r"1-N月")),
]
MONTH_AS_DATE = re.compile(r"\d{4}年\d{1,2}月1日")
EMPTY_UNKNOWN = re.compile(r"<option value=\"(?:unknown|)\"[^>]*>\s*未知\s*</option>")


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes."""
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return unescape(page)


def raw_values(page: str, *, usernames: tuple[str, ...] = (), months_as_dates: bool = False) -> list[str]:
    """Every raw value in a page's visible text, with a little context.

    ``usernames`` are allowed where they are shown as such (a demo account is called "park");
    ``months_as_dates`` also reports dates on the 1st of a month (most are real dates, so the
    sweep shows them for a person to judge).
    """
    text = visible_text(page)
    allowed = set(usernames)
    found = []
    patterns = RAW + ([("月份写成日期", MONTH_AS_DATE)] if months_as_dates else [])
    for name, pattern in patterns:
        for match in pattern.finditer(text):
            if match.group(0) in allowed:
                continue
            around = " ".join(text[max(0, match.start() - 30) : match.end() + 30].split())
            found.append(f"{name}: …{around}…")
    if EMPTY_UNKNOWN.search(page):
        found.append("筛选的空选项写作“未知”（应为“全部”）")
    return found
