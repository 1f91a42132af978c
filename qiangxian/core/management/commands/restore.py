"""manage.py restore ARCHIVE: restore an archive of the same version into an empty database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qiangxian.core.ops import backup


class Command(BaseCommand):
    help = "把备份恢复到空数据库（版本须与备份一致），并核对每张表的行数和校验值。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（qiangxian-backup-*.tar.gz）")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore_backup(Path(options["archive"]))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        tables = len(manifest["counts"])
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份：{tables} 张表，{rows} 行，数据校验一致。")
