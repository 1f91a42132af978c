"""Filling a government's own .xlsx template (上报报表) with the platform's figures.

The template is loaded with openpyxl and written back whole, so its formatting, merged cells
and formulas stay as the city made them; only the mapped cells get a value. The mapping is what
the office edits, one line per cell or per column::

    表1!C5 = 工业总产值 累计 全县          (a cell: indicator, field, scope[, period])
    表1!D6:D20 = gross_output 增速 乡镇 B   (a column over rows: indicator, field, group, name column)

Indicators are named by code or Chinese name (the statistics catalogue), fields are 值/增速/
占比/拉动/上年同期, periods 累计 (default) or 当月. Amounts are written in 万元 (用电量 in
万千瓦时), ratios as percentages with one decimal, as the dashboard's Excel export does.
Values come from the statistics layer (``indicators.value``/``breakdown``), never recomputed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_from_string

from qiangxian.core.formatting import percent_number, round_half_up
from qiangxian.core.models import OrgUnit
from qiangxian.statistics import indicators

FIELDS = {
    "value": "value",
    "值": "value",
    "累计值": "value",
    "数值": "value",
    "growth": "growth",
    "增速": "growth",
    "增长": "growth",
    "share": "share",
    "占比": "share",
    "pull": "pull",
    "拉动": "pull",
    "base": "base",
    "上年同期": "base",
}
PERIODS = {"ytd": "ytd", "累计": "ytd", "month": "month", "当月": "month"}
GROUPS = {
    "town": "town",
    "乡镇": "town",
    "park": "park",
    "园区": "park",
    "zone": "zone",
    "片区": "zone",
    "cluster": "cluster",
    "集群": "cluster",
    "产业集群": "cluster",
}
COUNTY_WORDS = ("county", "全县", "合计", "全县合计")
MAX_ENTRIES = 2000
MAX_ROWS = 1000
LINE = re.compile(
    r"^\s*(?:(?P<sheet>[^!=]+)!)?(?P<ref>[A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)\s*=\s*(?P<rest>.+)$"
)


def indicator_code(word: str) -> str | None:
    if word in indicators.CATALOGUE:
        return word
    bare = word.removeprefix("规上").removeprefix("规模以上")
    for code, item in indicators.CATALOGUE.items():
        if item.name in (word, bare):
            return code
    return None


def open_template(content: bytes, filename: str):
    """The workbook of an uploaded template; a Chinese refusal for anything that is not an .xlsx."""
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if suffix != "xlsx":
        raise ValidationError(
            {"file": f"模板须为 .xlsx 文件（收到“{filename}”）。请在 Excel 中另存为 .xlsx 后上传。"}
        )
    try:
        return load_workbook(io.BytesIO(content))
    except Exception as error:  # openpyxl raises several kinds for a damaged or foreign file
        raise ValidationError(
            {"file": f"无法读取“{filename}”：文件不是有效的 .xlsx 工作簿（{type(error).__name__}）。"}
        ) from error


def parse_mapping(raw) -> list[dict]:
    """Mapping lines (or a list already parsed, from the API) → checked entries; every problem
    is named with its line number, nothing is accepted half."""
    if isinstance(raw, list):
        lines = [_entry_line(e) if isinstance(e, dict) else str(e) for e in raw]
    else:
        lines = (raw or "").splitlines()
    entries, errors = [], []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if len(entries) >= MAX_ENTRIES:
            errors.append(f"填写规则不能超过{MAX_ENTRIES}条。")
            break
        try:
            entries.append(_parse_line(text))
        except ValueError as error:
            errors.append(f"第{number}行“{text[:60]}”：{error}")
    if errors:
        raise ValidationError({"mapping": errors})
    return entries


FIELD_WORDS = {"value": "值", "growth": "增速", "share": "占比", "pull": "拉动", "base": "上年同期"}
GROUP_WORDS = {"town": "乡镇", "park": "园区", "zone": "片区", "cluster": "产业集群"}
PERIOD_WORDS = {"ytd": "累计", "month": "当月"}


def _entry_line(entry: dict) -> str:
    """One entry as the line the office reads and edits, in Chinese words (parsed back the same)."""
    ref = entry.get("cell") or f"{entry.get('column', '')}{entry.get('rows', '')}"
    if entry.get("column"):
        first, _, last = str(entry.get("rows", "")).partition("-")
        ref = f"{entry['column']}{first}:{entry['column']}{last or first}"
    code = entry.get("indicator", "")
    indicator = indicators.CATALOGUE[code].name if code in indicators.CATALOGUE else code
    field_ = entry.get("field", "value")
    group = entry.get("group", "")
    words = [indicator, FIELD_WORDS.get(field_, field_), entry.get("scope") or GROUP_WORDS.get(group, group)]
    if entry.get("column"):
        words.append(entry.get("label_column", ""))
    elif entry.get("period"):
        words.append(PERIOD_WORDS.get(entry["period"], entry["period"]))
    sheet = f"{entry['sheet']}!" if entry.get("sheet") else ""
    return f"{sheet}{ref} = {' '.join(str(w) for w in words)}"


def _parse_line(text: str) -> dict:
    match = LINE.match(text)
    if not match:
        raise ValueError("格式应为“工作表!单元格 = 指标 字段 范围”，如“表1!C5 = 工业总产值 累计 全县”。")
    words = match["rest"].split()
    if len(words) < 3:
        raise ValueError("等号后应依次写指标、字段和范围（或分组）。")
    code = indicator_code(words[0])
    if code is None:
        raise ValueError(f"未知指标“{words[0]}”。")
    field_ = FIELDS.get(words[1])
    implied_period = PERIODS.get(words[1])  # "累计"/"当月" alone: the value of that period
    if field_ is None and implied_period:
        field_ = "value"
    if field_ is None:
        raise ValueError(f"未知字段“{words[1]}”，可用：值、增速、占比、拉动、上年同期。")
    sheet = (match["sheet"] or "").strip()
    ref = match["ref"].upper()
    if ":" in ref:
        first, last = ref.split(":")
        (c1, r1), (c2, r2) = coordinate_from_string(first), coordinate_from_string(last)
        if c1 != c2 or r2 < r1:
            raise ValueError("整列填写须为同一列自上而下的区域，如 D6:D20。")
        if r2 - r1 + 1 > MAX_ROWS:
            raise ValueError(f"一列最多{MAX_ROWS}行。")
        group = GROUPS.get(words[2])
        if group is None:
            raise ValueError(f"未知分组“{words[2]}”，可用：乡镇、园区、片区、产业集群。")
        label_column = words[3].upper() if len(words) > 3 else ""
        if not re.fullmatch(r"[A-Z]{1,3}", label_column):
            raise ValueError("整列填写须写明名称所在列，如“B”。")
        return {
            "sheet": sheet,
            "column": c1,
            "rows": f"{r1}-{r2}",
            "label_column": label_column,
            "group": group,
            "indicator": code,
            "field": field_,
            "period": "ytd",
        }
    scope = words[2]
    period = PERIODS.get(words[3]) if len(words) > 3 else (implied_period or "ytd")
    if period is None:
        raise ValueError(f"未知期别“{words[3]}”，可用：累计、当月。")
    return {"sheet": sheet, "cell": ref, "indicator": code, "field": field_, "scope": scope, "period": period}


def check_mapping(entries: list[dict], book) -> None:
    """Every entry's sheet exists and every named unit is a town, park or zone."""
    errors = []
    names = book.sheetnames
    units = set(OrgUnit.objects.filter(kind__in=("town", "park", "zone")).values_list("name", flat=True))
    for n, entry in enumerate(entries, start=1):
        sheet = entry.get("sheet")
        if sheet and sheet not in names:
            errors.append(f"第{n}条：模板中没有工作表“{sheet}”（模板中有：{'、'.join(names)}）。")
        scope = entry.get("scope")
        if scope and scope not in COUNTY_WORDS and scope not in units:
            errors.append(f"第{n}条：找不到范围“{scope}”（应为“全县”或乡镇、园区、片区名称）。")
    if errors:
        raise ValidationError({"mapping": errors})


@dataclass
class Filled:
    content: bytes
    cells: list[dict] = field(default_factory=list)
    unfilled: list[dict] = field(default_factory=list)


def _number(item: indicators.IndicatorValue | None, field_: str) -> Decimal | None:
    if item is None:
        return None
    if field_ in ("value", "base"):
        raw = getattr(item, field_)
        if raw is None:
            return None
        unit = indicators.CATALOGUE[item.code].unit
        return round_half_up(Decimal(raw) / 10000, 2) if unit in ("元", "千瓦时") else raw
    return percent_number(getattr(item, field_))


class _Reader:
    """The figures of one month, read once per scope and per breakdown."""

    def __init__(self, month, county_scope, user) -> None:
        self.month, self.county, self.user = month, county_scope, user
        self.basis = indicators.current_basis()
        self.rows: dict = {}
        self.groups: dict = {}
        self.units = {
            u.name: (u.kind, u.pk)
            for u in OrgUnit.objects.visible_to(user).filter(kind__in=("town", "park", "zone"))
        }

    def scope(self, word: str):
        return self.county if word in COUNTY_WORDS else self.units.get(word)

    def total(self, code: str, scope, period: str):
        if scope not in self.rows:
            self.rows[scope] = indicators.fetch_rows(month=self.month, above_only=True, scope=scope)
        rows = [r for r in self.rows[scope] if r.group_kind == "total"]
        values = indicators.values_from_rows(code, rows, period, self.basis)
        return values[0] if values else None

    def breakdown(self, code: str, group: str, period: str):
        key = (code, group, period)
        if key not in self.groups:
            total, items = indicators.breakdown(
                code, month=self.month, period=period, scope=self.county, group_kind=group, basis=self.basis
            )
            self.groups[key] = (total, {i.label: i for i in items})
        return self.groups[key]


def _write(ws, ref: str, value, cells, unfilled, why_missing: str) -> None:
    where = f"{ws.title}!{ref}"
    cell = ws[ref]
    if type(cell).__name__ == "MergedCell":
        unfilled.append({"ref": where, "reason": "合并单元格的非首格，无法填写"})
        return
    if isinstance(cell.value, str) and cell.value.startswith("="):
        unfilled.append({"ref": where, "reason": "该单元格是模板公式，未覆盖"})
        return
    if isinstance(cell.value, str) and cell.value.strip():
        unfilled.append({"ref": where, "reason": f"该单元格是模板文字“{cell.value.strip()[:20]}”，未覆盖"})
        return
    if value is None:
        unfilled.append({"ref": where, "reason": why_missing})
        return
    cell.value = float(value)
    cells.append({"ref": where, "value": str(value), "text": str(value)})


def fill(content: bytes, entries: list[dict], *, month, county_scope, user) -> Filled:
    book = load_workbook(io.BytesIO(content))
    reader = _Reader(month, county_scope, user)
    cells: list[dict] = []
    unfilled: list[dict] = []
    for entry in entries:
        sheet = entry.get("sheet") or book.sheetnames[0]
        if sheet not in book.sheetnames:
            unfilled.append(
                {
                    "ref": f"{sheet}!{entry.get('cell') or entry.get('column')}",
                    "reason": f"模板中没有工作表“{sheet}”",
                }
            )
            continue
        ws = book[sheet]
        name = indicators.CATALOGUE[entry["indicator"]].name
        if "cell" in entry:
            scope = reader.scope(entry["scope"])
            if scope is None:
                unfilled.append(
                    {"ref": f"{sheet}!{entry['cell']}", "reason": f"无权查看或找不到范围“{entry['scope']}”"}
                )
                continue
            item = reader.total(entry["indicator"], scope, entry.get("period", "ytd"))
            _write(
                ws,
                entry["cell"],
                _number(item, entry["field"]),
                cells,
                unfilled,
                f"{entry['scope']}{name}本月无数据",
            )
            continue
        first, last = (int(x) for x in entry["rows"].split("-"))
        total, by_label = reader.breakdown(entry["indicator"], entry["group"], entry.get("period", "ytd"))
        label_col = column_index_from_string(entry["label_column"])
        for row in range(first, last + 1):
            label = ws.cell(row=row, column=label_col).value
            label = str(label).strip() if label is not None else ""
            ref = f"{entry['column']}{row}"
            if not label:
                unfilled.append({"ref": f"{sheet}!{ref}", "reason": f"{entry['label_column']}{row}没有名称"})
                continue
            item = total if label in COUNTY_WORDS else by_label.get(label)
            if item is None:
                unfilled.append({"ref": f"{sheet}!{ref}", "reason": f"平台中没有名为“{label}”的分组数据"})
                continue
            _write(ws, ref, _number(item, entry["field"]), cells, unfilled, f"“{label}”{name}本月无数据")
    buffer = io.BytesIO()
    book.save(buffer)
    return Filled(buffer.getvalue(), cells, unfilled)
