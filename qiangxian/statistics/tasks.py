"""Background tasks of the monitoring module (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from qiangxian.core import services as core_services
from qiangxian.core.models import User

from .models import ImportBatch


@task()
def validate_batch_task(batch_id: int) -> None:
    """Validate a large uploaded sheet, reporting progress on the batch's job."""
    from .services import import_validate

    batch = ImportBatch.objects.select_related("job").get(pk=batch_id)
    job = batch.job

    def progress(done: int, total: int) -> None:
        if job is not None:
            core_services.job_progress(job, done=done, total=total, message="正在校验…")

    try:
        batch = import_validate(batch=batch, progress=progress)
    except Exception as error:  # the user must see a failure, never a batch stuck "validating"
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.FAILED)
        if job is not None:
            core_services.job_finish(job, ok=False, message=f"校验失败：{error}")
        raise
    if job is not None:
        message = (
            f"校验完成：{batch.row_count} 行，{batch.error_count} 处错误。"
            if batch.error_count
            else f"校验通过：{batch.row_count} 行，待提交。"
        )
        core_services.job_finish(job, ok=True, message=message)


@task()
def commit_batch_task(batch_id: int, actor_id: int) -> None:
    """Commit a large staged batch in one transaction."""
    from .services import _commit

    batch = ImportBatch.objects.select_related("job").get(pk=batch_id)
    job = batch.job
    actor = User.objects.get(pk=actor_id)
    if job is not None:
        core_services.job_progress(job, done=0, total=batch.row_count, message="正在写入并更新汇总…")
    try:
        batch = _commit(actor=actor, batch=batch)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.STAGED)
        if job is not None:
            core_services.job_finish(job, ok=False, message=f"提交失败（未写入任何数据）：{error}")
        raise
    if job is not None:
        core_services.job_finish(
            job, ok=True, message=f"已提交：新增 {batch.inserted} 条，更正 {batch.updated} 条。"
        )
