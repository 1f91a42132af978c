"""Progress import of files that are not what they claim: a Chinese reason, nothing staged; capped errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from qiangxian.core.exports import write_xlsx
from qiangxian.projects import importers
from qiangxian.projects.choices import BatchStatus
from qiangxian.projects.models import ProgressImportBatch, ProjectProgress

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    "content",
    [
        b"this is a text file renamed .xlsx",
        bytes(range(256)) * 40,
        b"",
        b"PK\x03\x04broken zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    ],
)
def test_corrupt_file_is_refused_in_chinese_and_nothing_is_staged(users, content):
    batch = importers.stage_file(user=users["office"], file_name="进度.xlsx", content=content, today=TODAY)
    assert batch.status == BatchStatus.REJECTED and batch.rows in ([], None, {})
    reason = batch.errors[0]["reason"]
    assert reason.startswith("无法读取该文件") and ("有效的" in reason or "空的" in reason), reason
    assert not ProgressImportBatch.objects.exclude(status=BatchStatus.REJECTED).exists()
    assert not ProjectProgress.objects.exists()


def test_oversized_file_is_refused(users, settings):
    settings.QX_IMPORT_MAX_BYTES = 1000
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets=[("进度", importers.HEADERS, [["P"] * 8] * 200)])
    batch = importers.stage_file(
        user=users["office"], file_name="进度.xlsx", content=buffer.getvalue(), today=TODAY
    )
    assert batch.status == BatchStatus.REJECTED and "文件过大" in batch.errors[0]["reason"]


def test_error_report_keeps_the_first_errors_and_counts_the_rest(users, settings):
    settings.QX_IMPORT_MAX_ERRORS = 5
    buffer = io.BytesIO()
    rows = [[f"XM{i:04d}", "", "2026-04", 1, None, 0, "否", ""] for i in range(40)]
    write_xlsx(buffer, sheets=[("进度", importers.HEADERS, rows)])
    batch = importers.stage_file(
        user=users["office"], file_name="进度.xlsx", content=buffer.getvalue(), today=TODAY
    )
    assert batch.status == BatchStatus.REJECTED
    assert len(batch.errors) == 6 and "另有 35 处错误未列出" in batch.errors[-1]["reason"]
