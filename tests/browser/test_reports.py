"""Reports in a real browser: the demo county's monthly analysis, generated from the page, opened
with python-docx; its headline figures are the dashboard's. The pages of the .docx are rendered
(LibreOffice → PDF → PNG) next to the page screenshots."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from conftest import ARTIFACTS, browser_login, screenshot
from qiangxian.demo.generator import generate_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Qx-test-pass-2026"


def _render_pages(content: bytes, name: str) -> list[Path]:
    """The .docx as PNG pages (LibreOffice headless, then pdftoppm), when both are installed."""
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        return []
    target = ARTIFACTS / "screenshots" / "report-pages"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob(f"{name}-*.png"):
        old.unlink()
    docx = target / f"{name}.docx"
    docx.write_bytes(content)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(target), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target / f"{name}.pdf"), str(target / name)],
        check=True,
        timeout=120,
    )
    return sorted(target.glob(f"{name}-*.png"))


def test_the_demo_countys_monthly_report_says_what_the_dashboard_says(page):
    generate_demo(seed=20260101, enterprises=200, password=PASSWORD)
    browser_login(page, "office", PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(page.base_url + "/dashboard/")
    kpi_value = page.get_by_test_id("kpi-gross_output").inner_text().strip()
    kpi_growth = page.get_by_test_id("kpi-growth-gross_output").inner_text().strip()
    revenue_value = page.get_by_test_id("kpi-main_revenue").inner_text().strip()
    heading = page.locator("h1").inner_text()

    page.locator("[data-nav=reports]").click()
    page.wait_for_url(re.compile(r".*/reports/$"))
    # The demo archived one report already.
    assert page.get_by_test_id("report-list").locator("tbody tr").count() == 1
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "reports-index-1440")
    page.get_by_test_id("generate-kind").select_option("monthly")
    page.get_by_test_id("generate-submit").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))
    assert "第2版" in page.locator("main").inner_text()
    assert page.get_by_test_id("changes-none").is_visible()
    headline = page.get_by_test_id("headline").inner_text()
    assert kpi_value in headline
    screenshot(page, "reports-detail-1440")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    content = Path(download_info.value.path()).read_bytes()
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    # The headline figures are the dashboard's, as the dashboard writes them.
    assert f"规上工业总产值{kpi_value}，同比" in text
    growth = re.search(r"-?\d+(\.\d+)?", kpi_growth).group(0)
    word = "下降" if growth.startswith("-") else "增长"
    assert f"同比{word}{growth.lstrip('-')}%" in text
    assert revenue_value in text
    assert any(scope in heading for scope in [text.split("规上工业总产值")[0].split("，")[-1]])
    # A4 with page numbers and a table per breakdown.
    section = document.sections[-1]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "PAGE" in section.footer._element.xml
    assert len(document.tables) >= 4 and len(document.inline_shapes) >= 2
    pages = _render_pages(content, "monthly-demo")
    if pages:
        assert len(pages) >= 3
    # The phone layout of the archive and the report.
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-detail-390")
    page.goto(page.base_url + "/reports/")
    screenshot(page, "reports-index-390")
    assert page.console_errors == []


def test_the_office_uploads_the_citys_template_and_fills_it(page, users, county, tmp_path):
    from qiangxian.reports.tests.test_fill import MAPPING, template_file
    from qiangxian.statistics.tests.factories import seed_facts

    seed_facts(county)
    upload = tmp_path / "市月报.xlsx"
    upload.write_bytes(template_file().read())
    browser_login(page, "office")
    page.wait_for_url(re.compile(r".*/$"))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.base_url + "/reports/templates/")
    page.fill("#id_name", "市统计局月报表")
    page.set_input_files("#id_file", str(upload))
    page.fill("#id_mapping", MAPPING)
    page.locator("[data-testid=template-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/reports/templates/\d+/$"))
    screenshot(page, "reports-template-1440")
    page.get_by_test_id("fill-submit").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))
    unfilled = page.get_by_test_id("unfilled").inner_text()
    assert "丙镇" in unfilled and "公式" in unfilled
    screenshot(page, "reports-filled-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-filled-390")
    assert page.console_errors == []
