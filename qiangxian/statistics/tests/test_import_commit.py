"""A correction's commit, checked against what it must write, computed here from the staged rows.

The database compares the staged rows with the stored ones and writes in a few statements, on
SQLite as on PostgreSQL; both must write exactly what is worked out here, and a rollback must
restore it exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection

from qiangxian.statistics import importers, indicators, rollup, services
from qiangxian.statistics.figures import monthly_columns
from qiangxian.statistics.models import FactRevision, ImportBatch, MonthlyFact, Rollup

from .factories import xlsx

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
COLUMNS = [
    ("工业总产值（万元）", "gross_output", "ytd", "current"),
    ("工业总产值上年同期（万元）", "gross_output", "ytd", "last"),
    ("主营业务收入（万元）", "main_revenue", "ytd", "current"),
]
HEAD = ["统一社会信用代码", "企业名称", *(c[0] for c in COLUMNS)]
CENT = D("0.01")


@pytest.fixture
def profile(users):
    return services.profile_save(
        actor=users["office"],
        name="更正月报",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=[{"header": h, "figure": f, "unit": "wan", "basis": b, "year": y} for h, f, b, y in COLUMNS],
    )


def correction(facts) -> list[list]:
    """The bureau's revised March (万元), over the seeded rows (see factories.PLAN)."""
    firms = facts["enterprises"]
    rows = {
        # Output revised, prior year as stored, revenue with more decimals than are stored.
        "甲镇园区鞋业有限公司": [365, 300, "329.4567891"],
        # Prior year left blank: the stored value stays; revenue as stored.
        "甲镇纺织有限公司": [136, None, 121.5],
        # Exactly as stored: the row is unchanged.
        "甲镇食品有限公司": [360, 240, 324],
        # No prior year stored: now given.
        "乙镇机械有限公司": [198, 180, 178.2],
        # Everything blank but the output, which is revised.
        "乙镇电子有限公司": [61.3, None, None],
    }
    return [[firms[name].uscc, name, *values] for name, values in rows.items()]


def fact_rows(month=MARCH) -> dict:
    """Every column of a month's stats rows, by enterprise (as the database gives them back)."""
    fields = ["batch_id", "above_scale", "combined_jan_feb", *monthly_columns()]
    return {
        row[0]: row[1:]
        for row in MonthlyFact.objects.filter(month=month, source="stats").values_list(
            "enterprise_id", *fields
        )
    }


def rollup_rows(months) -> list[tuple]:
    fields = [f.attname for f in Rollup._meta.concrete_fields if f.attname != "id"]
    return sorted(Rollup.objects.filter(month__in=months).values_list(*fields))


def revision_rows(batch) -> dict:
    return {
        r.enterprise_id: (r.period, r.source, r.kind, r.old_batch_id, r.old_values)
        for r in FactRevision.objects.filter(batch=batch)
    }


def _number(value):
    return None if value is None else D(str(value))


def expected_commit(batch, before: dict):
    """What the commit must write, worked out from the staged rows and the stored ones."""
    columns, chunks = importers.load_staged(batch)
    stored_names = ["batch_id", "above_scale", "combined_jan_feb", *monthly_columns()]
    facts, revisions, counts = dict(before), {}, {"inserted": 0, "updated": 0, "unchanged": 0}
    for chunk in chunks:
        for pk, period, above, combined, values in chunk:
            assert period == MARCH and pk in before
            old = dict(zip(stored_names, before[pk], strict=True))
            changed = {
                c: old[c]
                for c, v in zip(columns, values, strict=True)
                if v is not None and (old[c] is None or D(v) != D(str(old[c])))
            }
            if not changed:
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
            new = dict(old, batch_id=batch.pk, above_scale=above, combined_jan_feb=combined)
            for c, v in zip(columns, values, strict=True):
                if v is not None:
                    new[c] = D(v).quantize(CENT)
            facts[pk] = tuple(new[c] for c in stored_names)
            revisions[pk] = {
                **{c: _number(v) for c, v in changed.items()},
                "_changed_only": True,
                "_above": old["above_scale"],
                "_combined": old["combined_jan_feb"],
            }
    return facts, revisions, counts


def comparable(rows: dict) -> dict:
    """Fact rows with numbers as Decimals (SQLite gives some back as floats)."""
    return {k: tuple(_number(v) if isinstance(v, (float, D)) else v for v in row) for k, row in rows.items()}


def test_a_correction_writes_exactly_the_changed_values_and_rolls_back_exactly(facts, users, profile):
    office = users["office"]
    months = [MARCH, dt.date(2027, 3, 1)]
    before, rollups_before = fact_rows(), rollup_rows(months)
    # The months after a corrected one keep their own rows and rollups.
    april_before = fact_rows(dt.date(2026, 4, 1))
    batch = services.import_upload(
        actor=office, profile=profile, uploaded=xlsx(HEAD, correction(facts)), month=MARCH
    )
    assert batch.status == ImportBatch.Status.STAGED, batch.review
    want_facts, want_revisions, counts = expected_commit(batch, before)
    assert counts == {"inserted": 0, "updated": 4, "unchanged": 1}
    fix = services.import_commit(actor=office, batch=batch)
    assert {"inserted": fix.inserted, "updated": fix.updated, "unchanged": fix.unchanged} == counts
    assert comparable(fact_rows()) == comparable(want_facts)
    revisions = revision_rows(fix)
    assert set(revisions) == set(want_revisions)
    for pk, (period, source, kind, old_batch, old_values) in revisions.items():
        assert (period, source, kind, old_batch) == (MARCH, "stats", "monthly", before[pk][0])
        assert {k: v if isinstance(v, bool) else _number(v) for k, v in old_values.items()} == want_revisions[
            pk
        ]
    # The rollups are those of the corrected facts: as a refresh from scratch makes them, and the
    # headline sums the revised output of the enterprises above scale.
    committed_rollups = rollup_rows(months)
    assert committed_rollups != rollups_before
    rollup.refresh_months([MARCH])
    assert rollup_rows(months) == committed_rollups
    # gross_output_ytd (after the flags) of the above-scale rows.
    output = sum(row[3] for row in want_facts.values() if row[1])
    assert indicators.value("gross_output", month=MARCH).value == output
    assert fact_rows(dt.date(2026, 4, 1)) == april_before
    services.import_rollback(actor=office, batch=fix)
    assert fact_rows() == before
    assert rollup_rows(months) == rollups_before
    assert not FactRevision.objects.exists()


def test_a_correction_with_a_row_not_stored_yet_inserts_it_and_rolls_back_exactly(facts, users, profile):
    """A file over a month where one enterprise has no row yet: that row is inserted with the
    file's values and flags, the others are updated, and a rollback removes it again."""
    office = users["office"]
    textiles = facts["enterprises"]["甲镇纺织有限公司"]
    MonthlyFact.objects.filter(month=MARCH, source="stats", enterprise=textiles).delete()
    rollup.refresh_months([MARCH])
    before = fact_rows()
    batch = services.import_upload(
        actor=office, profile=profile, uploaded=xlsx(HEAD, correction(facts)), month=MARCH
    )
    staged = {
        pk: (above, combined, values)
        for chunk in importers.load_staged(batch)[1]
        for pk, _p, above, combined, values in chunk
    }
    columns = importers.load_staged(batch)[0]
    fix = services.import_commit(actor=office, batch=batch)
    assert (fix.inserted, fix.updated, fix.unchanged) == (1, 3, 1)
    row = MonthlyFact.objects.get(month=MARCH, source="stats", enterprise=textiles)
    above, combined, values = staged[textiles.pk]
    assert (row.batch_id, row.above_scale, row.combined_jan_feb) == (fix.pk, above, combined)
    for column, value in zip(columns, values, strict=True):
        stored = getattr(row, column)
        assert (None if stored is None else D(str(stored))) == (
            None if value is None else D(value).quantize(CENT)
        )
    assert not FactRevision.objects.filter(batch=fix, enterprise=textiles).exists()
    assert FactRevision.objects.filter(batch=fix).count() == 3
    services.import_rollback(actor=office, batch=fix)
    assert fact_rows() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps these columns as doubles")
def test_a_stored_double_that_fifteen_digits_do_not_give_back_is_revised_and_restored_exactly(
    facts, users, profile
):
    """SQLite writes a double with 15 significant digits: a stored value that needs more (one
    left by arithmetic, say) goes into the revision with the digits that give it back, and a
    rollback restores the very same double."""
    office = users["office"]
    shoes = facts["enterprises"]["甲镇园区鞋业有限公司"]
    odd = 12345678901234.56  # 12345678901234.6 with 15 digits: another double
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE statistics_monthlyfact SET gross_output_ytd = %s "
            "WHERE enterprise_id = %s AND month = %s AND source = 'stats'",
            [odd, shoes.pk, MARCH],
        )
    stored = (
        "SELECT gross_output_ytd FROM statistics_monthlyfact "
        "WHERE enterprise_id = %s AND month = %s AND source = 'stats'"
    )
    with connection.cursor() as cursor:
        cursor.execute(stored, [shoes.pk, MARCH])
        assert cursor.fetchone()[0] == odd
    batch = services.import_upload(
        actor=office, profile=profile, uploaded=xlsx(HEAD, correction(facts)), month=MARCH
    )
    fix = services.import_commit(actor=office, batch=batch)
    revision = FactRevision.objects.get(batch=fix, enterprise=shoes)
    assert float(revision.old_values["gross_output_ytd"]) == odd
    services.import_rollback(actor=office, batch=fix)
    with connection.cursor() as cursor:
        cursor.execute(stored, [shoes.pk, MARCH])
        assert cursor.fetchone()[0] == odd
