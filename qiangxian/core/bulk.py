"""Fast inserts for bulk loads: COPY on PostgreSQL, executemany on SQLite.

Imports and rollup refreshes write hundreds of thousands of rows; building a model instance per
row costs more than the insert itself, so these helpers take plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

# Field types whose Python value is already what the database driver takes (for DecimalField and
# DateField see _converter).
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def bulk_insert(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into the model's table; returns the row count."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders})"
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    """Rows of a raw query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def prepared_rows(fields: Sequence[models.Field], objects: Iterable[models.Model]):
    """Tuples of database-ready values of ``fields`` for model instances (for :func:`bulk_insert`).

    What ``QuerySet.bulk_create`` does per value (``get_db_prep_save``), done once per column kind
    instead of through the query compiler: imports of tens of thousands of rows spend most of
    their time there otherwise. ``auto_now`` fields are taken as they are: set them first.
    """
    converters = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    for obj in objects:
        yield tuple(
            getattr(obj, a) if conv is None else conv(getattr(obj, a))
            for a, conv in zip(attnames, converters, strict=True)
        )


def _converter(field: models.Field):
    """The function that makes a field's Python value database-ready, or None for "as it is"."""
    if isinstance(field, (*_PLAIN, models.DecimalField, models.DateField)) and not isinstance(
        field, models.DateTimeField
    ):
        # Both drivers take Decimal and date as they are (Django registers SQLite's adapters).
        return None
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)
