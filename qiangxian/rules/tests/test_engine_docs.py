"""The examples in docs/rules-language.md stay valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qiangxian.rules.engine import RuleError, builtin_catalogue, compile_expression

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules-language.md"
BLOCKS = re.findall(r"```rule\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_doc_has_examples() -> None:
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("text", BLOCKS)
def test_doc_example_compiles(text: str) -> None:
    compile_expression(text, builtin_catalogue())


def test_doc_error_table_messages_are_what_the_checker_says() -> None:
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)`", DOC.read_text(encoding="utf-8"), re.M)
    checked = 0
    for expression, message in rows:
        if "…" in expression:
            continue
        with pytest.raises(RuleError) as info:
            compile_expression(expression, builtin_catalogue())
        assert message.split("（")[0] in str(info.value)
        checked += 1
    assert checked >= 4
