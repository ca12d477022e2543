"""Backup and restore of the whole installation: the database and the uploaded files, in one archive.

An archive is a .tar.gz holding `manifest.json` (engine, time, the row count of every table and the
SHA-256 of every uploaded file), the database (`db.sqlite3` from SQLite's online backup API, or
`db.pgdump` from pg_dump's custom format) and `media/`. A restore replaces the database and the media
folder with the archive's, then checks the row counts and file digests against the manifest, so a
round trip is proved, not assumed. An archive restores only into the same kind of database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.pgdump"
MEDIA = "media"

Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    tables: dict[str, int]
    files: dict[str, str]
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError("备份文件格式版本不受支持。")
        return cls(**data)


def _plain(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
    return items


def engine() -> str:
    """`sqlite` or `postgresql`: the kinds of database a backup knows."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持备份 {vendor} 数据库。")
    return vendor


def table_counts() -> dict[str, int]:
    """The row count of every table of the database (Django's and the apps')."""
    names = sorted(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_digests(root: Path, progress: Progress = _plain) -> dict[str, str]:
    """SHA-256 of every uploaded file, keyed by its path under the media folder."""
    files = list(_media_files(root))
    return {p.relative_to(root).as_posix(): _digest(p) for p in progress(files, "校验附件", len(files))}


def _pg_env() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}，请安装 PostgreSQL 客户端工具。")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败：{done.stderr.strip()[:500]}")


def _dump_database(kind: str, target: Path) -> str:
    if kind == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(out)  # a consistent copy while the site keeps running
        finally:
            out.close()
        return SQLITE_FILE
    env, args = _pg_env()
    _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", *args, "-f", str(target / PG_FILE),
          str(connection.settings_dict["NAME"])], env)  # fmt: skip
    return PG_FILE


def create_backup(output: Path, *, media_root: Path | None = None, progress: Progress = _plain) -> Manifest:
    """Write one archive of the database and the uploaded files to `output`; returns its manifest."""
    kind = engine()
    media = Path(media_root or settings.MEDIA_ROOT)
    partial = output.with_name(output.name + ".partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        return _write_archive(kind, media, output, partial, progress)
    except OSError as error:
        raise BackupError(f"无法写入备份文件 {output}：{error.strerror or error}") from error
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # never leave a half-written archive behind


def _write_archive(kind: str, media: Path, output: Path, partial: Path, progress: Progress) -> Manifest:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        counts = table_counts()
        db_file = _dump_database(kind, work)
        files = list(_media_files(media))
        digests = {}
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / db_file, arcname=db_file)
            for path in progress(files, "打包附件", len(files)):
                name = path.relative_to(media).as_posix()
                digests[name] = _digest(path)
                tar.add(path, arcname=f"{MEDIA}/{name}")
            manifest = Manifest(
                engine=kind,
                created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                tables=counts,
                files=digests,
            )
            (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
            tar.add(work / MANIFEST, arcname=MANIFEST)
        partial.replace(output)
    return manifest


def read_manifest(archive: Path) -> Manifest:
    """The manifest of an archive, or a BackupError saying why it is not a Xieshang backup."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(member.read().decode("utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"找不到备份文件：{archive}") from error
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError("这不是有效的协商平台备份文件。") from error


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        path = Path(m.name)
        if path.is_absolute() or ".." in path.parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"备份文件中有不安全的路径：{m.name}")
        members.append(m)
    return members


def _load_database(kind: str, source: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source / SQLITE_FILE)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    connections.close_all()
    env, args = _pg_env()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", *args,
          "-d", str(connection.settings_dict["NAME"]), str(source / PG_FILE)], env)  # fmt: skip


def _replace_media(source: Path, media: Path) -> None:
    media.mkdir(parents=True, exist_ok=True)
    old = media.with_name(media.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    new = source / MEDIA
    staged = media.with_name(media.name + ".restoring")
    if staged.exists():
        shutil.rmtree(staged)
    if new.is_dir():
        shutil.copytree(new, staged)
    else:
        staged.mkdir()
    media.rename(old)
    staged.rename(media)
    shutil.rmtree(old)


def verify(manifest: Manifest, *, media_root: Path | None = None, progress: Progress = _plain) -> list[str]:
    """Differences between the live installation and a manifest (empty when they agree)."""
    problems = []
    counts = table_counts()
    for table, expected in sorted(manifest.tables.items()):
        if counts.get(table) != expected:
            problems.append(f"数据表 {table}：应有 {expected} 行，实有 {counts.get(table)} 行")
    digests = file_digests(Path(media_root or settings.MEDIA_ROOT), progress)
    for name, digest in sorted(manifest.files.items()):
        if digests.get(name) != digest:
            problems.append(f"附件 {name} 缺失或内容不一致")
    problems += [f"附件 {name} 不在备份中" for name in sorted(set(digests) - set(manifest.files))]
    return problems


def restore_backup(archive: Path, *, media_root: Path | None = None, progress: Progress = _plain) -> Manifest:
    """Replace the database and the uploaded files with the archive's, then verify them against its
    manifest (BackupError listing the differences if they do not agree)."""
    manifest = read_manifest(archive)
    kind = engine()
    if manifest.engine != kind:
        raise BackupError(f"该备份来自 {manifest.engine} 数据库，不能恢复到 {kind} 数据库。")
    media = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar)
            for m in progress(members, "解包", len(members)):
                tar.extract(m, work, filter="data")
        _load_database(kind, work)
        _replace_media(work, media)
    problems = verify(manifest, media_root=media, progress=progress)
    if problems:
        raise BackupError("恢复后校验不一致：" + "；".join(problems[:20]))
    return manifest
