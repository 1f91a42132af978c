"""Imports: staged, validated, reviewed, committed atomically, rolled back; derivations and checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core.models import BackgroundJob
from qiangxian.statistics import indicators, services
from qiangxian.statistics.models import FactRevision, ImportBatch, ImportProfile, MonthlyFact

from .factories import xlsx

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 1)
HEAD = ["统一社会信用代码", "企业名称", "工业总产值（万元）", "工业总产值上年同期（万元）"]


@pytest.fixture
def profile(users):
    return services.profile_save(
        actor=users["office"],
        name="测试月报",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=[
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
        ],
    )


def rows_for(county, values):
    return [[county["enterprises"][name].uscc, name, *vals] for name, vals in values.items()]


def upload(users, profile, headers, rows, month=APRIL, **kw):
    return services.import_upload(
        actor=users["office"], profile=profile, uploaded=xlsx(headers, rows), month=month, **kw
    )


def test_errors_are_listed_with_row_column_value_and_reason_and_nothing_is_written(facts, users, profile):
    rows = rows_for(facts, {"甲镇园区鞋业有限公司": ["四百八十", 400], "乙镇机械有限公司": [-5, 200]})
    rows.append(["123", "某公司", 1, 1])
    batch = upload(users, profile, HEAD, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(e["row"], e["column"]): e["reason"] for e in batch.review["errors"]}
    assert errors[(2, "工业总产值（万元）")] == "不是有效的数字。"
    assert errors[(3, "工业总产值（万元）")] == "不能为负数。"
    assert "18位" in errors[(4, "统一社会信用代码")]
    with pytest.raises(ValidationError):
        services.import_commit(actor=users["office"], batch=batch)
    assert not MonthlyFact.objects.filter(month=APRIL).exists()


def test_a_value_beyond_any_enterprise_is_refused_as_a_unit_error(facts, users, profile):
    # 1000万亿元 in 万元 is 1e11; one fen less is still absurd but representable, so it passes.
    rows = rows_for(
        facts, {"甲镇园区鞋业有限公司": [100_000_000_000, 400], "乙镇机械有限公司": [99_999_999_999, 200]}
    )
    batch = upload(users, profile, HEAD, rows)
    errors = {(e["row"], e["column"]): e["reason"] for e in batch.review["errors"]}
    assert errors == {(2, "工业总产值（万元）"): "数值过大（换算后超过1000万亿），请检查单位。"}
    assert not MonthlyFact.objects.filter(month=APRIL).exists()


def test_missing_column_is_an_error(facts, users, profile):
    batch = upload(users, profile, ["统一社会信用代码", "企业名称"], [["x", "y"]])
    assert batch.status == ImportBatch.Status.INVALID
    assert "缺少列" in batch.review["errors"][0]["reason"]


def test_commit_converts_units_derives_single_months_and_refreshes_rollups(facts, users, profile):
    before = indicators.value("gross_output", month=dt.date(2026, 3, 1))
    rows = rows_for(
        facts,
        {"甲镇园区鞋业有限公司": [480, 400], "乙镇机械有限公司": [264, 240], "甲镇食品有限公司": [480, 320]},
    )
    batch = upload(users, profile, HEAD, rows)
    assert batch.status == ImportBatch.Status.STAGED, batch.review
    batch = services.import_commit(actor=users["office"], batch=batch)
    assert (batch.status, batch.inserted, batch.updated) == (ImportBatch.Status.COMMITTED, 3, 0)
    shoes = MonthlyFact.objects.get(
        enterprise=facts["enterprises"]["甲镇园区鞋业有限公司"], month=APRIL, source="stats"
    )
    assert shoes.gross_output_ytd == D(4_800_000)
    assert shoes.gross_output_ytd_ly == D(4_000_000)
    assert shoes.gross_output_month == D(4_800_000) - D(3_600_000)  # 1-4月 − 1-3月
    assert shoes.batch_id == batch.pk
    april = indicators.value("gross_output", month=APRIL)
    assert april.value == D(12_240_000) and april.base == D(9_600_000)
    assert before.value != april.value
    # 乙镇电子 and 甲镇纺织 reported in March but not in April.
    assert batch.review["missing_count"] == 2


def test_reimporting_the_same_file_is_a_no_op_and_a_correction_keeps_history_and_rolls_back(
    facts, users, profile
):
    values = {"甲镇园区鞋业有限公司": [480, 400], "乙镇机械有限公司": [264, 240]}
    first = services.import_commit(
        actor=users["office"], batch=upload(users, profile, HEAD, rows_for(facts, values))
    )
    again = services.import_commit(
        actor=users["office"], batch=upload(users, profile, HEAD, rows_for(facts, values))
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert not FactRevision.objects.exists()
    corrected = {"甲镇园区鞋业有限公司": [500, 400], "乙镇机械有限公司": [264, 240]}
    fix = services.import_commit(
        actor=users["office"], batch=upload(users, profile, HEAD, rows_for(facts, corrected))
    )
    assert (fix.inserted, fix.updated, fix.unchanged) == (0, 1, 1)
    revision = FactRevision.objects.get()
    assert D(revision.old_values["gross_output_ytd"]) == D(4_800_000) and revision.old_batch_id == first.pk
    assert indicators.value("gross_output", month=APRIL).value == D(5_000_000 + 2_640_000)
    # The first batch cannot be rolled back while its values stand corrected by a later one.
    with pytest.raises(ValidationError):
        services.import_rollback(actor=users["office"], batch=first)
    services.import_rollback(actor=users["office"], batch=fix)
    shoes = MonthlyFact.objects.get(
        enterprise=facts["enterprises"]["甲镇园区鞋业有限公司"], month=APRIL, source="stats"
    )
    assert (shoes.gross_output_ytd, shoes.batch_id) == (D(4_800_000), first.pk)
    assert indicators.value("gross_output", month=APRIL).value == D(4_800_000 + 2_640_000)
    services.import_rollback(actor=users["office"], batch=first)
    assert not MonthlyFact.objects.filter(month=APRIL, source="stats").exists()
    assert indicators.value("gross_output", month=APRIL) is None


def test_unit_errors_and_jumps_are_flagged_for_review(facts, users, profile):
    # March single month of 甲镇园区鞋业 is 120万; April reported in 元 by mistake: 1000× off.
    rows = rows_for(
        facts, {"甲镇园区鞋业有限公司": [360 + 120_000, None], "乙镇机械有限公司": [198 + 200, None]}
    )
    batch = upload(users, profile, HEAD, rows)
    assert batch.review["unit_count"] == 1
    assert "1000倍" in batch.review["unit_suspects"][0]["reason"]
    assert batch.review["jump_count"] == 1


def test_a_revision_keeps_the_changed_columns_and_a_rollback_puts_back_blanks(facts, users, profile):
    shoes = facts["enterprises"]["甲镇园区鞋业有限公司"]
    machines = facts["enterprises"]["乙镇机械有限公司"]
    first = services.import_commit(
        actor=users["office"],
        batch=upload(
            users, profile, HEAD, rows_for(facts, {shoes.name: [480, None], machines.name: [264, 240]})
        ),
    )
    fix = services.import_commit(
        actor=users["office"],
        batch=upload(
            users, profile, HEAD, rows_for(facts, {shoes.name: [500, 410], machines.name: [264, 250]})
        ),
    )
    assert (fix.inserted, fix.updated, fix.unchanged) == (0, 2, 0)
    by_firm = {r.enterprise_id: r.old_values for r in FactRevision.objects.filter(batch=fix)}
    # The prior-year value was blank before: the revision says so; an unchanged value is not kept.
    assert by_firm[shoes.pk]["gross_output_ytd_ly"] is None
    assert D(by_firm[shoes.pk]["gross_output_ytd"]) == D(4_800_000)
    assert "gross_output_ytd" not in by_firm[machines.pk]
    assert D(by_firm[machines.pk]["gross_output_ytd_ly"]) == D(2_400_000)
    # A revision written as the whole old row (as earlier versions did) still rolls back.
    legacy = FactRevision.objects.get(batch=fix, enterprise=machines)
    legacy.old_values = {"gross_output_ytd": "2640000", "gross_output_ytd_ly": "2400000", "_above": True}
    legacy.save()
    services.import_rollback(actor=users["office"], batch=fix)
    rows = {
        r.enterprise_id: r
        for r in MonthlyFact.objects.filter(month=APRIL, source="stats", enterprise__in=[shoes, machines])
    }
    assert (rows[shoes.pk].gross_output_ytd, rows[shoes.pk].gross_output_ytd_ly) == (D(4_800_000), None)
    assert (rows[machines.pk].gross_output_ytd, rows[machines.pk].gross_output_ytd_ly) == (
        D(2_640_000),
        D(2_400_000),
    )
    assert {r.batch_id for r in rows.values()} == {first.pk}
    assert not FactRevision.objects.filter(batch=fix).exists()


def test_a_correction_with_blanks_in_different_cells_keeps_each_rows_stored_values(facts, users, profile):
    # Rows of one file leave different cells blank: each keeps its own stored values there, and
    # takes the new value in every cell it gives.
    shoes = facts["enterprises"]["甲镇园区鞋业有限公司"]
    machines = facts["enterprises"]["乙镇机械有限公司"]
    services.import_commit(
        actor=users["office"],
        batch=upload(
            users, profile, HEAD, rows_for(facts, {shoes.name: [480, 400], machines.name: [264, 240]})
        ),
    )
    fix = services.import_commit(
        actor=users["office"],
        batch=upload(
            users, profile, HEAD, rows_for(facts, {shoes.name: [500, None], machines.name: [None, 250]})
        ),
    )
    assert (fix.inserted, fix.updated) == (0, 2)
    rows = {
        r.enterprise_id: r
        for r in MonthlyFact.objects.filter(month=APRIL, source="stats", enterprise__in=[shoes, machines])
    }
    assert (rows[shoes.pk].gross_output_ytd, rows[shoes.pk].gross_output_ytd_ly) == (
        D(5_000_000),
        D(4_000_000),
    )
    assert (rows[machines.pk].gross_output_ytd, rows[machines.pk].gross_output_ytd_ly) == (
        D(2_640_000),
        D(2_500_000),
    )
    assert {r.batch_id for r in rows.values()} == {fix.pk}


def test_combined_january_february_and_monthly_only_sources(county, users):
    office = users["office"]
    power = services.profile_save(
        actor=office,
        name="用电",
        source="power",
        kind="monthly",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="期别",
        columns=[
            {
                "header": "当月用电（万千瓦时）",
                "figure": "electricity_kwh",
                "unit": "wan_kwh",
                "basis": "month",
                "year": "current",
            }
        ],
    )
    stats = services.profile_save(
        actor=office,
        name="产值",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="期别",
        columns=[
            {
                "header": "累计产值（元）",
                "figure": "gross_output",
                "unit": "yuan",
                "basis": "ytd",
                "year": "current",
            }
        ],
    )
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    batch = services.import_upload(
        actor=office,
        profile=stats,
        month=None,
        uploaded=xlsx(
            ["代码", "名称", "期别", "累计产值（元）"],
            [[firm.uscc, firm.name, "2026年1-2月", 300], [firm.uscc, firm.name, "2026-03", 450]],
        ),
    )
    services.import_commit(actor=office, batch=batch)
    feb = MonthlyFact.objects.get(enterprise=firm, month=dt.date(2026, 2, 1))
    mar = MonthlyFact.objects.get(enterprise=firm, month=dt.date(2026, 3, 1))
    assert feb.combined_jan_feb and feb.gross_output_ytd == 300 and feb.gross_output_month is None
    assert mar.gross_output_month == 150
    batch = services.import_upload(
        actor=office,
        profile=power,
        month=None,
        uploaded=xlsx(
            ["代码", "名称", "期别", "当月用电（万千瓦时）"],
            [[firm.uscc, firm.name, "2026-01", 1.5], [firm.uscc, firm.name, "2026-02", 2]],
        ),
    )
    services.import_commit(actor=office, batch=batch)
    feb = MonthlyFact.objects.get(enterprise=firm, month=dt.date(2026, 2, 1), source="power")
    assert (feb.electricity_kwh_month, feb.electricity_kwh_ytd) == (D(20000), D(35000))


def test_name_matching_needs_confirmation_and_unknown_firms_are_listed(county, users):
    office = users["office"]
    profile = services.profile_save(
        actor=office,
        name="按名称",
        source="tax",
        kind="monthly",
        match_by="name",
        key_column="",
        name_column="纳税人名称",
        period_column="",
        columns=[
            {
                "header": "累计税金（元）",
                "figure": "tax_paid",
                "unit": "yuan",
                "basis": "ytd",
                "year": "current",
            }
        ],
    )
    batch = services.import_upload(
        actor=office,
        profile=profile,
        month=dt.date(2026, 1, 1),
        uploaded=xlsx(["纳税人名称", "累计税金（元）"], [["甲镇纺织有限公司", 1000], ["不在名录的公司", 5]]),
    )
    assert batch.status == ImportBatch.Status.STAGED
    assert batch.review["new_count"] == 1 and batch.review["name_match_count"] == 1
    with pytest.raises(ValidationError):
        services.import_commit(actor=office, batch=batch)
    batch = services.import_commit(actor=office, batch=batch, confirm_names=True)
    assert batch.inserted == 1


def test_only_the_office_imports(county, users, profile):
    with pytest.raises(PermissionDenied):
        services.import_upload(actor=users["leader"], profile=profile, uploaded=xlsx(HEAD, []), month=APRIL)


def test_large_files_run_in_the_background_with_progress(facts, users, profile, monkeypatch):
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 0)
    rows = rows_for(facts, {"甲镇园区鞋业有限公司": [480, 400]})
    batch = upload(users, profile, HEAD, rows)
    assert batch.job is not None
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED
    assert BackgroundJob.objects.get(pk=batch.job_id).status == "succeeded"
    batch = services.import_commit(actor=users["office"], batch=batch, background=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


def test_profile_columns_are_checked(users, county):
    with pytest.raises(ValidationError):
        services.profile_save(
            actor=users["office"],
            name="坏",
            source="stats",
            kind="monthly",
            match_by="uscc",
            key_column="代码",
            name_column="",
            period_column="",
            columns=[{"header": "用电", "figure": "electricity_kwh", "unit": "wan"}],
        )
    assert not ImportProfile.objects.filter(name="坏").exists()


def test_template_has_the_profile_columns(users, profile):
    headers, _, notes = services.template_rows(profile)
    assert headers == HEAD
    assert any("万元" in n and "上年同期" in n for n in notes)


def test_annual_figures_import_and_history(county, users):
    office = users["office"]
    profile = services.profile_save(
        actor=office,
        name="年报",
        source="stats",
        kind="annual",
        match_by="uscc",
        key_column="代码",
        name_column="名称",
        period_column="",
        columns=[
            {"header": "用地（亩）", "figure": "land_mu", "unit": "mu"},
            {"header": "Ⅰ类知识产权（件）", "figure": "ip_class1", "unit": "item"},
            {"header": "资产总计（万元）", "figure": "total_assets", "unit": "wan"},
        ],
    )
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    batch = services.import_upload(
        actor=office,
        profile=profile,
        month=dt.date(2025, 12, 1),
        uploaded=xlsx(
            ["代码", "名称", "用地（亩）", "Ⅰ类知识产权（件）", "资产总计（万元）"],
            [[firm.uscc, firm.name, 45.5, 2, 8000]],
        ),
    )
    services.import_commit(actor=office, batch=batch)
    from qiangxian.statistics.models import AnnualFact

    row = AnnualFact.objects.get(enterprise=firm, year=2025)
    assert (row.land_mu, row.ip_class1, row.total_assets) == (D("45.5"), D(2), D(80_000_000))
    fix = services.import_upload(
        actor=office,
        profile=profile,
        month=dt.date(2025, 12, 1),
        uploaded=xlsx(
            ["代码", "名称", "用地（亩）", "Ⅰ类知识产权（件）", "资产总计（万元）"],
            [[firm.uscc, firm.name, 46, 2, 8000]],
        ),
    )
    fix = services.import_commit(actor=office, batch=fix)
    assert fix.updated == 1 and AnnualFact.objects.get(enterprise=firm, year=2025).land_mu == 46
    services.import_rollback(actor=office, batch=fix)
    assert AnnualFact.objects.get(enterprise=firm, year=2025).land_mu == D("45.5")


def test_official_figures_and_settings(county, users):
    from qiangxian.statistics.models import MonitorSettings, OfficialFigure

    with pytest.raises(PermissionDenied):
        services.official_figure_save(
            actor=users["town"], indicator="value_added", month=APRIL, value=None, growth=D("0.08")
        )
    services.official_figure_save(
        actor=users["bureau"], indicator="value_added", month=APRIL, value=None, growth=D("0.08")
    )
    services.official_figure_save(
        actor=users["office"], indicator="value_added", month=APRIL, value=None, growth=D("0.085")
    )
    official = OfficialFigure.objects.get()
    assert official.growth == D("0.085") and official.history.count() == 2
    services.settings_update(actor=users["office"], output_drop_pct=D(5))
    assert MonitorSettings.current().output_drop_pct == 5
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=users["leader"], output_drop_pct=D(1))
