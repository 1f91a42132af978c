"""Matching a county's own column headers to registry fields: the usual aliases, or a saved mapping.

Counties keep their enterprise lists in their own shape: "单位名称" for 企业名称, "乡镇（街道）" for
所属乡镇, "是否规上" for the 规上 flag. Headers are compared after dropping spaces, line breaks and
required-marks and unifying full- and half-width brackets, so "用地面积\n(亩)" and "用地面积（亩）"
are one header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Field key -> the template's header (what the review shows for the field).
FIELD_LABELS: dict[str, str] = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "former_names": "曾用名",
    "short_name": "简称",
    "legal_representative": "法定代表人",
    "established_on": "成立日期",
    "registered_address": "注册地址",
    "production_address": "生产地址",
    "town": "所属乡镇",
    "park": "所在园区",
    "zone": "所在片区",
    "industry_code": "行业代码",
    "status": "经营状态",
    "above_scale": "规上企业",
    "scale_month": "入规/退规月份",
    "land_area_mu": "用地面积（亩）",
    "land_tenure": "用地方式",
    "registration_number": "工商注册号",
    "tags": "标签",
}
REQUIRED = ("name", "uscc")
REQUIRED_FOR_NEW = ("town", "industry_code")
IGNORED = ""  # a column read on purpose and not written (序号, 行业名称 derived from the code)

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "企业名称",
        "单位名称",
        "名称",
        "企业(单位)名称",
        "单位详细名称",
        "公司名称",
        "企业全称",
        "单位全称",
    ),
    "uscc": (
        "统一社会信用代码",
        "信用代码",
        "社会信用代码",
        "uscc",
        "统一代码",
        "统一社会信用代码(组织机构代码)",
        "组织机构代码/统一社会信用代码",
        "统一社会信用代码/组织机构代码",
    ),
    "former_names": ("曾用名", "原名称", "曾用名称"),
    "short_name": ("简称", "企业简称", "单位简称"),
    "legal_representative": ("法定代表人", "法人代表", "法人", "法定代表人(负责人)", "单位负责人", "负责人"),
    "established_on": (
        "成立日期",
        "成立时间",
        "注册日期",
        "开业时间",
        "开业(成立)时间",
        "开业日期",
        "成立年月",
    ),
    "registered_address": (
        "注册地址",
        "住所",
        "注册地",
        "单位地址",
        "详细地址",
        "企业地址",
        "住所(注册地址)",
    ),
    "production_address": ("生产地址", "生产经营地址", "经营地址", "实际生产地址", "生产经营地"),
    "town": (
        "所属乡镇",
        "乡镇",
        "乡镇(街道)",
        "乡镇街道",
        "所在乡镇",
        "乡镇/街道",
        "街道",
        "所在乡镇(街道)",
        "属地",
    ),
    "park": ("所在园区", "园区", "所属园区", "所在园区名称"),
    "zone": ("所在片区", "片区", "所属片区", "园区片区"),
    "industry_code": (
        "行业代码",
        "国民经济行业代码",
        "行业小类代码",
        "国民经济行业分类代码",
        "行业分类代码",
        "国民经济行业分类",
        "行业代码(小类)",
        "国标行业代码",
    ),
    "status": ("经营状态", "营业状态", "企业状态", "运营状态", "登记状态", "生产经营状态"),
    "above_scale": (
        "规上企业",
        "是否规上",
        "是否规上企业",
        "规模以上",
        "是否规模以上",
        "是否规模以上工业企业",
        "规上/规下",
        "规模",
        "是否规上工业企业",
        "企业规模(规上/规下)",
    ),
    "scale_month": (
        "入规/退规月份",
        "入规月份",
        "入规年月",
        "入规时间",
        "纳统月份",
        "纳入规上月份",
        "退规月份",
    ),
    "land_area_mu": ("用地面积(亩)", "用地面积", "占地面积(亩)", "占地面积", "用地(亩)", "土地面积(亩)"),
    "land_tenure": ("用地方式", "用地类型", "土地使用方式"),
    "registration_number": ("工商注册号", "注册号", "营业执照注册号"),
    "tags": ("标签", "企业标签"),
    IGNORED: ("序号", "编号", "行业名称", "行业小类名称", "国民经济行业名称", "行业门类"),
}
_NOISE = re.compile(r"[\s*＊:：]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "／": "/"})


def normalize(header: str) -> str:
    """A header as compared: no spaces, line breaks or required-marks; half-width brackets; lower case."""
    return _NOISE.sub("", str(header).translate(_BRACKETS)).lower()


ALIASES: dict[str, str] = {normalize(a): key for key, names in _ALIASES.items() for a in names}


@dataclass
class ColumnMatch:
    """One column of the uploaded sheet and the field it feeds (``IGNORED`` or ``None``: not read)."""

    index: int
    header: str
    field: str | None  # None: not recognised and not mapped (ignored, shown in the review)
    source: str  # "auto" (an alias), "mapping" (saved or chosen in the review), "unknown"

    @property
    def label(self) -> str:
        if self.field is None or self.field == IGNORED:
            return "（不导入）"
        return FIELD_LABELS[self.field]


def match_columns(header: list[str], mapping: dict[str, str] | None = None) -> list[ColumnMatch]:
    """Each non-empty header with its field: the mapping chosen by the user first, then the aliases."""
    mapping = mapping or {}
    result = []
    for index, text in enumerate(header):
        if not text:
            continue
        key = normalize(text)
        if key in mapping and (mapping[key] in FIELD_LABELS or mapping[key] == IGNORED):
            result.append(ColumnMatch(index, text, mapping[key], "mapping"))
        elif key in ALIASES:
            result.append(ColumnMatch(index, text, ALIASES[key], "auto"))
        else:
            result.append(ColumnMatch(index, text, None, "unknown"))
    return result


def is_known(text: str, mapping: dict[str, str] | None = None) -> bool:
    """Whether a cell reads as a registry header (for finding the header row under a title)."""
    key = normalize(text)
    return bool(key) and (key in ALIASES or key in (mapping or {}))


_YES = {"是", "√", "✓", "✔", "1", "y", "yes", "true", "规上", "规模以上", "规上企业", "是规上"}
_NO = {"否", "×", "✗", "✘", "0", "n", "no", "false", "规下", "规模以下", "规下企业", "非规上", "不是"}


def parse_flag(text: str) -> bool | None:
    """A 规上 cell: 是/否, √/×, 1/0, 规上/规下, Y/N; blank is "not stated". ValueError otherwise."""
    value = normalize(text)
    if value == "":
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError("应填“是”或“否”（也可填 √/×、1/0、规上/规下）")
