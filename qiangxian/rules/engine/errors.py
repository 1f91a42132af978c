"""Errors raised by the rule language, carrying a Chinese message and a source position."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pos:
    """A span in the expression text: 1-based line/column, 0-based character offsets."""

    line: int
    column: int
    start: int
    end: int


class RuleError(Exception):
    """Base class: `message` is Chinese, `pos` (may be None) lets a page underline the text."""

    kind = "error"

    def __init__(self, message: str, pos: Pos | None = None, *, criterion: str | None = None) -> None:
        self.message = message
        self.pos = pos
        self.criterion = criterion
        super().__init__(self.__str__())

    @property
    def line(self) -> int | None:
        return self.pos.line if self.pos else None

    @property
    def column(self) -> int | None:
        return self.pos.column if self.pos else None

    @property
    def offset(self) -> int | None:
        return self.pos.start if self.pos else None

    def with_criterion(self, code: str) -> RuleError:
        """Return a copy that names the criterion it came from (for rule-set files)."""
        return type(self)(self.message, self.pos, criterion=code)

    def __str__(self) -> str:
        prefix = f"条款“{self.criterion}”" if self.criterion else ""
        if self.pos is None:
            return f"{prefix}{'：' if prefix else ''}{self.message}"
        return f"{prefix}第{self.pos.line}行第{self.pos.column}列：{self.message}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form for the API and the editor page."""
        return {
            "kind": self.kind,
            "message": self.message,
            "text": str(self),
            "line": self.line,
            "column": self.column,
            "offset": self.offset,
            "end": self.pos.end if self.pos else None,
            "criterion": self.criterion,
        }


class RuleSyntaxError(RuleError):
    """The text does not follow the grammar."""

    kind = "syntax"


class RuleNameError(RuleError):
    """An unknown indicator, period, function or designation."""

    kind = "name"


class RuleTypeError(RuleError):
    """A type or unit mismatch (comparing money with a percentage, etc.)."""

    kind = "type"


class RuleSetError(RuleError):
    """A rule set's structure is inconsistent (unknown group, duplicate code...)."""

    kind = "ruleset"
