"""Updating many fact rows in place: the bureau's revised month rewrites every value of a month.

Deleting and re-inserting a corrected row touches every index twice and writes every column;
an UPDATE of the reported columns only is cheaper. A NULL in the new values keeps the stored
value (COALESCE): a blank cell in a correction is "not reported", never "now empty".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def update_rows(
    model, set_columns: Sequence[str], keep_columns: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """UPDATE rows by primary key: ``rows`` are (pk, *set values, *keep values).

    ``set_columns`` are written as given; ``keep_columns`` keep the stored value where the new
    one is NULL.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [*set_columns, *keep_columns]
    if connection.vendor == "postgresql":
        _update_postgresql(model, table, set_columns, keep_columns, columns, rows)
        return
    assignments = [f"{qn(c)} = %s" for c in set_columns] + [
        f"{qn(c)} = COALESCE(%s, {qn(c)})" for c in keep_columns
    ]
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])


def _update_postgresql(model, table, set_columns, keep_columns, columns, rows) -> None:
    """COPY the new values into a temporary table, then one UPDATE ... FROM it."""
    qn = connection.ops.quote_name
    types = []
    for name in columns:
        field = next(f for f in model._meta.concrete_fields if f.column == name)
        types.append(f"{qn(name)} {field.db_type(connection)}")
    temp = qn("qx_fact_update")
    assignments = [f"{qn(c)} = u.{qn(c)}" for c in set_columns] + [
        f"{qn(c)} = COALESCE(u.{qn(c)}, t.{qn(c)})" for c in keep_columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} (id bigint, {', '.join(types)})")
        cursor.execute(f"TRUNCATE {temp}")
        names = ", ".join(["id", *(qn(c) for c in columns)])
        with cursor.cursor.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} AS t SET {', '.join(assignments)} FROM {temp} AS u WHERE t.id = u.id")
        cursor.execute(f"TRUNCATE {temp}")
