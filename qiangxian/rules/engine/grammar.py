"""The lark grammar of the rule language (LALR, so parsing is linear and errors are precise).

Full-width punctuation （），：“” and the signs ≥ ≤ ≠ × ÷ are accepted because officials type
them with a Chinese input method. Names may contain Chinese, letters, digits, _, · and Ⅰ-Ⅻ,
but not 且 or 或, so `A且B` needs no spaces; 非 only counts as "not" when followed by a
space or a parenthesis, because many indicator names start with it (非流动资产).
"""

from __future__ import annotations

from functools import cache

from lark import Lark

GRAMMAR = r"""
?start: expr

?expr: or_expr
?or_expr: and_expr
        | or_expr OR and_expr          -> or_
?and_expr: not_expr
         | and_expr AND not_expr       -> and_
?not_expr: comparison
         | NOT not_expr                -> not_
?comparison: sum
           | sum COMPOP sum            -> compare
?sum: product
    | sum PLUS product                 -> arith
    | sum MINUS product                -> arith
?product: unary
        | product MUL unary            -> arith
        | product DIV unary            -> arith
?unary: atom
      | MINUS unary                    -> neg
?atom: NUMBER UNIT?                    -> number
     | STRING                          -> string
     | NAME (AT NAME)?                 -> ref
     | NAME LPAR [arglist] RPAR        -> call
     | LPAR expr RPAR                  -> paren

arglist: arg (COMMA arg)*
?arg: expr
    | band
band: COMPOP? sum COLON sum

NUMBER: /\d+(\.\d+)?/
UNIT: /万元\/亩|万\/亩|元\/亩|万元\/人|万\/人|元\/人|万千瓦时|千瓦时|吨标准煤/
    | /万元|亿元|万|亿|元|%|％|人|项|个|家|年|亩|分/
STRING: /"[^"\n]*"|“[^”\n]*”|'[^'\n]*'|「[^」\n]*」/
AND.3: /且|\band\b/
OR.3: /或|\bor\b/
NOT.3: /非(?=[\s(（])|\bnot\b/
NAME: /@NAME@/
COMPOP: />=|<=|!=|==|≥|≤|≠|⩾|⩽|＞=|＜=|>|<|=|＞|＜|＝/
PLUS: "+" | "＋"
MINUS: "-" | "－"
MUL: "*" | "×" | "＊"
DIV: "/" | "÷" | "／"
LPAR: "(" | "（"
RPAR: ")" | "）"
COMMA: "," | "，" | "、"
COLON: ":" | "："
AT: "@"

COMMENT: /#[^\n]*/
WS: /[ \t\r\n\u3000]+/
%ignore WS
%ignore COMMENT
"""

# Letters allowed in names: CJK (incl. extension A) and Roman numerals Ⅰ-Ⅻ (Ⅰ类知识产权).
_LETTERS = r"A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\u2160-\u216f"
_NAME = rf"(?:(?![且或])[{_LETTERS}])(?:(?![且或])[0-9·{_LETTERS}])*"
GRAMMAR = GRAMMAR.replace("@NAME@", _NAME)

# Chinese names of terminals, for "expected ..." messages.
TERMINAL_NAMES = {
    "NUMBER": "数字",
    "UNIT": "单位",
    "STRING": "引号中的文字",
    "AND": "且",
    "OR": "或",
    "NOT": "非",
    "NAME": "指标或函数名",
    "COMPOP": "比较符号",
    "PLUS": "+",
    "MINUS": "-",
    "MUL": "×",
    "DIV": "/",
    "LPAR": "左括号",
    "RPAR": "右括号",
    "COMMA": "逗号",
    "COLON": "冒号",
    "AT": "@",
    "$END": "表达式结尾",
}


@cache
def get_parser() -> Lark:
    """The shared parser instance (building the LALR tables once per process)."""
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)
