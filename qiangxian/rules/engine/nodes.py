"""The syntax tree. Positions are excluded from equality so that print -> parse round trips."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Pos

# Canonical comparison operators; the parser maps ≥ ＞= etc. onto these.
COMPARE_OPS = (">=", "<=", ">", "<", "=", "!=")


@dataclass(frozen=True)
class Node:
    """Base of all syntax nodes."""

    pos: Pos | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Num(Node):
    """A number literal as written: `text` digits plus an optional unit suffix (万, %, 人...)."""

    text: str
    suffix: str = ""


@dataclass(frozen=True)
class Str(Node):
    """A quoted text (designation name, judgement description)."""

    value: str


@dataclass(frozen=True)
class Ref(Node):
    """An indicator reference `名称@期间`; `period` is None when omitted."""

    name: str
    period: str | None = None


@dataclass(frozen=True)
class Band(Node):
    """One band of 分档: `op threshold : points`; op is None (means >=), ">=" or "<="."""

    op: str | None
    threshold: Node
    points: Node


@dataclass(frozen=True)
class Call(Node):
    """A function call; `func` keeps the name as written (如果 or if)."""

    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Neg(Node):
    """Unary minus."""

    operand: Node


@dataclass(frozen=True)
class Arith(Node):
    """Binary arithmetic: op is one of + - * /."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    """A comparison; op is one of COMPARE_OPS."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic(Node):
    """Kleene 且 / 或; op is "and" or "or"."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Not(Node):
    """Kleene 非."""

    operand: Node
