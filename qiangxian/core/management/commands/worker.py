"""manage.py worker: the background task worker (django-tasks' db_worker) with a heartbeat.

The worker touches ``var/worker-heartbeat`` every few seconds from a thread, so ``/healthz``
can tell a worker that is alive but idle from one that is gone.
"""

from __future__ import annotations

import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from qiangxian.core import health


class Command(DbWorkerCommand):
    help = "运行后台任务进程（带心跳，/healthz 可见）。"

    def handle(self, *args, **options):
        stop = threading.Event()

        def beat() -> None:
            while True:
                health.worker_beat()
                if stop.wait(health.WORKER_BEAT_SECONDS):
                    return

        thread = threading.Thread(target=beat, name="worker-heartbeat", daemon=True)
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
