"""The bureau's own layout, what the review counts, blank versus zero, bad files and dead jobs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from decimal import Decimal as D

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qiangxian.core import tasks as core_tasks
from qiangxian.core.models import BackgroundJob
from qiangxian.statistics import importers, services
from qiangxian.statistics.models import ImportBatch, MonthlyFact

from .factories import xlsx

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 1)
JULY = dt.date(2026, 7, 1)  # no June rows: checks fall back on the file's 上年同期 column
HEAD = ["序号", "统一社会信用代码", "企业名称", "工业总产值（万元）", "工业总产值上年同期（万元）"]
COLUMNS = [
    {
        "header": "工业总产值（万元）",
        "figure": "gross_output",
        "unit": "wan",
        "basis": "ytd",
        "year": "current",
    },
    {
        "header": "工业总产值上年同期（万元）",
        "figure": "gross_output",
        "unit": "wan",
        "basis": "ytd",
        "year": "last",
    },
]


def bureau_file(rows: list[list], name: str = "原始格式.xlsx") -> SimpleUploadedFile:
    """The statistics bureau's layout: a title row, a unit row, the header, data and a 合计 row."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("规上工业")
    sheet.write_row(0, 0, ["2026年1-4月规模以上工业企业主要经济指标"])
    sheet.write_row(1, 0, ["单位：万元"])
    sheet.write_row(2, 0, HEAD)
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row)
    workbook.close()
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def profile(users):
    return services.profile_save(
        actor=users["office"],
        name="统计局原始格式",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=COLUMNS,
        sheet_name="规上工业",
        header_row=3,
    )


def firm(county, name):
    return county["enterprises"][name]


def test_the_bureau_layout_imports_with_its_title_unit_and_total_rows(county, users, profile):
    shoes, machine = firm(county, "甲镇园区鞋业有限公司"), firm(county, "乙镇机械有限公司")
    rows = [
        [1, shoes.uscc, shoes.name, 480, 400],
        [2, machine.uscc, machine.name, 264, 240],
        ["", "", "其中：园区企业", "", ""],
        ["", "", "合计", 744, 640],
    ]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=APRIL
    )
    assert batch.status == ImportBatch.Status.STAGED, batch.review["errors"]
    review = batch.review
    assert (review["row_count"], review["matched_code"], review["skipped_count"]) == (4, 2, 2)
    assert {s["reason"] for s in review["skipped"]} == {"合计/小计行", "没有企业代码"}
    services.import_commit(actor=users["office"], batch=batch)
    fact = MonthlyFact.objects.get(enterprise=shoes, month=APRIL, source="stats")
    assert (fact.gross_output_ytd, fact.gross_output_ytd_ly) == (D(4_800_000), D(4_000_000))
    assert MonthlyFact.objects.filter(month=APRIL).count() == 2


def test_without_skip_rules_a_total_row_is_an_error(county, users, profile):
    profile.skip_total_rows = profile.skip_blank_key = False
    profile.save()
    shoes = firm(county, "甲镇园区鞋业有限公司")
    rows = [[1, shoes.uscc, shoes.name, 480, 400], ["", "", "合计", 480, 400]]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=APRIL
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.review["errors"][0]["row"] == 5


def test_a_blank_prior_year_is_stored_as_null_and_listed_a_zero_stays_zero(county, users, profile):
    new, stalled = firm(county, "甲镇纺织有限公司"), firm(county, "乙镇电子有限公司")
    rows = [[1, new.uscc, new.name, 120, None], [2, stalled.uscc, stalled.name, 0, 80]]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=JULY
    )
    review = batch.review
    assert review["blank_prior_count"] == 1 and review["blank_prior"][0]["enterprise_id"] == new.pk
    assert review["zero_count"] == 1 and review["zero_current"][0]["enterprise_id"] == stalled.pk
    assert review["not_above_count"] == 2  # both are below scale in the registry
    services.import_commit(actor=users["office"], batch=batch)
    new_fact = MonthlyFact.objects.get(enterprise=new, month=JULY)
    stalled_fact = MonthlyFact.objects.get(enterprise=stalled, month=JULY)
    assert new_fact.gross_output_ytd_ly is None and new_fact.gross_output_ytd == D(1_200_000)
    assert stalled_fact.gross_output_ytd == D(0) and stalled_fact.gross_output_ytd_ly == D(800_000)


def test_declines_against_the_prior_year_column_when_there_is_no_previous_month(county, users, profile):
    shoes, machine = firm(county, "甲镇园区鞋业有限公司"), firm(county, "乙镇机械有限公司")
    # 甲: 40% of last year (a decline beyond the 50% threshold? no: −60%); 乙: 1/10 exactly: a unit slip.
    rows = [[1, shoes.uscc, shoes.name, 160, 400], [2, machine.uscc, machine.name, 24, 240]]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=JULY
    )
    review = batch.review
    assert review["decline_count"] == 1 and review["declines"][0]["enterprise_id"] == shoes.pk
    assert review["declines"][0]["change"] == "-60.0%"
    assert review["unit_count"] == 1 and "上年同期的1/10" in review["unit_suspects"][0]["reason"]


def test_implausible_values_are_suspected_unit_errors(county, users):
    office = users["office"]
    shoes = firm(county, "甲镇园区鞋业有限公司")
    monthly = services.profile_save(
        actor=office,
        name="研发",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="",
        columns=[
            {
                "header": "研发费用（万元）",
                "figure": "rd_expense",
                "unit": "wan",
                "basis": "ytd",
                "year": "current",
            }
        ],
    )
    batch = services.import_upload(
        actor=office,
        profile=monthly,
        month=APRIL,
        uploaded=xlsx(["代码", "名称", "研发费用（万元）"], [[shoes.uscc, shoes.name, 1.23e9]]),
    )
    assert batch.review["unit_count"] == 1
    assert "合理范围" in batch.review["unit_suspects"][0]["reason"]
    annual = services.profile_save(
        actor=office,
        name="用地",
        source="stats",
        kind="annual",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="",
        columns=[{"header": "用地（亩）", "figure": "land_mu", "unit": "mu"}],
    )
    batch = services.import_upload(
        actor=office,
        profile=annual,
        month=dt.date(2025, 12, 1),
        uploaded=xlsx(["代码", "名称", "用地（亩）"], [[shoes.uscc, shoes.name, 66_666]]),
    )
    assert batch.review["unit_count"] == 1 and "用地面积" in batch.review["unit_suspects"][0]["figure"]


def test_a_wrong_code_with_a_known_name_is_matched_by_name_to_confirm(county, users, profile):
    shoes = firm(county, "甲镇园区鞋业有限公司")
    from qiangxian.enterprises.uscc import make_uscc

    other_code = make_uscc("9", "1", "361129", "W0000001")
    rows = [[1, other_code, shoes.name, 480, 400]]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=APRIL
    )
    assert (batch.review["matched_code"], batch.review["name_match_count"]) == (0, 1)
    with pytest.raises(ValidationError):
        services.import_commit(actor=users["office"], batch=batch)
    services.import_commit(actor=users["office"], batch=batch, confirm_names=True)
    assert MonthlyFact.objects.filter(enterprise=shoes, month=APRIL).exists()


def test_an_electricity_column_under_the_bureau_profile_is_said_not_to_count(county, users):
    profile = services.profile_save(
        actor=users["office"],
        name="统计局含用电",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="",
        columns=[
            {
                "header": "产值（元）",
                "figure": "gross_output",
                "unit": "yuan",
                "basis": "ytd",
                "year": "current",
            },
            {
                "header": "用电（千瓦时）",
                "figure": "electricity_kwh",
                "unit": "kwh",
                "basis": "ytd",
                "year": "current",
            },
        ],
    )
    shoes = firm(county, "甲镇园区鞋业有限公司")
    batch = services.import_upload(
        actor=users["office"],
        profile=profile,
        month=APRIL,
        uploaded=xlsx(["代码", "名称", "产值（元）", "用电（千瓦时）"], [[shoes.uscc, shoes.name, 100, 50]]),
    )
    notes = {n["header"]: n for n in batch.review["column_notes"]}
    assert notes["产值（元）"]["counted"]
    assert not notes["用电（千瓦时）"]["counted"]
    assert notes["用电（千瓦时）"]["reason"].startswith(
        "此列不会计入任何指标，因为用电量以供电公司的数据为准"
    )


def test_the_same_file_is_recognised_and_an_unchanged_reimport_changes_nothing(county, users, profile):
    shoes = firm(county, "甲镇园区鞋业有限公司")
    # One file's bytes, uploaded three times (xlsxwriter stamps the time into each new file).
    content = bureau_file([[1, shoes.uscc, shoes.name, 480, 400]]).read()

    def same_file():
        return SimpleUploadedFile("原始格式.xlsx", content)

    first = services.import_upload(actor=users["office"], profile=profile, uploaded=same_file(), month=APRIL)
    again = services.import_upload(actor=users["office"], profile=profile, uploaded=same_file(), month=APRIL)
    assert again.pk == first.pk and again.already_uploaded
    services.import_commit(actor=users["office"], batch=first)
    repeat = services.import_upload(actor=users["office"], profile=profile, uploaded=same_file(), month=APRIL)
    assert repeat.pk != first.pk and repeat.review["same_file"]["batch_id"] == first.pk
    repeat = services.import_commit(actor=users["office"], batch=repeat)
    assert (repeat.inserted, repeat.updated, repeat.unchanged) == (0, 0, 1)


@pytest.mark.parametrize(
    ("name", "content"),
    [("月报.xlsx", b"this is not a workbook"), ("月报.xlsx", b"PK\x03\x04broken zip"), ("月报.txt", b"a,b")],
)
def test_a_corrupt_or_foreign_file_is_refused_and_leaves_no_batch(county, users, profile, name, content):
    with pytest.raises(ValidationError) as caught:
        services.import_upload(
            actor=users["office"], profile=profile, uploaded=SimpleUploadedFile(name, content), month=APRIL
        )
    assert "Excel" in caught.value.message_dict["file"][0]
    assert not ImportBatch.objects.exists()
    assert not list(importers.import_dir().glob("batch-*")) and not list(
        importers.import_dir().glob("upload-*")
    )


def test_a_corrupt_file_through_the_page_answers_in_chinese(county, users, profile, client):
    from django.urls import reverse

    client.force_login(users["office"])
    response = client.post(
        reverse("statistics:upload"),
        {"profile": profile.pk, "month": "2026-04", "file": SimpleUploadedFile("月报.xlsx", b"garbage")},
    )
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_error_report_is_capped_and_counts_the_rest(county, users, profile, settings):
    settings.QX_IMPORT_MAX_LISTED = 3
    rows = [[i, f"BAD{i}", "某公司", 1, 1] for i in range(10)]
    batch = services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=APRIL
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert (len(batch.review["errors"]), batch.review["error_count"]) == (3, 10)


class _DeadWorker:
    """A task queue whose worker never runs what it is given."""

    def enqueue(self, *args, **kwargs):
        return None


def _kill(job: BackgroundJob) -> None:
    """What a worker that died leaves: a job not finished whose heartbeat stopped long ago."""
    long_ago = timezone.now() - dt.timedelta(seconds=core_tasks.stale_seconds() + 60)
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=long_ago)


def test_a_validation_whose_worker_died_can_be_retried(county, users, profile, monkeypatch):
    from qiangxian.statistics import tasks

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(tasks, "validate_batch_task", _DeadWorker())  # the worker never ran
    shoes = firm(county, "甲镇园区鞋业有限公司")
    batch = services.import_upload(
        actor=users["office"],
        profile=profile,
        uploaded=bureau_file([[1, shoes.uscc, shoes.name, 480, 400]]),
        month=APRIL,
    )
    assert batch.status == ImportBatch.Status.VALIDATING and not services.batch_interrupted(batch)
    _kill(batch.job)
    batch.refresh_from_db()
    assert services.batch_interrupted(batch)
    monkeypatch.undo()
    batch = services.import_retry(actor=users["office"], batch=batch)
    assert batch.status == ImportBatch.Status.STAGED
    job = BackgroundJob.objects.get(pk=batch.job_id)
    assert job.status == "succeeded" and job.attempts == 1


def test_a_commit_whose_worker_died_rolled_back_and_can_be_retried_or_discarded(
    county, users, profile, monkeypatch
):
    from qiangxian.statistics import tasks

    shoes = firm(county, "甲镇园区鞋业有限公司")
    batch = services.import_upload(
        actor=users["office"],
        profile=profile,
        uploaded=bureau_file([[1, shoes.uscc, shoes.name, 480, 400]]),
        month=APRIL,
    )
    monkeypatch.setattr(tasks, "commit_batch_task", _DeadWorker())
    batch = services.import_commit(actor=users["office"], batch=batch, background=True)
    assert batch.status == ImportBatch.Status.COMMITTING
    with pytest.raises(ValidationError):  # still alive: nothing to retry
        services.import_retry(actor=users["office"], batch=batch)
    _kill(batch.job)
    batch.refresh_from_db()
    assert services.batch_interrupted(batch) and not MonthlyFact.objects.filter(batch=batch).exists()
    monkeypatch.undo()
    batch = services.import_retry(actor=users["office"], batch=batch)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.inserted == 1
    # A second, staged batch whose commit died is discarded: the batch and its files go.
    second = services.import_upload(
        actor=users["office"],
        profile=profile,
        uploaded=bureau_file([[1, shoes.uscc, shoes.name, 500, 400]]),
        month=APRIL,
    )
    monkeypatch.setattr(tasks, "commit_batch_task", _DeadWorker())
    second = services.import_commit(actor=users["office"], batch=second, background=True)
    _kill(second.job)
    second.refresh_from_db()
    services.import_discard(actor=users["office"], batch=second)
    assert not ImportBatch.objects.filter(pk=second.pk).exists()
    assert MonthlyFact.objects.get(enterprise=shoes, month=APRIL).gross_output_ytd == D(4_800_000)


def test_a_failing_commit_writes_nothing_and_says_it_rolled_back(county, users, profile, monkeypatch):
    from qiangxian.statistics import rollup

    shoes = firm(county, "甲镇园区鞋业有限公司")
    batch = services.import_upload(
        actor=users["office"],
        profile=profile,
        uploaded=bureau_file([[1, shoes.uscc, shoes.name, 480, 400]]),
        month=APRIL,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(rollup, "refresh_months", broken)
    services.import_commit(actor=users["office"], batch=batch, background=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED
    assert not MonthlyFact.objects.filter(month=APRIL).exists()
    assert "已回滚" in BackgroundJob.objects.get(pk=batch.job_id).message


def test_a_job_is_stale_only_when_unfinished_and_silent(users):
    job = BackgroundJob.objects.create(owner=users["office"], kind="x", title="x")
    assert not core_tasks.job_is_stale(job)
    later = timezone.now() + dt.timedelta(seconds=core_tasks.stale_seconds() + 1)
    assert core_tasks.job_is_stale(job, now=later)
    with core_tasks.heartbeat(job.pk):
        job.refresh_from_db()
        assert job.status == "running" and job.attempts == 1 and job.heartbeat_at is not None
    job.status = "succeeded"
    assert not core_tasks.job_is_stale(job, now=later)


def test_the_template_keeps_the_profile_layout(users, profile, client):
    from django.urls import reverse
    from python_calamine import CalamineWorkbook

    client.force_login(users["office"])
    response = client.get(reverse("statistics:profile_template", args=[profile.pk]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names[0] == "规上工业"
    rows = workbook.get_sheet_by_name("规上工业").to_python()
    assert rows[2][:3] == ["统一社会信用代码", "企业名称", "工业总产值（万元）"]


@pytest.mark.django_db(transaction=False)
def test_cell_conversion_is_exact_and_keeps_blanks_apart_from_zeros():
    """Property: a cell becomes exactly its text times the unit factor; a blank is absent, 0 is 0."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from qiangxian.statistics.figures import UNITS

    cells = st.one_of(
        st.none(),
        st.just(""),
        st.just("—"),
        st.floats(min_value=0, max_value=1e10, allow_nan=False).map(lambda x: round(x, 2)),
        st.integers(min_value=0, max_value=10**9).map(str),
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(cells, st.sampled_from(sorted(UNITS))), min_size=1, max_size=6))
    def check(spec):
        staged = importers.Staged()
        cols = [
            (
                i,
                f"c{i}",
                None if UNITS[u][1] == 1 else UNITS[u][1],
                False,
                f"列{i}",
                importers.FAST_BOUND / float(UNITS[u][1]),
            )
            for i, (_cell, u) in enumerate(spec)
        ]
        values, bad = importers._row_values(staged, [c for c, _u in spec], cols, 2)
        too_large = 0
        for i, (cell, unit) in enumerate(spec):
            if cell in (None, "", "—"):
                assert f"c{i}" not in values
                continue
            expected = (Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)) * UNITS[unit][1]
            if expected >= importers.MAX_VALUE:  # a unit error, refused with its row and column
                too_large += 1
                assert f"c{i}" not in values
            else:
                assert values[f"c{i}"] == expected
        assert bad == bool(too_large) and staged.error_count == too_large

    check()


def test_the_row_shortcut_converts_and_refuses_exactly_as_cell_by_cell():
    """Property: a row read by CellReader gives the values (to the exponent), errors and refusal of
    _row_values, and a row it calls plausible is within every column's plausible range."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from qiangxian.statistics.figures import UNITS
    from qiangxian.statistics.import_review import PLAUSIBLE_MAX

    figures = ["gross_output", "profit", "employees", "rd_expense", "main_business_share", "cod_t"]
    cells = st.one_of(
        st.floats(min_value=-1e16, max_value=1e16, allow_nan=False),
        st.floats(min_value=0, max_value=1e8, allow_nan=False).map(lambda x: round(x, 2)),
        # Right at the limits, in the units they are given in.
        st.sampled_from([5e7, 5e7 - 0.01, 5e7 + 0.01, 2e5, 5e6, 1e7, 9e10, 9e14, -0.0, 0.0]),
        st.sampled_from(["", None, "1,234.5", "abc", True]),
    )

    # A cell just inside or outside its own column's plausible limit (in the column's unit).
    near = st.one_of(st.none(), st.sampled_from([1 - 1e-12, 1 - 1e-6, 1.0, 1 + 1e-12, 1 + 1e-6]))

    @settings(max_examples=400, deadline=None)
    @given(
        st.lists(
            st.tuples(cells, st.sampled_from(sorted(UNITS)), st.sampled_from(figures), near),
            min_size=1,
            max_size=6,
        ),
        st.booleans(),
    )
    def check(spec, short):
        spec = [(c if m is None else float(PLAUSIBLE_MAX[f] / UNITS[u][1]) * m, u, f) for c, u, f, m in spec]
        cols = [
            (
                i,
                f"c{i}",
                None if UNITS[u][1] == 1 else UNITS[u][1],
                figure in importers.NEGATIVE_ALLOWED,
                f"列{i}",
                importers.FAST_BOUND / float(UNITS[u][1]),
            )
            for i, (_cell, u, figure) in enumerate(spec)
        ]
        raw = [c for c, _u, _f in spec]
        if short:
            raw = raw[:-1]  # a row that ends early: its last cell is blank
        plausible_of = {f"c{i}": PLAUSIBLE_MAX.get(figure) for i, (_c, _u, figure) in enumerate(spec)}
        one, other = importers.Staged(), importers.Staged()
        values, bad, plausible = importers.CellReader(cols, plausible_of)(one, raw, 2)
        expected, expected_bad = importers._row_values(other, raw, cols, 2)
        assert {k: str(v) for k, v in values.items()} == {k: str(v) for k, v in expected.items()}
        assert bad == expected_bad and one.review()["errors"] == other.review()["errors"]
        if plausible:
            for column, value in values.items():
                limit = plausible_of[column]
                assert limit is None or -limit <= value <= limit

    check()


def test_the_batch_page_says_a_commit_was_interrupted_and_retries_it(
    county, users, profile, client, monkeypatch
):
    from django.urls import reverse

    from qiangxian.statistics import tasks

    shoes = firm(county, "甲镇园区鞋业有限公司")
    batch = services.import_upload(
        actor=users["office"],
        profile=profile,
        uploaded=bureau_file([[1, shoes.uscc, shoes.name, 480, 400]]),
        month=APRIL,
    )
    monkeypatch.setattr(tasks, "commit_batch_task", _DeadWorker())
    batch = services.import_commit(actor=users["office"], batch=batch, background=True)
    _kill(batch.job)
    monkeypatch.undo()
    client.force_login(users["office"])
    page = client.get(reverse("statistics:batch", args=[batch.pk])).content.decode()
    assert "已中断" in page and "数据库已将其整体回滚，未写入任何数据" in page
    response = client.post(reverse("statistics:batch_retry", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    # A leader reads the page but cannot retry or discard.
    client.force_login(users["leader"])
    client.post(reverse("statistics:batch_discard", args=[batch.pk]))
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_in_a_city_a_countys_file_is_checked_against_its_own_last_month(django_user_model):
    """Last month is read only for the uploading county's enterprises, and still read for them:
    a figure typed in 元 under a 万元 header is found against the county's own March."""
    from qiangxian.core.tests.counties import build_city

    city = build_city(django_user_model)
    office = city["users"]["a_office"]
    profile = services.profile_save(
        actor=office,
        name="县月报",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=COLUMNS[:1],
    )
    slipped, normal = city["counties"]["a"]["enterprises"]
    # March: 330万 to date, 110万 in the month; April's month written in 元 is 1000 times that.
    rows = [[1, slipped.uscc, slipped.name, 330 + 110_000], [2, normal.uscc, normal.name, 440]]
    other = city["counties"]["b"]["enterprises"][0]
    rows.append([3, other.uscc, other.name, 99])  # another county's firm: not in this registry
    batch = services.import_upload(actor=office, profile=profile, uploaded=xlsx(HEAD[:4], rows), month=APRIL)
    review = batch.review
    assert review["unit_count"] == 1 and review["unit_suspects"][0]["enterprise_id"] == slipped.pk
    assert review["matched_code"] == 2 and review["new_count"] == 1
