"""Explanation traces and gap analysis ("还差多少") built from a per-enterprise recording."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from .catalogue import period_label, period_offset, window_years
from .formatting import format_difference, format_full, format_pair, format_value
from .printer import to_text
from .scalar import Recording, ScalarEvaluator
from .snapshot import Snapshot
from .typed import TAgg, TArith, TBands, TCompare, TConst, THolds, TJudge, TNode, TRef, TYears, walk
from .units import NUMBER, Unit, unit_name


class Outcome(IntEnum):
    """Three-valued outcome; the int values are what the vectorised arrays hold."""

    UNKNOWN = -1
    NOT_MET = 0
    MET = 1

    @property
    def label(self) -> str:
        return {Outcome.MET: "满足", Outcome.NOT_MET: "不满足", Outcome.UNKNOWN: "待定"}[self]

    @classmethod
    def of(cls, value: bool | None) -> Outcome:
        """From a Kleene value."""
        return cls.UNKNOWN if value is None else (cls.MET if value else cls.NOT_MET)


@dataclass
class ValueUsed:
    """One input value: an indicator for a period, a designation, a judgement, 成立年限."""

    name: str
    identifier: str
    period: str | None
    period_label: str
    value: Any
    unit: Unit | None
    text: str
    source: Any = None


@dataclass
class CheckTrace:
    """One comparison as evaluated: `表达式 左值 op 右值 -> 结果`."""

    expression: str
    left: Any
    right: Any
    op: str
    outcome: Outcome
    text: str


@dataclass
class CriterionTrace:
    """The explanation of one criterion for one enterprise."""

    code: str
    title: str
    clause: str
    kind: str
    expression: str
    outcome: Outcome
    points: float | None
    values: list[ValueUsed] = field(default_factory=list)
    checks: list[CheckTrace] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)
    labels: dict[float, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (NaN -> None, units -> Chinese names) for the API and templates."""
        return {
            "code": self.code,
            "title": self.title,
            "clause": self.clause,
            "kind": self.kind,
            "expression": self.expression,
            "outcome": int(self.outcome),
            "outcome_label": self.outcome_label,
            "points": self.points,
            "values": [
                {
                    "name": v.name,
                    "identifier": v.identifier,
                    "period": v.period,
                    "period_label": v.period_label,
                    "value": _plain(v.value),
                    "unit": unit_name(v.unit) if v.unit is not None else None,
                    "text": v.text,
                    "source": None if v.source is None else str(v.source),
                }
                for v in self.values
            ],
            "checks": [c.text for c in self.checks],
            "gaps": list(self.gaps),
            "notes": list(self.notes),
            "bands": list(self.bands),
        }

    @property
    def outcome_label(self) -> str:
        """满足/不满足/待定 for conditions; 得N分/待定 for points (0 points is not "not met")."""
        if self.kind in ("points", "num"):
            if self.points is None:
                return "待定"
            # A classification (企业规模 1–4) reads as its class, not as points.
            return self.labels.get(self.points) or f"得{format_value(self.points)}分"
        return self.outcome.label


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_OP_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "!=": "≠"}


def _unit_of(node: TNode) -> Unit | None:
    return node.type.unit


def _fmt(value: Any, unit: Unit | None) -> str:
    if isinstance(value, tuple):
        return "、".join(_fmt(v, unit) for v in value)
    return format_full(value, unit) if isinstance(value, float) else format_value(value, unit)


def year_label(period: str, snapshot: Snapshot) -> str:
    """A period with the calendar year(s) it stands for on the snapshot's date: 上年（2025年）."""
    label = period_label(period)
    if snapshot.as_of is None:
        return label
    y = snapshot.as_of.year
    years = window_years(period)
    if years:
        return f"{label}（{y - period_offset(years[0])}–{y - period_offset(years[-1])}年）"
    return f"{label}（{y - period_offset(period)}年）"


def _calendar(period: str, year: int | None) -> str:
    return period_label(period) if year is None else f"{year - period_offset(period)}年"


def values_used(rec: Recording, snapshot: Snapshot, row: int) -> list[ValueUsed]:
    """The distinct leaf values an evaluation read, in first-use order, each naming its year."""
    out: list[ValueUsed] = []
    seen: set[tuple[str, str | None]] = set()
    eid = int(snapshot.enterprise_ids[row])
    y = snapshot.as_of.year if snapshot.as_of is not None else None
    for node, value in rec.leaves:
        if isinstance(node, TRef):
            key = (node.indicator.identifier, node.period)
            years = window_years(node.period)
            if years and isinstance(value, tuple):
                text = "，".join(
                    f"{_calendar(p, y)} {_fmt(v, node.type.unit)}" for p, v in zip(years, value, strict=True)
                )
            else:
                text = _fmt(value, node.type.unit)
            item = ValueUsed(
                node.indicator.name,
                node.indicator.identifier,
                node.period,
                year_label(node.period, snapshot),
                value,
                node.type.unit,
                text,
                snapshot.source_of(node.indicator.identifier, node.period, eid),
            )
        elif isinstance(node, TYears):
            key = ("years_established", None)
            item = ValueUsed(
                "成立年限",
                "years_established",
                None,
                "评价日",
                value,
                node.type.unit,
                _fmt(value, node.type.unit),
            )
        elif isinstance(node, THolds):
            key = ("designation:" + node.name, None)
            expired = snapshot.expiry_of(node.name, eid) if value is False else None
            if expired is not None:
                text = f"已于 {expired.isoformat()} 到期"
            else:
                text = "无数据" if value is None else ("持有" if value else "未持有")
            item = ValueUsed(f"持有“{node.name}”", node.name, None, "现行有效", value, None, text)
        else:
            assert isinstance(node, TJudge)
            key = ("judgement:" + node.text, None)
            text = "待人工判断" if value is None else ("判断为符合" if value else "判断为不符合")
            item = ValueUsed(f"人工判断：{node.text}", node.text, None, "", value, None, text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def check_traces(rec: Recording) -> list[CheckTrace]:
    """Each comparison with both sides' values and its outcome, in Chinese."""
    out = []
    for node, a, b, result in rec.checks:
        unit = node.a.type.unit or node.b.type.unit
        if isinstance(result, tuple):
            outcome = Outcome.of(
                None if None in result else all(result)  # a window passes only if every year passes
            )
            verdict = "、".join(Outcome.of(r).label for r in result)
        else:
            outcome = Outcome.of(result)
            verdict = outcome.label
        expr = to_text(node.src)
        left, right = _pair_text(a, b, unit, node.op, result)
        text = f"{_sentence(node)}：{left} {_OP_TEXT[node.op]} {right} → {verdict}"
        out.append(CheckTrace(expr, a, b, node.op, outcome, text))
    return out


def _pair_text(a: Any, b: Any, unit: Unit | None, op: str, result: Any) -> tuple[str, str]:
    """Both sides, with enough decimals to agree with the verdict (per year in a window)."""
    if isinstance(a, tuple) or isinstance(b, tuple) or isinstance(result, tuple):
        n = next(len(x) for x in (a, b, result) if isinstance(x, tuple))
        aa = a if isinstance(a, tuple) else (a,) * n
        bb = b if isinstance(b, tuple) else (b,) * n
        rr = result if isinstance(result, tuple) else (result,) * n
        pairs = [_pair_text(x, z, unit, op, r) for x, z, r in zip(aa, bb, rr, strict=True)]
        left = "、".join(p[0] for p in pairs) if isinstance(a, tuple) else pairs[0][0]
        right = "、".join(p[1] for p in pairs) if isinstance(b, tuple) else pairs[0][1]
        return left, right
    if isinstance(a, float) and isinstance(b, float) and not (math.isnan(a) or math.isnan(b)):
        return format_pair(a, b, unit, op, result)
    return _fmt(a, unit), _fmt(b, unit)


def _sentence(node: TCompare) -> str:
    """The comparison in words where the rule text would read as code: 上年营业收入 不低于 5000万元."""
    words = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "=": "等于", "!=": "不等于"}
    name = _describe(node.a)
    right = const_text(node.b) or _describe(node.b) or ("规定值" if name is not None else None)
    if name is not None and right is not None:
        return f"{name}{words[node.op]}{right}"
    return to_text(node.src)


def _describe(node: TNode) -> str | None:
    if isinstance(node, TRef):
        return f"{period_label(node.period)}{node.indicator.name}"
    if isinstance(node, TYears):
        return "成立年限"
    pair = isinstance(node, TArith) and isinstance(node.a, TRef) and isinstance(node.b, TRef)
    if pair and node.op == "/" and node.a.period == node.b.period:
        return f"{period_label(node.a.period)}{node.a.indicator.name}占{node.b.indicator.name}比重"
    if pair and node.op == "-":
        return f"{period_label(node.a.period)}{node.a.indicator.name}（扣除{node.b.indicator.name}）"
    if isinstance(node, TArith) and node.op == "/":
        top, bottom = _describe(node.a), _describe(node.b)
        if top is not None and bottom is not None:
            return f"{top}占{bottom}比重"
    if isinstance(node, TAgg) and isinstance(node.x, TRef):
        word = {"sum": "合计", "avg": "年均", "growth": "年均增长率", "min": "最低值", "max": "最高值"}[
            node.op
        ]
        return f"{period_label(node.x.period)}{node.x.indicator.name}{word}"
    return None


def const_text(node: TNode) -> str | None:
    """A constant side of a comparison as written (2000万 -> 2000万元), else None."""
    if isinstance(node, TConst) and isinstance(node.value, float | int) and not isinstance(node.value, bool):
        unit = node.type.unit
        if unit is not None and unit.dimensionless and unit.percent:
            return to_text(node.src)  # "3%" as written, not "3.0%"
        return format_full(float(node.value), unit)
    return None


def _ratio_parts(
    node: TNode, evaluator: ScalarEvaluator, year: int | None = None
) -> tuple[TNode, float, float] | None:
    # For a share like 研发费用/营业收入, the numerator is what an enterprise can change.
    # In a window (每年(...)), `year` picks the year whose comparison failed.
    if isinstance(node, TArith) and node.op == "/":
        num, den = evaluator.eval(node.a), evaluator.eval(node.b)
        if year is not None:
            num = num[year] if isinstance(num, tuple) else num
            den = den[year] if isinstance(den, tuple) else den
        if isinstance(num, float) and isinstance(den, float) and den > 0 and not math.isnan(num):
            return node.a, num, den
    return None


def _label(node: TNode) -> str:
    if isinstance(node, TRef):
        return node.indicator.name
    if (
        isinstance(node, TArith)
        and node.op == "/"
        and isinstance(node.a, TRef)
        and isinstance(node.b, TRef)
        and node.a.period == node.b.period
    ):
        # 研发费用@上年 / 营业收入@上年 reads better as 研发费用占营业收入比重
        return f"{node.a.indicator.name}占{node.b.indicator.name}比重"
    return _describe(node) or to_text(node.src)


def _numerator_hint(
    node: TNode, target: float, snapshot: Snapshot, row: int, raise_it: bool, year: int | None = None
) -> str:
    parts = _ratio_parts(node, ScalarEvaluator(snapshot, row), year)
    if parts is None:
        return ""
    num_node, num, den = parts
    need = target * den - num
    if (need <= 0) if raise_it else (need >= 0):
        return ""
    verb = "增加" if raise_it else "减少"
    return f"：约需{verb}{_label(num_node)} {format_difference(abs(need), num_node.type.unit)}"


def _year_label(node: TNode, year: int) -> str:
    """The year label (上年, 前年...) of the k-th year of the first window referenced under a node."""
    for part in walk(node):
        if isinstance(part, TRef) and part.years:
            return period_label(part.years[year])
    return f"第{year + 1}年"


def compare_gap(
    node: TCompare, a: Any, b: Any, snapshot: Snapshot, row: int, year: int | None = None
) -> str | None:
    """Gap text for a comparison that is not met, e.g. 研发费用占比 2.4%，需达到 3.0%：约需增加…

    For a window comparison, `year` is the index of the failing year and the text names it.
    """
    if not isinstance(a, float) or not isinstance(b, float) or math.isnan(a) or math.isnan(b):
        return None
    unit = node.a.type.unit or node.b.type.unit or NUMBER
    label = _label(node.a)
    if year is not None:
        label = f"{_year_label(node, year)}{label}"
    if node.op in (">=", ">"):
        word = "需达到" if node.op == ">=" else "需高于"
        hint = _numerator_hint(node.a, b, snapshot, row, True, year)
        short = format_difference(b - a, unit)
        sa, sb = format_pair(a, b, unit, node.op, False)
        return f"{label} {sa}，{word} {sb}，还差 {short}{hint}"
    if node.op in ("<=", "<"):
        word = "需不高于" if node.op == "<=" else "需低于"
        hint = _numerator_hint(node.a, b, snapshot, row, False, year)
        over = format_difference(a - b, unit)
        sa, sb = format_pair(a, b, unit, node.op, False)
        return f"{label} {sa}，{word} {sb}，需降低 {over}{hint}"
    return None


def band_gap(node: TBands, x: float, points: float, snapshot: Snapshot, row: int) -> str | None:
    """Text for the next band up, e.g. 研发费用/营业收入 2.4%，得10分；达到 3.0% 可得15分。"""
    if math.isnan(x):
        return None
    unit = node.x.type.unit or NUMBER
    pairs = list(zip(node.thresholds, node.points, strict=True))
    if node.upward:
        better = [(t, p) for t, p in pairs if t > x and p > points]
        if not better:
            return None
        t, p = better[0]
        sx, st = format_pair(x, t, unit, ">=", False)
        hint = _numerator_hint(node.x, t, snapshot, row, True)
        return f"{_label(node.x)} {sx}，得{format_value(points)}分；达到 {st} 可得{format_value(p)}分{hint}"
    better = [(t, p) for t, p in reversed(pairs) if t < x and p > points]
    if not better:
        return None
    t, p = better[0]
    sx, st = format_pair(x, t, unit, "<=", False)
    hint = _numerator_hint(node.x, t, snapshot, row, False)
    return f"{_label(node.x)} {sx}，得{format_value(points)}分；降至 {st} 可得{format_value(p)}分{hint}"


def band_text(node: TBands, x: float, points: float) -> str | None:
    """Which band a value fell in, with the band's edges and all the bands: 分档 made readable."""
    if math.isnan(x):
        return None
    unit = node.x.type.unit or NUMBER
    ts = list(node.thresholds)
    fmt = [format_full(t, unit) for t in ts]
    if node.upward:
        reached = [i for i, t in enumerate(ts) if x >= t or _close(x, t)]
        if not reached:
            band = f"低于 {fmt[0]}"
        else:
            i = reached[-1]
            band = f"{fmt[i]}（含）以上" if i == len(ts) - 1 else f"{fmt[i]}（含）至 {fmt[i + 1]}（不含）"
        ladder = "、".join(f"≥{f} {format_value(p)}分" for f, p in zip(fmt, node.points, strict=True))
    else:
        within = [i for i, t in enumerate(ts) if x <= t or _close(x, t)]
        if not within:
            band = f"高于 {fmt[-1]}"
        else:
            i = within[0]
            band = f"{fmt[0]}（含）以下" if i == 0 else f"高于 {fmt[i - 1]} 至 {fmt[i]}（含）"
        ladder = "、".join(f"≤{f} {format_value(p)}分" for f, p in zip(fmt, node.points, strict=True))
    ladder += f"、其他 {format_value(node.default)}分"
    # Enough decimals that the value visibly sits inside its band (2.99% is below 3%).
    shown = [format_value(x, unit)]
    for t in ts:
        upward_ok = x >= t or _close(x, t)
        op, verdict = (">=", upward_ok) if node.upward else ("<=", x <= t or _close(x, t))
        shown.append(format_pair(x, t, unit, op, verdict)[0])
    sx = max(shown, key=len)
    return f"{_label(node.x)} {sx} 落在“{band}”档，得{format_value(points)}分（分档：{ladder}）"


def _digits(unit: Unit) -> int:
    return 1 if unit.dimensionless and unit.percent else 2


def _close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def band_texts(rec: Recording) -> list[str]:
    """One line per 分档 evaluated with a known value."""
    out: list[str] = []
    for node, x, points in rec.bands:
        if isinstance(x, float):
            text = band_text(node, x, points)
            if text and text not in out:
                out.append(text)
    return out


def gaps(rec: Recording, snapshot: Snapshot, row: int, *, outcome: bool | None) -> list[str]:
    """Gap texts: for failed comparisons when the condition is not met, and for bands below the top."""
    out: list[str] = []
    if outcome is False:
        for node, a, b, result in rec.checks:
            if result is False:
                text = compare_gap(node, a, b, snapshot, row)
                if text and text not in out:
                    out.append(text)
            elif isinstance(result, tuple):
                # A window (每年(...)) fails in the years whose comparison is False.
                for k, r in enumerate(result):
                    if r is False:
                        ak = a[k] if isinstance(a, tuple) else a
                        bk = b[k] if isinstance(b, tuple) else b
                        text = compare_gap(node, ak, bk, snapshot, row, year=k)
                        if text and text not in out:
                            out.append(text)
    for node, x, points in rec.bands:
        if isinstance(x, float):
            text = band_gap(node, x, points, snapshot, row)
            if text and text not in out:
                out.append(text)
    return out


def notes(rec: Recording) -> list[str]:
    """Why a result is unknown: missing data, designations without data, pending judgements."""
    out: list[str] = []
    for node, value in rec.leaves:
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        if isinstance(value, tuple):
            missing = any(v is None or (isinstance(v, float) and math.isnan(v)) for v in value)
        if not missing:
            continue
        if isinstance(node, TJudge):
            text = f"需人工判断：{node.text}"
        elif isinstance(node, THolds):
            text = f"缺少资质数据：{node.name}"
        elif isinstance(node, TRef):
            text = f"缺少数据：{node.indicator.name}（{period_label(node.period)}）"
        else:
            text = "缺少数据：成立日期"
        if text not in out:
            out.append(text)
    return out
