"""What /healthz reports: the database, the worker's last heartbeat, the oldest queued job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

WORKER_BEAT_SECONDS = 10


def _beat_file() -> Path:
    return Path(settings.VAR_DIR) / "worker-heartbeat"


def worker_beat() -> None:
    """Called by the worker's heartbeat thread: a file's time, no database write."""
    path = _beat_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def worker_last_beat() -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(_beat_file().stat().st_mtime, tz=dt.UTC)
    except OSError:
        return None


def oldest_queued_age(now: dt.datetime | None = None) -> float | None:
    """Seconds the oldest task still waiting for the worker has waited (None: nothing waits)."""
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.filter(status="READY", run_after__lte=now or timezone.now())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    if oldest is None:
        return None
    return round(((now or timezone.now()) - oldest).total_seconds(), 1)


def report() -> tuple[dict, bool]:
    """The health report and whether the platform is serving (the database answers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return {"status": "error", "database": "unreachable"}, False
    now = timezone.now()
    beat = worker_last_beat()
    age = round((now - beat).total_seconds(), 1) if beat else None
    stale_after = max(3 * WORKER_BEAT_SECONDS, 30)
    queued = oldest_queued_age(now)
    return (
        {
            "status": "ok",
            "database": "ok",
            "worker": {
                "last_heartbeat": beat.isoformat() if beat else None,
                "seconds_since": age,
                "alive": age is not None and age <= stale_after,
            },
            "queue": {"oldest_queued_seconds": queued},
        },
        True,
    )
