"""`xieshang import_roster --conference CODE --kind members|units FILE`: import a roster from Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xieshang.conferences.models import Conference
from xieshang.core.errors import AppError
from xieshang.people import importers


class Command(BaseCommand):
    help = "从 Excel 导入委员名册或承办单位（全部行无误才写入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=".xlsx 文件")
        parser.add_argument("--conference", required=True, help="政协代码（Conference.code）")
        parser.add_argument("--kind", required=True, choices=["members", "units"], help="名册类型")

    def handle(self, *args: Any, **options: Any) -> None:
        conference = Conference.objects.filter(code=options["conference"]).first()
        if conference is None:
            raise CommandError(f"找不到代码为“{options['conference']}”的政协。")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        run = importers.import_members if options["kind"] == "members" else importers.import_units

        def progress(rows: Any, total: int) -> Any:
            return tqdm(rows, total=total, desc="导入", unit="行", file=self.stderr._out)

        with path.open("rb") as fh:
            try:
                # The command line is trusted like a superuser (actor None); the audit shows "system".
                report = run(None, conference, File(fh, name=path.name), progress=progress)
            except AppError as exc:
                raise CommandError(exc.message) from exc
        for e in report.errors:
            self.stdout.write(f"第 {e.row} 行\t{e.column or '—'}\t{e.message}")
        for username, password in report.passwords:
            self.stdout.write(f"初始密码\t{username}\t{password}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
