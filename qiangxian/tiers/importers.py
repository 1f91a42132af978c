"""Assessment values from a spreadsheet: the template, and an all-or-nothing import.

The office collects the figures no statistical return carries (境内研发费用, 知识产权, 市场排名...)
for many enterprises at once. A file with any invalid row changes nothing and lists every error
(row, column, value, reason); a valid file is applied in one transaction through the same
service as the form (so the same checks and history apply). Rows equal to what is stored are
left alone, so re-importing a file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.choices import Role
from qiangxian.core.exports import write_xlsx
from qiangxian.core.sheets import ErrorList, FileRejected, RowError, cell_text, read_single_sheet
from qiangxian.enterprises.models import Enterprise

from . import services
from . import tiers as tier_defs
from .forms import input_unit
from .models import AssessmentValue

SHEET = "评价数据"
HEADERS = ["统一社会信用代码", "企业名称", "指标", "年度", "数值", "数据来源"]
REQUIRED = ("统一社会信用代码", "指标", "年度", "数值")
YES_NO = {"是": Decimal(1), "否": Decimal(0)}
# Who may use the import page (the navigation shows it to them only); each row is then checked
# against the enterprise, as the form is.
IMPORT_ROLES = frozenset({Role.ADMIN, Role.OFFICE, Role.TOWN, Role.PARK})


@dataclass
class AssessmentImport:
    """What an import did: nothing (``errors`` listed) or the counts of what it wrote."""

    errors: list[RowError] = field(default_factory=ErrorList)
    # Rows for a year no rule reads: imported, but they change no judgement.
    warnings: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def write_template(stream) -> None:
    """The template: the header row and a notes sheet listing every indicator with its unit."""
    notes = [
        "每行一条评价数据：统一社会信用代码、指标（名称或标识符）、年度、数值必填；企业名称仅供核对。",
        "数值的单位：金额填万元，比例填百分数（如 3.5 表示 3.5%），是/否类填“是”“否”或 1/0。",
        "统计报表已有的数据以统计数据为准，此处导入的同名数据仅在统计数据缺失时采用。",
        "同一企业、指标、年度已有数据的，导入后改为新值，原值保留在变更记录中。",
        "",
        "“规则读取”是各梯度规则读取该指标的年度（相对评价年度：本年、上年…）；"
        "填在其他年度的数据不会被任何规则使用，导入时会提示。",
        "",
        "可填写的指标（单位；规则读取）：",
    ]
    for indicator in sorted(tier_defs.catalogue().indicators.values(), key=lambda i: i.name):
        label, _ = input_unit(indicator)
        read = tier_defs.read_years_text(indicator.identifier)
        notes.append(f"{indicator.name}（{label}；规则读取{read}） · {indicator.identifier}")
    write_xlsx(stream, sheets=[(SHEET, HEADERS, [])], notes=notes)


def _number(cell, is_bool: bool) -> Decimal:
    if is_bool and cell_text(cell) in YES_NO:
        return YES_NO[cell_text(cell)]
    if isinstance(cell, bool):
        raise InvalidOperation
    if isinstance(cell, float):
        return Decimal(repr(cell))  # calamine's numbers are floats: exact via their text
    if isinstance(cell, int):
        return Decimal(cell)
    return Decimal(cell_text(cell).replace(",", ""))


def import_assessment_values(*, actor, content: bytes, file_name: str) -> AssessmentImport:
    """Validate the whole file, then apply it in one transaction, or change nothing."""
    result = AssessmentImport()
    try:
        sheet = read_single_sheet(content, file_name, expected_sheet=SHEET)
    except FileRejected as rejected:
        result.errors.append(RowError(0, "", file_name, str(rejected)))
        return result
    header = [cell_text(h) for h in (sheet.rows[0] if sheet.rows else [])]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        result.errors.append(RowError(1, "、".join(missing), "", "缺少列，请使用导入模板。"))
        return result
    col = {h: header.index(h) for h in HEADERS if h in header}

    def cell(row: list, name: str):
        index = col.get(name)
        return row[index] if index is not None and index < len(row) else None

    catalogue = tier_defs.catalogue()
    as_of = services.evaluation_date()
    codes = {cell_text(cell(r, "统一社会信用代码")) for r in sheet.rows[1:]} - {""}
    firms = {e.uscc: e for e in Enterprise.objects.visible_to(actor).filter(uscc__in=codes)}
    stored_values = {
        (v.enterprise_id, v.indicator, v.year): v
        for v in AssessmentValue.objects.filter(enterprise__in=list(firms.values()))
    }
    seen: dict[tuple[int, str, str], int] = {}

    with transaction.atomic():
        for r, row in enumerate(sheet.rows[1:], start=2):
            if all(cell_text(c) == "" for c in row):
                continue

            def error(column: str, reason: str, value=None, r=r, row=row) -> None:
                shown = cell_text(cell(row, column)) if value is None else value
                result.errors.append(RowError(r, column, shown, reason))

            empty = [name for name in REQUIRED if cell_text(cell(row, name)) == ""]
            for name in empty:
                error(name, "必填。")
            if empty:
                continue
            enterprise = firms.get(cell_text(cell(row, "统一社会信用代码")))
            if enterprise is None:
                error("统一社会信用代码", "未找到该统一社会信用代码的企业，或您无权查看该企业。")
                continue
            indicator = catalogue.lookup(cell_text(cell(row, "指标")))
            if indicator is None:
                hint = "、".join(catalogue.suggest(cell_text(cell(row, "指标"))))
                error("指标", "指标不在指标目录中" + (f"，是否指：{hint}" if hint else "") + "。")
                continue
            key = (enterprise.pk, indicator.identifier, cell_text(cell(row, "年度")))
            if key in seen:
                error("指标", f"与第{seen[key]}行重复（同一企业、指标、年度）。")
                continue
            seen[key] = r
            try:
                typed = _number(cell(row, "数值"), indicator.is_bool)
            except (InvalidOperation, ValueError):
                hint = "（是/否类可填“是”“否”）" if indicator.is_bool else ""
                error("数值", f"不是有效的数字{hint}。")
                continue
            _, factor = input_unit(indicator)
            value = typed * factor
            note = cell_text(cell(row, "数据来源"))
            try:
                year = int(cell_text(cell(row, "年度")))
            except ValueError:
                error("年度", "年度应为四位年份。")
                continue
            stored = stored_values.get((enterprise.pk, indicator.identifier, year))
            if stored is not None and stored.value == value and stored.source_note == note:
                result.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    services.assessment_value_save(
                        actor=actor,
                        enterprise=enterprise,
                        indicator=indicator.identifier,
                        year=year,
                        value=value,
                        source_note=note,
                    )
            except PermissionDenied as denied:
                error("统一社会信用代码", str(denied))
                continue
            except ValidationError as invalid:
                columns = {"value": "数值", "year": "年度", "indicator": "指标", "source_note": "数据来源"}
                for name, messages in getattr(invalid, "message_dict", {"__all__": invalid.messages}).items():
                    error(columns.get(name, "数值"), "".join(messages))
                continue
            if stored is None:
                result.created += 1
            else:
                result.updated += 1
            warning = tier_defs.year_warning(indicator.identifier, year, as_of)
            if warning:
                result.warnings.append(RowError(r, "年度", str(year), warning))
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result
