"""Duty scoring at province scale on PostgreSQL: recompute after a rule change, and the report card page.

Usage: python bench/duty_bench.py [--conferences 150] [--members 30000] [--events 3000000]
Prints: the time to recompute one conference-year after a rule change, the time to recompute the whole
province-year (goal < 60 s), and the p50/p95 of a member's report card page through the Django test
client (goal p95 < 150 ms), with the data size.
Runs against DATABASE_URL (default postgres://postgres@127.0.0.1:5432/xieshang_bench); the default
database is dropped and created afresh, any other must be empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xieshang_bench"
YEAR = 2026
# (kind, role, weight): a member's year is mostly attendance, some proposals, a few quality signals.
KINDS = [
    ("plenary_attended", "", 8),
    ("plenary_absent_unexcused", "", 1),
    ("meeting_attended", "", 14),
    ("meeting_absent_unexcused", "", 1),
    ("activity_attended", "", 24),
    ("activity_absent_unexcused", "", 2),
    ("study_attended", "", 10),
    ("study_partial", "", 4),
    ("speech_given", "", 4),
    ("written_speech", "", 3),
    ("outreach_logged", "", 14),
    ("proposal_accepted", "lead", 4),
    ("proposal_accepted", "participant", 4),
    ("proposal_key", "lead", 1),
    ("proposal_outstanding", "participant", 1),
    ("proposal_satisfied", "lead", 3),
    ("opinion_adopted", "", 1),
    ("instruction_received", "", 1),
]


def _fresh_database(url: str) -> None:
    """Drop and create the default benchmark database (never any other)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--conferences", type=int, default=150)
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--cards", type=int, default=200, help="report card requests to time")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if url == DEFAULT_URL:
        _fresh_database(url)
    os.environ.setdefault("XIESHANG_DATA_DIR", tempfile.mkdtemp(prefix="xieshang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    os.environ.setdefault("XIESHANG_AXES_ENABLED", "false")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from tqdm import tqdm

    if connection.vendor != "postgresql":
        print("this benchmark needs PostgreSQL (DATABASE_URL)")
        return 2
    call_command("migrate", verbosity=0)

    from xieshang.conferences.models import Conference, Term
    from xieshang.duty import scoring
    from xieshang.duty.models import DutyScore, ScoringRuleSet
    from xieshang.duty.rulesets import load_builtin
    from xieshang.people.models import Member, Role, User

    rng = random.Random(20260305)
    n_conf, n_members, n_events = args.conferences, args.members, args.events
    machine = f"{os.cpu_count()} cores, PostgreSQL {connection.pg_version // 10000}"
    print(
        f"duty benchmark: {n_conf} conferences, {n_members:,} members, {n_events:,} point events, {machine}"
    )

    t = time.perf_counter()
    conferences = Conference.objects.bulk_create(
        [Conference(name=f"基准{i}政协", short_name=f"基准{i}", code=f"bench-{i}") for i in range(n_conf)]
    )
    Term.objects.bulk_create(
        [Term(conference=c, number=14, start_year=2022, end_year=2027) for c in conferences]
    )
    users = User.objects.bulk_create(
        [User(username=f"m{i}", display_name=f"委员{i}", password="!") for i in range(n_members)],
        batch_size=5000,
    )
    home = [conferences[i % n_conf] for i in range(n_members)]
    Member.objects.bulk_create(
        [Member(user=u, conference=c) for u, c in zip(users, home, strict=True)], batch_size=5000
    )
    Role.objects.bulk_create(
        [Role(user=u, conference=c, kind="member") for u, c in zip(users, home, strict=True)], batch_size=5000
    )
    print(f"  people: {time.perf_counter() - t:.1f} s")

    kinds = [(k, r) for k, r, _w in KINDS]
    weights = [w for _k, _r, w in KINDS]
    start = dt.date(YEAR, 1, 1)
    t = time.perf_counter()
    now = dt.datetime.now(dt.UTC).isoformat()
    columns = (
        "conference_id, user_id, kind, role, occurred_on, year, source_type, source_id, title, data, "
        "created_at"
    )
    with connection.cursor() as cursor, cursor.connection.cursor() as raw:
        with raw.copy(f"COPY duty_pointevent ({columns}) FROM STDIN") as copy:
            picks = rng.choices(range(len(kinds)), weights=weights, k=n_events)
            for i in tqdm(range(n_events), desc="events", unit="行", mininterval=2, unit_scale=True):
                member = i % n_members
                kind, role = kinds[picks[i]]
                data = {}
                if kind == "proposal_satisfied":
                    data = {"verdict": rng.choice(["satisfied", "basic"]), "outcome": rng.choice("ABCD")}
                elif kind == "instruction_received":
                    data = {"level": rng.choice(["county", "city", "province"])}
                copy.write_row(
                    (
                        home[member].pk,
                        users[member].pk,
                        kind,
                        role,
                        start + dt.timedelta(days=i % 360),
                        YEAR,
                        "activity",
                        i,
                        "",
                        json.dumps(data),
                        now,
                    )
                )
        cursor.execute("ANALYZE duty_pointevent")
    print(f"  events loaded: {time.perf_counter() - t:.1f} s")

    # Every conference scores on the 100-point scale; then one conference changes a rule.
    ScoringRuleSet.objects.bulk_create(
        [
            ScoringRuleSet(
                conference=c,
                year=YEAR,
                name="百分制",
                version=1,
                scale="hundred",
                rules=load_builtin("hundred"),
            )
            for c in conferences
        ]
    )

    t = time.perf_counter()
    written = 0
    for c in tqdm(conferences, desc="province", unit="政协", mininterval=2):
        written += scoring.recompute(c.pk, YEAR)
    province = time.perf_counter() - t

    first = conferences[0]
    changed = load_builtin("hundred")
    changed["points"]["plenary_absent_unexcused"] = -15
    ScoringRuleSet.objects.filter(conference=first, year=YEAR).update(is_active=False)
    ScoringRuleSet.objects.create(
        conference=first, year=YEAR, name="百分制（从严）", version=2, scale="hundred", rules=changed
    )
    t = time.perf_counter()
    one = scoring.recompute(first.pk, YEAR)
    one_conf = time.perf_counter() - t

    sample = rng.sample(range(n_members), min(args.cards // 4 or 1, n_members))
    timings = []
    for member in tqdm(sample, desc="cards", unit="人", mininterval=2):
        client = Client()
        client.force_login(users[member])
        for _ in range(4):
            t = time.perf_counter()
            response = client.get(f"/duty/card/{YEAR}/")
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]

    assert DutyScore.objects.filter(year=YEAR).count() == written
    per_member = n_events / n_members
    print(
        f"\nduty benchmark — {n_conf} conferences, {n_members:,} members, {n_events:,} events "
        f"({per_member:.0f}/member), {machine}"
    )
    print(f"  recompute one conference-year after a rule change: {one_conf:.2f} s ({one:,} members)")
    print(f"  recompute the whole province-year: {province:.1f} s ({written:,} scores; goal < 60 s)")
    print(
        f"  report card page: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(timings)} requests "
        "(goal p95 < 150 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
