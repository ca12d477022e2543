"""`xieshang gendata --scale {tiny,city,province}`: fill the database with a generated province.

Refuses to run twice on the same database (generated conferences have codes starting with `gen-`):
load the data into an empty, migrated database. See bench/load/README.md.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.web.gendata import SCALES, GenDataError, Generator


class Command(BaseCommand):
    help = "生成大规模测试数据（政协、委员、十年的提案、社情民意、活动与履职积分），用于负载测试。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="tiny", help="数据规模")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--database-url", default="", help="目标数据库（默认取 DATABASE_URL）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        if url and os.environ.get("DATABASE_URL") != url:
            # Settings are read once at start-up: run again with the database chosen.
            os.environ["DATABASE_URL"] = url
            os.execv(sys.argv[0], sys.argv)
        scale = SCALES[options["scale"]]
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"migrate: {time.monotonic() - started:.1f} s")
        try:
            generator = Generator(
                scale, seed=options["seed"], progress=not options["no_progress"], echo=self.stdout.write
            )
            generator.run()
        except GenDataError as error:
            raise CommandError(str(error)) from error
        total = time.monotonic() - started
        rows = sum(sum(r.rows.values()) for r in generator.results)
        self.stdout.write(
            f"scale {scale.name}: {rows:,} rows loaded in {total:.1f} s "
            f"({rows / max(total, 1e-9):,.0f} rows/s)"
        )
        self.stdout.write("logins:")
        for line in generator.login_lines():
            self.stdout.write(f"  {line}")
