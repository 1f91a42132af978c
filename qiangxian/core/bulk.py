"""Fast inserts for bulk loads: COPY on PostgreSQL, executemany on SQLite.

Imports and rollup refreshes write hundreds of thousands of rows; building a model instance per
row costs more than the insert itself, so these helpers take plain tuples.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models

# Field types whose Python value is already what the database driver takes (for DecimalField and
# DateField see _converter).
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def bulk_insert(model, columns: Sequence[str], rows: Iterable[Sequence], *, binary: bool = False) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into the model's table; returns the row count.

    ``binary``: on PostgreSQL, COPY in binary format, each value sent in its column's own type
    (the model field's): numbers cross without being written out as text and parsed again,
    which takes most of the client's time on wide numeric rows. Each value must then be of the
    column's Python type exactly (int for integer columns, float or int for floating ones,
    str for text, bool, JSON text for a JSON column).
    """
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = _copy_types(model, columns) if binary else None
            options = " (FORMAT BINARY)" if binary else ""
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN{options}") as copy:
                if types is None:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                    return count
                copy.set_types(types)
                json_at = [i for i, t in enumerate(types) if t == _JSON_AS_BYTES]
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            if row[i] is not None:
                                # jsonb's binary form: a version byte (1), then the JSON text.
                                row[i] = b"\x01" + row[i].encode()
                    copy.write_row(row)
                    count += 1
            return count
        # SQLite: several rows per INSERT statement. Each run of a statement has a fixed cost,
        # paid here once per batch instead of once per row as executemany would (about a sixth
        # less time on 100,000 rows of 23 columns); the statement is prepared once per size.
        per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_PARAMS // max(len(columns), 1)))
        row_sql = "(" + ", ".join(["?"] * len(columns)) + ")"
        raw = connection.connection  # the driver's own: "?" placeholders, no per-statement rewrite
        it = iter(rows)
        while batch := list(itertools.islice(it, per)):
            raw.execute(
                f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([row_sql] * len(batch)),
                list(itertools.chain.from_iterable(batch)),
            )
            count += len(batch)
    return count


def among(column: str, ids: Iterable[int]) -> tuple[str, list]:
    """SQL ``column`` in ``ids`` with one parameter however many ids (an array on PostgreSQL, a
    JSON list on SQLite): no limit on the number of parameters.

    On PostgreSQL the array is unnested into a set rather than compared with ``= ANY``: with a
    month's facts just loaded and not yet analysed, the planner takes the month's index and tests
    each of its rows against the whole array (0.7 s for 1,000 ids over 100,000 rows, 60 ms so).
    """
    ids = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return f"{column} IN (SELECT unnest(%s::bigint[]))", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


# SQLite takes up to 32,766 parameters per statement (since 3.32); rows per INSERT, at most.
SQLITE_MAX_PARAMS = 32_000
SQLITE_ROWS_PER_INSERT = 500
# A JSON column's values go out as bytes already in jsonb's binary form (see bulk_insert).
_JSON_AS_BYTES = "bytea"


def _copy_types(model, columns: Sequence[str]) -> list[str]:
    """PostgreSQL type names of the columns for a binary COPY (the fields' database types)."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    types = []
    for column in columns:
        field = by_column[column]
        if isinstance(field, models.JSONField):
            types.append(_JSON_AS_BYTES)
        else:
            types.append(field.db_type(connection).split("(")[0].strip())
    return types


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


HANDLED = (models.CASCADE, models.PROTECT, models.RESTRICT, models.DO_NOTHING, models.SET_NULL)


def delete_with_history(queryset, *, user, reason: str, date, batch_size: int = 1000) -> int:
    """Delete the rows of ``queryset`` and the rows that cascade from them, keeping history.

    What ``QuerySet.delete()`` does, without a signal and an INSERT per row: each deleted row of a
    model kept with django-simple-history gets its "删除" record (who, when, why), written with
    one bulk insert per model. Rows that protect the deleted ones raise ``ProtectedError`` before
    anything is deleted at that level. A model with a relation handled otherwise (SET_DEFAULT,
    SET(...)) is left to Django's own deletion. Returns the rows deleted
    from ``queryset``'s model. Call inside a transaction. No delete signal is sent: the history
    records are the only receivers the project has for the deletions this is used for.
    """
    model = queryset.model
    objects = list(queryset)
    if not objects:
        return 0
    # Every relation pointing here, hidden ones included (the rows of a many-to-many table too):
    # the relations Django's own deletion follows.
    relations = [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)
    ]
    if any(rel.on_delete not in HANDLED for rel in relations):
        return (
            model._base_manager.filter(pk__in=[o.pk for o in objects]).delete()[1].get(model._meta.label, 0)
        )
    pks = [o.pk for o in objects]
    for start in range(0, len(pks), batch_size):
        part = pks[start : start + batch_size]
        for rel in relations:
            related = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": part})
            if rel.on_delete in (models.PROTECT, models.RESTRICT):
                blocking = list(related[:1])
                if blocking:
                    raise models.ProtectedError(
                        f"{model._meta.verbose_name}被{rel.related_model._meta.verbose_name}引用，不能删除。",
                        set(blocking),
                    )
            elif rel.on_delete is models.CASCADE:
                delete_with_history(related, user=user, reason=reason, date=date, batch_size=batch_size)
            elif rel.on_delete is models.SET_NULL:
                # As Django's deletion does it: one UPDATE, no history row for the cleared link.
                related.update(**{rel.field.name: None})
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is not None:
        record = getattr(model, manager_name).model
        fields = [f.attname for f in record.tracked_fields]
        record.objects.bulk_create(
            [
                record(
                    history_date=date,
                    history_user=user,
                    history_change_reason=reason,
                    history_type="-",
                    **{name: getattr(obj, name) for name in fields},
                )
                for obj in objects
            ],
            batch_size=batch_size,
        )
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            part = pks[start : start + batch_size]
            cursor.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} "
                f"IN ({', '.join(['%s'] * len(part))})",
                part,
            )
    return len(pks)
