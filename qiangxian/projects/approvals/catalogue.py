# ruff: noqa: E501
"""The built-in kinds of approvals and connections and the three checklist templates.

Limits are in working days. Statutory limits follow the national rules as commonly applied in
工程建设项目审批 (e.g. 施工许可 7 days after the file is complete, 环评 报告书 60 days); promised
limits are the county's own commitments and can be changed by the office on the kinds page.
``aliases`` are the names the provincial approval system uses in its exports.
"""

from __future__ import annotations

from ..choices import ApprovalCategory, ProjectKind

A, U = ApprovalCategory.APPROVAL, ApprovalCategory.UTILITY

# code, name, category, default unit, statutory, promised, phase, regional, aliases
# fmt: off
KINDS = [
    ("site", "选址意见/规划条件", A, "自然资源局", 20, 5, 1, False, "建设项目用地预审与选址意见书核发；规划条件核发；选址意见书"),
    ("filing", "立项（审批/核准/备案）", A, "发改局", 20, 3, 1, False, "企业投资项目备案；企业投资项目核准；政府投资项目审批；项目备案"),
    ("land", "用地预审与供地（出让合同）", A, "自然资源局", 20, 10, 2, False, "建设项目用地预审；国有建设用地使用权出让；供地"),
    ("eia", "环评", A, "生态环境分局", 60, 15, 2, True, "建设项目环境影响评价文件审批；环境影响评价审批；环评审批"),
    ("energy", "能评", A, "发改局", 20, 7, 2, True, "固定资产投资项目节能审查；节能审查"),
    ("safety", "安评", A, "应急管理局", 20, 10, 2, True, "建设项目安全条件审查；安全评价；安全预评价"),
    ("soil", "水土保持", A, "水利局", 20, 7, 2, True, "生产建设项目水土保持方案审批；水土保持方案审批"),
    ("geohazard", "地灾评估", A, "自然资源局", 20, 5, 2, True, "地质灾害危险性评估；地质灾害危险性评估备案"),
    ("planning", "规划许可", A, "自然资源局", 20, 7, 3, False, "建设工程规划许可证核发；建设工程规划许可"),
    ("drawings", "施工图审查", A, "住建局", 20, 10, 4, False, "施工图设计文件审查；施工图审查"),
    ("permit", "施工许可", A, "住建局", 7, 3, 5, False, "建筑工程施工许可证核发；施工许可证核发；建筑工程施工许可"),
    ("power", "供电", U, "供电公司", 30, 15, 2, False, "高压用电报装；低压用电报装；用电报装"),
    ("water", "供水", U, "自来水公司", 20, 7, 2, False, "用水报装；供水报装"),
    ("gas", "供气", U, "燃气公司", 20, 7, 2, False, "用气报装；燃气报装"),
    ("sewer", "排污", U, "住建局", 20, 7, 2, False, "城镇污水排入排水管网许可；排水许可"),
    ("telecom", "通信", U, "电信公司", 15, 5, 2, False, "通信报装；宽带专线报装"),
]

TEMPLATES = {
    ProjectKind.NEW_BUILD: [
        "site", "filing", "land", "eia", "energy", "safety", "soil", "geohazard",
        "power", "water", "gas", "sewer", "telecom", "planning", "drawings", "permit",
    ],
    ProjectKind.UPGRADE: ["filing", "eia", "energy", "safety", "power", "gas", "planning", "drawings", "permit"],
    ProjectKind.STANDARD_BUILDING: ["filing", "eia", "energy", "safety", "power", "water", "gas", "sewer", "telecom"],
}
# fmt: on
