"""The rule reference page (规则语法参考), built from the engine itself.

Every example is compiled when the page is built, so the page shows the engine's own canonical
form, result type and error messages; the tables of units, periods and functions are read from
the engine's tables; the truth table is computed with the engine's Kleene operators. The tests
check that nothing is dropped and that the examples of docs/rules-language.md all appear here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache

from .catalogue import rule_catalogue
from .checking import check_text
from .choices import ResultType
from .engine import RuleError, RuleSet, builtin_rulesets, canonical_period, compile_expression, format_value
from .engine.checker import FUNCTIONS
from .engine.explain import Outcome
from .engine.ruleset import DISCLAIMER
from .engine.scalar import k_and, k_not, k_or
from .engine.units import LITERAL_SUFFIXES, unit_name

logger = logging.getLogger(__name__)

KIND_LABELS = {"condition": "必要条件", "direct": "直通条件", "points": "计分项"}


@dataclass(frozen=True)
class Example:
    text: str
    note: str = ""
    result_type: str = ResultType.BOOL


@dataclass
class CheckedExample:
    text: str
    note: str
    canonical: str
    type_label: str
    result_type: str


@dataclass
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    examples: list[CheckedExample] = field(default_factory=list)


# The examples, section by section. The first block of each section is the doc's own text.
SECTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[Example, ...]], ...] = (
    (
        "intro",
        "规则是什么",
        (
            "规则回答两类问题：某企业“是否满足某条件”（条件，结果为 满足 / 不满足 / 待定），"
            "或“得多少分、能拿多少钱”（数值或金额）。规则是一条官员能读懂的短表达式，"
            "由平台解析和检查（从不作为程序代码执行），对全部企业一次性批量计算，"
            "也可以对一家企业逐条给出所用数据、门槛和结论。",
            DISCLAIMER,
        ),
        (
            Example(
                "研发费用@上年 / 营业收入@上年 >= 3% 且 营业收入@上年 >= 1000万\n",
                "上年研发费用占营业收入比重不低于 3%，且上年营业收入不低于 1000 万元。",
            ),
        ),
    ),
    (
        "numbers",
        "数字与单位",
        (
            "数字可以带单位。金额以元计，百分比以小数计（3% 即 0.03）。不同单位的量不能相加或比较，"
            "平台会指出位置；不带单位的 0 可以与任何单位比较（如 利润总额 > 0）。",
        ),
        (
            Example("营业收入@上年 >= 2000万", "“以上”包含本数：恰好 2000 万元也满足。"),
            Example("利润总额@上年 > 0", "不带单位的 0 与金额比较。"),
            Example("实缴税金@上年 / 用地面积 >= 15万/亩", "亩均税收：金额/面积 与 万元/亩 比较。"),
            Example("营业收入@上年 / 从业人员@上年 >= 50万元/人", "人均营业收入。"),
        ),
    ),
    (
        "names",
        "指标与期间",
        (
            "指标可以写中文名称、别名或英文标识，例如 研发费用@上年 与 rd_expense@last_year 相同。"
            "不写 @期间 时使用指标的默认期间（通常为本年）。期间以评价日期所在年份 Y 为基准："
            "上年 为 Y−1，近2年 为 Y−2、Y−1 两个完整年度。",
            "多年期间（近N年）每年一个值，须用 求和、平均、增长率、最小、最大 汇总为一个值，"
            "或用 每年 / 任一年 变成条件；多年数据之间可以逐年相除、比较。",
            "名称以“非”开头的指标很多（如 非流动资产），所以“非”作“不”讲时后面要加空格或括号："
            '非 持有("…") 或 非(…)。',
        ),
        (
            Example("rd_expense@last_year >= 100万", "英文标识与中文名称等价。"),
            Example("成立年限 >= 2年", "成立年限：成立日期到评价日期的完整年数。"),
            Example("平均(营业收入@近3年) >= 1亿", "近三年平均营业收入。"),
            Example("任一年(利润总额@近3年 > 0)", "近三年中至少一年盈利。"),
        ),
    ),
    (
        "logic",
        "运算与逻辑",
        (
            "优先级从低到高：或（or）、且（and）、非（not）、比较（≥ ≤ > < = ≠，不能连写）、"
            "加减、乘除、负号。"
            "可以用括号分组；全角括号、逗号和 ≥ ≤ ≠ × ÷ 都可以使用。# 之后到行尾为注释。",
        ),
        (
            Example(
                '(营业收入@上年 >= 2000万 或 持有("规模以上工业企业")) 且 非 持有("严重失信主体名单")',
                "或、且、非 的组合；“非”后留空格。",
            ),
            Example(
                "营业收入@上年 ≥ 1亿 且 研发费用@上年 ÷ 营业收入@上年 ≥ 3%  # 全角符号", "全角符号与注释。"
            ),
            Example(
                "Ⅰ类知识产权数 >= 1项 或 Ⅱ类知识产权数 >= 1项\n",
                "计数之和写成“或”：已知的一类已达到下限即可判断；写成 Ⅰ类 + Ⅱ类 ≥ 1 时另一类缺数据就是待定。",
            ),
        ),
    ),
    (
        "functions",
        "函数",
        (
            "函数名可写中文或英文，参数用逗号分隔。"
            "分档 的每一档写作 阈值:分值，最后一个不带冒号的参数为默认分。",
        ),
        (
            Example(
                "如果(营业收入@上年 >= 1亿, 50万, 20万)", "按营业收入分两档奖励（金额）。", ResultType.MONEY
            ),
            Example(
                "分档(研发费用@上年 / 营业收入@上年, 1%:5, 2%:10, 3%:15, 5%:20)\n",
                "档位计分：“以上”包含本数，恰好 3% 得 15 分；低于 1% 得默认分 0。",
                ResultType.NUMBER,
            ),
            Example(
                "分档(资产负债率@上年, ≤55%:10, ≤75%:5, 0)\n",
                "“越低越好”的档位：每档写 ≤，不超过 55% 得 10 分。",
                ResultType.NUMBER,
            ),
            Example(
                '最小(计数(持有("高新技术企业"), 持有("省部级以上研发机构")) * 3, 5)\n',
                "每项 3 分，最高 5 分。",
                ResultType.NUMBER,
            ),
            Example(
                "最小(研发费用@上年 * 10%, 100万)",
                "研发费用的 10%，最高 100 万元（补助金额）。",
                ResultType.MONEY,
            ),
        ),
    ),
    (
        "criteria",
        "来自公开标准的例子",
        ("以下例子取自内置规则集所依据的文件（见本页下方“内置规则集”）。",),
        (
            Example(
                "每年(研发费用@近2年 >= 100万) 且 每年(研发费用@近2年 / 营业收入@近2年 >= 3%)\n",
                "专精特新中小企业（2026）：近两年每年研发费用不低于 100 万元且占比不低于 3%。",
            ),
            Example(
                "如果(营业收入@上年 >= 1亿, 每年(研发费用@近2年 / 营业收入@近2年 >= 3%),\n"
                "  如果(营业收入@上年 >= 5000万, 每年(研发费用@近2年 / 营业收入@近2年 >= 6%),\n"
                "    求和(新增股权融资@近2年) >= 8000万 且 求和(研发费用@近2年) >= 3000万))\n",
                "专精特新“小巨人”（2022）：研发强度要求随上年营业收入而定。",
            ),
            Example(
                "增长率(营业收入@近3年) >= 5% 且 资产负债率@上年 <= 75% 且 "
                "主营业务收入@上年 / 营业收入@上年 >= 90%\n",
                "小巨人（2026）：近两年营业收入年均增长率、资产负债率、主营业务占比。",
            ),
            Example(
                "求和(研发费用@近3年) / 求和(销售收入@近3年)\n"
                "  >= 如果(销售收入@上年 <= 5000万, 5%, 如果(销售收入@上年 <= 2亿, 4%, 3%))\n",
                "高新技术企业：近三年研发费用占销售收入比重，门槛按上年销售收入分档。",
            ),
            Example(
                '实缴税金@上年 / 用地面积 >= 15万/亩 且 人工判断("主导产品细分市场占有率较高")\n',
                "需要人工判断的条件在判断录入前为“待定”。",
            ),
        ),
    ),
)

# The error table of docs/rules-language.md §4 and §8: the page shows what the engine says.
ERROR_EXAMPLES: tuple[str, ...] = (
    "营业收入 >= 3%",
    "营业收入 + 从业人员",
    "营业收入 * 营业收入",
    "利润总额 > 2000",
    "营业收入 且 利润总额 > 0",
    "(营业收入 > 2000万",
    "营业收入 > 2000万)",
    "营业收入 >",
    "营业收入 $ 2000万",
    "研发费用率 > 3%",
    "营业收入@明年 > 0",
    '持有("高企")',
    '非持有("高新技术企业")',
)

# Spellings of each period, in display order; each is checked against the engine's parser.
PERIODS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("current", "评价年度 Y（入规测算时为本年累计）", ("本年", "当年", "当期", "本期", "current")),
    ("last_year", "Y−1，各梯度标准中的“上年度”", ("上年", "上一年", "去年", "last_year")),
    ("year_minus_2", "Y−2", ("前年", "year_minus_2")),
    ("year_minus_3", "Y−3（最多到 year_minus_5）", ("大前年", "year_minus_3")),
    ("last_2_years", "Y−2、Y−1 两个完整年度", ("近2年", "近两年", "last_2_years")),
    ("last_3_years", "Y−3 至 Y−1 三个完整年度（最多到近5年）", ("近3年", "近三年", "last_3_years")),
)

# What each function does (keys: the engine's canonical function names).
FUNCTION_DOCS: dict[str, tuple[str, str]] = {
    "if": ("如果(条件, 甲, 乙)", "条件成立取甲，否则取乙；甲、乙须为同一类型和单位"),
    "min": ("最小(a, b, …)", "逐企业取最小值；只有一个多年参数时取各年最小值"),
    "max": ("最大(a, b, …)", "逐企业取最大值；只有一个多年参数时取各年最大值"),
    "sum": ("求和(x@近N年)", "多年数据求和"),
    "avg": ("平均(x@近N年)", "多年数据的算术平均"),
    "growth": (
        "增长率(x@近N年)",
        "首年到末年的年均复合增长率：(末年/首年)^(1/(N−1)) − 1；首年为零、负数或缺失时待定",
    ),
    "all_years": ("每年(条件)", "多年条件每一年都成立"),
    "any_year": ("任一年(条件)", "多年条件至少一年成立"),
    "count": ("计数(条件1, 条件2, …)", "成立的条件个数（数值，可作分值）；任一条件待定则结果缺失"),
    "holds": ('持有("称号")', "企业持有某项资质或称号（如 高新技术企业）"),
    "judgement": ('人工判断("说明")', "需要人工判断的条件；判断录入前为待定"),
    "bands": ("分档(x, 阈值:分值…, 默认分)", "档位计分；“以上”“以下”均包含本数"),
}

# Ready-made pieces the workbench offers to insert at the cursor.
FUNCTION_SNIPPETS: tuple[tuple[str, str], ...] = (
    ("且", " 且 "),
    ("或", " 或 "),
    ("非", "非 "),
    (">=", " >= "),
    ("<=", " <= "),
    ("如果(…)", "如果("),
    ("分档(…)", "分档("),
    ("最小(…)", "最小("),
    ("最大(…)", "最大("),
    ("求和(…)", "求和("),
    ("平均(…)", "平均("),
    ("增长率(…)", "增长率("),
    ("每年(…)", "每年("),
    ("任一年(…)", "任一年("),
    ("计数(…)", "计数("),
    ("人工判断(…)", '人工判断("'),
    ("成立年限", "成立年限"),
)
PERIOD_SNIPPETS: tuple[str, ...] = ("@本年", "@上年", "@前年", "@近2年", "@近3年")


def _check_example(example: Example) -> CheckedExample | None:
    result = check_text(example.text, example.result_type)
    if not result.ok:
        logger.error("rule reference example does not compile: %r: %s", example.text, result.error)
        return None
    return CheckedExample(
        example.text.strip(), example.note, result.canonical, result.type_label, example.result_type
    )


@lru_cache(maxsize=1)
def sections() -> list[Section]:
    """The grammar sections with their examples, each compiled by the engine."""
    out = []
    for key, title, paragraphs, examples in SECTIONS:
        checked = [c for c in (_check_example(e) for e in examples) if c is not None]
        out.append(Section(key, title, paragraphs, checked))
    return out


def all_examples() -> list[Example]:
    """Every example of the page (for the tests)."""
    return [e for _, _, _, examples in SECTIONS for e in examples]


@lru_cache(maxsize=1)
def error_examples() -> list[tuple[str, str]]:
    """(expression, the engine's message) for the error table; an example that compiles is dropped."""
    out = []
    for text in ERROR_EXAMPLES:
        try:
            compile_expression(text, rule_catalogue())
        except RuleError as exc:
            out.append((text, str(exc)))
        else:
            logger.error("rule reference error example compiles: %r", text)
    return out


@lru_cache(maxsize=1)
def literal_table() -> list[tuple[str, str, str]]:
    """(unit kind, suffixes as written, an example and its stored value) from the engine's suffixes."""
    by_kind: dict[str, list[tuple[str, float]]] = {}
    for suffix, (unit, factor) in LITERAL_SUFFIXES.items():
        kind = "百分比" if unit.percent else unit_name(unit)
        by_kind.setdefault(kind, []).append((suffix, factor))
    rows = []
    for kind, items in by_kind.items():
        spellings = "、".join(s if s else "（不带单位）" for s, _ in items)
        suffix, factor = max(items, key=lambda item: item[1])
        unit = LITERAL_SUFFIXES[suffix][0]
        value = 3 * factor
        stored = f"{value:,.0f}" if value >= 1000 else f"{value:g}"
        label = "（小数）" if unit.percent else ("" if unit.dimensionless else unit.label)
        rows.append((kind, spellings, f"3{suffix} 即 {stored}{label}"))
    return rows


@lru_cache(maxsize=1)
def period_table() -> list[tuple[str, str, str]]:
    """(spellings, key, meaning); only spellings the engine maps to the key are listed."""
    rows = []
    for key, meaning, spellings in PERIODS:
        accepted = [s for s in spellings if canonical_period(s) == key]
        if len(accepted) != len(spellings):
            logger.error("rule reference period spellings not accepted: %r", set(spellings) - set(accepted))
        rows.append(("、".join(accepted), key, meaning))
    return rows


def function_table() -> list[tuple[str, str, str]]:
    """(form, all accepted names, meaning) for every function the checker knows."""
    rows = []
    for canonical, names in FUNCTIONS.items():
        form, meaning = FUNCTION_DOCS.get(canonical, (names[0], ""))
        rows.append((form, "、".join(names), meaning))
    return rows


def truth_table() -> list[tuple[str, str, str, str]]:
    """a, b, a 且 b, a 或 b over met / not met / unknown, computed with the engine's operators."""
    values = (True, False, None)
    label = {True: Outcome.MET.label, False: Outcome.NOT_MET.label, None: Outcome.UNKNOWN.label}
    return [(label[a], label[b], label[k_and(a, b)], label[k_or(a, b)]) for a in values for b in values]


def not_table() -> list[tuple[str, str]]:
    label = {True: Outcome.MET.label, False: Outcome.NOT_MET.label, None: Outcome.UNKNOWN.label}
    return [(label[a], label[k_not(a)]) for a in (True, False, None)]


# --- built-in rule sets --------------------------------------------------------------------


@dataclass
class CriterionRow:
    code: str
    title: str
    clause: str
    kind: str
    group: str
    expression: str
    note: str


@dataclass
class VersionInfo:
    ruleset: RuleSet
    in_force: bool
    criteria: list[CriterionRow]
    groups: list[tuple[str, str]]

    @property
    def period_text(self) -> str:
        start = f"{self.ruleset.effective_from:%Y-%m-%d}"
        if self.ruleset.effective_to is None:
            return f"{start} 起施行"
        return f"{start} 至 {self.ruleset.effective_to:%Y-%m-%d}"

    @property
    def anchor(self) -> str:
        return f"ruleset-{self.ruleset.code}-{self.ruleset.version}"


@dataclass
class RuleSetGroup:
    code: str
    name: str
    versions: list[VersionInfo]


@lru_cache(maxsize=1)
def _compiled_versions() -> list[tuple[RuleSet, list[CriterionRow], list[tuple[str, str]]]]:
    out = []
    for rs in builtin_rulesets():
        compiled = rs.compile(rule_catalogue())
        titles = {g.code: g.title for g in rs.groups}
        rows = [
            CriterionRow(
                code=c.code,
                title=c.title,
                clause=c.clause,
                kind=KIND_LABELS.get(c.kind, c.kind),
                group=titles.get(c.group or "", ""),
                expression=compiled.expressions[c.code].canonical,
                note=c.note,
            )
            for c in rs.criteria
        ]
        groups = [
            (g.title, f"不低于 {format_value(g.minimum)} 分" if g.minimum is not None else "不设最低分")
            for g in rs.groups
        ]
        out.append((rs, rows, groups))
    return out


def ruleset_groups(*, today: dt.date) -> list[RuleSetGroup]:
    """Every built-in rule set, its versions newest first, the version in force today marked."""
    by_code: dict[str, RuleSetGroup] = {}
    for rs, rows, groups in _compiled_versions():
        group = by_code.setdefault(rs.code, RuleSetGroup(rs.code, rs.name, []))
        group.versions.append(VersionInfo(rs, rs.in_force(today), rows, groups))
    for group in by_code.values():
        group.versions.sort(key=lambda v: v.ruleset.effective_from, reverse=True)
        group.name = group.versions[0].ruleset.name
    return list(by_code.values())
