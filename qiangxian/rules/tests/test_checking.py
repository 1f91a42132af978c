"""What the workbench shows for a text: the verdict, the marked span, the type, the canonical form."""

from __future__ import annotations

from qiangxian.rules.checking import MAX_LENGTH, ErrorLine, check_text
from qiangxian.rules.choices import ResultType


def test_a_valid_condition_reports_its_type_canonical_form_and_inputs():
    result = check_text('研发费用@上年/营业收入@上年>=3% 且 持有("高新技术企业") 且 成立年限 >= 2年')
    assert result.ok and result.error is None
    assert result.type_label == "条件（是/否）"
    assert result.canonical == "研发费用@上年 / 营业收入@上年 ≥ 3% 且 持有(“高新技术企业”) 且 成立年限 ≥ 2年"
    assert result.uses == ["研发费用（上年）", "营业收入（上年）", "持有“高新技术企业”", "成立年限"]
    assert result.as_dict()["error"] is None


def test_numbers_report_their_unit_kind():
    assert check_text("研发费用@上年 * 10%", ResultType.NUMBER).type_label == "金额"
    assert check_text("研发费用@上年 / 营业收入@上年", ResultType.NUMBER).type_label == "百分比"
    assert check_text("分档(研发费用@上年, 100万:5, 0)", ResultType.NUMBER).type_label == "数值"
    assert check_text('人工判断("市场占有率较高")').uses == ["人工判断：市场占有率较高"]


def test_an_error_marks_its_span_on_its_line():
    result = check_text("营业收入@上年 >= 2000万 且\n  研发费用@上年 >= 3%")
    assert not result.ok and result.error.kind == "type"
    assert (result.error.line, result.error.column) == (2, 14)
    assert result.lines == [
        ErrorLine(1, "营业收入@上年 >= 2000万 且"),
        ErrorLine(
            2, "  研发费用@上年 >= 3%", before="  研发费用@上年 >= ", marked="3%", after="", is_error=True
        ),
    ]
    data = result.as_dict()["error"]
    assert data["text"] == "第2行第14列：无法比较 金额 与 百分比" and data["offset"] == 32


def test_an_expression_that_stops_early_marks_the_end():
    result = check_text("营业收入 >")
    (line,) = result.lines
    assert line.is_error and line.before == "营业收入 >" and line.marked == "" and line.after == ""


def test_an_unclosed_parenthesis_is_pointed_at():
    (line,) = check_text("(营业收入 > 1").lines
    assert line.before == "" and line.marked == "(" and line.after == "营业收入 > 1"


def test_windows_line_endings_count_like_the_engine_counts():
    result = check_text("营业收入 > 0 且\r\n  利润总额 > 5%")
    assert (result.error.line, result.error.column) == (2, 10)
    assert result.lines[1].marked == "5%"


def test_empty_and_overlong_texts():
    assert check_text("").error.message == "表达式为空"
    long = check_text("1" * (MAX_LENGTH + 1))
    assert long.error.pos is None and f"最多 {MAX_LENGTH} 个字符" in long.error.message
    assert long.lines == [ErrorLine(1, "1" * (MAX_LENGTH + 1))]


def test_an_unknown_result_type_is_read_as_a_condition():
    assert check_text("营业收入 > 0", "text").result_type == ResultType.BOOL
