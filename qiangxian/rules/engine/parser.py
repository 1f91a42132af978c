"""Text -> syntax tree, with parse errors translated into Chinese messages with positions."""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from .errors import Pos, RuleSyntaxError
from .grammar import TERMINAL_NAMES, get_parser
from .nodes import Arith, Band, Call, Compare, Logic, Neg, Node, Not, Num, Ref, Str

_COMPARE_CANON = {
    ">=": ">=",
    "≥": ">=",
    "⩾": ">=",
    "＞=": ">=",
    "<=": "<=",
    "≤": "<=",
    "⩽": "<=",
    "＜=": "<=",
    ">": ">",
    "＞": ">",
    "<": "<",
    "＜": "<",
    "=": "=",
    "==": "=",
    "＝": "=",
    "!=": "!=",
    "≠": "!=",
}
_ARITH_CANON = {"PLUS": "+", "MINUS": "-", "MUL": "*", "DIV": "/"}


def _pos_of(meta: Any) -> Pos | None:
    if getattr(meta, "empty", False):
        return None
    return Pos(meta.line, meta.column, meta.start_pos, meta.end_pos)


def _tok_pos(tok: Token) -> Pos:
    return Pos(tok.line or 1, tok.column or 1, tok.start_pos or 0, tok.end_pos or 0)


def _span(a: Pos | None, b: Pos | None) -> Pos | None:
    if a is None or b is None:
        return a or b
    return Pos(a.line, a.column, a.start, b.end)


@v_args(meta=True)
class _Builder(Transformer):
    """Builds frozen dataclass nodes from the lark tree."""

    def number(self, meta: Any, children: list[Token]) -> Num:
        suffix = str(children[1]) if len(children) > 1 else ""
        return Num(str(children[0]), suffix, pos=_span(_tok_pos(children[0]), _tok_pos(children[-1])))

    def string(self, meta: Any, children: list[Token]) -> Str:
        return Str(str(children[0])[1:-1], pos=_tok_pos(children[0]))

    def ref(self, meta: Any, children: list[Token]) -> Ref:
        period = str(children[2]) if len(children) == 3 else None
        return Ref(str(children[0]), period, pos=_span(_tok_pos(children[0]), _tok_pos(children[-1])))

    def call(self, meta: Any, children: list[Any]) -> Call:
        args: tuple[Node, ...] = ()
        for child in children:
            if isinstance(child, list):
                args = tuple(child)
        return Call(str(children[0]), args, pos=_pos_of(meta))

    def arglist(self, meta: Any, children: list[Any]) -> list[Node]:
        return [c for c in children if not isinstance(c, Token)]

    def band(self, meta: Any, children: list[Any]) -> Band:
        op: str | None = None
        if isinstance(children[0], Token):
            op = _COMPARE_CANON[str(children[0])]
            if op not in (">=", "<="):
                raise RuleSyntaxError("分档的阈值前只能写 ≥ 或 ≤（不写表示 ≥）", _tok_pos(children[0]))
            children = children[1:]
        return Band(op, children[0], children[2], pos=_pos_of(meta))

    def paren(self, meta: Any, children: list[Any]) -> Node:
        return children[1]

    def neg(self, meta: Any, children: list[Any]) -> Neg:
        return Neg(children[1], pos=_pos_of(meta))

    def arith(self, meta: Any, children: list[Any]) -> Arith:
        return Arith(_ARITH_CANON[children[1].type], children[0], children[2], pos=_pos_of(meta))

    def compare(self, meta: Any, children: list[Any]) -> Compare:
        return Compare(_COMPARE_CANON[str(children[1])], children[0], children[2], pos=_pos_of(meta))

    def and_(self, meta: Any, children: list[Any]) -> Logic:
        return Logic("and", children[0], children[2], pos=_pos_of(meta))

    def or_(self, meta: Any, children: list[Any]) -> Logic:
        return Logic("or", children[0], children[2], pos=_pos_of(meta))

    def not_(self, meta: Any, children: list[Any]) -> Not:
        return Not(children[1], pos=_pos_of(meta))


def _offset_pos(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Pos(line, column, offset, min(offset + 1, len(text)))


def _unclosed_paren(text: str) -> int | None:
    """Offset of the last "(" that has no matching ")", ignoring quoted text."""
    stack: list[int] = []
    closing = {'"': '"', "“": "”", "'": "'", "「": "」"}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in closing:
            end = text.find(closing[ch], i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else None


def _translate(text: str, exc: UnexpectedInput) -> RuleSyntaxError:
    if isinstance(exc, UnexpectedCharacters):
        pos = _offset_pos(text, exc.pos_in_stream)
        ch = text[exc.pos_in_stream]
        if ch in "\"“'「":
            return RuleSyntaxError("引号没有闭合", pos)
        return RuleSyntaxError(f"无法识别的字符“{ch}”", pos)
    if isinstance(exc, UnexpectedToken | UnexpectedEOF):
        token = getattr(exc, "token", None)
        expected = set(getattr(exc, "expected", ()) or ())
        if token is None or token.type == "$END":
            unclosed = _unclosed_paren(text)
            if unclosed is not None:
                return RuleSyntaxError("缺少右括号", _offset_pos(text, unclosed))
            return RuleSyntaxError("表达式不完整", _offset_pos(text, len(text.rstrip())))
        pos = _tok_pos(token)
        if token.type == "RPAR" and "RPAR" not in expected:
            return RuleSyntaxError("多余的右括号", pos)
        names = sorted({TERMINAL_NAMES.get(e, e) for e in expected if e in TERMINAL_NAMES})
        hint = f"，此处应为：{'、'.join(names)}" if names and len(names) <= 6 else ""
        return RuleSyntaxError(f"此处不应出现“{token}”{hint}", pos)
    return RuleSyntaxError("无法解析的表达式", None)


def parse(text: str) -> Node:
    """Parse an expression into a syntax tree; raises RuleSyntaxError with a position."""
    if not text.strip():
        raise RuleSyntaxError("表达式为空", Pos(1, 1, 0, 0))
    try:
        tree = get_parser().parse(text)
        return _Builder().transform(tree)
    except UnexpectedInput as exc:
        raise _translate(text, exc) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleSyntaxError):
            raise exc.orig_exc from None
        raise
