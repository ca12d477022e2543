"""`xieshang remind`: run the reminder job now and print how many reminders went out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xieshang.proposals.services import send_due_reminders
from xieshang.tasks.services import send_task_reminders
from xieshang.voice.services import send_message_reminders


class Command(BaseCommand):
    help = "立即执行临期提醒和逾期催办（同一天重复执行不会重复提醒）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due_reminders(options["on"])
        self.stdout.write(f"提案：临期提醒 {counts['due_soon']} 件；逾期催办 {counts['overdue']} 件。")
        tasks = send_task_reminders(options["on"])
        self.stdout.write(f"督办事项：临期提醒 {tasks['due_soon']} 件；逾期催办 {tasks['overdue']} 件。")
        self.stdout.write(f"群众建言转办：逾期催办 {send_message_reminders(options['on'])} 件。")
