"""The grading arithmetic against a case computed by hand (three enterprises, each indicator)."""

import numpy as np
import pytest

from qiangxian.land import grading

A, B, C, D = 0, 1, 2, 3


def _layout(mode="rank", bands=None):
    return grading.Layout(
        categories={
            "above": [
                grading.IndicatorSpec("tax_per_mu", 60, cap=1.5, benchmark="county"),
                grading.IndicatorSpec("rd_ratio", 40, cap=1.5, benchmark="fixed", fixed=3.0),
            ]
        },
        bands=bands or {"A": (0, 20), "B": (20, 75), "C": (75, 95), "D": (95, 100)},
        mode=mode,
    )


def _inputs():
    # E1: 300万 tax on 10 亩, R&D 4% ; E2: 100万 on 20 亩, 2% ; E3: 200万 on 10 亩, 0%.
    return {
        "tax": np.array([3_000_000.0, 1_000_000.0, 2_000_000.0]),
        "land": np.array([10.0, 20.0, 10.0]),
        "revenue": np.array([1e8, 5e7, 2e7]),
        "rd": np.array([4e6, 1e6, 0.0]),
    }


def _grade(layout, cap=None, bonus=None):
    n = 3
    return grading.grade(
        layout,
        category=np.array(["above"] * n, dtype=object),
        graded=np.ones(n, dtype=bool),
        inputs=_inputs(),
        park=np.zeros(n, dtype=np.int64),
        bonus=np.zeros(n) if bonus is None else bonus,
        cap=np.full(n, 4) if cap is None else cap,
    )


def test_hand_computed_points_scores_and_ranks():
    out = _grade(_layout())
    # County 亩均税收 = 600万 ÷ 40 亩 = 15万元/亩.
    assert out.benchmarks["above"][:, 0] == pytest.approx([15, 15, 15])
    # E1: 30/15 = 2 → capped at 1.5 × 60 = 90; R&D 4/3 × 40 = 53.333.
    # E2: 5/15 × 60 = 20; 2/3 × 40 = 26.667.  E3: 20/15 × 60 = 80; 0.
    assert out.points["above"][:, 0] == pytest.approx([90, 20, 80])
    assert out.points["above"][:, 1] == pytest.approx([53.3333, 26.6667, 0], abs=1e-4)
    assert out.score == pytest.approx([143.3333, 46.6667, 80], abs=1e-4)
    assert out.rank.tolist() == [1, 3, 2]
    # Percentiles (rank−1)/3: 0, 66.7, 33.3 → A, B, B.
    assert out.grade.tolist() == [A, B, B]


def test_score_bands_and_veto_cap():
    bands = {"A": (120, 1000), "B": (80, 120), "C": (60, 80), "D": (0, 60)}
    out = _grade(_layout("score", bands))
    assert out.grade.tolist() == [A, D, B]
    vetoed = _grade(_layout("score", bands), cap=np.array([C, 4, 4]))
    assert vetoed.grade.tolist() == [C, D, B]


def test_bonus_points_can_lift_a_class():
    bands = {"A": (120, 1000), "B": (80, 120), "C": (60, 80), "D": (0, 60)}
    out = _grade(_layout("score", bands), bonus=np.array([0, 15, 0.0]))
    assert out.score[1] == pytest.approx(61.6667, abs=1e-4)
    assert out.grade[1] == C


def test_minmax_scoring():
    layout = grading.Layout(
        categories={"above": [grading.IndicatorSpec("tax_per_mu", 100, method="minmax")]},
        bands={"A": (0, 20), "B": (20, 75), "C": (75, 95), "D": (95, 100)},
    )
    out = _grade(layout)
    # 30 is the max (100 × 100/100), 5 the min (100 × 20/100), 20 → 20 + 80 × 15/25 = 68.
    assert out.points["above"][:, 0] == pytest.approx([100, 20, 68])


def test_missing_land_scores_zero_not_nan():
    inputs = _inputs()
    inputs["land"][1] = np.nan
    out = grading.grade(
        _layout(),
        category=np.array(["above"] * 3, dtype=object),
        graded=np.ones(3, dtype=bool),
        inputs=inputs,
        park=np.zeros(3, dtype=np.int64),
        bonus=np.zeros(3),
        cap=np.full(3, 4),
    )
    assert out.points["above"][1, 0] == 0
    assert out.benchmarks["above"][0, 0] == pytest.approx(25)  # 500万 ÷ 20 亩


@pytest.mark.parametrize(
    ("bands", "mode", "expected"),
    [
        ({"A": (0, 20), "B": (15, 75), "C": (75, 95), "D": (95, 100)}, "rank", "A类与B类的区间重叠。"),
        ({"A": (0, 20), "B": (25, 75), "C": (75, 95), "D": (95, 100)}, "rank", "A类与B类之间有空档。"),
        ({"A": (100, 200), "B": (80, 110), "C": (60, 80), "D": (0, 60)}, "score", "B类与A类的区间重叠。"),
    ],
)
def test_band_problems(bands, mode, expected):
    assert expected in grading.band_problems(bands, mode)


def test_good_bands_have_no_problem():
    assert grading.band_problems({"A": (0, 20), "B": (20, 75), "C": (75, 95), "D": (95, 100)}, "rank") == []
