"""Background tasks of the core (run by ``manage.py db_worker``) and the liveness of every job.

A worker can die (killed, machine restarted) in the middle of a task: the job would show
"进行中" forever. Each task beats while it runs (:func:`heartbeat`), from a thread with its own
database connection, so a job that is not finished and has not beaten for a while
(:func:`job_is_stale`) is known to be dead and can be retried or discarded by whoever owns it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from . import exports, services
from .choices import JobStatus
from .models import BackgroundJob

PROGRESS_EVERY = 2000


def heartbeat_seconds() -> float:
    return float(getattr(settings, "QX_JOB_HEARTBEAT_SECONDS", 10))


def stale_seconds() -> float:
    """After this long without a heartbeat an unfinished job counts as dead."""
    return float(getattr(settings, "QX_JOB_STALE_SECONDS", 120))


@contextmanager
def heartbeat(job_id: int):
    """Mark the job started and keep its ``heartbeat_at`` fresh until the block ends.

    The beat runs in a thread: the task's own connection may be inside a long transaction whose
    writes nobody else sees until it ends. On SQLite that transaction also holds the write lock,
    so a beat may wait or fail; it is skipped then, and the stale limit is set well above the
    longest single write.
    """
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
    )
    stop = threading.Event()
    every = heartbeat_seconds()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    BackgroundJob.objects.filter(pk=job_id, finished_at__isnull=True).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    continue
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


def job_is_stale(job: BackgroundJob, now: dt.datetime | None = None) -> bool:
    """An unfinished job whose worker stopped beating (or never started it) long enough ago."""
    if job.is_finished:
        return False
    last = job.heartbeat_at or job.created_at
    return (now or timezone.now()) - last > dt.timedelta(seconds=stale_seconds())


def job_restart(job: BackgroundJob, *, message: str) -> BackgroundJob:
    """Put a dead job back in the queue state before its task is enqueued again."""
    job.status = JobStatus.QUEUED
    job.done = 0
    job.message = message
    job.heartbeat_at = timezone.now()  # the stale clock starts again from the retry
    job.finished_at = None
    job.save(update_fields=["status", "done", "message", "heartbeat_at", "finished_at"])
    return job


def export_name(job: BackgroundJob) -> str:
    """Where a job's generated file is kept in the default storage."""
    return f"exports/{job.created_at:%Y/%m}/job-{job.pk}.xlsx"


@task()
def run_list_export(job_id: int) -> None:
    """Write a registered list's filtered rows to an .xlsx file, reporting progress as it goes."""
    from .lists import EXPORTS

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    try:
        with heartbeat(job.pk):
            spec = EXPORTS[job.params["key"]]
            headers, rows, total = spec.rows(job.owner, QueryDict(job.params.get("query", "")))
            services.job_progress(job, done=0, total=total, message="正在导出…")

            def counted():
                for index, row in enumerate(rows, start=1):
                    if index % PROGRESS_EVERY == 0:
                        services.job_progress(job, done=index)
                    yield row

            # Written to a local scratch file, then kept in the default storage (the shared
            # directory or the S3-compatible store) where any web host can serve it.
            with tempfile.TemporaryFile() as stream:
                written = exports.write_xlsx(
                    stream,
                    sheets=[(spec.title, headers, counted())],
                    watermark=exports.watermark_line(job.owner),
                )
                stream.seek(0)
                name = default_storage.save(export_name(job), File(stream))
        services.job_finish(job, ok=True, message=f"已导出 {written} 条记录。", result_file=name)
    except Exception as error:  # the user must see a failure, never a job stuck "in progress"
        services.job_finish(job, ok=False, message=f"导出失败：{error}")
        raise
