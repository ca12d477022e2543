"""Throughput of the proposal workflow on the embedded default (SQLite) or DATABASE_URL.

Usage: python bench/proposals_bench.py [--proposals N]
Prints: proposals submitted per second, accept+assign per second, reply+evaluate per second,
and the p50/p95 time of a staff work list page query and a member's "my proposals" query.
Runs in a throw-away database (a temp SQLite file unless DATABASE_URL is set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xieshang-bench-")
    os.environ.setdefault("XIESHANG_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor != "sqlite":
        print("DATABASE_URL set: the benchmark writes into that database; use an empty one.")
    call_command("migrate", verbosity=0)

    from xieshang.conferences.models import Conference, HandlingUnit, Session, Term
    from xieshang.core.dates import today
    from xieshang.people.models import Member, Role, User
    from xieshang.proposals import selectors, services
    from xieshang.proposals.services import ProposalInput, ReplyInput, UnitPlan

    conf = Conference.objects.create(name="基准市政协", short_name="基准市", code="bench")
    term = Term.objects.create(conference=conf, number=14, start_year=2022, end_year=2027)
    Session.objects.create(conference=conf, term=term, number=5, year=2026, is_current=True)
    unit = HandlingUnit.objects.create(name="基准市发展和改革委员会")
    unit.conferences.add(conf)

    def user(name: str, kind: str, **kw: object) -> User:
        u = User.objects.create_user(username=name, password="bench-pass-123")
        Role.objects.create(user=u, conference=conf, kind=kind, **kw)
        if kind == "member":
            Member.objects.create(user=u, conference=conf)
        return u

    members = [user(f"m{i}", "member") for i in range(100)]
    staff = user("staff", "staff")
    unit_user = user("unit", "unit", handling_unit=unit)
    n = args.proposals
    machine = f"{os.cpu_count()} cores, {connection.vendor}"
    print(f"proposal workflow benchmark: {n} proposals, 100 members, {machine}")

    t = time.perf_counter()
    proposals = []
    for i in tqdm(range(n), desc="submit", unit="件"):
        m = members[i % len(members)]
        p = services.create_proposal(
            m,
            conf,
            ProposalInput(
                title=f"关于第{i}项民生事项的建议", analysis="情况分析" * 20, recommendations="具体建议" * 20
            ),
        )
        proposals.append(services.submit_proposal(m, p))
    submit_rate = n / (time.perf_counter() - t)

    t = time.perf_counter()
    for p in tqdm(proposals, desc="accept+assign", unit="件"):
        p = services.accept_proposal(staff, p)
        services.assign_proposal(staff, p, [UnitPlan(unit.pk, "lead")])
    assign_rate = n / (time.perf_counter() - t)

    half = proposals[: n // 2]
    t = time.perf_counter()
    for p in tqdm(half, desc="reply+evaluate", unit="件"):
        a = p.assignments.get()
        services.record_consultation(unit_user, a, held_on=today(), form="phone", agreed="电话沟通")
        r = services.submit_reply(unit_user, a, ReplyInput(body="答复" * 50, outcome="B", signed_by="局长"))
        services.evaluate_reply(p.proposer, r, verdict="satisfied")
    reply_rate = len(half) / (time.perf_counter() - t)

    def timed(fn: object, repeat: int = 30) -> tuple[float, float]:
        samples = []
        for _ in range(repeat):
            s = time.perf_counter()
            fn()  # type: ignore[operator]
            samples.append((time.perf_counter() - s) * 1000)
        samples.sort()
        return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]

    def work_list_page() -> None:
        lists = selectors.work_lists(conf.pk)
        {k: q.count() for k, q in lists.items()}
        list(lists["to_evaluate"].order_by("-id")[:25])

    def member_page() -> None:
        list(selectors.visible_proposals(members[0]).order_by("-id")[:25])

    wl = timed(work_list_page)
    mp = timed(member_page)
    print(f"submit:          {submit_rate:8.1f} proposals/s")
    print(f"accept+assign:   {assign_rate:8.1f} proposals/s")
    print(f"reply+evaluate:  {reply_rate:8.1f} proposals/s")
    print(f"staff work lists (8 counts + 1 page): p50 {wl[0]:.1f} ms, p95 {wl[1]:.1f} ms")
    print(f"member 'my proposals' page query:     p50 {mp[0]:.1f} ms, p95 {mp[1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
