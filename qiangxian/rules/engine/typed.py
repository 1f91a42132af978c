"""The checked tree: every node knows its type and unit, references are resolved.

Both evaluators (vectorised and per-enterprise) walk this tree, never the raw syntax tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Indicator
from .nodes import Node
from .units import NUMBER, Unit, unit_name

NUM = "num"
BOOL = "bool"
STR = "str"


@dataclass(frozen=True)
class Type:
    """kind is num/bool/str; `years` > 0 marks a window (one value per year per enterprise)."""

    kind: str
    unit: Unit | None = None
    years: int = 0

    @property
    def is_series(self) -> bool:
        return self.years > 0

    def describe(self) -> str:
        """Chinese description for error messages."""
        if self.kind == BOOL:
            base = "是/否"
        elif self.kind == STR:
            base = "文字"
        else:
            base = unit_name(self.unit or NUMBER)
        return f"{base}（{self.years}年序列）" if self.years else base


@dataclass(eq=False)
class TNode:
    type: Type
    src: Node


@dataclass(eq=False)
class TConst(TNode):
    value: float | bool | str


@dataclass(eq=False)
class TRef(TNode):
    indicator: Indicator
    period: str
    # For a window: the single-year periods, oldest first; None for a single year.
    years: tuple[str, ...] | None


@dataclass(eq=False)
class TYears(TNode):
    """成立年限: completed years between establishment and the snapshot's evaluation date."""


@dataclass(eq=False)
class THolds(TNode):
    name: str


@dataclass(eq=False)
class TJudge(TNode):
    text: str


@dataclass(eq=False)
class TNeg(TNode):
    x: TNode


@dataclass(eq=False)
class TArith(TNode):
    op: str
    a: TNode
    b: TNode


@dataclass(eq=False)
class TCompare(TNode):
    op: str
    a: TNode
    b: TNode


@dataclass(eq=False)
class TLogic(TNode):
    op: str
    a: TNode
    b: TNode


@dataclass(eq=False)
class TNot(TNode):
    x: TNode


@dataclass(eq=False)
class TIf(TNode):
    cond: TNode
    a: TNode
    b: TNode


@dataclass(eq=False)
class TMinMax(TNode):
    op: str
    args: tuple[TNode, ...]


@dataclass(eq=False)
class TAgg(TNode):
    """Aggregation of a window to one value: sum, avg, growth, min, max."""

    op: str
    x: TNode


@dataclass(eq=False)
class TEach(TNode):
    """每年 (op "all") / 任一年 (op "any") over a window of conditions."""

    op: str
    x: TNode


@dataclass(eq=False)
class TCount(TNode):
    args: tuple[TNode, ...]


@dataclass(eq=False)
class TBands(TNode):
    """分档: `upward` bands give points when x >= threshold, downward when x <= threshold."""

    x: TNode
    upward: bool
    thresholds: tuple[float, ...]
    points: tuple[float, ...]
    default: float


def const_value(node: TNode) -> float | None:
    """The value of a constant numeric node (a literal, possibly negated), else None."""
    if isinstance(node, TConst) and isinstance(node.value, float):
        return node.value
    if isinstance(node, TNeg):
        inner = const_value(node.x)
        return None if inner is None else -inner
    return None


def children(node: TNode) -> tuple[TNode, ...]:
    """Direct sub-nodes, for walks that collect references or designations."""
    if isinstance(node, TNeg | TNot):
        return (node.x,)
    if isinstance(node, TArith | TCompare | TLogic):
        return (node.a, node.b)
    if isinstance(node, TIf):
        return (node.cond, node.a, node.b)
    if isinstance(node, TMinMax | TCount):
        return node.args
    if isinstance(node, TAgg | TEach | TBands):
        return (node.x,)
    return ()


def walk(node: TNode) -> list[TNode]:
    """All nodes of the tree, parents before children."""
    out = [node]
    for child in children(node):
        out.extend(walk(child))
    return out
