"""Check an expression for a custom rule: the engine's verdict plus what the workbench shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import rule_catalogue
from .choices import ResultType
from .engine import Expression, RuleError, RuleTypeError, compile_expression, period_label
from .engine.typed import BOOL, THolds, TJudge, TRef, TYears, walk
from .engine.units import MONEY, unit_name

EXPECT = {ResultType.BOOL: "bool", ResultType.NUMBER: "num", ResultType.MONEY: "num"}
MAX_LENGTH = 4000


@dataclass(frozen=True)
class ErrorLine:
    """One line of the expression as shown under an error: the marked span and the caret."""

    number: int
    text: str
    before: str = ""
    marked: str = ""
    after: str = ""
    is_error: bool = False


@dataclass
class CheckResult:
    """The outcome of checking a text: either a compiled expression or a positioned error."""

    text: str
    result_type: str
    expression: Expression | None = None
    error: RuleError | None = None
    lines: list[ErrorLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.expression is not None

    @property
    def canonical(self) -> str:
        return self.expression.canonical if self.expression is not None else ""

    @property
    def type_label(self) -> str:
        """条件（是/否）, or the unit kind of a number (金额, 百分比, 数值…)."""
        if self.expression is None:
            return ""
        typ = self.expression.typed.type
        if typ.kind == BOOL:
            return "条件（是/否）"
        return unit_name(typ.unit) if typ.unit is not None else "数值"

    @property
    def uses(self) -> list[str]:
        """The indicators (with periods), designations and judgements the expression reads."""
        if self.expression is None:
            return []
        out: list[str] = []
        for node in walk(self.expression.typed):
            if isinstance(node, TRef):
                text = f"{node.indicator.name}（{period_label(node.period)}）"
            elif isinstance(node, THolds):
                text = f"持有“{node.name}”"
            elif isinstance(node, TJudge):
                text = f"人工判断：{node.text}"
            elif isinstance(node, TYears):
                text = "成立年限"
            else:
                continue
            if text not in out:
                out.append(text)
        return out

    def as_dict(self) -> dict[str, object]:
        """JSON form for the API."""
        return {
            "ok": self.ok,
            "result_type": self.result_type,
            "canonical": self.canonical or None,
            "type": self.type_label or None,
            "uses": self.uses,
            "error": self.error.as_dict() if self.error is not None else None,
        }


def normalize(text: str) -> str:
    """Line endings as the engine counts them (a browser's textarea sends CR LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def compile_for(text: str, result_type: str) -> Expression:
    """Compile a custom rule's expression for its result type; raises RuleError in Chinese."""
    text = normalize(text)
    if len(text) > MAX_LENGTH:
        raise RuleTypeError(f"表达式过长（{len(text)} 个字符），最多 {MAX_LENGTH} 个字符")
    expr = compile_expression(text, rule_catalogue(), expect=EXPECT.get(result_type))
    if result_type == ResultType.MONEY:
        unit = expr.typed.type.unit
        if unit is None or unit.dims != MONEY.dims:
            got = unit_name(unit) if unit is not None else "数值"
            raise RuleTypeError(f"结果类型为金额，此处得到 {got}", expr.tree.pos)
    return expr


def check_text(text: str, result_type: str = ResultType.BOOL) -> CheckResult:
    """Check a text without raising: the workbench's and the API's view of an expression."""
    text = normalize(text)
    if result_type not in EXPECT:
        result_type = ResultType.BOOL
    try:
        return CheckResult(text, result_type, expression=compile_for(text, result_type))
    except RuleError as exc:
        return CheckResult(text, result_type, error=exc, lines=error_lines(text, exc))


def error_lines(text: str, error: RuleError) -> list[ErrorLine]:
    """The expression split into lines, the error's line carrying the marked span.

    The span is cut at the end of its line; an empty span (an expression that stops too early)
    marks the position itself, so there is always something to point at.
    """
    raw_lines = text.split("\n") if text else [""]
    pos = error.pos
    out: list[ErrorLine] = []
    offset = 0
    for number, line in enumerate(raw_lines, start=1):
        if pos is not None and number == pos.line:
            start = max(0, min(pos.column - 1, len(line)))
            length = max(0, min(pos.end, offset + len(line)) - (offset + start))
            out.append(
                ErrorLine(
                    number,
                    line,
                    before=line[:start],
                    marked=line[start : start + length],
                    after=line[start + length :],
                    is_error=True,
                )
            )
        else:
            out.append(ErrorLine(number, line))
        offset += len(line) + 1
    return out
