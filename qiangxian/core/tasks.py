"""Background tasks of the core (run by ``manage.py db_worker``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django_tasks import task

from . import exports, services
from .models import BackgroundJob

PROGRESS_EVERY = 2000


@task()
def run_list_export(job_id: int) -> None:
    """Write a registered list's filtered rows to an .xlsx file, reporting progress as it goes."""
    from .lists import EXPORTS

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    try:
        spec = EXPORTS[job.params["key"]]
        headers, rows, total = spec.rows(job.owner, QueryDict(job.params.get("query", "")))
        services.job_progress(job, done=0, total=total, message="正在导出…")

        def counted():
            for index, row in enumerate(rows, start=1):
                if index % PROGRESS_EVERY == 0:
                    services.job_progress(job, done=index)
                yield row

        folder = Path(settings.VAR_DIR) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"job-{job.pk}.xlsx"
        with path.open("wb") as stream:
            written = exports.write_xlsx(stream, sheets=[(spec.title, headers, counted())])
        services.job_finish(job, ok=True, message=f"已导出 {written} 条记录。", result_file=path.name)
    except Exception as error:  # the user must see a failure, never a job stuck "in progress"
        services.job_finish(job, ok=False, message=f"导出失败：{error}")
        raise
