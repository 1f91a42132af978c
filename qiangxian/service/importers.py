"""The 12345 hotline list import: every row valid, or nothing is saved.

The county receives the enterprise-related work orders of the 12345 line as an .xlsx/.xls/.csv
list (a title row above the header is fine, 合计 rows are skipped). Each row becomes a demand on
the channel 12345热线 and is routed by the office's rules like any other. A work order number
already imported is skipped, so importing the same list again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.sheets import (
    ErrorList,
    FileRejected,
    RowError,
    cell_text,
    find_header_row,
    is_total_row,
    read_table,
)
from qiangxian.enterprises.models import Enterprise

from .choices import Channel, DemandCategory
from .models import Demand
from .services import demand_create

SHEET = "12345工单"
HEADERS = [
    "工单号",
    "受理时间",
    "企业名称",
    "统一社会信用代码",
    "诉求类别",
    "诉求内容",
    "详细描述",
    "联系人",
    "联系电话",
]
REQUIRED = ["工单号", "诉求类别", "诉求内容"]
ALIASES = {
    "工单编号": "工单号",
    "来电时间": "受理时间",
    "类别": "诉求类别",
    "标题": "诉求内容",
    "内容": "详细描述",
}
CATEGORY_BY_LABEL = {label: value for value, label in DemandCategory.choices}
TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class HotlineImport:
    created: list[Demand] = field(default_factory=list)
    skipped: int = 0
    errors: ErrorList = field(default_factory=ErrorList)

    @property
    def ok(self) -> bool:
        return not self.errors


def _column(name: str) -> str:
    return ALIASES.get(name, name)


def _when(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9), tzinfo=TZ)
    text = cell_text(value)
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=TZ)
        except ValueError:
            continue
    return None


def import_hotline(*, actor, content: bytes, file_name: str) -> HotlineImport:
    """Check the whole list, then create its demands in one transaction, or change nothing."""
    if not actor.can_manage:
        raise PermissionDenied("只有领导小组办公室可以导入12345工单。")
    result = HotlineImport()
    try:
        sheet = read_table(content, file_name, expected_sheet=SHEET)
    except FileRejected as rejected:
        result.errors.append(RowError(0, "", file_name, str(rejected)))
        return result
    start = find_header_row(sheet.rows, lambda text: _column(text) in HEADERS)
    header = [_column(cell_text(h)) for h in sheet.rows[start]]
    missing = [h for h in REQUIRED if h not in header]
    if "企业名称" not in header and "统一社会信用代码" not in header:
        missing.append("企业名称或统一社会信用代码")
    if missing:
        result.errors.append(RowError(start + 1, "、".join(missing), "", "缺少列，请使用导入模板。"))
        return result
    col = {h: header.index(h) for h in HEADERS if h in header}

    def cell(row, name):
        index = col.get(name)
        return row[index] if index is not None and index < len(row) else None

    visible = Enterprise.objects.visible_to(actor)
    by_code = dict(visible.values_list("uscc", "pk"))
    by_name = dict(visible.values_list("name", "pk"))
    done = set(
        Demand.objects.filter(channel=Channel.HOTLINE)
        .exclude(external_no="")
        .values_list("external_no", flat=True)
    )
    seen: dict[str, int] = {}
    with transaction.atomic():
        for r, row in enumerate(sheet.rows[start + 1 :], start=start + 2):
            if all(cell_text(c) == "" for c in row) or is_total_row(row):
                continue

            def error(column, reason, r=r, row=row):
                result.errors.append(RowError(r, column, cell_text(cell(row, column)), reason))

            empty = [name for name in REQUIRED if cell_text(cell(row, name)) == ""]
            for name in empty:
                error(name, "必填。")
            if empty:
                continue
            number = cell_text(cell(row, "工单号"))[:40]
            if number in seen:
                error("工单号", f"与第{seen[number]}行重复。")
                continue
            seen[number] = r
            if number in done:
                result.skipped += 1
                continue
            code, name = cell_text(cell(row, "统一社会信用代码")).upper(), cell_text(cell(row, "企业名称"))
            enterprise_id = by_code.get(code) if code else by_name.get(name)
            if enterprise_id is None:
                column = "统一社会信用代码" if code else "企业名称"
                error(
                    column, "名录中没有这家企业（或不在您的权限范围内），请先核对企业名称或统一社会信用代码。"
                )
                continue
            category = CATEGORY_BY_LABEL.get(cell_text(cell(row, "诉求类别")))
            if category is None:
                error("诉求类别", f"应为以下之一：{'、'.join(CATEGORY_BY_LABEL)}。")
                continue
            raw_time = cell(row, "受理时间")
            when = _when(raw_time) if cell_text(raw_time) else None
            if cell_text(raw_time) and when is None:
                error("受理时间", "应为日期时间，如 2026-05-31 09:30。")
                continue
            try:
                with transaction.atomic():
                    demand = demand_create(
                        actor=actor,
                        enterprise=Enterprise.objects.get(pk=enterprise_id),
                        category=category,
                        title=cell_text(cell(row, "诉求内容")),
                        description=cell_text(cell(row, "详细描述")),
                        channel=Channel.HOTLINE,
                        external_no=number,
                        contact_name=cell_text(cell(row, "联系人")),
                        contact_phone=cell_text(cell(row, "联系电话")),
                        at=when,
                    )
            except ValidationError as invalid:
                for messages in getattr(invalid, "message_dict", {"": invalid.messages}).values():
                    error("诉求内容", "".join(messages))
                continue
            result.created.append(demand)
        if result.errors:
            transaction.set_rollback(True)
            result.created = []
            result.skipped = 0
    return result


def write_template(stream) -> None:
    """The .xlsx template of the 12345 list, with one example row."""
    from qiangxian.core.exports import write_xlsx

    example = [
        "12345-20260506-0001",
        "2026-05-06 09:30",
        "某某鞋业有限公司",
        "",
        "用工",
        "招不到熟练缝纫工",
        "",
        "张经理",
        "",
    ]
    write_xlsx(
        stream,
        sheets=[(SHEET, HEADERS, [example])],
        notes=[
            "每行一张工单；企业名称或统一社会信用代码至少填一项，须与企业名录一致。",
            f"诉求类别应为：{'、'.join(CATEGORY_BY_LABEL)}。",
            "整个文件先全部校验，有任何错误都不会导入；已导入过的工单号自动跳过。",
        ],
    )
