"""Updating many fact rows in place: the bureau's revised month rewrites every value of a month.

Deleting and re-inserting a corrected row touches every index twice and writes every column;
an UPDATE of the reported columns only is cheaper. A NULL in the new values keeps the stored
value (COALESCE): a blank cell in a correction is "not reported", never "now empty".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

from django.db import connection

from .models import FactRevision

# Marks a revision that holds only the columns its batch changed (older ones hold whole rows).
CHANGED_ONLY = "_changed_only"


class RowUpdater:
    """UPDATE rows by primary key, fed a chunk at a time: rows are (pk, *values of ``columns``).

    On SQLite each chunk is one executemany. On PostgreSQL the chunks are copied into a
    temporary table and :meth:`finish` runs one UPDATE ... FROM it: one join over the table,
    where an UPDATE per chunk could scan the whole table once per chunk.
    """

    def __init__(self, model, columns: Sequence[str]) -> None:
        self.model = model
        self.columns = list(columns)
        self.qn = connection.ops.quote_name
        self.table = self.qn(model._meta.db_table)
        self.postgres = connection.vendor == "postgresql"
        self.temp = self.qn("qx_fact_update")
        self.pending = False
        if self.postgres:
            types = []
            for name in self.columns:
                field = next(f for f in model._meta.concrete_fields if f.column == name)
                types.append(f"{self.qn(name)} {field.db_type(connection)}")
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.temp}")
                cursor.execute(f"CREATE TEMPORARY TABLE {self.temp} (id bigint, {', '.join(types)})")

    def add(self, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        qn = self.qn
        with connection.cursor() as cursor:
            if self.postgres:
                names = ", ".join(["id", *(qn(c) for c in self.columns)])
                with cursor.cursor.copy(f"COPY {self.temp} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                self.pending = True
                return
            assignments = [f"{qn(c)} = %s" for c in self.columns]
            sql = f"UPDATE {self.table} SET {', '.join(assignments)} WHERE id = %s"
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])

    def finish(self) -> None:
        if not self.postgres:
            return
        qn = self.qn
        assignments = [f"{qn(c)} = u.{qn(c)}" for c in self.columns]
        with connection.cursor() as cursor:
            if self.pending:
                cursor.execute(f"ANALYZE {self.temp}")
                sets = ", ".join(assignments)
                cursor.execute(f"UPDATE {self.table} AS t SET {sets} FROM {self.temp} AS u WHERE t.id = u.id")
            cursor.execute(f"DROP TABLE IF EXISTS {self.temp}")


def restore_columns(
    model,
    batch,
    groups: dict[tuple[str, ...], list[tuple]],
    *,
    period_field: str,
    flag_columns: Sequence[str],
) -> None:
    """Put back the columns a batch changed, in the rows that still carry it (a rollback).

    ``groups`` maps the changed columns to rows ``((enterprise, period key), (old batch, *old
    flags, *old values))``; the rows are found among the batch's by enterprise and month (or year).
    """
    if not groups:
        return
    pk_of = {
        (enterprise, period): pk
        for pk, enterprise, period in model.objects.filter(batch=batch).values_list(
            "pk", "enterprise_id", period_field
        )
    }
    for columns, rows in groups.items():
        updater = RowUpdater(model, ["batch_id", *flag_columns, *columns])
        for start in range(0, len(rows), 5000):
            updater.add([(pk_of[key], *values) for key, values in rows[start : start + 5000]])
        updater.finish()


def merge_staged(model, batch, columns: Sequence[str], raw_chunks, *, now) -> tuple[int, int, int]:
    """Write a batch's staged rows on PostgreSQL in three statements; (inserted, updated, unchanged).

    What the commit's row-by-row comparison does, done by the database: the staged rows are
    copied into a temporary table (values as unconstrained numerics, so a value compares with the
    stored one exactly as the Decimal it was staged as), then one INSERT ... SELECT writes the
    revisions of the changed rows (the changed columns' old values as text, and the old flags),
    one UPDATE ... FROM writes the changed rows (a blank keeps the stored value) and one
    INSERT ... SELECT adds the new rows, each in the file's order. No Python object per row or
    value, and no stored row is read into Python.
    """
    from .staging import SEP

    annual = model._meta.model_name == "annualfact"
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    temp = qn("qx_staged")
    period_col = qn("year" if annual else "month")
    cols = [qn(c) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} (seq integer, enterprise_id bigint, period date, "
            f"pkey {'integer' if annual else 'date'}, above boolean, combined boolean"
            + "".join(f", {c} numeric" for c in cols)
            + ") ON COMMIT DROP"
        )
        total = 0
        names = ", ".join(["seq", "enterprise_id", "period", "pkey", "above", "combined", *cols])
        tab = "\t"
        with cursor.cursor.copy(f"COPY {temp} ({names}) FROM STDIN WITH (NULL '')") as copy:
            for chunk in raw_chunks:
                lines = []
                for pk, day, above, combined, text in chunk:
                    total += 1
                    period, key = _period_keys(day, annual)
                    head = f"{total}\t{pk}\t{period}\t{key}\t{above}\t{combined}"
                    lines.append(f"{head}\t{text.replace(SEP, tab)}\n" if cols else f"{head}\n")
                copy.write("".join(lines))
        # Statistics of the join's keys only: what the planner needs to join them, at a fraction of
        # the cost of reading every value column too.
        cursor.execute(f"ANALYZE {temp} (enterprise_id, pkey)")
        # Enough memory for the join's hash, the changed rows kept between the statement's parts
        # and the revisions' sort of a 100,000-row month (about 150, 70 and 20 MB) without writing
        # any of them to disk; for this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Only the batch's periods are read: the (month, source) index leaves the other months'
        # rows unread, however many years the table holds.
        periods = sorted({r[0] for r in _periods(cursor, temp)})
        in_periods = f"t.{period_col} = ANY(%s)"
        changed = [f"(s.{c} IS NOT NULL AND s.{c} IS DISTINCT FROM t.{c})" for c in cols]
        any_changed = " OR ".join(changed) if changed else "FALSE"
        # The old values written as JSON text and parsed once: a third of the cost of adding jsonb
        # objects together key by key. concat() builds the text once; a chain of || would copy
        # the growing text again at each piece.
        parts = _old_values_parts(columns, changed, lambda c: f"CAST(t.{c} AS TEXT)", annual)
        old_values = f"CAST(concat({', '.join(parts)}) AS jsonb)"
        revision_table = qn(FactRevision._meta.db_table)
        new_flags = "" if annual else ", s.above, s.combined"
        flag_sets = "" if annual else ", above_scale = h.above, combined_jan_feb = h.combined"
        keep = "".join(f", {c} = COALESCE(h.{c}, t.{c})" for c in cols)
        # One join of the staged rows with the stored ones: the changed rows (with their old
        # values) are picked once, their revisions written and the rows updated by primary key.
        cursor.execute(
            f"WITH hit AS MATERIALIZED (SELECT t.id, s.seq, s.enterprise_id, s.period, t.source, "
            f"t.batch_id AS old_batch_id, {old_values} AS old_values{new_flags}"
            f"{''.join(', s.' + c for c in cols)} FROM {temp} AS s JOIN {table} AS t "
            f"ON t.enterprise_id = s.enterprise_id AND t.{period_col} = s.pkey AND t.source = %s "
            f"AND {in_periods} WHERE {any_changed}), "
            f"revisions AS (INSERT INTO {revision_table} (batch_id, kind, enterprise_id, period, source, "
            f"old_batch_id, old_values, changed_at) SELECT %s, %s, enterprise_id, period, source, "
            f"old_batch_id, old_values, %s FROM hit ORDER BY seq) "
            f"UPDATE {table} AS t SET batch_id = %s{flag_sets}{keep} FROM hit AS h "
            f"WHERE t.id = h.id AND {in_periods}",
            [batch.source, periods, batch.pk, "annual" if annual else "monthly", now, batch.pk, periods],
        )
        updated = cursor.rowcount
        head = (
            "enterprise_id, year, source, batch_id"
            if annual
            else ("enterprise_id, month, source, batch_id, above_scale, combined_jan_feb")
        )
        head_values = "s.enterprise_id, s.pkey, %s, %s" + ("" if annual else ", s.above, s.combined")
        cursor.execute(
            f"INSERT INTO {table} ({head}{''.join(', ' + c for c in cols)}) "
            f"SELECT {head_values}{''.join(', s.' + c for c in cols)} FROM {temp} AS s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE t.enterprise_id = s.enterprise_id "
            f"AND t.{period_col} = s.pkey AND t.source = %s AND {in_periods}) ORDER BY s.seq",
            [batch.source, batch.pk, batch.source, periods],
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return inserted, updated, total - inserted - updated


def _periods(cursor, temp: str) -> list[tuple]:
    """The distinct period keys (months, or years) of the staged rows."""
    cursor.execute(f"SELECT DISTINCT pkey FROM {temp}")
    return cursor.fetchall()


@functools.lru_cache(maxsize=64)  # a file holds few periods: each worked out once
def _period_keys(day: int, annual: bool) -> tuple[str, int | str]:
    """A staged row's period (a date ordinal) as the revision's period (ISO date) and as the
    facts' period key (the year of an annual row, else the month's ISO date)."""
    period = dt.date.fromordinal(day)
    return period.isoformat(), period.year if annual else period.isoformat()


def _old_values_parts(columns: Sequence[str], changed: Sequence[str], text_of, annual: bool) -> list[str]:
    """SQL pieces of a revision's JSON text, to be joined in order: "{", each changed column's old
    value as text (null for none), the mark that only the changed columns are kept, a monthly
    row's old flags, "}". ``changed`` holds each column's test, ``text_of(column)`` its stored
    value as text in the database's dialect. Column names and numbers need no escaping in it."""
    if not all(re.fullmatch(r"[a-z0-9_]+", c) for c in columns):
        raise ValueError(columns)
    qn = connection.ops.quote_name
    parts = ["'{'"] + [
        f"CASE WHEN {test} THEN COALESCE('\"{c}\": \"' || {text_of(qn(c))} || '\", ', '\"{c}\": null, ') "
        "ELSE '' END"
        for test, c in zip(changed, columns, strict=True)
    ]
    parts.append(f"'\"{CHANGED_ONLY}\": true'")
    if not annual:
        for flag, column in (("_above", "above_scale"), ("_combined", "combined_jan_feb")):
            parts.append(f"CASE WHEN t.{column} THEN ', \"{flag}\": true' ELSE ', \"{flag}\": false' END")
    return [*parts, "'}'"]


def _sqlite_text(column: str) -> str:
    """A stored SQLite number as text that reads back as the very same number.

    An integer as its digits; a double as SQLite writes it (15 significant digits, as Python
    writes most values: "13437.29"), or with 17 when 15 do not give back the same double.
    """
    value = f"t.{column}"
    fifteen = f"CAST({value} AS TEXT)"
    return (
        f"CASE WHEN typeof({value}) != 'real' OR CAST({fifteen} AS REAL) = {value} THEN {fifteen} "
        f"ELSE printf('%%!.17g', {value}) END"  # %% : the query goes out with parameters
    )


def merge_staged_sqlite(model, batch, columns: Sequence[str], raw_chunks, *, now) -> tuple[int, int, int]:
    """:func:`merge_staged` on SQLite; (inserted, updated, unchanged).

    The staged rows go into a temporary table whose value columns have the facts' own (numeric)
    affinity, so a staged value compares with the stored one exactly as it would be stored. The
    changed rows are picked in one join, then one INSERT ... SELECT writes their revisions (the
    changed columns' old values as text that reads back as the stored number, and the old flags),
    one UPDATE ... FROM writes them (a blank keeps the stored value) and one INSERT ... SELECT
    adds the new rows, each in the file's order: no stored row is read into Python, and no
    Python object is made per value.
    """
    from .staging import SEP

    annual = model._meta.model_name == "annualfact"
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    staged, hit = "temp.qx_staged", "temp.qx_hit"
    period_col = qn("year" if annual else "month")
    cols = [qn(c) for c in columns]
    raw = connection.connection  # the driver's own executemany: no per-row work in Django
    with connection.cursor() as cursor:
        for name in (staged, hit):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMP TABLE qx_staged (seq INTEGER PRIMARY KEY, enterprise_id INTEGER, period TEXT, "
            f"pkey, above INTEGER, combined INTEGER{''.join(f', {c} NUMERIC' for c in cols)})"
        )
        # A blank cell is staged as an empty text: NULL here, in C.
        blanks_null = ", NULLIF(?, '')" * len(cols)
        insert = f"INSERT INTO {staged} VALUES (?, ?, ?, ?, ?, ?{blanks_null})"
        total = 0
        for chunk in raw_chunks:
            rows = []
            for pk, day, above, combined, text in chunk:
                total += 1
                period = _period_keys(day, annual)
                if cols:
                    rows.append((total, pk, *period, above, combined, *text.split(SEP)))
                else:
                    rows.append((total, pk, *period, above, combined))
            raw.executemany(insert, rows)
        changed = [f"(s.{c} IS NOT NULL AND s.{c} IS NOT t.{c})" for c in cols]
        any_changed = " OR ".join(changed) if changed else "0"
        # The staged rows drive the join (CROSS JOIN keeps them outside), each finding its stored
        # row through the (enterprise, period, source) key.
        match = (
            f"FROM {staged} AS s CROSS JOIN {table} AS t WHERE t.enterprise_id = s.enterprise_id "
            f"AND t.{period_col} = s.pkey AND t.source = %s"
        )
        cursor.execute(
            f"CREATE TEMP TABLE qx_hit AS SELECT t.id AS id, s.seq AS seq {match} AND ({any_changed})",
            [batch.source],
        )
        # SQLite has no concat() before 3.44.
        old_values = " || ".join(_old_values_parts(columns, changed, _sqlite_text, annual))
        cursor.execute(
            f"INSERT INTO {qn(FactRevision._meta.db_table)} (batch_id, kind, enterprise_id, period, source, "
            f"old_batch_id, old_values, changed_at) SELECT %s, %s, s.enterprise_id, s.period, t.source, "
            f"t.batch_id, {old_values}, %s FROM {hit} AS h JOIN {staged} AS s ON s.seq = h.seq "
            f"JOIN {table} AS t ON t.id = h.id ORDER BY h.seq",
            [batch.pk, "annual" if annual else "monthly", connection.ops.adapt_datetimefield_value(now)],
        )
        flag_sets = "" if annual else ", above_scale = s.above, combined_jan_feb = s.combined"
        keep = "".join(f", {c} = COALESCE(s.{c}, t.{c})" for c in cols)
        cursor.execute(
            f"UPDATE {table} AS t SET batch_id = %s{flag_sets}{keep} FROM {hit} AS h "
            f"JOIN {staged} AS s ON s.seq = h.seq WHERE t.id = h.id",
            [batch.pk],
        )
        updated = cursor.rowcount
        head = (
            "enterprise_id, year, source, batch_id"
            if annual
            else ("enterprise_id, month, source, batch_id, above_scale, combined_jan_feb")
        )
        new_flags = "" if annual else ", s.above, s.combined"
        cursor.execute(
            f"INSERT INTO {table} ({head}{''.join(', ' + c for c in cols)}) "
            f"SELECT s.enterprise_id, s.pkey, %s, %s{new_flags}{''.join(', s.' + c for c in cols)} "
            f"FROM {staged} AS s WHERE NOT EXISTS (SELECT 1 FROM {table} AS t "
            f"WHERE t.enterprise_id = s.enterprise_id AND t.{period_col} = s.pkey AND t.source = %s) "
            f"ORDER BY s.seq",
            [batch.source, batch.pk, batch.source],
        )
        inserted = cursor.rowcount
        for name in (staged, hit):
            cursor.execute(f"DROP TABLE {name}")
    return inserted, updated, total - inserted - updated
