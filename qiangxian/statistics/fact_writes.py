"""Updating many fact rows in place: the bureau's revised month rewrites every value of a month.

Deleting and re-inserting a corrected row touches every index twice and writes every column;
an UPDATE of the reported columns only is cheaper. A NULL in the new values keeps the stored
value (COALESCE): a blank cell in a correction is "not reported", never "now empty".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


class RowUpdater:
    """UPDATE rows by primary key, fed a chunk at a time: rows are (pk, *set values, *keep values).

    ``set_columns`` are written as given; ``keep_columns`` keep the stored value where the new one
    is NULL. On SQLite each chunk is one executemany. On PostgreSQL the chunks are copied into a
    temporary table and :meth:`finish` runs one UPDATE ... FROM it: one join over the table,
    where an UPDATE per chunk could scan the whole table once per chunk.
    """

    def __init__(self, model, set_columns: Sequence[str], keep_columns: Sequence[str]) -> None:
        self.model = model
        self.set_columns, self.keep_columns = list(set_columns), list(keep_columns)
        self.columns = [*self.set_columns, *self.keep_columns]
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
            assignments = [f"{qn(c)} = %s" for c in self.set_columns] + [
                f"{qn(c)} = COALESCE(%s, {qn(c)})" for c in self.keep_columns
            ]
            sql = f"UPDATE {self.table} SET {', '.join(assignments)} WHERE id = %s"
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])

    def finish(self) -> None:
        if not self.postgres:
            return
        qn = self.qn
        assignments = [f"{qn(c)} = u.{qn(c)}" for c in self.set_columns] + [
            f"{qn(c)} = COALESCE(u.{qn(c)}, t.{qn(c)})" for c in self.keep_columns
        ]
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
        updater = RowUpdater(model, ["batch_id", *flag_columns, *columns], [])
        for start in range(0, len(rows), 5000):
            updater.add([(pk_of[key], *values) for key, values in rows[start : start + 5000]])
        updater.finish()
