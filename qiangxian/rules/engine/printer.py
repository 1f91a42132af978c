"""Syntax tree -> canonical text. parse(to_text(tree)) == tree for every tree."""

from __future__ import annotations

from .nodes import Arith, Band, Call, Compare, Logic, Neg, Node, Not, Num, Ref, Str

_PREC = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7, "atom": 8}
_OP_TEXT = {
    ">=": "≥",
    "<=": "≤",
    ">": ">",
    "<": "<",
    "=": "=",
    "!=": "≠",
    "+": "+",
    "-": "-",
    "*": "×",
    "/": "/",
}


def _prec(node: Node) -> int:
    if isinstance(node, Logic):
        return _PREC[node.op]
    if isinstance(node, Not):
        return _PREC["not"]
    if isinstance(node, Compare):
        return _PREC["compare"]
    if isinstance(node, Arith):
        return _PREC[node.op]
    if isinstance(node, Neg):
        return _PREC["neg"]
    return _PREC["atom"]


def _wrap(node: Node, minimum: int) -> str:
    text = to_text(node)
    return f"({text})" if _prec(node) < minimum else text


def _quote(value: str) -> str:
    # Pick a quote style that does not occur in the text so the round trip holds.
    for left, right in (("“", "”"), ('"', '"'), ("'", "'"), ("「", "」")):
        if left not in value and right not in value:
            return f"{left}{value}{right}"
    raise ValueError("文字中包含所有引号，无法输出")


def to_text(node: Node) -> str:
    """Print a syntax tree in the canonical Chinese style (≥ ≤ ≠ × 且 或 非)."""
    if isinstance(node, Num):
        return node.text + node.suffix
    if isinstance(node, Str):
        return _quote(node.value)
    if isinstance(node, Ref):
        return node.name if node.period is None else f"{node.name}@{node.period}"
    if isinstance(node, Band):
        op = "" if node.op is None else _OP_TEXT[node.op]
        return f"{op}{_wrap(node.threshold, _PREC['+'])}:{_wrap(node.points, _PREC['+'])}"
    if isinstance(node, Call):
        return f"{node.func}(" + ", ".join(to_text(a) for a in node.args) + ")"
    if isinstance(node, Neg):
        return "-" + _wrap(node.operand, _PREC["neg"])
    if isinstance(node, Not):
        return "非 " + _wrap(node.operand, _PREC["not"])
    if isinstance(node, Logic):
        word = "且" if node.op == "and" else "或"
        prec = _PREC[node.op]
        return f"{_wrap(node.left, prec)} {word} {_wrap(node.right, prec + 1)}"
    if isinstance(node, Compare):
        prec = _PREC["compare"]
        return f"{_wrap(node.left, prec + 1)} {_OP_TEXT[node.op]} {_wrap(node.right, prec + 1)}"
    if isinstance(node, Arith):
        prec = _PREC[node.op]
        return f"{_wrap(node.left, prec)} {_OP_TEXT[node.op]} {_wrap(node.right, prec + 1)}"
    raise TypeError(f"unknown node {type(node).__name__}")
