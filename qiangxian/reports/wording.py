"""The sentences of a report, written from figures by rules (never "增长-3.2%").

Every function takes ratios as :class:`~decimal.Decimal` (0.193 is 19.3%) or None, rounds once
with the platform's rounding (``core.formatting``) and picks the word from the sign of the
*rounded* number, so the word and the number never disagree: −0.04% is "持平", not "下降0.0%".
"""

from __future__ import annotations

from decimal import Decimal

from qiangxian.core.formatting import round_half_up, to_decimal


def _points(ratio, digits: int = 1) -> Decimal | None:
    number = to_decimal(ratio)
    return None if number is None else round_half_up(number * 100, digits)


def growth(ratio, *, up: str = "增长", down: str = "下降", flat: str = "与上年同期持平") -> str:
    """同比: "增长19.3%", "下降3.2%", "与上年同期持平"; "增速无法计算" without a base."""
    points = _points(ratio)
    if points is None:
        return "无上年同期可比数"
    if points == 0:
        return flat
    return f"{up if points > 0 else down}{abs(points)}%"


def change_pp(now, before, *, up: str = "提高", down: str = "回落", flat: str = "持平") -> str:
    """A rate against an earlier one in 个百分点: "提高0.8个百分点", "回落1.2个百分点", "持平".

    Both are rounded first (as the reader sees them), then subtracted.
    """
    a, b = _points(now), _points(before)
    if a is None or b is None:
        return ""
    gap = a - b
    if gap == 0:
        return flat
    return f"{up if gap > 0 else down}{abs(gap)}个百分点"


def pace(completion, elapsed) -> str:
    """完成率 against 序时进度: "快于序时进度2.1个百分点", "慢于…", "与序时进度持平"."""
    a, b = _points(completion), _points(elapsed)
    if a is None or b is None:
        return ""
    gap = a - b
    if gap == 0:
        return "与序时进度持平"
    return f"{'快于' if gap > 0 else '慢于'}序时进度{abs(gap)}个百分点"


def pull(ratio) -> str:
    """拉动: "拉动全县增长1.2个百分点" or "下拉0.4个百分点"."""
    points = _points(ratio)
    if points is None:
        return ""
    if points == 0:
        return "对增长基本无拉动"
    return f"{'拉动' if points > 0 else '下拉'}{abs(points)}个百分点"


def percent(ratio) -> str:
    """A share or completion: "41.2%" ("—" when unknown)."""
    points = _points(ratio)
    return "—" if points is None else f"{points}%"


def signed_percent(ratio) -> str:
    """A table cell's growth: "19.3", "-3.2" (the table header says %)."""
    points = _points(ratio)
    return "—" if points is None else str(points)


def signed_points(ratio, digits: int = 2) -> str:
    points = _points(ratio, digits)
    return "—" if points is None else str(points)


def compare(a_ratio, b_ratio, *, a_name: str, b_name: str) -> str:
    """Two growth rates side by side: "用电量增速快于产值增速2.3个百分点"."""
    a, b = _points(a_ratio), _points(b_ratio)
    if a is None or b is None:
        return ""
    gap = a - b
    if gap == 0:
        return f"{a_name}增速与{b_name}增速持平"
    return f"{a_name}增速{'快于' if gap > 0 else '慢于'}{b_name}增速{abs(gap)}个百分点"
