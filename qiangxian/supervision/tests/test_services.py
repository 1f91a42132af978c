import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.core.concurrency import is_stale
from qiangxian.statistics.models import Target
from qiangxian.supervision import selectors, services
from qiangxian.supervision.choices import ReportState, TaskStatus
from qiangxian.supervision.documents import letter_document
from qiangxian.supervision.models import SupervisionSettings, Task


def test_create_validates_in_chinese(users, county, meeting):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=users["office"],
            title=" ",
            lead_unit=county["units"]["统计局"],
            deadline=dt.date(2025, 1, 1),
            starts_on=dt.date(2026, 1, 1),
            meeting=meeting,
        )
    assert error.value.message_dict["title"] == ["请填写督办事项。"]
    assert "完成时限不能早于开始日期。" in error.value.message_dict["deadline"]


def test_only_the_office_assigns(users, county, meeting):
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=users["bureau"],
            title="x",
            lead_unit=county["units"]["统计局"],
            deadline=dt.date(2026, 12, 31),
            meeting=meeting,
        )


def test_lifecycle_report_overdue_letter_complete_close(users, make_task):
    task = make_task(deadline=dt.date(2026, 3, 31))
    report = services.report_submit(
        actor=users["bureau"],
        task=task,
        month=dt.date(2026, 2, 1),
        progress="已梳理12个项目",
        attachment=SimpleUploadedFile("进展.txt", "附件".encode()),
        now=dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC),
    )
    assert report.attachment.name.endswith("进展.txt") and report.on_time
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert services.overdue_sweep(today=dt.date(2026, 4, 1)) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.OVERDUE
    letter = services.letter_issue(actor=users["office"], task=task, today=dt.date(2026, 4, 2))
    assert letter.number == "督办函〔2026〕1号"
    content = letter_document(letter)
    assert b"word/document.xml" in content
    import io

    import docx

    doc = docx.Document(io.BytesIO(content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "已逾期2天" in body and "已梳理12个项目" in body
    assert (
        doc.styles["Normal"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "宋体"
    )
    task = services.task_complete(actor=users["bureau"], task=task, on=dt.date(2026, 4, 1))
    assert task.status == TaskStatus.COMPLETED and task.finished_late
    with pytest.raises(PermissionDenied):
        services.task_close(actor=users["bureau"], task=task)
    task = services.task_close(actor=users["office"], task=task)
    assert task.status == TaskStatus.CLOSED
    assert task.history.count() >= 4


def test_letter_only_for_overdue(users, make_task):
    with pytest.raises(ValidationError):
        services.letter_issue(actor=users["office"], task=make_task())


def test_closing_needs_completion_first(users, make_task):
    with pytest.raises(ValidationError) as error:
        services.task_close(actor=users["office"], task=make_task())
    assert "未启动" in error.value.messages[0]


def test_only_the_lead_unit_reports(users, county, make_task):
    task = make_task(lead_unit=county["units"]["经信局"], supporting_units=[county["units"]["统计局"]])
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=users["bureau"], task=task, month=dt.date(2026, 1, 1), progress="x")


def test_lost_update_is_refused(users, make_task):
    task = make_task()
    seen = task.updated_at
    services.task_update(actor=users["office"], task=task, expected_updated_at=seen, title="改一次")
    with pytest.raises(ValidationError) as error:
        services.task_update(actor=users["office"], task=task, expected_updated_at=seen, title="改两次")
    assert is_stale(error.value)
    assert Task.objects.get(pk=task.pk).title == "改一次"


def test_report_calendar_marks_late_missing_and_due(users, make_task):
    SupervisionSettings.objects.create(report_day=25, remind_days=3)
    task = make_task(starts_on=dt.date(2026, 1, 1))
    services.report_submit(
        actor=users["bureau"],
        task=task,
        month=dt.date(2026, 1, 1),
        progress="一月",
        now=dt.datetime(2026, 1, 28, 2, tzinfo=dt.UTC),
    )
    months = selectors.report_calendar(task, today=dt.date(2026, 3, 23))
    assert [m.state for m in months] == [ReportState.LATE, ReportState.MISSING, ReportState.DUE_SOON]


def test_unit_record_scores_by_the_settings(users, county, make_task):
    SupervisionSettings.objects.create(
        report_day=25,
        score_base=100,
        overdue_penalty=5,
        on_time_bonus=1,
        late_penalty=2,
        missed_report_penalty=0,
    )
    make_task(deadline=dt.date(2026, 2, 1), completed_on=dt.date(2026, 1, 20), status=TaskStatus.COMPLETED)
    make_task(deadline=dt.date(2026, 2, 1), status=TaskStatus.OVERDUE)
    make_task(deadline=dt.date(2026, 2, 1), completed_on=dt.date(2026, 2, 10), status=TaskStatus.COMPLETED)
    records = selectors.unit_records(user=users["office"], year=2026, today=dt.date(2026, 3, 1))
    record = records[0]
    assert (record.on_time, record.late, record.overdue) == (1, 1, 1)
    assert record.score == Decimal(100 + 1 - 2 - 5)


def test_bureau_sees_tasks_it_leads_or_supports(users, county, make_task):
    led = make_task()
    supported = make_task(lead_unit=county["units"]["经信局"], supporting_units=[county["units"]["统计局"]])
    other = make_task(lead_unit=county["units"]["经信局"])
    seen = set(selectors.task_list(user=users["bureau"]).values_list("pk", flat=True))
    assert seen == {led.pk, supported.pk}
    assert other.pk in set(selectors.task_list(user=users["leader"]).values_list("pk", flat=True))
    assert not selectors.task_list(user=users["enterprise"]).exists()


def test_confirmed_target_becomes_a_statistics_target_with_its_sentence(users, county):
    text = "今年力争规上工业总产值突破230亿元。"
    document = services.document_create(
        actor=users["office"], title="讲话", doc_date=dt.date(2026, 2, 20), text=text
    )
    target = services.draft_confirm_target(
        actor=users["office"],
        document=document,
        quote=text,
        metric="规上工业总产值",
        value=Decimal(230),
        unit="亿元",
        year=2026,
        comparator=">",
        indicator="gross_output",
        responsible_unit=county["units"]["统计局"],
        above_only=True,
    )
    assert isinstance(target, Target)
    assert target.value == Decimal(23_000_000_000)
    assert target.source.quote == text


def test_target_without_indicator_becomes_a_task_with_a_figure(users, county):
    text = "新增规上工业企业13户。"
    document = services.document_create(
        actor=users["office"], title="要点", doc_date=dt.date(2026, 2, 20), text=text
    )
    task = services.draft_confirm_target(
        actor=users["office"],
        document=document,
        quote=text,
        metric="新增规上工业企业",
        value=Decimal(13),
        unit="户",
        year=2026,
        kind="count",
        responsible_unit=county["units"]["经信局"],
    )
    assert isinstance(task, Task) and task.metric_target == 13 and task.quote == text
    with pytest.raises(ValidationError):
        services.draft_confirm_target(
            actor=users["office"],
            document=document,
            quote="不在文中",
            metric="x",
            value=Decimal(1),
            unit="户",
            year=2026,
            responsible_unit=county["units"]["经信局"],
        )


def test_history_names_the_supporting_units_added(users, county, make_task):
    from qiangxian.core.history import timeline

    task = make_task()
    services.task_update(
        actor=users["office"],
        task=task,
        supporting_units=[county["units"]["经信局"], county["units"]["甲镇"]],
    )
    changes = [c for entry in timeline(task) for c in entry.changes if c.field == "配合单位"]
    assert changes and changes[0].old == "（空）"
    assert set(changes[0].new.split("、")) == {"经信局", "甲镇"}


def test_meeting_table_is_landscape_with_room_for_the_source_sentence():
    """The progress table fits the page across and gives the quoted sentence its share of it."""
    import io

    import docx

    from qiangxian.supervision.documents import PROGRESS_HEADERS, meeting_document
    from qiangxian.supervision.models import Meeting

    meeting = Meeting(title="测试会议", held_on=dt.date(2026, 3, 1))
    row = ["1", "事项", "经信局", "", "2026-12-31", "推进中", "进展" * 30, "原文" * 60]
    doc = docx.Document(io.BytesIO(meeting_document(meeting, task_rows=[row], target_rows=[])))
    section = doc.sections[0]
    assert section.page_width > section.page_height
    table = doc.tables[1]
    widths = {h: c.width for h, c in zip(PROGRESS_HEADERS, table.rows[1].cells, strict=True)}
    usable = section.page_width - section.left_margin - section.right_margin
    # The columns fill the text width (Word stores widths in twips: 635 EMU each).
    assert abs(sum(widths.values()) - usable) < 635 * len(widths)
    assert widths["原文"] > 3 * widths["序号"] and widths["完成时限"] > widths["状态"]
