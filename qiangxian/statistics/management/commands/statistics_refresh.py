"""manage.py statistics_refresh: rebuild the stored rollups after enterprises change place or cluster."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from qiangxian.statistics import rollup


class Command(BaseCommand):
    help = "重新计算全部月份的汇总数据、排名和预警（企业调整乡镇、园区或产业集群后运行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            months = rollup.refresh_all()
        self.stdout.write(
            self.style.SUCCESS(f"已重新汇总 {len(months)} 个月，用时 {time.monotonic() - started:.1f} 秒。")
        )
