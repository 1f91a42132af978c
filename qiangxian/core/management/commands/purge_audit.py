"""manage.py purge_audit: remove audit records past the retention (never younger than 180 days)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qiangxian.core import audit


class Command(BaseCommand):
    help = "清理超过保留期限的审计记录（保留期不少于 180 天，更近的记录一律拒绝清理）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="清理多少天以前的记录（默认 QX_AUDIT_RETENTION_DAYS）",
        )

    def handle(self, *args, **options):
        days = options["older_than_days"] or audit.retention_days()
        before = timezone.now() - dt.timedelta(days=days)
        try:
            deleted = audit.purge(before=before, actor_name="purge_audit")
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已清理 {timezone.localtime(before):%Y-%m-%d} 之前的审计记录 {deleted} 条。")
