"""Chains from spreadsheets: the links of a chain and the leading firms' purchases.

Both imports are all-or-nothing: the whole file is checked through the same services as the
forms (same messages, same history) inside one transaction, which is rolled back if any row is
wrong, and every error is listed with its row, column and value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.exports import write_xlsx
from qiangxian.core.formatting import WAN
from qiangxian.core.sheets import (
    ErrorList,
    FileRejected,
    RowError,
    cell_text,
    is_total_row,
    read_single_sheet,
)

from . import services
from .choices import Segment
from .models import LIST_SEPARATOR, Chain, ChainLeader, ChainLink, Purchase

LINK_SHEET = "产业链环节"
LINK_HEADERS = [
    "环节位置",
    "环节名称",
    "环节说明",
    "行业小类",
    "产品关键词",
    "典型亩均投资（万元/亩）",
    "典型亩均产值（万元/亩）",
    "排序",
]
LINK_REQUIRED = ("环节位置", "环节名称")
PURCHASE_SHEET = "链主采购"
PURCHASE_HEADERS = [
    "链主企业统一社会信用代码",
    "链主企业名称",
    "环节名称",
    "年度",
    "采购产品",
    "年采购额（万元）",
    "是否县内采购",
    "主要供应商",
    "供应商所在地",
]
PURCHASE_REQUIRED = (
    "链主企业统一社会信用代码",
    "环节名称",
    "年度",
    "采购产品",
    "年采购额（万元）",
    "是否县内采购",
)
SEGMENTS = {label: value for value, label in Segment.choices}
YES_NO = {"是": True, "否": False}
FIELD_COLUMNS = {
    "segment": "环节位置",
    "name": "环节名称",
    "description": "环节说明",
    "industry_codes": "行业小类",
    "product_keywords": "产品关键词",
    "investment_per_mu": "典型亩均投资（万元/亩）",
    "output_per_mu": "典型亩均产值（万元/亩）",
    "leader": "链主企业统一社会信用代码",
    "link": "环节名称",
    "year": "年度",
    "product": "采购产品",
    "amount": "年采购额（万元）",
}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=ErrorList)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _wan(cell) -> Decimal | None:
    text = cell_text(cell).replace(",", "")
    if text == "":
        return None
    if isinstance(cell, bool):
        raise InvalidOperation
    number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(text)
    if not number.is_finite() or number < 0:
        raise InvalidOperation
    return number * WAN


def _run(
    *, actor, content: bytes, file_name: str, sheet_name: str, headers, required, apply_row: Callable
) -> ImportResult:
    """Read the sheet, hand each row (as a dict by header) to ``apply_row``; roll back if any row failed."""
    result = ImportResult()
    if not services.can_set_up(actor):
        result.errors.append(RowError(0, "", file_name, "只有领导小组办公室和系统管理员可以导入。"))
        return result
    try:
        sheet = read_single_sheet(content, file_name, expected_sheet=sheet_name)
    except FileRejected as rejected:
        result.errors.append(RowError(0, "", file_name, str(rejected)))
        return result
    header = [cell_text(h) for h in (sheet.rows[0] if sheet.rows else [])]
    missing = [h for h in required if h not in header]
    if missing:
        result.errors.append(RowError(1, "、".join(missing), "", "缺少列，请使用导入模板。"))
        return result
    index = {h: header.index(h) for h in headers if h in header}
    with transaction.atomic():
        for r, raw in enumerate(sheet.rows[1:], start=2):
            if all(cell_text(c) == "" for c in raw) or is_total_row(raw):
                continue
            row = {h: (raw[i] if i < len(raw) else None) for h, i in index.items()}
            empty = [h for h in required if cell_text(row.get(h)) == ""]
            for h in empty:
                result.errors.append(RowError(r, h, "", "必填。"))
            if empty:
                continue
            try:
                with transaction.atomic():
                    created = apply_row(row)
            except _CellError as bad:
                result.errors.append(RowError(r, bad.column, cell_text(row.get(bad.column)), bad.reason))
                continue
            except (ValidationError, PermissionDenied) as refused:
                messages = getattr(refused, "message_dict", None) or {
                    "__all__": getattr(refused, "messages", [str(refused)])
                }
                for name, texts in messages.items():
                    column = FIELD_COLUMNS.get(name, "")
                    result.errors.append(RowError(r, column, cell_text(row.get(column)), "".join(texts)))
                continue
            if created:
                result.created += 1
            else:
                result.updated += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = 0
    return result


class _CellError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _amount(row, column):
    try:
        return _wan(row.get(column))
    except (InvalidOperation, ValueError) as exc:
        raise _CellError(column, "应为不小于 0 的数字（万元）。") from exc


def import_links(*, actor, chain: Chain, content: bytes, file_name: str) -> ImportResult:
    """Create or update the chain's links by name from the template's rows."""
    existing = {link.name: link for link in chain.links.all()}

    def apply_row(row) -> bool:
        segment = SEGMENTS.get(cell_text(row["环节位置"]))
        if segment is None:
            raise _CellError("环节位置", "应为“上游”“中游”或“下游”。")
        name = cell_text(row["环节名称"])
        order = cell_text(row.get("排序"))
        if order and not order.isdigit():
            raise _CellError("排序", "应为不小于 0 的整数。")
        link = existing.get(name)
        services.link_save(
            actor=actor,
            chain=chain,
            link=link,
            segment=segment,
            name=name,
            description=cell_text(row.get("环节说明")),
            industry_codes=cell_text(row.get("行业小类")),
            product_keywords=cell_text(row.get("产品关键词")),
            investment_per_mu=_amount(row, "典型亩均投资（万元/亩）"),
            output_per_mu=_amount(row, "典型亩均产值（万元/亩）"),
            sort_order=int(order or 0),
        )
        return link is None

    return _run(
        actor=actor,
        content=content,
        file_name=file_name,
        sheet_name=LINK_SHEET,
        headers=LINK_HEADERS,
        required=LINK_REQUIRED,
        apply_row=apply_row,
    )


def _money_wan(amount):
    return None if amount is None else amount / WAN


def link_rows(chain: Chain) -> list[list]:
    """The chain's links as template rows: what the export writes and the import reads back."""
    return [
        [
            link.get_segment_display(),
            link.name,
            link.description,
            LIST_SEPARATOR.join(link.industry_codes),
            LIST_SEPARATOR.join(link.product_keywords),
            _money_wan(link.investment_per_mu),
            _money_wan(link.output_per_mu),
            link.sort_order,
        ]
        for link in chain.links.all()
    ]


def write_links(stream, chain: Chain | None = None) -> None:
    """The link template (empty) or the chain's links, in the same columns the import reads."""
    notes = [
        "每行一个环节：环节位置（上游/中游/下游）和环节名称必填；同名环节导入时更新，新名称新增。",
        "行业小类填 GB/T 4754-2017 四位代码，多个用“；”分隔；产品关键词多个用“；”分隔。",
        "金额单位为万元/亩。文件有任何一行错误时不导入任何内容，并列出全部错误。",
    ]
    write_xlsx(stream, sheets=[(LINK_SHEET, LINK_HEADERS, link_rows(chain) if chain else [])], notes=notes)


def import_purchases(*, actor, chain: Chain, content: bytes, file_name: str) -> ImportResult:
    """The leading firms' main purchases (the survey collected by spreadsheet), created or updated."""
    leaders = {leader.enterprise.uscc: leader for leader in chain.leaders.select_related("enterprise")}
    links = {link.name: link for link in chain.links.all()}

    def apply_row(row) -> bool:
        leader = leaders.get(cell_text(row["链主企业统一社会信用代码"]))
        if leader is None:
            raise _CellError("链主企业统一社会信用代码", "该企业尚未标记为本产业链的链主企业。")
        link = links.get(cell_text(row["环节名称"]))
        if link is None:
            raise _CellError("环节名称", "本产业链没有该环节。")
        year = cell_text(row["年度"])
        if not year.isdigit():
            raise _CellError("年度", "应为四位年份。")
        local = YES_NO.get(cell_text(row["是否县内采购"]))
        if local is None:
            raise _CellError("是否县内采购", "应为“是”或“否”。")
        product = cell_text(row["采购产品"])
        stored = Purchase.objects.filter(leader=leader, link=link, year=int(year), product=product).first()
        services.purchase_save(
            actor=actor,
            leader=leader,
            link=link,
            year=int(year),
            product=product,
            amount=_amount(row, "年采购额（万元）"),
            local=local,
            supplier=cell_text(row.get("主要供应商")),
            supplier_place=cell_text(row.get("供应商所在地")),
            purchase=stored,
        )
        return stored is None

    return _run(
        actor=actor,
        content=content,
        file_name=file_name,
        sheet_name=PURCHASE_SHEET,
        headers=PURCHASE_HEADERS,
        required=PURCHASE_REQUIRED,
        apply_row=apply_row,
    )


def write_purchase_template(stream, leaders: list[ChainLeader], links: list[ChainLink]) -> None:
    notes = [
        "每行一项链主企业的主要采购：统一社会信用代码、环节名称、年度、采购产品、年采购额（万元）、是否县内采购必填。",
        "链主企业须先在“链主企业”页标记；环节名称须与本产业链的环节一致："
        + "、".join(link.name for link in links),
        "同一链主、环节、年度、产品已登记的，导入后改为新值，原值保留在变更记录中。",
    ]
    rows = [
        [leader.enterprise.uscc, leader.enterprise.name, "", "", "", "", "", "", ""] for leader in leaders
    ]
    write_xlsx(stream, sheets=[(PURCHASE_SHEET, PURCHASE_HEADERS, rows)], notes=notes)
