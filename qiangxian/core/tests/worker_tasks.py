"""A task for the two-worker test: counts each run of a job on the job itself."""

from __future__ import annotations

import time

from django.db.models import F
from django_tasks import task

from qiangxian.core.models import BackgroundJob


@task()
def count_run(job_id: int) -> None:
    """Add one to the job's ``attempts`` (a job run twice would show 2) and take a little time."""
    BackgroundJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    time.sleep(0.02)
