"""A cultivation plan as a Word document (一企一策), with Chinese fonts set for East Asian text."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from qiangxian.core.formatting import format_money
from qiangxian.core.word import add_table, chinese_document, to_bytes

from .models import CultivationPlan


def plan_document(plan: CultivationPlan) -> bytes:
    """The plan as a .docx: target, baseline, measures, milestones and reviews."""
    document = chinese_document(11)
    enterprise = plan.enterprise
    title = document.add_heading(f"{enterprise.name}“一企一策”培育计划", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"培育目标：{plan.target_year}年 {plan.get_target_tier_display()}　　"
        f"状态：{plan.get_status_display()}"
    )
    document.add_paragraph(
        f"统一社会信用代码：{enterprise.uscc}　　所属乡镇：{enterprise.town}　　"
        f"行业：{enterprise.industry_label}"
    )
    liaisons = "、".join(
        f"{a.user}（{a.get_role_display()}）" for a in enterprise.liaisons.select_related("user")
    )
    document.add_paragraph(f"包联人员：{liaisons or '未安排'}")

    document.add_heading("一、基本情况（基数）", level=1)
    add_table(
        document,
        ["项目", "数值"],
        [
            ["基数年度", f"{plan.baseline_year}年" if plan.baseline_year else "—"],
            ["营业收入", format_money(plan.baseline_revenue)],
            ["研发费用", format_money(plan.baseline_rd_expense)],
            ["从业人员", f"{plan.baseline_employees}人" if plan.baseline_employees is not None else "—"],
            ["Ⅰ类知识产权", f"{plan.baseline_ip_count}件" if plan.baseline_ip_count is not None else "—"],
        ],
    )
    if plan.summary:
        document.add_heading("二、培育思路", level=1)
        document.add_paragraph(plan.summary)
    document.add_heading("三、培育措施", level=1)
    measures = list(plan.measures.select_related("responsible_unit"))
    add_table(
        document,
        ["序号", "措施内容", "责任单位", "完成时限", "状态", "进展情况"],
        [
            [
                str(i),
                m.content,
                str(m.responsible_unit or "—"),
                f"{m.deadline:%Y-%m-%d}" if m.deadline else "—",
                m.get_status_display() + ("（逾期）" if m.is_overdue else ""),
                m.progress_notes or "—",
            ]
            for i, m in enumerate(measures, start=1)
        ]
        or [["—", "暂无措施", "", "", "", ""]],
    )
    document.add_heading("四、关键节点", level=1)
    milestones = list(plan.milestones.all())
    add_table(
        document,
        ["节点", "计划时间", "实际达成"],
        [
            [m.title, f"{m.due_on:%Y-%m-%d}", f"{m.achieved_on:%Y-%m-%d}" if m.achieved_on else "未达成"]
            for m in milestones
        ]
        or [["暂无节点", "", ""]],
    )
    document.add_heading("五、定期评估", level=1)
    reviews = list(plan.reviews.select_related("reviewer"))
    add_table(
        document,
        ["评估期", "评估日期", "结论", "意见", "评估人"],
        [
            [
                r.period,
                f"{r.reviewed_on:%Y-%m-%d}",
                r.get_rating_display(),
                r.conclusion or "—",
                str(r.reviewer or "—"),
            ]
            for r in reviews
        ]
        or [["暂无评估", "", "", "", ""]],
    )
    return to_bytes(document)
