"""Benchmark: the reports module on the demo county (1,500 enterprises).

Prints ``BENCH reports.monthly_docx <s> s``: the county's monthly analysis with its charts,
figures read, .docx written and archived (median of 3); and ``BENCH reports.template_fill <ms>
ms``: a 200-cell upward template (cells and town columns) filled from the month's figures.
``QX_BENCH_REPORT_OUT`` names a file to keep the generated .docx in (to look at its pages).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import median_time, report, setup


def template_bytes(towns: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet["A1"] = "规模以上工业主要指标"
    for r, name in enumerate(towns, start=6):
        sheet[f"B{r}"] = name
    last = 5 + len(towns)
    sheet[f"B{last + 1}"] = "合计"
    sheet[f"C{last + 2}"] = f"=SUM(C6:C{last})"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def mapping(n_towns: int, cells: int = 200) -> str:
    """Columns over the towns (value, growth, share, pull, base) and single cells up to ``cells``."""
    lines = []
    count = 0
    last = 5 + n_towns
    for column, field in zip(
        "CDEFGHIJ", ["值", "增速", "占比", "拉动", "上年同期", "值", "增速", "拉动"], strict=True
    ):
        indicator = "工业总产值" if column < "H" else "主营业务收入"
        lines.append(f"表1!{column}6:{column}{last + 1} = {indicator} {field} 乡镇 B")
        count += n_towns + 1
    codes = ["gross_output", "main_revenue", "profit", "tax_paid", "electricity_kwh", "rd_expense"]
    row = last + 4
    while count < cells:
        code = codes[count % len(codes)]
        field = ["值", "增速", "上年同期"][count % 3]
        lines.append(f"表1!K{row} = {code} {field} 全县 {'当月' if count % 2 else '累计'}")
        row += 1
        count += 1
    return "\n".join(lines)


def main() -> None:
    setup(name="reports")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qiangxian.core.models import OrgUnit
    from qiangxian.demo.generator import generate_demo
    from qiangxian.reports import services
    from qiangxian.statistics import selectors

    ctx = generate_demo(seed=20260101, enterprises=1500, password="Bench-pass-2026")
    office = ctx.users["office"]
    month = selectors.latest_month()
    scope = selectors.aggregate_scope(office)
    services.generate_monthly(actor=office, month=month, scope=scope)  # warm: fonts, imports
    seconds = median_time(lambda: services.generate_monthly(actor=office, month=month, scope=scope), repeat=3)
    report("reports.monthly_docx", seconds, "s")
    out = os.environ.get("QX_BENCH_REPORT_OUT")
    if out:
        latest = services.GeneratedReport.objects.filter(kind="monthly").order_by("-pk").first()
        with latest.file.open("rb") as handle:
            Path(out).write_bytes(handle.read())
        meeting = services.generate_meeting(actor=office, month=month, scope=scope)
        with meeting.file.open("rb") as handle:
            Path(out).with_name("meeting.docx").write_bytes(handle.read())
    towns = list(OrgUnit.objects.filter(kind="town").order_by("pk").values_list("name", flat=True))
    upload = SimpleUploadedFile("市统计表.xlsx", template_bytes(towns))
    text = mapping(len(towns))
    template = services.template_save(actor=office, name="市月报", upload=upload, mapping_text=text)
    filled = services.fill_template(actor=office, template=template, month=month)
    assert len(filled.figures["cells"]) + len(filled.unfilled) >= 200, len(filled.figures["cells"])
    ms = (
        median_time(lambda: services.fill_template(actor=office, template=template, month=month), repeat=5)
        * 1000
    )
    report("reports.template_fill", ms, "ms")


if __name__ == "__main__":
    main()
