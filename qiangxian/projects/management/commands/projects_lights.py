"""Monthly evaluation of every project's light (run after each month's progress is in)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from qiangxian.projects import services


class Command(BaseCommand):
    help = "按月重算全部项目的红黄绿灯（默认上一个完整月份）。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="评价月份，如 2026-10；默认上一个完整月份")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                year, number = (int(part) for part in month.split("-")[:2])
            except ValueError as exc:
                raise CommandError("月份格式应为 2026-10。") from exc
        else:
            year, number = services.default_evaluation_month()
        changed = services.lights_recompute_month(actor=None, year=year, month=number)
        self.stdout.write(f"已按 {year}-{number:02d} 重算灯号，{changed} 个项目灯号有变化。")
