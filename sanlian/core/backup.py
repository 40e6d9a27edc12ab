"""Backups and restores of the whole site: the database and the files, with a checked manifest.

An archive (`sanlian-backup-<UTC time>.tar.gz`, or the same content as a directory) holds:

    manifest.json      format, time, engine, migration heads, and the size and sha256 of each part
    database.sqlite3   SQLite: a copy made with SQLite's online backup API (consistent while the site runs)
    database.dump      PostgreSQL: `pg_dump -Fc` (custom format, restored with pg_restore)
    media.tar          MEDIA_ROOT (uploaded files)
    imports.tar        SANLIAN_IMPORT_DIR (import files waiting for their job)

Restoring checks the manifest and every checksum before touching anything, refuses another engine's
archive and one made by newer code (migrations this code does not have), then restores the database
(SQLite: the backup API copies the archived file over the live database under SQLite's lock, so no open
connection reads a half-replaced file; PostgreSQL: `pg_restore --clean --if-exists --single-transaction`)
and swaps each files directory for the archived one by renaming.

Only settings and the database connection are used from Django; the commands `sanlian backup` and
`sanlian restore` are thin wrappers.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump and pg_restore only (fixed argument lists)
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DB_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FILE_PARTS = {"media.tar": "MEDIA_ROOT", "imports.tar": "SANLIAN_IMPORT_DIR"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (localised)."""


@dataclass
class Archive:
    path: Path  # the checked, unpacked directory
    manifest: dict


def engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DB_PARTS:
        raise BackupError(_("不支持备份该数据库类型:%(vendor)s") % {"vendor": vendor})
    return vendor


def migration_heads(alias: str = "default") -> dict[str, str]:
    """The latest applied migration of each app, as recorded in the database."""
    from django.db.migrations.recorder import MigrationRecorder

    heads: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        heads[app] = max(heads.get(app, ""), name)
    return dict(sorted(heads.items()))


def backup_create(*, output_dir: Path, as_directory: bool = False, now: datetime | None = None) -> Path:
    """Write one archive of the database and the files into `output_dir`; returns its path."""
    now = now or datetime.now(UTC)
    kind = engine()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    name = f"sanlian-backup-{now:%Y%m%dT%H%M%SZ}"
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=output_dir))
    try:
        db_part = staging / DB_PARTS[kind]
        if kind == "sqlite":
            _dump_sqlite(db_part)
        else:
            _dump_postgresql(db_part)
        for part, setting in FILE_PARTS.items():
            _tar_directory(Path(getattr(settings, setting)), staging / part)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": kind,
            "migrations": migration_heads(),
            "parts": {p.name: {"size": p.stat().st_size, "sha256": _sha256(p)} for p in sorted(staging.iterdir())},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        if as_directory:
            target = output_dir / name
            staging.rename(target)
            return target
        target = output_dir / f"{name}.tar.gz"
        partial = target.with_suffix(".gz.partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            for path in sorted(staging.iterdir()):
                tar.add(path, arcname=path.name)
        partial.rename(target)  # never a half-written archive under the final name
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def archive_open(path: Path, *, workdir: Path) -> Archive:
    """Unpack (if needed) and check an archive: manifest, format, every part's size and sha256."""
    path = Path(path)
    if not path.exists():
        raise BackupError(_("备份文件不存在:%(path)s") % {"path": path})
    if path.is_dir():
        folder = path
    else:
        folder = workdir / "archive"
        folder.mkdir()
        try:
            with tarfile.open(path, "r:*") as tar:
                tar.extractall(folder, filter="data")  # no absolute paths, links out or devices
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(_("不是有效的备份文件(无法解包):%(error)s") % {"error": exc}) from exc
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        parts = manifest["parts"]
        kind = manifest["engine"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(_("不是三链平台的备份:缺少或无法读取 manifest.json")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不支持的备份格式版本:%(format)s") % {"format": manifest.get("format")})
    expected = {DB_PARTS.get(kind), *FILE_PARTS}
    if None in expected or set(parts) != expected:
        raise BackupError(_("备份内容不完整或不符:%(parts)s") % {"parts": ", ".join(sorted(parts))})
    for part, facts in parts.items():
        file = folder / part
        if not file.is_file() or file.stat().st_size != facts["size"] or _sha256(file) != facts["sha256"]:
            raise BackupError(_("备份已损坏:%(part)s 的校验和不符") % {"part": part})
    return Archive(path=folder, manifest=manifest)


def restore_check(archive: Archive) -> list[str]:
    """Refuse an archive this site cannot take; returns notes for the operator (older migrations)."""
    kind, here = archive.manifest["engine"], engine()
    if kind != here:
        raise BackupError(
            _("该备份来自 %(theirs)s 数据库,本站点使用 %(ours)s,不能恢复") % {"theirs": kind, "ours": here}
        )
    if kind == "postgresql" and not shutil.which("pg_restore"):
        raise BackupError(_("找不到 pg_restore:请安装与数据库版本一致的 PostgreSQL 客户端工具"))
    from django.db.migrations.loader import MigrationLoader

    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, name in archive.manifest["migrations"].items() if (app, name) not in on_disk]
    if unknown:
        raise BackupError(
            _("该备份由更新版本的程序生成(本程序没有迁移 %(names)s),请先升级程序") % {"names": ", ".join(unknown)}
        )
    notes = []
    if archive.manifest["migrations"] != migration_heads():
        notes.append(_("备份的数据库结构较旧,恢复后请运行 sanlian migrate"))
    return notes


def restore_apply(archive: Archive) -> None:
    """Replace the database and the files with the archive's (after `restore_check`)."""
    kind = archive.manifest["engine"]
    db_part = archive.path / DB_PARTS[kind]
    connections.close_all()
    if kind == "sqlite":
        _load_sqlite(db_part)
    else:
        _load_postgresql(db_part)
    connections.close_all()
    for part, setting in FILE_PARTS.items():
        _swap_directory(archive.path / part, Path(getattr(settings, setting)))


# --- the database ------------------------------------------------------------------------------------


def _sqlite_path() -> str:
    name = str(connections["default"].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("内存数据库不能备份或恢复"))
    return name


def _dump_sqlite(target: Path) -> None:
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # online backup API: a consistent snapshot while others keep writing
    finally:
        copy.close()
        source.close()


def _load_sqlite(source_file: Path) -> None:
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    live = sqlite3.connect(_sqlite_path(), timeout=30)
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(_("备份中的 SQLite 数据库已损坏:%(error)s") % {"error": check})
        source.backup(live)  # page by page under the live database's write lock; the WAL is reset with it
    finally:
        live.close()
        source.close()


def _pg_env() -> dict[str, str]:
    db = connections["default"].settings_dict
    env = dict(os.environ)
    for key, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def _run(tool: str, args: list[str]) -> None:
    if not shutil.which(tool):
        raise BackupError(_("找不到 %(tool)s:请安装与数据库版本一致的 PostgreSQL 客户端工具") % {"tool": tool})
    done = subprocess.run([tool, *args], env=_pg_env(), capture_output=True, text=True, check=False)  # nosec B603  # pg_dump/pg_restore by name, our arguments, no shell
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败(退出码 %(code)s):%(error)s")
            % {"tool": tool, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


def _dump_postgresql(target: Path) -> None:
    _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def _load_postgresql(source_file: Path) -> None:
    # One transaction: a failed restore leaves the database as it was.
    _run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         f"--dbname={_pg_env()['PGDATABASE']}", str(source_file)],
    )  # fmt: skip


# --- the files ---------------------------------------------------------------------------------------


def _tar_directory(folder: Path, target: Path) -> None:
    with tarfile.open(target, "w") as tar:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)


def _swap_directory(part: Path, folder: Path) -> None:
    """Unpack next to `folder`, then two renames: the old tree is never mixed with the archived one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-restore-", dir=folder.parent))
    with tarfile.open(part, "r") as tar:
        tar.extractall(fresh, filter="data")
    fresh.chmod(folder.stat().st_mode & 0o7777 if folder.exists() else 0o755)
    old = folder.with_name(f".{folder.name}-old-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
