"""Two background workers against one PostgreSQL database never run the same job twice.

The workers (``manage.py db_worker``, django-tasks-db) claim a job inside a transaction with
``SELECT ... FOR UPDATE SKIP LOCKED``: a row one worker holds is invisible to the other. The test
starts two real worker processes on the test database, queues jobs, and counts every run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
JOBS = 60


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_two_workers_never_run_a_job_twice(users, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks")
    from django_tasks_db.models import DBTaskResult

    from qiangxian.core.models import BackgroundJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks import task_backends

    task_backends._settings = None  # the backends are read again from the settings above
    task_backends.__dict__.pop("settings", None)
    from .worker_tasks import count_run

    jobs = [
        BackgroundJob.objects.create(kind="test", title=f"任务{i}", owner=users["office"])
        for i in range(JOBS)
    ]
    for job in jobs:
        count_run.using(backend="default").enqueue(job.pk)
    assert DBTaskResult.objects.count() == JOBS

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": "two-workers-test-secret-key-0123456789abcdef",
        "QX_TESTING": "",
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--interval",
        "0.05",
        "--batch",
        "--no-startup-delay",
    ]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"w{i}"], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        for i in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(w.poll() is None for w in workers):
            time.sleep(0.2)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    runs = dict(BackgroundJob.objects.filter(kind="test").values_list("pk", "attempts"))
    assert sorted(set(runs.values())) == [1], {k: v for k, v in runs.items() if v != 1}
    # Both workers took part (else the test would prove nothing about two of them).
    by_worker = {tuple(r.worker_ids) for r in DBTaskResult.objects.all()}
    assert {("w1",), ("w2",)} <= by_worker, by_worker
