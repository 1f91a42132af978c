"""Names, periods, types and units."""

from __future__ import annotations

import pytest

from qiangxian.rules.engine import (
    Catalogue,
    RuleNameError,
    RuleTypeError,
    builtin_catalogue,
    canonical_period,
    compile_expression,
    period_label,
)
from qiangxian.rules.engine.catalogue import window_years
from qiangxian.rules.engine.typed import TRef
from qiangxian.rules.engine.units import MONEY, RATIO, unit_name


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return builtin_catalogue()


def test_chinese_name_and_identifier_resolve_to_the_same_column(cat: Catalogue) -> None:
    a = compile_expression("研发费用@上年", cat).typed
    b = compile_expression("rd_expense@last_year", cat).typed
    assert isinstance(a, TRef) and isinstance(b, TRef)
    assert (
        (a.indicator.identifier, a.period)
        == (b.indicator.identifier, b.period)
        == ("rd_expense", "last_year")
    )


def test_alias_and_default_period(cat: Catalogue) -> None:
    t = compile_expression("营收", cat).typed
    assert isinstance(t, TRef)
    assert (t.indicator.identifier, t.period) == ("revenue", "current")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("上年", "last_year"),
        ("去年", "last_year"),
        ("本年", "current"),
        ("当期", "current"),
        ("前年", "year_minus_2"),
        ("近2年", "last_2_years"),
        ("近三年", "last_3_years"),
        ("last_3_years", "last_3_years"),
    ],
)
def test_period_spellings(text: str, key: str) -> None:
    assert canonical_period(text) == key


def test_window_years_are_oldest_first_and_end_last_year() -> None:
    assert window_years("last_3_years") == ("year_minus_3", "year_minus_2", "last_year")
    assert period_label("last_2_years") == "近2年"
    assert canonical_period("明年") is None


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("营业收入 >= 3%", "无法比较 金额 与 百分比", 9),
        ("研发费用@上年 / 营业收入@上年 >= 3万", "无法比较 百分比 与 金额", 22),
        ("营业收入 + 从业人员 > 0", "无法相加 金额 与 数量", 8),
        ("营业收入 * 营业收入 > 0", "相乘没有意义", 8),
        ("营业收入 且 从业人员 > 1人", "需要条件", 1),
        ("如果(营业收入 > 0, 1万, 2人)", "无法合并 金额 与 数量", 18),
        ("分档(研发费用@上年 / 营业收入@上年, 3%:5, 1%:10)", "从小到大", 1),
        ("分档(研发费用@上年 / 营业收入@上年, 3万:5)", "无法比较 百分比 与 金额", 23),
        ("分档(研发费用@上年 / 营业收入@上年, 1%:5, ≤3%:10)", "不能混用", 1),
        ("分档(营业收入, 营业收入:5)", "阈值须为常数", 10),
        ("平均(营业收入@上年)", "多年数据", 4),
        ("营业收入@近2年 > 0", "多年数据", 1),
        ("成立年限@上年 > 1年", "不能指定期间", 1),
        ("持有(营业收入)", "引号中的文字", 4),
        ("最大(营业收入)", "多年数据", 1),
        ("营业收入@近2年 > 营业收入@近3年", "期间长度不一致", 1),
    ],
)
def test_type_errors(cat: Catalogue, text: str, message: str, column: int) -> None:
    with pytest.raises(RuleTypeError) as info:
        compile_expression(text, cat)
    assert message in info.value.message
    assert info.value.column == column


def test_expected_kind_is_enforced(cat: Catalogue) -> None:
    with pytest.raises(RuleTypeError, match="是/否"):
        compile_expression("营业收入", cat, expect="bool")
    with pytest.raises(RuleTypeError, match="数值"):
        compile_expression("营业收入 > 0", cat, expect="num")


def test_plain_zero_compares_with_any_unit_but_other_plain_numbers_do_not(cat: Catalogue) -> None:
    compile_expression("利润总额 > 0", cat, expect="bool")
    with pytest.raises(RuleTypeError, match="金额 与 数值"):
        compile_expression("利润总额 > 2000", cat)


def test_ratio_and_plain_number_are_compatible(cat: Catalogue) -> None:
    assert compile_expression("增长率(营业收入@近2年) >= 0.05", cat).kind == "bool"


def test_units_follow_arithmetic(cat: Catalogue) -> None:
    assert compile_expression("研发费用 / 营业收入", cat).typed.type.unit == RATIO
    assert compile_expression("营业收入 * 3%", cat).typed.type.unit == MONEY
    per_mu = compile_expression("实缴税金 / 用地面积", cat).typed.type.unit
    assert per_mu is not None and unit_name(per_mu) == "金额/面积"
    assert compile_expression("实缴税金 / 用地面积 >= 15万/亩", cat).kind == "bool"
    assert compile_expression("工业增加值 / 从业人员 >= 18.14万元/人", cat).kind == "bool"
    with pytest.raises(RuleTypeError, match="金额/面积 与 金额/数量"):
        compile_expression("实缴税金 / 用地面积 >= 15万/人", cat)


def test_unknown_indicator_suggests_close_names(cat: Catalogue) -> None:
    with pytest.raises(RuleNameError) as info:
        compile_expression("研发费用率 > 3%", cat)
    assert info.value.message.startswith("未知指标“研发费用率”")
    assert "“研发费用”" in info.value.message
    assert (info.value.line, info.value.column) == (1, 1)


def test_missing_space_after_fei_gets_a_hint(cat: Catalogue) -> None:
    with pytest.raises(RuleNameError, match="后加空格"):
        compile_expression("非持有(“高新技术企业”)", cat)  # becomes a call to an unknown function
    with pytest.raises(RuleNameError, match="后加空格"):
        compile_expression("非营业收入 > 0", cat)


def test_unknown_period_function_and_designation(cat: Catalogue) -> None:
    with pytest.raises(RuleNameError, match="未知期间“明年”"):
        compile_expression("营业收入@明年 > 0", cat)
    with pytest.raises(RuleNameError, match=r"未知函数“平局”.*平均"):
        compile_expression("平局(营业收入@近2年)", cat)
    with pytest.raises(RuleNameError, match="是否指“高新技术企业”"):
        compile_expression('持有("高新技术")', cat)


def test_period_not_offered_by_indicator() -> None:
    cat = Catalogue()
    cat.add_indicator("score", "评价得分", "number", periods=["current"])
    with pytest.raises(RuleNameError, match="没有“上年”的数据"):
        compile_expression("评价得分@上年 > 60", cat)


def test_catalogue_rejects_duplicate_names() -> None:
    cat = Catalogue()
    cat.add_indicator("revenue", "营业收入", "money")
    with pytest.raises(ValueError, match="重复"):
        cat.add_indicator("sales", "营业收入", "money")


def test_judgement_and_count(cat: Catalogue) -> None:
    assert compile_expression('人工判断("市场占有率较高")', cat).kind == "bool"
    expr = compile_expression('计数(持有("高新技术企业"), 持有("省部级以上研发机构")) >= 1', cat)
    assert expr.kind == "bool"


def test_band_outside_bands_function_is_refused(cat: Catalogue) -> None:
    with pytest.raises(RuleTypeError, match="档位"):
        compile_expression("最大(1%:5, 2)", cat)


def test_bands_default_must_be_last_and_constant(cat: Catalogue) -> None:
    with pytest.raises(RuleTypeError, match="默认分只能放在最后"):
        compile_expression("分档(资产负债率, 5, 1%:5)", cat)
    with pytest.raises(RuleTypeError, match="默认分须为常数"):
        compile_expression("分档(资产负债率, 1%:5, 从业人员 / 从业人员)", cat)
