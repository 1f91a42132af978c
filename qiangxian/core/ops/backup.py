"""Backups and restores: one dated archive holding the database, the stored files and a manifest.

The database copy is consistent while the platform runs: SQLite's online backup API copies the
pages under its read lock, and ``pg_dump`` reads one snapshot. The manifest records the code's
version (the applied migrations), the row count and a checksum of every table, and a checksum
of every file in the archive, so a restore can refuse an archive it cannot read back and prove
that what it restored is what was saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "qiangxian-backup-"
# Tables a freshly migrated database already fills: a restore target may hold these rows.
MIGRATE_FILLED = {"django_migrations", "django_content_type", "auth_permission"}
# The county's figures: their checksum is the one to compare first after a restore.
FACT_TABLES = ("statistics_monthlyfact", "statistics_annualfact")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass(frozen=True)
class Fingerprint:
    """Row counts and content checksums of every table."""

    counts: dict[str, int]
    checksums: dict[str, str]

    @property
    def facts(self) -> str:
        """One checksum over the fact tables."""
        digest = hashlib.sha256()
        for table in FACT_TABLES:
            digest.update(f"{table}:{self.checksums.get(table, '')}\n".encode())
        return digest.hexdigest()


def app_version() -> str:
    try:
        return metadata.version("qiangxian")
    except metadata.PackageNotFoundError:
        return "unknown"


def code_migrations() -> list[str]:
    """Every migration the code carries, as ``app.name``: the version a database must be at."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.disk_migrations)


def applied_migrations() -> list[str]:
    """The migrations recorded as applied in the database."""
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _models_by_table() -> dict[str, type]:
    existing = set(connection.introspection.table_names())
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table in existing:
            tables[meta.db_table] = model
    return dict(sorted(tables.items()))


def fingerprint(cursor=None) -> Fingerprint:
    """Count and checksum every table of the platform, reading rows in primary-key order.

    Plain SQL through a DB-API cursor (Django's, or one on an SQLite copy with the same type
    converters), so the live database and a copy of it are read alike.
    """
    if cursor is None:
        with connection.cursor() as own:
            return fingerprint(own)
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    for table, model in _models_by_table().items():
        columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
        cursor.execute(f"SELECT {columns} FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}")
        digest = hashlib.sha256()
        count = 0
        while rows := cursor.fetchmany(5000):
            for row in rows:
                digest.update(repr(tuple(row)).encode())
                digest.update(b"\n")
            count += len(rows)
        counts[table] = count
        checksums[table] = digest.hexdigest()
    return Fingerprint(counts=counts, checksums=checksums)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}：请安装与数据库版本一致的 PostgreSQL 客户端。")
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:2000]}")


def _dump_database(folder: Path) -> tuple[str, Fingerprint]:
    """Copy the database into ``folder``; the copy's name and the fingerprint of what was copied."""
    if _is_sqlite():
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        # Read from the copy, not from the live database that keeps changing.
        return target.name, _fingerprint_of_copy(target)
    if connection.vendor != "postgresql":
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    target = folder / "database.pgdump"
    name = connection.settings_dict["NAME"]
    # pg_dump reads the very snapshot the fingerprint is computed in, so both describe one state.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                name,
            ]
        )
        printed = fingerprint()
    return target.name, printed


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup_dir() -> Path:
    return Path(settings.QX_BACKUP_DIR)


def create_backup(*, folder: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Write one archive ``qiangxian-backup-YYYYmmdd-HHMMSS.tar.gz`` and return its path."""
    folder = Path(folder or backup_dir())
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now())
    with tempfile.TemporaryDirectory(dir=folder) as work:
        work_path = Path(work)
        database, printed = _dump_database(work_path)
        media_root = Path(settings.MEDIA_ROOT)
        files = {database: _sha256(work_path / database)}
        media = _media_files()
        for path in media:
            files["files/" + path.relative_to(media_root).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": stamp.isoformat(),
            "app_version": app_version(),
            "engine": connection.vendor,
            "database": database,
            "migrations": applied_migrations(),
            "counts": printed.counts,
            "checksums": printed.checksums,
            "facts_checksum": printed.facts,
            "files": files,
        }
        archive = folder / f"{PREFIX}{stamp:%Y%m%d-%H%M%S}.tar.gz"
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(stamp.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(work_path / database, arcname=database)
            for path in media:
                tar.add(path, arcname="files/" + path.relative_to(media_root).as_posix())
        partial.rename(archive)  # a half-written archive never carries the final name
    archive.chmod(0o600)
    return archive


def _fingerprint_of_copy(path: Path) -> Fingerprint:
    """The fingerprint of an SQLite copy, read with the type converters Django's connection uses."""
    copy = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        return fingerprint(copy.cursor())
    finally:
        copy.close()


def read_manifest(archive: Path) -> dict:
    """The manifest of an archive; refuses a file that is not one of ours."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode())
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"不是有效的备份文件：{archive}（{error}）") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份文件格式 {manifest.get('format')} 不受支持（当前为 {FORMAT}）。")
    return manifest


def check_version(manifest: dict) -> None:
    """Refuse an archive written by another version of the code (other migrations)."""
    ours = code_migrations()
    theirs = manifest.get("migrations", [])
    if theirs != ours:
        missing = sorted(set(ours) - set(theirs))[:5]
        extra = sorted(set(theirs) - set(ours))[:5]
        raise BackupError(
            f"备份来自另一版本（备份 {manifest.get('app_version')}，当前 {app_version()}），"
            f"数据库结构不一致：备份缺少 {missing or '无'}，备份多出 {extra or '无'}。"
            "请用与备份相同版本的程序恢复，再执行 migrate 升级。"
        )
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('engine')} 数据库，当前为 {connection.vendor}：不能直接恢复。"
        )


def database_is_empty() -> bool:
    """No rows anywhere but in the tables ``migrate`` fills by itself."""
    for table, model in _models_by_table().items():
        if table not in MIGRATE_FILLED and model._base_manager.exists():
            return False
    return True


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件含有不安全的路径：{member.name}")
        members.append(member)
    return members


def restore_backup(archive: Path) -> dict:
    """Restore an archive into the (empty) configured database and the media folder.

    Checks the version first, every file's checksum after unpacking, and every table's row
    count and checksum after the database is restored. Returns the manifest.
    """
    archive = Path(archive)
    manifest = read_manifest(archive)
    check_version(manifest)
    if not database_is_empty():
        raise BackupError("目标数据库不是空的：只能恢复到新建（或仅执行过 migrate）的数据库。")
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work_path, members=_safe_members(tar), filter="data")
        for name, expected in manifest["files"].items():
            path = work_path / name
            if not path.is_file() or _sha256(path) != expected:
                raise BackupError(f"备份文件已损坏：{name} 的校验值不符。")
        _load_database(work_path / manifest["database"])
        _restore_media(work_path / "files")
    restored = fingerprint()
    wrong = [
        table
        for table, count in manifest["counts"].items()
        if restored.counts.get(table) != count
        or restored.checksums.get(table) != manifest["checksums"][table]
    ]
    if wrong:
        raise BackupError(f"恢复后数据与备份不一致：{'、'.join(wrong[:10])}。")
    return manifest


def _load_database(path: Path) -> None:
    if _is_sqlite():
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates the tables this connection may hold
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path),
        ]
    )


def _restore_media(source: Path) -> None:
    if not source.exists():
        return
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def prune(
    *, folder: Path | None = None, keep_days: int, keep_min: int, now: dt.datetime | None = None
) -> list[Path]:
    """Delete archives older than ``keep_days``, always keeping the newest ``keep_min``."""
    folder = Path(folder or backup_dir())
    archives = sorted(folder.glob(f"{PREFIX}*.tar.gz"), reverse=True)  # the name sorts by date
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    removed = []
    for archive in archives[keep_min:]:
        if dt.datetime.fromtimestamp(archive.stat().st_mtime, tz=dt.UTC) < cutoff:
            archive.unlink()
            removed.append(archive)
    return removed
