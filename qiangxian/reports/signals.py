"""The scheduled monthly report: when a month's statistics are committed, and the office has
switched it on (``ReportSettings.auto_monthly``), the county's report is written in the
background and a notice put in the office's inbox."""

from __future__ import annotations

from django.dispatch import receiver

from qiangxian.statistics.events import import_committed


@receiver(import_committed, dispatch_uid="reports.monthly_on_import")
def monthly_on_import(sender, batch, months, actor, **kwargs) -> None:
    from qiangxian.core.access import settings_county_id

    from .models import ReportSettings
    from .tasks import scheduled_monthly_task

    county_id = settings_county_id(actor) if actor is not None else None
    if not months or not ReportSettings.current(county_id).auto_monthly:
        return
    latest = max(months)
    scheduled_monthly_task.enqueue(latest.isoformat(), actor.pk if actor else None)
