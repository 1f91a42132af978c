"""Type and unit checking: syntax tree -> typed tree, or a RuleError pointing at the culprit."""

from __future__ import annotations

import difflib
from decimal import Decimal
from itertools import pairwise

from .catalogue import Catalogue, canonical_period, period_label, window_years
from .errors import RuleNameError, RuleTypeError
from .nodes import Arith, Band, Call, Compare, Logic, Neg, Node, Not, Num, Ref, Str
from .typed import (
    BOOL,
    NUM,
    STR,
    TAgg,
    TArith,
    TBands,
    TCompare,
    TConst,
    TCount,
    TEach,
    THolds,
    TIf,
    TJudge,
    TLogic,
    TMinMax,
    TNeg,
    TNode,
    TNot,
    TRef,
    TYears,
    Type,
    const_value,
)
from .units import LITERAL_SUFFIXES, NUMBER, RATIO, YEARS, Unit, additive, unit_name

# Canonical function names and the spellings accepted for each.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "if": ("如果", "if"),
    "min": ("最小", "最小值", "min"),
    "max": ("最大", "最大值", "max"),
    "bands": ("分档", "bands"),
    "holds": ("持有", "holds"),
    "judgement": ("人工判断", "judgement"),
    "avg": ("平均", "平均值", "avg"),
    "sum": ("求和", "合计", "sum"),
    "growth": ("增长率", "年均增长率", "growth"),
    "all_years": ("每年", "all_years"),
    "any_year": ("任一年", "any_year"),
    "count": ("计数", "count"),
}
_FUNC_BY_NAME = {alias: canon for canon, aliases in FUNCTIONS.items() for alias in aliases}
YEARS_ESTABLISHED = ("成立年限", "years_established")


def _is_plain_zero(node: TNode) -> bool:
    # A bare 0 may stand for "zero of any unit" (利润总额 > 0) without writing 0万.
    return (
        isinstance(node, TConst) and isinstance(node.src, Num) and node.src.suffix == "" and node.value == 0.0
    )


class Checker:
    """Resolves names against a catalogue and assigns types; one instance per expression."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    # -- helpers -------------------------------------------------------------------------
    def _num(self, node: Node, *, series_ok: bool = True) -> TNode:
        t = self.check(node)
        if t.type.kind != NUM or (t.type.is_series and not series_ok):
            want = "数值" if series_ok else "单个数值"
            raise RuleTypeError(f"此处需要{want}，得到 {t.type.describe()}", node.pos)
        return t

    def _bool(self, node: Node, *, series_ok: bool = False) -> TNode:
        t = self.check(node)
        if t.type.kind != BOOL or (t.type.is_series and not series_ok):
            raise RuleTypeError(f"此处需要条件（是/否），得到 {t.type.describe()}", node.pos)
        return t

    @staticmethod
    def _years(a: TNode, b: TNode, src: Node) -> int:
        ya, yb = a.type.years, b.type.years
        if ya and yb and ya != yb:
            raise RuleTypeError(f"期间长度不一致：{ya}年 与 {yb}年", src.pos)
        return ya or yb

    @staticmethod
    def _common_unit(a: TNode, b: TNode, src: Node, verb: str) -> Unit:
        ua, ub = a.type.unit or NUMBER, b.type.unit or NUMBER
        if _is_plain_zero(a):
            return ub
        if _is_plain_zero(b):
            return ua
        unit = additive(ua, ub)
        if unit is None:
            raise RuleTypeError(f"无法{verb} {unit_name(ua)} 与 {unit_name(ub)}", src.pos)
        return unit

    # -- dispatch ------------------------------------------------------------------------
    def check(self, node: Node) -> TNode:
        """Check one node (recursively) and return its typed form."""
        method = getattr(self, f"_check_{type(node).__name__.lower()}", None)
        if method is None:
            raise RuleTypeError("分档的档位只能写在 分档(…) 中", node.pos)
        return method(node)

    def _check_num(self, node: Num) -> TNode:
        unit, scale = LITERAL_SUFFIXES[node.suffix]
        # Decimal keeps 3% exactly the same float as 3/100 so boundaries behave.
        value = float(Decimal(node.text) * Decimal(repr(scale)))
        return TConst(Type(NUM, unit), node, value)

    def _check_str(self, node: Str) -> TNode:
        return TConst(Type(STR), node, node.value)

    def _check_ref(self, node: Ref) -> TNode:
        if node.name in YEARS_ESTABLISHED:
            if node.period is not None:
                raise RuleTypeError("成立年限不能指定期间（按评价日期计算）", node.pos)
            return TYears(Type(NUM, YEARS), node)
        indicator = self.catalogue.lookup(node.name)
        if indicator is None:
            message = f"未知指标“{node.name}”"
            if node.name in _FUNC_BY_NAME:
                message = f"函数“{node.name}”后面需要括号"
            elif node.name.startswith("非") and self.catalogue.lookup(node.name[1:]):
                message += "；如表示“非”，请在“非”后加空格"
            else:
                close = self.catalogue.suggest(node.name)
                if close:
                    message += "，是否指“" + "”或“".join(close) + "”？"
            raise RuleNameError(message, node.pos)
        period = indicator.default_period
        if node.period is not None:
            found = canonical_period(node.period)
            if found is None:
                raise RuleNameError(
                    f"未知期间“{node.period}”，可用：本年、上年、前年、近2年、近3年", node.pos
                )
            period = found
        if not indicator.allows(period):
            raise RuleNameError(f"指标“{indicator.name}”没有“{period_label(period)}”的数据", node.pos)
        years = window_years(period)
        kind = BOOL if indicator.is_bool else NUM
        unit = None if indicator.is_bool else indicator.unit
        assert unit is None or isinstance(unit, Unit)
        return TRef(Type(kind, unit, len(years) if years else 0), node, indicator, period, years)

    def _check_neg(self, node: Neg) -> TNode:
        x = self._num(node.operand)
        return TNeg(x.type, node, x)

    def _check_arith(self, node: Arith) -> TNode:
        a, b = self._num(node.left), self._num(node.right)
        years = self._years(a, b, node)
        ua, ub = a.type.unit or NUMBER, b.type.unit or NUMBER
        if node.op in "+-":
            unit = self._common_unit(a, b, node.right, "相加" if node.op == "+" else "相减")
        elif node.op == "*":
            unit = ua.times(ub)
        else:
            unit = ua.over(ub)
        if any(abs(e) > 1 for e in unit.dims):
            verb = "相乘" if node.op == "*" else "相除"
            raise RuleTypeError(f"{unit_name(ua)} 与 {unit_name(ub)} {verb}没有意义", node.right.pos)
        return TArith(Type(NUM, unit, years), node, node.op, a, b)

    def _check_compare(self, node: Compare) -> TNode:
        a, b = self.check(node.left), self.check(node.right)
        for t, src in ((a, node.left), (b, node.right)):
            if t.type.kind != NUM:
                raise RuleTypeError(f"只能比较数值，此处是 {t.type.describe()}", src.pos)
        self._common_unit(a, b, node.right, "比较")
        return TCompare(Type(BOOL, None, self._years(a, b, node)), node, node.op, a, b)

    def _check_logic(self, node: Logic) -> TNode:
        a = self._bool(node.left, series_ok=True)
        b = self._bool(node.right, series_ok=True)
        return TLogic(Type(BOOL, None, self._years(a, b, node)), node, node.op, a, b)

    def _check_not(self, node: Not) -> TNode:
        x = self._bool(node.operand, series_ok=True)
        return TNot(x.type, node, x)

    def _check_band(self, node: Band) -> TNode:
        raise RuleTypeError("分档的档位只能写在 分档(…) 中", node.pos)

    def _check_call(self, node: Call) -> TNode:
        func = _FUNC_BY_NAME.get(node.func)
        if func is None:
            close = difflib.get_close_matches(node.func, list(_FUNC_BY_NAME), n=2, cutoff=0.5)
            hint = "，是否指“" + "”或“".join(close) + "”？" if close else ""
            if node.func.startswith("非") and node.func[1:] in _FUNC_BY_NAME:
                hint = "；如表示“非”，请在“非”后加空格"
            raise RuleNameError(f"未知函数“{node.func}”{hint}", node.pos)
        if func != "bands":
            for arg in node.args:
                if isinstance(arg, Band):
                    raise RuleTypeError("档位（阈值:分值）只能用于 分档(…)", arg.pos)
        return getattr(self, f"_fn_{func}")(node)

    def _arity(self, node: Call, low: int, high: int | None = None) -> None:
        n = len(node.args)
        if n < low or (high is not None and n > high):
            want = f"{low}" if high == low else (f"至少{low}" if high is None else f"{low}到{high}")
            raise RuleTypeError(f"{node.func} 需要{want}个参数，写了{n}个", node.pos)

    # -- functions -----------------------------------------------------------------------
    def _fn_if(self, node: Call) -> TNode:
        self._arity(node, 3, 3)
        cond = self._bool(node.args[0])
        a, b = self.check(node.args[1]), self.check(node.args[2])
        if a.type.kind != b.type.kind or a.type.kind == STR or a.type.is_series or b.type.is_series:
            raise RuleTypeError(
                f"如果(…) 的两个结果类型须一致：{a.type.describe()} 与 {b.type.describe()}", node.pos
            )
        unit = self._common_unit(a, b, node.args[2], "合并") if a.type.kind == NUM else None
        return TIf(Type(a.type.kind, unit), node, cond, a, b)

    def _fn_min(self, node: Call) -> TNode:
        return self._minmax(node, "min")

    def _fn_max(self, node: Call) -> TNode:
        return self._minmax(node, "max")

    def _minmax(self, node: Call, op: str) -> TNode:
        self._arity(node, 1)
        if len(node.args) == 1:
            x = self._num(node.args[0])
            if not x.type.is_series:
                raise RuleTypeError(
                    f"{node.func} 只有一个参数时，参数须为多年数据（如 营业收入@近3年）", node.pos
                )
            return TAgg(Type(NUM, x.type.unit), node, op, x)
        args = tuple(self._num(a, series_ok=False) for a in node.args)
        unit = args[0].type.unit or NUMBER
        for other in args[1:]:
            unit = self._common_unit(TConst(Type(NUM, unit), node, 1.0), other, node, "比较")
        return TMinMax(Type(NUM, unit), node, op, args)

    def _aggregate(self, node: Call, op: str) -> TNode:
        self._arity(node, 1, 1)
        x = self._num(node.args[0])
        if not x.type.is_series:
            raise RuleTypeError(f"{node.func} 的参数须为多年数据，如 营业收入@近3年", node.args[0].pos)
        unit = RATIO if op == "growth" else x.type.unit
        return TAgg(Type(NUM, unit), node, op, x)

    def _fn_avg(self, node: Call) -> TNode:
        return self._aggregate(node, "avg")

    def _fn_sum(self, node: Call) -> TNode:
        return self._aggregate(node, "sum")

    def _fn_growth(self, node: Call) -> TNode:
        return self._aggregate(node, "growth")

    def _each(self, node: Call, op: str) -> TNode:
        self._arity(node, 1, 1)
        x = self._bool(node.args[0], series_ok=True)
        if not x.type.is_series:
            raise RuleTypeError(
                f"{node.func} 的参数须为多年条件，如 研发费用@近2年 ≥ 100万", node.args[0].pos
            )
        return TEach(Type(BOOL), node, op, x)

    def _fn_all_years(self, node: Call) -> TNode:
        return self._each(node, "all")

    def _fn_any_year(self, node: Call) -> TNode:
        return self._each(node, "any")

    def _fn_count(self, node: Call) -> TNode:
        self._arity(node, 1)
        args = tuple(self._bool(a) for a in node.args)
        return TCount(Type(NUM, NUMBER), node, args)

    def _text_arg(self, node: Call) -> str:
        self._arity(node, 1, 1)
        arg = node.args[0]
        if not isinstance(arg, Str) or not arg.value.strip():
            raise RuleTypeError(f"{node.func} 的参数须为引号中的文字", arg.pos)
        return arg.value

    def _fn_holds(self, node: Call) -> TNode:
        name = self._text_arg(node)
        if name not in self.catalogue.designations:
            close = self.catalogue.suggest(name, designations=True)
            hint = "，是否指“" + "”或“".join(close) + "”？" if close else ""
            raise RuleNameError(f"未知的资质或称号“{name}”{hint}", node.args[0].pos)
        return THolds(Type(BOOL), node, name)

    def _fn_judgement(self, node: Call) -> TNode:
        return TJudge(Type(BOOL), node, self._text_arg(node))

    def _fn_bands(self, node: Call) -> TNode:
        self._arity(node, 2)
        x = self._num(node.args[0], series_ok=False)
        rest = list(node.args[1:])
        default = 0.0
        if rest and not isinstance(rest[-1], Band):
            last = rest.pop()
            value = const_value(self._num(last, series_ok=False))
            if value is None:
                raise RuleTypeError("分档的默认分须为常数", last.pos)
            default = value
        if not rest:
            raise RuleTypeError("分档至少需要一个档位，如 3%:10", node.pos)
        thresholds, points, ops = [], [], set()
        for band in rest:
            if not isinstance(band, Band):
                raise RuleTypeError("档位须写成 阈值:分值，默认分只能放在最后", band.pos)
            t = self._num(band.threshold, series_ok=False)
            p = self._num(band.points, series_ok=False)
            tv, pv = const_value(t), const_value(p)
            if tv is None:
                raise RuleTypeError("分档阈值须为常数", band.threshold.pos)
            if pv is None or not (p.type.unit or NUMBER).dimensionless:
                raise RuleTypeError("分档分值须为不带单位的常数", band.points.pos)
            self._common_unit(x, t, band, "比较")
            thresholds.append(tv)
            points.append(pv)
            ops.add(band.op or ">=")
        if len(ops) > 1:
            raise RuleTypeError("同一分档中不能混用 ≥ 与 ≤", node.pos)
        if any(b <= a for a, b in pairwise(thresholds)):
            raise RuleTypeError("分档阈值须从小到大排列且不重复", node.pos)
        upward = ops == {">="}
        return TBands(Type(NUM, NUMBER), node, x, upward, tuple(thresholds), tuple(points), default)


def check(node: Node, catalogue: Catalogue, *, expect: str | None = None) -> TNode:
    """Type-check a syntax tree. `expect` is "bool" for a condition or "num" for points/amounts."""
    typed = Checker(catalogue).check(node)
    if typed.type.is_series:
        raise RuleTypeError("表达式的结果是多年数据，请用 平均/求和/增长率/每年 等汇总为一个值", node.pos)
    if expect == BOOL and typed.type.kind != BOOL:
        raise RuleTypeError(f"条件的结果应为“是/否”，此处得到 {typed.type.describe()}", node.pos)
    if expect == NUM and typed.type.kind != NUM:
        raise RuleTypeError(f"此处应得到数值（分值或金额），实际得到 {typed.type.describe()}", node.pos)
    if typed.type.kind == STR:
        raise RuleTypeError("表达式的结果不能是文字", node.pos)
    return typed
