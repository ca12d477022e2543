"""Import of the real public messages and the triage board's speed, on the embedded default (SQLite)
or DATABASE_URL.

Usage: python bench/voice_bench.py [--board-messages N]
Prints: the time to import the 4,326 voted and 2,816 replied messages of data/teddy2020c (and that a
second run imports nothing), then the p50/p95 time of the triage board page with N new messages.
Skips with a message when the data are absent. Runs in a throw-away database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DATA = (
    Path(os.environ.get("XIESHANG_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    / "teddy2020c"
)
FILES = ["messages_with_votes.csv", "messages_with_replies.csv"]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--board-messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    missing = [f for f in FILES if not (DATA / f).is_file()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found under {DATA}")
        return 0
    tmp = tempfile.mkdtemp(prefix="xieshang-bench-")
    os.environ.setdefault("XIESHANG_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from xieshang.conferences.models import Conference, HandlingUnit
    from xieshang.people.models import Role, User
    from xieshang.voice import importer
    from xieshang.voice.models import Forwarding, PublicMessage

    conf = Conference.objects.create(name="基准市政协", short_name="基准市", code="bench")
    for name in FILES:
        for run in (1, 2):
            start = time.perf_counter()
            report = importer.import_messages(conf, DATA / name)
            took = time.perf_counter() - start
            print(f"import {name} run {run}: {report.summary()} {took:.2f} s")
    print(f"messages in the database: {PublicMessage.objects.count()}")

    # The board: N new messages, with a router learnt from forwardings of the answered ones.
    units = [HandlingUnit.objects.create(name=f"基准市第{i}局") for i in range(5)]
    for u in units:
        u.conferences.add(conf)
    answered = list(PublicMessage.objects.filter(conference=conf, state="answered")[:300])
    Forwarding.objects.bulk_create(
        [
            Forwarding(message=m, unit=units[i % 5], due_on=m.submitted_at.date())
            for i, m in enumerate(answered)
        ]
    )
    history = list(PublicMessage.objects.filter(conference=conf, state="closed")[: args.board_messages])
    PublicMessage.objects.filter(pk__in=[m.pk for m in history]).update(state="received")
    staff = User.objects.create_user(username="staff", password="bench-pass-123")
    Role.objects.create(user=staff, conference=conf, kind="staff")
    client = Client()
    client.force_login(staff)
    client.get("/voice/board/")  # builds and caches the routers
    times = []
    for i in range(args.runs):
        start = time.perf_counter()
        response = client.get("/voice/board/", {"page": i % 10 + 1})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"triage board, {len(history)} open messages: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
