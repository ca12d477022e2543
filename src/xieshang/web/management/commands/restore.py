"""`xieshang restore ARCHIVE`: replace the database and the uploaded files with a backup's, then check
every table's row count and every file's digest against the backup's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.core.backup import BackupError, read_manifest, restore_backup

from .backup import progress


class Command(BaseCommand):
    help = "从备份文件恢复数据库和附件（会覆盖现有数据），恢复后逐表核对行数、逐个核对附件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="xieshang backup 生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖现有数据")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            manifest = read_manifest(archive)
            if not options["yes"] and options.get("interactive", True):
                answer = input(f"将用 {manifest.created_at} 的备份覆盖现有数据库和附件，输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消，未做任何改动。")
            restore_backup(archive, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"已恢复并核对：{len(manifest.tables)} 张表共 {rows} 行，"
            f"附件 {len(manifest.files)} 个，全部一致。"
        )
