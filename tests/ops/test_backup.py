"""Backup and restore round trips on the database in use (SQLite or PostgreSQL) and the media folder:
after a restore every table has the rows it had at the backup and every file its digest."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xieshang.conferences.models import Party
from xieshang.core import backup


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "proposals" / "2026").mkdir(parents=True)
    (root / "proposals" / "2026" / "调研报告.txt").write_text("关于老旧小区改造的调研报告", encoding="utf-8")
    (root / "a.bin").write_bytes(bytes(range(256)) * 10)
    settings.MEDIA_ROOT = root
    return root


def test_a_restore_brings_back_every_row_and_file(transactional_db, world, media, tmp_path):
    # Given a backup of the installation
    party = Party.objects.create(conference=world.city.conference, name="备份前的党派")
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "已备份到" in out.getvalue()
    manifest = backup.read_manifest(archive)
    assert manifest.tables["conferences_party"] == Party.objects.count()
    assert set(manifest.files) == {"proposals/2026/调研报告.txt", "a.bin"}

    # When rows and files change after it
    party.delete()
    Party.objects.create(conference=world.city.conference, name="备份后新增")
    (media / "a.bin").write_bytes(b"changed")
    (media / "proposals" / "2026" / "调研报告.txt").unlink()
    (media / "new.txt").write_text("after", encoding="utf-8")
    assert backup.verify(manifest)  # the differences are seen

    # Then a restore puts everything back as it was, and says it checked
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "全部一致" in out.getvalue()
    assert list(Party.objects.values_list("name", flat=True)) == ["备份前的党派"]
    report = media / "proposals" / "2026" / "调研报告.txt"
    assert report.read_text(encoding="utf-8") == "关于老旧小区改造的调研报告"
    assert not (media / "new.txt").exists()
    assert backup.verify(manifest) == []
    assert backup.table_counts() == manifest.tables


def test_restore_refuses_what_is_not_a_backup(db, tmp_path, media):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="不是有效的协商平台备份文件"):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")


def _archive_with(tmp_path, manifest: dict, extra: dict[str, bytes]):
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {backup.MANIFEST: json.dumps(manifest).encode(), **extra}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_restore_refuses_another_database_kind_and_unsafe_paths(db, tmp_path, media):
    other = "postgresql" if backup.engine() == "sqlite" else "sqlite"
    manifest = {"engine": other, "created_at": "2026-01-01", "tables": {}, "files": {}}
    manifest["format"] = backup.FORMAT
    with pytest.raises(backup.BackupError, match="不能恢复到"):
        backup.restore_backup(_archive_with(tmp_path, manifest, {}))
    manifest["engine"] = backup.engine()
    crafted = _archive_with(tmp_path, manifest, {"../escape.txt": b"x"})
    with pytest.raises(backup.BackupError, match="不安全的路径"):
        backup.restore_backup(crafted)
    assert not (tmp_path / "escape.txt").exists()


def test_a_backup_that_cannot_be_written_says_so_and_leaves_nothing(db, tmp_path, media):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="无法写入备份文件"):
        call_command("backup", "--output", str(blocker / "b.tar.gz"))
    assert blocker.read_text(encoding="utf-8") == "x"
    assert list(tmp_path.glob("**/*.partial")) == []
