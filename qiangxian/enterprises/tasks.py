"""Background tasks of the registry (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django_tasks import task

from qiangxian.core import services as core_services
from qiangxian.core.models import User

from .choices import ImportStatus
from .models import ImportBatch


@task()
def undo_batch_task(batch_id: int, actor_id: int) -> None:
    """Undo a large registry import batch in one transaction, reporting progress on its job."""
    from .importers.batches import _undo

    batch = ImportBatch.objects.select_related("undo_job").get(pk=batch_id)
    job = batch.undo_job
    actor = User.objects.get(pk=actor_id)
    total = batch.items.count()
    if job is not None:
        core_services.job_progress(job, done=0, total=total, message="正在撤销：恢复原值、删除新增企业…")

    def progress(done: int, of: int) -> None:
        if job is not None:
            core_services.job_progress(job, done=done, total=of)

    try:
        batch = _undo(actor=actor, batch_id=batch_id, progress=progress)
    except Exception as error:  # the page must show why, never a batch stuck "撤销中"
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.UNDOING).update(
            status=ImportStatus.APPLIED
        )
        if job is not None:
            reason = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            core_services.job_finish(job, ok=False, message=f"撤销失败（未做任何修改）：{reason}"[:500])
        if not isinstance(error, ValidationError):
            raise
        return
    if job is not None:
        core_services.job_finish(
            job,
            ok=True,
            message=f"已撤销：删除新增企业 {batch.created_count} 户，恢复 {batch.updated_count} 户。",
        )
