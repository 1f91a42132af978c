"""Daily sweep: open tasks past their deadline become overdue even when nobody opens a page."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from qiangxian.supervision import services


class Command(BaseCommand):
    help = "将超过完成时限仍未办结的督办事项标为逾期（建议每天凌晨运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断，如 2026-07-01；默认今天")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            today = parse_date(date)
            if today is None:
                raise CommandError("日期格式应为 2026-07-01。")
        marked = services.overdue_sweep(today=today)
        self.stdout.write(f"已标记逾期督办事项 {marked} 项。")
