"""Supervision (督办) in a real browser: a speech drafted into targets and tasks, then one task's year."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from docx import Document

from conftest import browser_login, screenshot
from qiangxian.statistics import rollup
from qiangxian.statistics.models import Target
from qiangxian.statistics.tests.factories import fact
from qiangxian.supervision.models import Meeting, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPEECH = (
    "同志们：\n"
    "去年，全县规上工业增加值增长14.3%，完成工业投资43.2亿元。\n"
    "今年，我们要力争规上工业总产值突破230亿元，新增规上工业企业13户。\n"
    "县统计局要牵好头，逐月开展规上企业入库培育，6月底前完成第一批申报。\n"
    "对已签约未开工的项目进行逐个梳理，年底前全部开工。"
)


def _output_this_month(county, today):
    """This month's year-to-date gross output of the above-scale firms: 115亿元 in all."""
    month = dt.date(today.year, today.month, 1)
    yi = D(100_000_000)
    for name, value in [
        ("甲镇园区鞋业有限公司", 50 * yi),
        ("甲镇食品有限公司", 40 * yi),
        ("乙镇机械有限公司", 25 * yi),
    ]:
        fact(county["enterprises"][name], month, gross_output_ytd=value, gross_output_month=value / 12)
    rollup.refresh_months([month], follow=False)


def _row(page, testid, text):
    return page.locator(f"[data-testid={testid}]").filter(has_text=text)


def _login_as(page, username):
    page.context.clear_cookies()
    browser_login(page, username)
    page.wait_for_load_state()


def test_a_speech_becomes_targets_and_tasks_and_a_task_runs_its_course(page, users, county):
    today = dt.date.today()
    _output_this_month(county, today)
    meeting = Meeting.objects.create(title="工业强县领导小组第一次会议", held_on=today)
    _login_as(page, "office")

    # Paste the speech.
    page.goto(page.base_url + "/supervision/draft/")
    page.fill("#id_title", "县委书记在工业强县推进大会上的讲话")
    page.fill("#id_doc_date", today.isoformat())
    page.select_option("#id_meeting", label=str(meeting))
    page.fill("#id_text", SPEECH)
    page.click("[data-testid=draft-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/supervision/draft/\d+/$"))

    # Last year's figures are not proposed as targets.
    targets_text = page.locator("[data-testid=target-row]").all_inner_texts()
    values = page.locator("[data-testid=target-value]").evaluate_all("els => els.map(e => e.value)")
    assert "14.3" not in values and "43.2" not in values, values
    assert "230" in values and "13" in values, values
    screenshot(page, "supervision-draft-review")

    # Confirm the output target (measured by the platform) and the 统计局 task; drop the rest.
    output = page.locator("[data-testid=target-row]:has([data-testid=target-value][value='230'])")
    output.locator("input[type=checkbox]").check()
    assert output.locator("select[name$=-indicator]").input_value() == "gross_output", targets_text
    output.locator("select[name$=-unit_id]").select_option(label="经信局")
    task_row = _row(page, "task-row", "入库培育")
    task_row.locator("input[type=checkbox]").check()
    task_row.locator("select[name$=-unit_id]").select_option(label="统计局")
    # The 13户 target would need a reporting unit: it is the false one here, left unchecked.
    page.click("[data-testid=confirm]")
    page.wait_for_url(re.compile(rf".*/supervision/meetings/{meeting.pk}/$"))

    # Only what was ticked exists.
    assert Target.objects.count() == 1
    assert Task.objects.count() == 1
    task = Task.objects.get()
    assert task.lead_unit == county["units"]["统计局"] and task.deadline == dt.date(today.year, 6, 30)

    # The target shows its progress from the data: 115亿 of 230亿.
    target_row = page.locator("[data-testid=meeting-targets] tbody tr").first
    assert "50%" in target_row.inner_text(), target_row.inner_text()
    assert "力争规上工业总产值>230" in target_row.inner_text(), target_row.inner_text()
    screenshot(page, "supervision-meeting")

    # The lead unit reports this month.
    _login_as(page, "bureau")
    page.goto(page.base_url + f"/supervision/tasks/{task.pk}/")
    form = page.locator("[data-testid=report-form]")
    form.locator("textarea[name=progress]").fill("已建立入库培育名单，12户企业进入培育库。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert task.reports.count() == 1
    assert "12户企业进入培育库" in page.locator("[data-testid=calendar]").inner_text()

    # The deadline passes: the task is overdue.
    Task.objects.filter(pk=task.pk).update(deadline=today - dt.timedelta(days=10))
    page.reload()
    assert page.locator("[data-testid=task-status]").inner_text() == "逾期"

    # The office sends a 督办函, downloaded as Word.
    _login_as(page, "office")
    page.goto(page.base_url + f"/supervision/tasks/{task.pk}/")
    page.locator("[data-testid=letter-form] button[type=submit]").click()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.locator("[data-testid=letters] a").first.click()
    content = Path(info.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "督 办 函" in text and "统计局：" in text and "已逾期10天" in text
    assert "12户企业进入培育库" in text
    screenshot(page, "supervision-task-overdue")

    # The unit completes it, the office closes it.
    _login_as(page, "bureau")
    page.goto(page.base_url + f"/supervision/tasks/{task.pk}/")
    page.locator("[data-testid=complete-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=task-status]").inner_text() == "已完成"
    _login_as(page, "office")
    page.goto(page.base_url + f"/supervision/tasks/{task.pk}/")
    page.click("[data-testid=close]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=task-status]").inner_text() == "销号"
    history = page.locator("main").inner_text()
    assert "逾期" in history and "销号" in history
    screenshot(page, "supervision-task-closed")
    assert page.console_errors == []
