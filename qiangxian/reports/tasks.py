"""Background tasks of the reports module (run by ``manage.py db_worker``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django_tasks import task

from qiangxian.core.access import scope_of
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User

logger = logging.getLogger(__name__)


def county_author(actor: User | None, county_id: int | None) -> User | None:
    """Who the scheduled report is written as: the committing user when they see the whole county,
    else the county's first active office user (the report reads what the office reads)."""
    if actor is not None and scope_of(actor).everything:
        return actor
    office = User.objects.filter(is_active=True, role=Role.OFFICE).order_by("pk")
    if county_id:
        office = office.filter(Q(org_unit__county_id=county_id) | Q(org_unit_id=county_id))
    return office.first()


def offices(county_id: int | None):
    units = OrgUnit.objects.filter(kind=OrgUnitKind.OFFICE)
    return units.filter(county_id=county_id) if county_id else units.filter(county__parent__isnull=True)


@task()
def scheduled_monthly_task(month_iso: str, actor_id: int | None) -> None:
    """Write the county's monthly report for ``month_iso`` and tell the office."""
    from qiangxian.inbox.services import notice_send
    from qiangxian.statistics.selectors import aggregate_scope

    from . import services

    month = dt.date.fromisoformat(month_iso)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    county_id = actor.org_unit.county_id if actor is not None and actor.org_unit_id else None
    author = county_author(actor, county_id)
    if author is None:
        logger.warning("scheduled report for %s: no office user to write it as", month_iso)
        return
    scope = aggregate_scope(author)
    try:
        report = services.generate_monthly(actor=author, month=month, scope=scope, scheduled=True)
    except (ValidationError, PermissionDenied) as error:
        logger.warning("scheduled report for %s not written: %s", month_iso, error)
        return
    notice_send(
        kind="reports.monthly.generated",
        title=f"{report.title}已生成",
        body=f"{month.year}年{month.month}月运行数据已提交，平台已自动生成月度分析（第{report.version}版），请审阅并填写下一步工作。",
        link=reverse("reports:detail", args=[report.pk]),
        units=offices(report.county_id or county_id),
        related=report,
    )
