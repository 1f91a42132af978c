"""Parser, printer and syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import RuleSyntaxError, parse, to_text
from qiangxian.rules.engine.nodes import Arith, Band, Call, Compare, Logic, Neg, Node, Not, Num, Ref, Str


def test_precedence_and_or_not_compare_arith() -> None:
    tree = parse("非 a > 1 + 2 × 3 且 b 或 c")
    assert tree == Logic(
        "or",
        Logic(
            "and",
            Not(Compare(">", Ref("a"), Arith("+", Num("1"), Arith("*", Num("2"), Num("3"))))),
            Ref("b"),
        ),
        Ref("c"),
    )


def test_arithmetic_is_left_associative() -> None:
    assert parse("a - b - c") == Arith("-", Arith("-", Ref("a"), Ref("b")), Ref("c"))
    assert parse("a / b / c") == Arith("/", Arith("/", Ref("a"), Ref("b")), Ref("c"))


def test_full_width_punctuation_and_chinese_signs() -> None:
    assert parse("如果（营业收入＞=2000万，1，2）") == parse("如果(营业收入 >= 2000万, 1, 2)")
    assert parse("a ≥ 1") == parse("a >= 1")
    assert parse("a ≠ 1") == parse("a != 1")
    assert parse("a = 1") == parse("a == 1")
    assert parse("“高新技术企业”") == Str("高新技术企业")


def test_english_keywords_equal_chinese() -> None:
    assert parse("not a and b or c") == parse("非 a 且 b 或 c")


def test_and_or_need_no_spaces_but_names_may_start_with_fei() -> None:
    assert parse("a>1且b<2") == Logic(
        "and", Compare(">", Ref("a"), Num("1")), Compare("<", Ref("b"), Num("2"))
    )
    assert parse("非流动资产 > 1") == Compare(">", Ref("非流动资产"), Num("1"))
    assert parse("非(a)") == Not(Ref("a"))


def test_reference_with_period_and_numbers_with_units() -> None:
    assert parse("研发费用@上年") == Ref("研发费用", "上年")
    assert parse("rd_expense@last_year") == Ref("rd_expense", "last_year")
    assert parse("营业收入@近2年") == Ref("营业收入", "近2年")
    assert parse("1.5亿") == Num("1.5", "亿")
    assert parse("3%") == Num("3", "%")
    assert parse("-3%") == Neg(Num("3", "%"))


def test_bands_with_directions_and_default() -> None:
    tree = parse("分档(x, ≤55%:10, ≤75%:5, 0)")
    assert isinstance(tree, Call)
    assert tree.args[1] == Band("<=", Num("55", "%"), Num("10"))
    assert tree.args[3] == Num("0")
    assert parse("分档(x, 1%：5)").args[1] == Band(None, Num("1", "%"), Num("5"))  # type: ignore[attr-defined]


def test_band_rejects_strict_operator() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse("分档(x, >1%:5)")
    assert "≥ 或 ≤" in info.value.message
    assert info.value.column == 7


def test_comments_are_ignored() -> None:
    assert parse("a > 1  # 注释\n且 b") == parse("a > 1 且 b")


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("(营业收入 > 1", "缺少右括号", 1, 1),
        ("如果(a, b, (c)", "缺少右括号", 1, 3),
        ("a > 1)", "多余的右括号", 1, 6),
        ("a >", "表达式不完整", 1, 4),
        ("a > 1 $", "无法识别的字符“$”", 1, 7),
        ("a >\n  > 2", "此处不应出现", 2, 3),
        ('持有("高新', "引号没有闭合", 1, 4),
        ("   ", "表达式为空", 1, 1),
    ],
)
def test_syntax_errors_are_chinese_with_position(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    err = info.value
    assert message in err.message
    assert (err.line, err.column) == (line, column)
    assert str(err).startswith(f"第{line}行第{column}列：")
    lines = text.split("\n")
    assert err.offset == sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def test_error_as_dict_for_pages() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse("a > 1)")
    data = info.value.as_dict()
    assert data["kind"] == "syntax"
    assert data["offset"] == 5
    assert data["end"] == 6


# ---- round trip -----------------------------------------------------------------------
_name_chars = st.sampled_from(list("营业收入研发费用主营非流动abcxyz_Ⅰ"))
names = st.text(_name_chars, min_size=1, max_size=6).filter(
    lambda s: not s[0].isdigit() and s not in {"and", "or", "not", "非"} and not s.startswith("_")
)
numbers = st.builds(
    lambda whole, frac, suffix: Num(str(whole) + (f".{frac}" if frac is not None else ""), suffix),
    st.integers(0, 10**6),
    st.none() | st.integers(0, 999).map(lambda n: str(n).zfill(3)),
    st.sampled_from(["", "万", "亿", "%", "人", "项", "年", "亩", "万元", "亿元"]),
)
leaves = st.one_of(
    numbers,
    st.builds(Ref, names, st.none() | st.sampled_from(["上年", "本年", "近2年", "last_year"])),
    st.builds(
        Str, st.text(st.characters(exclude_characters="\"“”'「」\n", exclude_categories=("Cs",)), max_size=8)
    ),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Arith, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(Compare, st.sampled_from([">=", "<=", ">", "<", "=", "!="]), children, children),
        st.builds(Logic, st.sampled_from(["and", "or"]), children, children),
        st.builds(Not, children),
        st.builds(Neg, children),
        st.builds(
            Call,
            st.sampled_from(["如果", "max", "分档", "平均"]),
            st.lists(
                children | st.builds(Band, st.sampled_from([None, ">=", "<="]), children, children),
                max_size=4,
            ).map(tuple),
        ),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_print_then_parse_round_trips(tree: Node) -> None:
    text = to_text(tree)
    assert parse(text) == tree
    assert to_text(parse(text)) == text


def test_printer_adds_only_needed_parentheses() -> None:
    assert to_text(parse("(a + b) * c")) == "(a + b) × c"
    assert to_text(parse("a + (b * c)")) == "a + b × c"
    assert to_text(parse("a - (b - c)")) == "a - (b - c)"
    assert to_text(parse("(a 或 b) 且 c")) == "(a 或 b) 且 c"
    assert to_text(parse("(a > 1) = b")) == "(a > 1) = b"
