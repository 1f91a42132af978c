"""manage.py demo: generate the demo county."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError

from qiangxian.core.models import OrgUnit
from qiangxian.demo.generator import generate_demo

DEFAULT_DEMO_PASSWORD = "Qiangxian@2026"


class Command(BaseCommand):
    help = "生成演示县（可重复：同一 seed 生成相同数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--enterprises", type=int, default=1500)
        parser.add_argument("--if-empty", action="store_true", help="数据库已有单位时什么也不做")
        parser.add_argument(
            "--counties", type=int, default=1, help="县的个数：大于 1 时生成一个含多个县的市（含市领导账号）"
        )
        parser.add_argument("--password", default=None, help="演示账号密码（默认取 DEMO_PASSWORD 环境变量）")

    def handle(self, *args, **options):
        if OrgUnit.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库已有数据，跳过演示数据生成。")
                return
            raise CommandError(
                "数据库不是空的：演示数据只能生成到空数据库中（可删除 var/ 下的数据库后重试）。"
            )
        if not 1 <= options["counties"] <= 100:
            raise CommandError("县的个数应在 1 到 100 之间。")
        if options["enterprises"] < 10:
            raise CommandError("企业数量至少为 10。")
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        started = time.monotonic()
        ctx = generate_demo(
            seed=options["seed"],
            enterprises=options["enterprises"],
            password=password,
            progress=lambda label: self.stdout.write(f"  · {label}"),
            counties=options["counties"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"演示县已生成：{len(ctx.enterprise_ids)} 户企业，{len(ctx.users)} 个演示账号，"
                f"用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
