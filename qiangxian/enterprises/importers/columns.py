"""The registry spreadsheet's columns: one set for the template, the list export and the import.

Because the list's export writes exactly the columns the import reads, an exported list imported
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..choices import LandTenure, OperatingStatus
from ..industry import get_industry
from ..models import Enterprise

SHEET_NAME = "企业名录"
MAX_ROWS = 100_000


@dataclass(frozen=True)
class RegistryColumn:
    header: str
    field: str  # model field written on import; "" for read-only columns
    export: Callable[[Enterprise], object]
    note: str
    required: bool = False


def _name(unit) -> str:
    return unit.name if unit else ""


def _industry_name(code: str) -> str:
    node = get_industry(code)
    return node.name if node else ""


COLUMNS: list[RegistryColumn] = [
    RegistryColumn("企业名称", "name", lambda e: e.name, "必填，最长200字", required=True),
    RegistryColumn(
        "统一社会信用代码",
        "uscc",
        lambda e: e.uscc,
        "18位，按 GB 32100-2015 校验；按此代码新增或更新",
        required=True,
    ),
    RegistryColumn("曾用名", "former_names", lambda e: e.former_names, "可填多个，用“；”分隔"),
    RegistryColumn("简称", "short_name", lambda e: e.short_name, "最长50字"),
    RegistryColumn("法定代表人", "legal_representative", lambda e: e.legal_representative, ""),
    RegistryColumn("成立日期", "established_on", lambda e: e.established_on, "日期，如 2015-06-01"),
    RegistryColumn("注册地址", "registered_address", lambda e: e.registered_address, ""),
    RegistryColumn("生产地址", "production_address", lambda e: e.production_address, ""),
    RegistryColumn(
        "所属乡镇", "town", lambda e: _name(e.town), "必填，填平台中的乡镇/街道名称", required=True
    ),
    RegistryColumn("所在园区", "park", lambda e: _name(e.park), "可空，填平台中的园区名称"),
    RegistryColumn("所在片区", "zone", lambda e: _name(e.zone), "可空，须属于所填园区"),
    RegistryColumn(
        "行业代码",
        "industry_code",
        lambda e: e.industry_code,
        "必填，GB/T 4754-2017 四位小类代码，如 1952",
        required=True,
    ),
    RegistryColumn(
        "行业名称", "", lambda e: _industry_name(e.industry_code), "只读，由行业代码带出，导入时忽略"
    ),
    RegistryColumn(
        "经营状态",
        "status",
        lambda e: e.get_status_display(),
        "可空（默认在营），可填：" + "、".join(OperatingStatus.labels),
    ),
    RegistryColumn(
        "规上企业",
        "above_scale",
        lambda e: "是" if e.above_scale else "否",
        "是/否（也可填 √/×、1/0、规上/规下），空着表示不变；与平台不同的企业按上传时选择的月份"
        "（或“入规月份”列）登记入规或退规",
    ),
    RegistryColumn(
        "用地面积（亩）", "land_area_mu", lambda e: e.land_area_mu, "单位：亩，数字，最多两位小数"
    ),
    RegistryColumn(
        "用地方式",
        "land_tenure",
        lambda e: e.get_land_tenure_display(),
        "可空（默认无），可填：" + "、".join(LandTenure.labels),
    ),
    RegistryColumn(
        "工商注册号", "registration_number", lambda e: e.registration_number, "可空，三证合一前的15位注册号"
    ),
    RegistryColumn("标签", "tags", lambda e: e.tags, "可填多个，用“；”分隔"),
]
HEADERS = [c.header for c in COLUMNS]
WRITTEN_FIELDS = [c.field for c in COLUMNS if c.field]
# Model attribute per written field (places are compared and stored by id).
_ATTR = {"town": "town_id", "park": "park_id", "zone": "zone_id"}
STATUS_BY_LABEL = {label: value for value, label in OperatingStatus.choices}
TENURE_BY_LABEL = {label: value for value, label in LandTenure.choices}


# Sort keys shared with the list page, so an export keeps the order the user chose there.
_SORT = {
    "name": ("name", "name"),
    "uscc": ("uscc", "uscc"),
    "town": ("town", "town__name"),
    "park": ("park", "park__name"),
    "industry_code": ("industry_code", "industry_code"),
    "status": ("status", "status"),
    "above_scale": ("above_scale", "above_scale"),
    "established_on": ("established_on", "established_on"),
}


def list_columns():
    """The registry columns as the shared list export's columns (same headers, same order)."""
    from qiangxian.core.lists import Column

    result = []
    for index, column in enumerate(COLUMNS):
        key, sort = _SORT.get(column.field or "", (f"col{index}", None))
        if column.header == "规上企业":
            key, sort = _SORT["above_scale"]
        result.append(Column(key, column.header, sort=sort, value=column.export))
    return result


def notes() -> list[str]:
    """The 说明 sheet: what each column holds, its unit and allowed values."""
    lines = [
        "企业名录导入说明",
        "",
        "1. 只导入第一张工作表；表头上方可以有标题行，表头下每行一户企业，合计、小计行和空行自动跳过。"
        "也可导入 .xls 和 .csv（UTF-8 或 GBK/GB18030 编码）。",
        "   列名可用常见写法（如“单位名称”“乡镇（街道）”“是否规上”“国民经济行业代码”），"
        "除企业名称、统一社会信用代码外的列都可以没有；没有的列不修改平台中的内容。",
        "2. 按统一社会信用代码匹配：平台中没有的新增，已有的按表中内容更新；内容无变化的行不做任何修改。",
        "3. 整个文件先全部校验，任何一行有错都不会导入，并列出每个错误的行号、列名、填写值和原因。",
        "4. 表头和数据行不要合并单元格、不要使用公式（请粘贴为数值）、不要增加其他工作表；"
        "文件大小有上限（默认 50 MB）。",
        "5. 导入后可在“导入记录”中整批撤销。",
        "",
        "各列说明：",
    ]
    for column in COLUMNS:
        flag = "（必填）" if column.required else ""
        lines.append(f"· {column.header}{flag}：{column.note or '文本'}")
    return lines


def export_rows(queryset) -> Iterable[list]:
    """Rows of the registry export for a (scoped, filtered) queryset, in the import's column order."""
    for enterprise in queryset.select_related("town", "park", "zone").iterator(chunk_size=2000):
        yield [column.export(enterprise) for column in COLUMNS]


def write_registry(stream, queryset=None) -> int:
    """The template (queryset None) or an export: the data sheet plus the 说明 sheet."""
    from qiangxian.core.exports import write_xlsx

    rows = export_rows(queryset) if queryset is not None else []
    return write_xlsx(stream, sheets=[(SHEET_NAME, HEADERS, rows)], notes=notes())
