"""`xieshang backup`: one archive of the database and the uploaded files, with a manifest to check."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xieshang.core.backup import BackupError, create_backup


def progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    return tqdm(items, desc=label, total=total, disable=None, file=sys.stderr, leave=False)


class Command(BaseCommand):
    help = "备份数据库和上传的附件到一个 .tar.gz 文件（含行数与附件校验清单）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="备份文件路径，默认 数据目录/backups/")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.DATA_DIR) / "backups" / f"xieshang-{stamp}.tar.gz"
        output: Path = options["output"] or default
        try:
            manifest = create_backup(output, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"已备份到 {output}：{len(manifest.tables)} 张表共 {rows} 行，附件 {len(manifest.files)} 个。"
        )
