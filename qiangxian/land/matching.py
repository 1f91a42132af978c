"""Ranking space for a need (pure numpy): parcels by land area, buildings by vacant floor space.

Each candidate scores up to 100 for size (best when it holds the need with little to spare:
100 − 60 × |ln(size ÷ need)|, and 0 when it is under 90% of the need) plus 20 when the
project's industry is among the zone's or park's 主导产业; an industry on the park's negative
list rules the candidate out. Reasons and misses are written for the shown candidates only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHORT = 0.9  # under 90% of the need: does not fit
LARGE = 1.6  # over 160%: fits, but wastes space


@dataclass(frozen=True)
class Ranked:
    order: np.ndarray  # candidate indices, best first (ruled-out candidates last)
    score: np.ndarray


def rank(size: np.ndarray, need: float, industry_fit: np.ndarray) -> Ranked:
    """``industry_fit``: 1 leading industry, 0 unknown or other, −1 on the negative list."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(size > 0, size / need, 0.0) if need > 0 else np.ones(len(size))
        fit = np.where(ratio >= SHORT, np.clip(100 - 60 * np.abs(np.log(ratio)), 0, 100), 0.0)
    score = fit + 20 * (industry_fit > 0)
    score = np.where(industry_fit < 0, -1.0, score)
    score = np.where(ratio < SHORT, np.minimum(score, 0.0), score)
    order = np.argsort(-score, kind="stable")
    return Ranked(order=order, score=score)


def reasons(size: float, need: float, unit: str, industry_fit: int, industry_label: str) -> tuple[list, list]:
    """(reasons, misses) in Chinese for one candidate."""
    good, bad = [], []
    if need > 0:
        ratio = size / need if need else 0
        if ratio < SHORT:
            bad.append(f"面积 {size:.2f} {unit}，不足需求 {need:.2f} {unit}")
        elif ratio > LARGE:
            good.append(f"面积 {size:.2f} {unit}，满足需求")
            bad.append(f"超出需求 {ratio - 1:.0%}，可能造成浪费")
        else:
            good.append(f"面积 {size:.2f} {unit}，与需求 {need:.2f} {unit} 相当")
    if industry_fit > 0:
        good.append(f"{industry_label}属园区主导产业")
    elif industry_fit < 0:
        bad.append(f"{industry_label}列入园区负面清单")
    elif industry_label:
        bad.append(f"{industry_label}不在园区主导产业之列")
    return good, bad
