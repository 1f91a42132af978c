"""manage.py backup: one dated archive of the database and the stored files, then retention."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qiangxian.core.ops import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个带清单的归档文件，并按保留期限清理旧备份。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="备份目录（默认 QX_BACKUP_DIR）")
        parser.add_argument("--keep-days", type=int, default=settings.QX_BACKUP_KEEP_DAYS)
        parser.add_argument("--keep-min", type=int, default=settings.QX_BACKUP_KEEP_MIN)

    def handle(self, *args, **options):
        folder = Path(options["dir"]) if options["dir"] else None
        try:
            archive = backup.create_backup(folder=folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.read_manifest(archive)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已备份：{archive}（{len(manifest['counts'])} 张表，{rows} 行）")
        removed = backup.prune(folder=folder, keep_days=options["keep_days"], keep_min=options["keep_min"])
        for path in removed:
            self.stdout.write(f"已清理过期备份：{path.name}")
