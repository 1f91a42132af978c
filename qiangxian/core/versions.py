"""Fingerprints of stored inputs, so what is computed from them can be kept until they change.

A page that every user of a scope sees the same (the dashboard, the tier pool) is built once and
kept in the cache under a key holding the fingerprint of everything it reads. Every write to a
domain model leaves a history row (simple-history), so the newest history row id of each input
model changes with any insert, update or delete (a delete is a history row too): a kept result is
never stale, and old entries just age out of the cache. The newest id is read from the primary
key's index, so a fingerprint costs one index probe per model however long the history grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection


def digest(parts: Iterable[object]) -> str:
    """A short stable hash of the parts' text forms (for cache keys)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


_history_tables: dict[type, tuple[str, str]] = {}


def _history_table(model) -> tuple[str, str]:
    """The history table of ``model`` and its key column, looked up once (``model.history`` builds
    a new manager class on every access)."""
    found = _history_tables.get(model)
    if found is None:
        meta = model.history.model._meta
        found = _history_tables[model] = (meta.db_table, meta.pk.column)
    return found


def history_fingerprint(*models, extra: Iterable[object] = ()) -> str:
    """The fingerprint of the models' history tables (their newest row), plus ``extra``.

    One query for all the models: each newest id is read from its table's primary key index."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in map(_history_table, models)
    )
    parts: list = []
    if columns:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns}")  # names from the models' own tables, nothing from a user
            parts = list(cursor.fetchone())
    return digest([*parts, *extra])
