"""`xieshang demo`: migrate, load the demo data, then serve the site and run the worker until stopped."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from .seed_demo import login_lines


def _wait_for_port(host: str, port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """True once something accepts connections on host:port; False if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Command(BaseCommand):
    help = "演示：迁移数据库、生成演示数据，启动网站和后台任务进程；Ctrl-C 停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument("--proposals", type=int, default=200, help="演示提案数量（默认 200）")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            os.makedirs(os.path.dirname(str(db["NAME"])) or ".", exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已就绪。")
        os.makedirs(settings.STATIC_ROOT, exist_ok=True)  # whitenoise warns when it is missing
        call_command(
            "seed_demo",
            proposals=options["proposals"],
            no_logins=True,
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )

        cli = [sys.executable, "-m", "xieshang.cli"]
        if importlib.util.find_spec("gunicorn") is not None:
            web = [sys.executable, "-m", "gunicorn", "xieshang.wsgi:application", "--bind", f"{host}:{port}"]
            web += ["--workers", "2", "--threads", "4", "--access-logfile", "-"]
        else:
            web = [*cli, "runserver", "--noreload", f"{host}:{port}"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "xieshang.settings"),
        }
        children: list[subprocess.Popen[bytes]] = [subprocess.Popen(web, env=env)]
        if not options["no_worker"]:
            children.append(subprocess.Popen([*cli, "worker", "--verbosity", "0"], env=env))

        def stop(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        # Explicit for both: a shell that starts us in the background leaves SIGINT ignored.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            if not _wait_for_port(host, port, children[0]):
                raise CommandError(f"网站没有在 {host}:{port} 上启动（端口被占用？可用 --port 换一个）。")
            url = f"http://{host}:{port}/"
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"协商演示已启动：{url}"))
            self.stdout.write("演示账号（仅供演示）：")
            for line in login_lines():
                self.stdout.write(line)
            self.stdout.write(f"后台管理：{url}admin/    按 Ctrl-C 停止。")
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("网站或后台任务进程意外退出。")
        except KeyboardInterrupt:
            self.stdout.write("正在停止……")
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
