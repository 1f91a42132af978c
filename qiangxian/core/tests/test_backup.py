"""Backups: a demo county survives backup → empty database → restore, figure for figure."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qiangxian.core.ops import backup
from qiangxian.dashboard import services as dashboard
from qiangxian.demo.generator import generate_demo
from qiangxian.statistics import indicators, selectors


def _board_rows():
    month = selectors.available_months()[0]
    board = dashboard.build(month=month, scope=indicators.COUNTY, above_only=True)
    return dashboard.export_sheets(board)


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_and_figure(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "批次-1.xlsx").write_bytes(b"stored file")
    generate_demo(seed=11, enterprises=40, password="Demo-pass-2026")
    before = backup.fingerprint()
    board_before = _board_rows()
    assert before.counts["enterprises_enterprise"] == 40
    assert before.counts["statistics_monthlyfact"] > 0

    call_command("backup", dir=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("qiangxian-backup-*.tar.gz")
    manifest = backup.read_manifest(archive)
    assert manifest["facts_checksum"] == before.facts
    assert manifest["migrations"] == backup.code_migrations()

    # A database holding data is never overwritten.
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(archive))

    # An empty database (freshly migrated) and an empty media folder.
    call_command("flush", interactive=False, inhibit_post_migrate=True)
    (settings.MEDIA_ROOT / "imports" / "批次-1.xlsx").unlink()
    assert backup.fingerprint().counts["enterprises_enterprise"] == 0

    call_command("restore", str(archive))
    after = backup.fingerprint()
    assert after.counts == before.counts
    assert after.facts == before.facts
    assert after.checksums == before.checksums
    assert _board_rows() == board_before
    assert (settings.MEDIA_ROOT / "imports" / "批次-1.xlsx").read_bytes() == b"stored file"


def _rewrite_manifest(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_archive_of_another_version_or_damaged_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup.create_backup(folder=tmp_path)

    def older(manifest):
        # One migration fewer than this code carries (the code carries none under --nomigrations:
        # then one unknown to it).
        ours = backup.code_migrations()
        manifest["migrations"] = ours[:-1] if ours else ["core.0000_other_version"]
        manifest["app_version"] = "0.0.9"

    other = _rewrite_manifest(archive, tmp_path / "other.tar.gz", older)
    with pytest.raises(CommandError, match="另一版本"):
        call_command("restore", str(other))

    def damaged(manifest):
        manifest["files"][manifest["database"]] = "0" * 64
        # Of this version whatever the test database recorded (none under --nomigrations), so the
        # damage is what is refused.
        manifest["migrations"] = backup.code_migrations()

    call_command("flush", interactive=False, inhibit_post_migrate=True)
    broken = _rewrite_manifest(archive, tmp_path / "broken.tar.gz", damaged)
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(broken))

    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_prune_keeps_the_newest_and_the_recent(tmp_path):
    import datetime as dt
    import os

    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    for day in range(1, 11):
        path = tmp_path / f"{backup.PREFIX}202611{day:02d}-020000.tar.gz"
        path.write_bytes(b"x")
        stamp = dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC).timestamp()
        os.utime(path, (stamp, stamp))
    removed = backup.prune(folder=tmp_path, keep_days=25, keep_min=3, now=now)
    # Older than 25 days: the 1st to the 5th; the newest three are kept whatever their age.
    assert sorted(p.name for p in removed) == [
        f"{backup.PREFIX}202611{d:02d}-020000.tar.gz" for d in range(1, 6)
    ]
    assert len(list(tmp_path.glob("*.tar.gz"))) == 5
