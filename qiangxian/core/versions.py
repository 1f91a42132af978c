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

from django.db.models import Max


def digest(parts: Iterable[object]) -> str:
    """A short stable hash of the parts' text forms (for cache keys)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def history_fingerprint(*models, extra: Iterable[object] = ()) -> str:
    """The fingerprint of the models' history tables (their newest row), plus ``extra``."""
    parts = [model.history.aggregate(last=Max("pk"))["last"] for model in models]
    return digest([*parts, *extra])
