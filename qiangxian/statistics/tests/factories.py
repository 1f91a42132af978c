"""Test data for the monitoring module: facts for the shared ``county`` fixture and xlsx files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.statistics import rollup
from qiangxian.statistics.models import MonthlyFact

# Monthly gross output (yuan) in 2025 per enterprise of the county fixture, and the 2026 factor.
PLAN = {
    "甲镇园区鞋业有限公司": (D(1_000_000), D("1.2")),
    "甲镇纺织有限公司": (D(500_000), D("0.9")),
    "甲镇食品有限公司": (D(800_000), D("1.5")),
    "乙镇机械有限公司": (D(600_000), D("1.1")),
    "乙镇电子有限公司": (D(100_000), D("2.0")),
}
# 乙镇机械 does not report 上年同期 in 2026: its base falls back on its own 2025 rows.
NO_REPORTED_LY = "乙镇机械有限公司"


def fact(enterprise, month: dt.date, source: str = "stats", **values) -> MonthlyFact:
    return MonthlyFact.objects.create(
        enterprise=enterprise, month=month, source=source, above_scale=enterprise.above_scale, **values
    )


def seed_facts(county, months: int = 3) -> dict:
    """Two years (2025, 2026) of months 1..N for the fixture's five enterprises; rollups filled."""
    for name, (monthly, factor) in PLAN.items():
        firm = county["enterprises"][name]
        for m in range(1, months + 1):
            month_2025, month_2026 = dt.date(2025, m, 1), dt.date(2026, m, 1)
            fact(
                firm,
                month_2025,
                gross_output_ytd=monthly * m,
                gross_output_month=monthly,
                main_revenue_ytd=monthly * m * D("0.9"),
                main_revenue_month=monthly * D("0.9"),
            )
            ly = (
                {}
                if name == NO_REPORTED_LY
                else {"gross_output_ytd_ly": monthly * m, "gross_output_month_ly": monthly}
            )
            fact(
                firm,
                month_2026,
                gross_output_ytd=monthly * factor * m,
                gross_output_month=monthly * factor,
                main_revenue_ytd=monthly * factor * m * D("0.9"),
                main_revenue_month=monthly * factor * D("0.9"),
                **ly,
            )
            fact(
                firm,
                month_2026,
                "power",
                electricity_kwh_ytd=D(1000) * m,
                electricity_kwh_month=D(1000),
                electricity_kwh_ytd_ly=D(900) * m,
                electricity_kwh_month_ly=D(900),
            )
    rollup.refresh_months(
        [dt.date(y, m, 1) for y in (2025, 2026) for m in range(1, months + 1)], follow=False
    )
    return county


def expected_ytd(names, month: int = 3, year: int = 2026) -> tuple[D, D]:
    """Value and comparable base of gross output 1-N月 for a set of enterprises, by hand."""
    value = sum((PLAN[n][0] * (PLAN[n][1] if year == 2026 else 1) * month for n in names), D(0))
    base = sum((PLAN[n][0] * month for n in names), D(0)) if year == 2026 else D(0)
    return value, base


def xlsx(headers: list[str], rows: list[list], name: str = "月报.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    workbook.close()
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
