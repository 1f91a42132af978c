"""Background tasks of the monitoring module (run by ``manage.py db_worker``).

Each task beats while it runs (``core.tasks.heartbeat``), so a batch whose worker died is seen
as interrupted and can be retried or discarded. A task started for a job that has since been
replaced (the batch was retried) does nothing.
"""

from __future__ import annotations

from contextlib import nullcontext

from django_tasks import task

from qiangxian.core import services as core_services
from qiangxian.core.models import User
from qiangxian.core.tasks import heartbeat

from .models import ImportBatch


def _current(batch_id: int, job_id: int | None) -> ImportBatch | None:
    batch = ImportBatch.objects.select_related("job").filter(pk=batch_id).first()
    if batch is None or (job_id is not None and batch.job_id != job_id):
        return None
    return batch


@task()
def validate_batch_task(batch_id: int, job_id: int | None = None) -> None:
    """Validate a large uploaded sheet, reporting progress on the batch's job."""
    from .services import import_validate
    from .sheets import FileUnreadable

    batch = _current(batch_id, job_id)
    if batch is None or batch.status != ImportBatch.Status.VALIDATING:
        return
    job = batch.job

    def progress(done: int, total: int) -> None:
        if job is not None:
            core_services.job_progress(job, done=done, total=total, message="正在校验…")

    try:
        with heartbeat(job.pk) if job is not None else nullcontext():
            batch = import_validate(batch=batch, progress=progress)
    except FileUnreadable as error:
        # A finished, readable outcome: the batch says why, nothing is left "校验中".
        review = {**batch.review, "errors": [{"row": "", "column": "", "value": "", "reason": str(error)}]}
        review["error_count"] = 1
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.INVALID, error_count=1, review=review
        )
        if job is not None:
            core_services.job_finish(job, ok=False, message=str(error))
        return
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
def commit_batch_task(batch_id: int, actor_id: int, job_id: int | None = None) -> None:
    """Commit a large staged batch in one transaction."""
    from .services import _commit

    batch = _current(batch_id, job_id)
    if batch is None or batch.status != ImportBatch.Status.COMMITTING:
        return
    job = batch.job
    actor = User.objects.get(pk=actor_id)
    if job is not None:
        core_services.job_progress(job, done=0, total=batch.row_count, message="正在写入并更新汇总…")
    try:
        with heartbeat(job.pk) if job is not None else nullcontext():
            batch = _commit(actor=actor, batch=batch)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.STAGED)
        if job is not None:
            core_services.job_finish(job, ok=False, message=f"提交失败（已回滚，未写入任何数据）：{error}")
        raise
    if job is not None:
        core_services.job_finish(job, ok=True, message=_commit_message(batch))


def _commit_message(batch: ImportBatch) -> str:
    if not (batch.inserted or batch.updated):
        return f"文件内容与已有数据完全相同，未作任何更改（{batch.unchanged} 条未变）。"
    return f"已提交：新增 {batch.inserted} 条，更正 {batch.updated} 条，未变 {batch.unchanged} 条。"
