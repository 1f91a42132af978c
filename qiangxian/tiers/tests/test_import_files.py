"""Assessment import of files that are not spreadsheets: a Chinese reason, nothing written; capped errors."""

from __future__ import annotations

import io

import pytest

from qiangxian.core.exports import write_xlsx
from qiangxian.tiers.importers import HEADERS, SHEET, import_assessment_values
from qiangxian.tiers.models import AssessmentValue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"this is a text file renamed .xlsx", "评价.xlsx"),
        (bytes(range(256)) * 40, "评价.xlsx"),
        (b"", "评价.xlsx"),
        (b"PK\x03\x04broken zip", "评价.xlsx"),
    ],
)
def test_corrupt_file_is_refused_in_chinese_and_changes_nothing(county, users, content, name):
    result = import_assessment_values(actor=users["office"], content=content, file_name=name)
    assert not result.ok and not AssessmentValue.objects.exists()
    reason = result.errors[0].reason
    assert "有效的 .xlsx" in reason or "空的" in reason, reason


def test_zip_bomb_is_refused(county, users, settings):
    settings.QX_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets=[(SHEET, HEADERS, [["x" * 200] * 6] * 20000)])
    result = import_assessment_values(actor=users["office"], content=buffer.getvalue(), file_name="评价.xlsx")
    assert "解压后" in result.errors[0].reason and not AssessmentValue.objects.exists()


def test_error_list_is_capped_with_the_count_of_the_rest(county, users, settings):
    settings.QX_IMPORT_MAX_ERRORS = 5
    buffer = io.BytesIO()
    rows = [["91361129XXXXXXXXXX", "某企业", "新增股权融资", 2025, 1, "来源"]] * 30
    write_xlsx(buffer, sheets=[(SHEET, HEADERS, rows)])
    result = import_assessment_values(actor=users["office"], content=buffer.getvalue(), file_name="评价.xlsx")
    assert len(result.errors) == 5 and result.errors.total == 30 and result.errors.more == 25
    assert not AssessmentValue.objects.exists()
