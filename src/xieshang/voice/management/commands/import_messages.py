"""`xieshang import_messages --conference CODE FILE [--mapping subject=主题,…]`: import past messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xieshang.conferences.models import Conference
from xieshang.voice import importer, intel


class Command(BaseCommand):
    help = "从 .csv 或 .xlsx 导入群众留言（含答复、点赞数）；逐行报告错误，重复运行不会重复导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=".csv（UTF-8 或 GB18030）或 .xlsx 文件")
        parser.add_argument("--conference", required=True, help="政协代码（Conference.code）")
        parser.add_argument(
            "--mapping",
            default="",
            help="字段=列名，逗号分隔，如 subject=主题,detail=留言详情；字段：" + ", ".join(importer.FIELDS),
        )
        parser.add_argument(
            "--open", action="store_true", help="无答复的留言作为待分拣（默认作为已办结的历史）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        conference = Conference.objects.filter(code=options["conference"]).first()
        if conference is None:
            raise CommandError(f"找不到代码为“{options['conference']}”的政协。")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            mapping = importer.parse_mapping(options["mapping"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def progress(rows: Any, total: int) -> Any:
            return tqdm(
                rows,
                total=total,
                desc="导入",
                unit="行",
                file=self.stderr._out,
                disable=options["verbosity"] == 0,
            )

        try:
            report = importer.import_messages(
                conference, path, mapping=mapping, open_new=options["open"], progress=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for e in report.errors:
            self.stdout.write(f"第 {e.row} 行\t{e.column}\t{e.message}")
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        if report.created:
            # the worker builds the board's routers, indexes and hot topics now, not at the first visit
            intel.request_board_builds(conference.pk)
