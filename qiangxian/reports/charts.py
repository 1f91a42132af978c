"""The report's charts, drawn with matplotlib (headless Agg) in the machine's Noto CJK font."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@lru_cache(maxsize=1)
def chinese_font() -> font_manager.FontProperties:
    """The first Noto CJK file installed (the SC face of the collection), else any CJK family found."""
    for path in FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(family="Noto Sans CJK SC", fname=path)
    for font in font_manager.fontManager.ttflist:
        if "CJK" in font.name or "Hei" in font.name or "Song" in font.name:
            return font_manager.FontProperties(fname=font.fname)
    return font_manager.FontProperties()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def trend_chart(months: list[str], this_year: list, last_year: list, growth: list, *, unit: str) -> bytes:
    """Bars of each month's output this year and last, the cumulative growth as a line (right axis)."""
    font = chinese_font()
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.add_subplot()
    x = range(len(months))
    width = 0.38
    ax.bar([i - width / 2 for i in x], [v or 0 for v in this_year], width, label="本年当月", color="#c0392b")
    ax.bar([i + width / 2 for i in x], [v or 0 for v in last_year], width, label="上年同月", color="#95a5a6")
    ax.set_xticks(list(x), months, fontproperties=font)
    ax.set_ylabel(unit, fontproperties=font)
    right = ax.twinx()
    points = [(i, g) for i, g in zip(x, growth, strict=True) if g is not None]
    if points:
        right.plot(
            [p[0] for p in points], [p[1] for p in points], marker="o", color="#2c3e50", label="累计增速"
        )
    right.set_ylabel("累计增速（%）", fontproperties=font)
    handles = ax.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    ax.legend(
        handles[0] + extra[0],
        handles[1] + extra[1],
        prop=font,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=3,
        frameon=False,
    )
    ax.set_title("工业总产值月度走势", fontproperties=font)
    ax.spines[["top"]].set_visible(False)
    return _png(fig)


def pull_chart(labels: list[str], pulls: list[float], *, title: str) -> bytes:
    """Horizontal bars of each group's pull (个百分点), red up, green down, largest on top."""
    font = chinese_font()
    height = max(1.8, 0.32 * len(labels) + 0.8)
    fig = Figure(figsize=(6.4, height))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    colors = ["#c0392b" if p >= 0 else "#27ae60" for p in pulls]
    ax.barh(ys, pulls, color=colors)
    ax.set_yticks(ys, labels, fontproperties=font)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.set_xlabel("拉动（个百分点）", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    for y, p in zip(ys, pulls, strict=True):
        ax.text(p, y, f" {p:.2f}", va="center", ha="left" if p >= 0 else "right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
