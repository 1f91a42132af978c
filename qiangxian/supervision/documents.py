"""Word outputs of supervision: the 督办函 and a meeting's progress table."""

from __future__ import annotations

import datetime as dt

from docx.enum.text import WD_ALIGN_PARAGRAPH

from qiangxian.core.word import add_table, chinese_document, landscape, text_width_cm, to_bytes

from .models import Letter, Meeting
from .selectors import latest_report


def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def letter_document(letter: Letter, *, issuer: str = "工业强县领导小组办公室") -> bytes:
    """The 督办函 for an overdue task: what was due, what was reported, what is required by when."""
    task = letter.task
    document = chinese_document(14)
    title = document.add_heading("督 办 函", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph(letter.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{task.lead_unit.name}：")
    source = task.meeting.title if task.meeting else (task.document.title if task.document else "")
    document.add_paragraph(
        f"　　{source + '确定的' if source else ''}督办事项“{task.title}”，完成时限为{_date(task.deadline)}，"
        f"截至{_date(letter.issued_on)}尚未完成，已逾期{(letter.issued_on - task.deadline).days}天。"
    )
    report = latest_report(task)
    if report is not None:
        document.add_paragraph(f"　　贵单位最近一次报送（{report.month:%Y年%m月}）：{report.progress}")
    else:
        document.add_paragraph("　　贵单位尚未报送任何进展。")
    document.add_paragraph(
        f"　　请于{_date(letter.reply_by)}前书面报告未完成原因、下一步措施和完成时间，并加快推进。"
        + (f"责任领导：{task.leader}。" if task.leader else "")
    )
    supporting = "、".join(u.name for u in task.supporting_units.all())
    if supporting:
        document.add_paragraph(f"　　配合单位：{supporting}。")
    sign = document.add_paragraph(f"{issuer}\n{_date(letter.issued_on)}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return to_bytes(document)


PROGRESS_HEADERS = ["序号", "事项", "牵头单位", "配合单位", "完成时限", "状态", "最新进展", "原文"]
PROGRESS_WIDTHS = [1.4, 4, 2, 2, 2.9, 1.5, 5, 5]
TARGET_HEADERS = ["序号", "目标", "责任单位", "完成数", "完成率", "进度", "原文"]
TARGET_WIDTHS = [1.4, 4.5, 2.2, 2, 1.6, 2.6, 6]


def _fit(document, weights: list[float]) -> dict:
    return {"widths_cm": weights, "fit_cm": text_width_cm(document)}


def meeting_document(meeting: Meeting, *, task_rows: list[list[str]], target_rows: list[list[str]]) -> bytes:
    """Everything a meeting decided and where it stands, for the next meeting's material."""
    document = chinese_document(10.5)
    landscape(document)
    title = document.add_heading(f"{meeting.title}议定事项推进情况", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"会议日期：{_date(meeting.held_on)}　　统计日期：{_date(dt.date.today())}")
    document.add_heading("一、目标任务", level=1)
    no_targets = [["", "暂无", "", "", "", "", ""]]
    add_table(document, TARGET_HEADERS, target_rows or no_targets, **_fit(document, TARGET_WIDTHS))
    document.add_heading("二、督办事项", level=1)
    empty = [["", "暂无", "", "", "", "", "", ""]]
    add_table(document, PROGRESS_HEADERS, task_rows or empty, **_fit(document, PROGRESS_WIDTHS))
    return to_bytes(document)
