"""Lost-update protection shared by every app: the "stale" refusal and version comparison.

A form or API client sends back the version it read (``updated_at``, or a counter); the service
locks the row and refuses with ``ValidationError(..., code=STALE)`` if the row changed since.
Pages show the message; the API answers 409.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

STALE = "stale"


def is_stale(error: ValidationError) -> bool:
    """Whether a service refused a write because the record changed since it was read."""
    errors = (
        [e for group in error.error_dict.values() for e in group] if hasattr(error, "error_dict") else [error]
    )
    return any(getattr(e, "code", None) == STALE for e in errors)


def _millis(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def same_version(stored: dt.datetime, expected: dt.datetime | None) -> bool:
    """Whether ``expected`` (as read by the user) still matches the stored ``updated_at``.

    ``None`` means the caller did not say what it read, which is accepted. Timestamps are compared
    to the millisecond because JSON (Django's encoder) carries no more.
    """
    return expected is None or _millis(stored) == _millis(expected)
