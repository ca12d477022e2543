"""Import of the real public messages and the triage board's speed, on the embedded default (SQLite)
or DATABASE_URL.

Usage:
  python bench/voice_bench.py [--board-messages N]                 # mode "import" (the default)
  python bench/voice_bench.py --mode scale [--messages 100000] [--runs 20]
  python bench/voice_bench.py --mode sample                        # writes bench/voice_duplicates.csv
  python bench/voice_bench.py --mode duplicates                    # reads the hand-checked csv

import: the time to import the 4,326 voted and 2,816 replied messages of data/teddy2020c (and that a
  second run imports nothing), then the p50/p95 time of the triage board page with N new messages.
scale: fills a conference with --messages messages resampled from teddy2020c (voted, replied and
  labelled messages; the labelled ones keep their category) spread over two years, 2% of them open,
  then times a first visit of the triage board and of the leaders' hot-topics page (default 90 days)
  before anything is built (the page says the analysis is being prepared), the worker's build of each
  router, index and topic list (core.intelcache.build, as the warm_intel job runs it), the first request
  of a fresh process (it loads what the worker persisted), and --runs requests of each page through the
  Django test client (board pages 1..10), printing p50/p95. With DATABASE_URL=postgres://… the
  database is created when missing and the filled conference is kept, so a second run only measures.
sample: picks 100 messages of the voted/replied sets with a near-duplicate elsewhere in them (character
  bigram Jaccard >= 0.5 with the nearest other message) and 100 without one (< 0.25), and writes the
  pairs to bench/voice_duplicates.csv with an empty `judgement` column for a person to fill in
  (dup / not_dup). Re-running it keeps judgements already written.
duplicates: loads every other voted/replied message as history, then asks the triage page's
  similar-message suggestion (voice.intel.similar_messages at its default threshold) about each of the
  200 sampled messages; prints how many of the pairs judged `dup` it catches (the history message among
  its suggestions) and how many of the `not_dup` ones get any suggestion at all.
Skips with a message when the data are absent. Except for scale on PostgreSQL, runs in a throw-away
database.
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
LABELLED = "messages_labelled.csv"
SAMPLE = Path(__file__).resolve().parent / "voice_duplicates.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--board-messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mode", choices=["import", "scale", "sample", "duplicates"], default="import")
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    missing = [f for f in FILES if not (DATA / f).is_file()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found under {DATA}")
        return 0
    if args.mode == "sample":
        return write_sample()
    if args.mode == "scale":
        return scale(args.messages, args.runs)
    if args.mode == "duplicates":
        return duplicates()
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
    _worker_builds(conf.pk)  # what the worker does after an import
    client.get("/voice/board/")
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


# ---------------------------------------------------------------------------- shared helpers


def _setup(throw_away: bool = True) -> None:
    """Django on DATABASE_URL (PostgreSQL: created when missing) or a throw-away SQLite database."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _create_postgres_database(url)
    if throw_away or not url:
        os.environ.setdefault("XIESHANG_DATA_DIR", tempfile.mkdtemp(prefix="xieshang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def _worker_builds(conference_id: int) -> None:
    """Build and persist what the board and the hot-topic page use, as the worker's warm_intel job does,
    printing each build's time and size."""
    from xieshang.core import intelcache
    from xieshang.voice import intel

    specs = [
        (intel.unit_router_spec, (conference_id,)),
        (intel.category_router_spec, (conference_id,)),
        (intel.similar_index_spec, (conference_id,)),
        (intel.fit_indexes_spec, (conference_id,)),
        (intel.leader_topics_spec, (conference_id, 90, 8)),
    ]
    for spec_fn, args in specs:
        name = intelcache.name_of(spec_fn)
        start = time.perf_counter()
        intelcache.build(name, args)
        size = intelcache.path_of(name, args).stat().st_size / 1e6
        print(f"worker builds {spec_fn.__name__}: {time.perf_counter() - start:.1f} s, {size:.1f} MB on disk")


def _create_postgres_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _rows() -> list[dict[str, str]]:
    """The voted and replied messages, each tagged with its file ("votes" or "replies")."""
    import csv

    found = []
    for name, tag in zip(FILES, ("votes", "replies"), strict=True):
        with (DATA / name).open(encoding="utf-8") as f:
            found += [{**row, "source": tag} for row in csv.DictReader(f)]
    return found


def _percentiles(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95 + 0.5) - 1)]
    return f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms (n={len(times)}, max {times[-1]:.0f} ms)"


# ---------------------------------------------------------------------------- scale


def scale(total: int, runs: int) -> int:
    """The triage board and the hot-topics page with `total` messages in one conference."""
    import csv
    import datetime as dt
    import hashlib
    import random

    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    _setup(throw_away=not on_postgres)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xieshang.conferences.models import Conference, HandlingUnit
    from xieshang.people.models import Role, User
    from xieshang.voice.models import Forwarding, PublicMessage

    print(f"database: {connection.vendor}")
    source = [(r["subject"], r["detail"], "", int(r.get("likes") or 0)) for r in _rows()]
    if (DATA / LABELLED).is_file():
        with (DATA / LABELLED).open(encoding="utf-8") as f:
            source += [(r["subject"], r["detail"], r["label"], 0) for r in csv.DictReader(f)]
    conf, _ = Conference.objects.get_or_create(
        code="bench100k", defaults={"name": "十万留言基准市政协", "short_name": "十万基准"}
    )
    have = PublicMessage.objects.filter(conference=conf).count()
    rng = random.Random(20200)
    now = timezone.now()
    start = time.perf_counter()
    batch: list[PublicMessage] = []
    for i in range(have, total):
        subject, detail, category, likes = source[rng.randrange(len(source))]
        roll = rng.random()
        state = "received" if roll < 0.02 else ("answered" if roll < 0.32 else "closed")
        when = now - dt.timedelta(seconds=rng.randrange(730 * 86400))
        digest = hashlib.sha256(f"{i}\n{subject}\n{detail}".encode()).hexdigest()
        batch.append(
            PublicMessage(
                conference=conf,
                subject=subject[:200],
                detail=detail,
                category=category,
                tracking_code=f"B{i:09d}",
                state=state,
                support_count=likes,
                source_id=f"bench-{i}",
                content_hash=digest,
                submitted_at=when,
                public_reply="已转有关部门办理。" if state == "answered" else "",
                published=state == "answered",
            )
        )
        if len(batch) == 5000:
            PublicMessage.objects.bulk_create(batch)
            batch = []
    if batch:
        PublicMessage.objects.bulk_create(batch)
    if total > have:
        print(f"filled {total - have} messages in {time.perf_counter() - start:.1f} s")
    print(f"messages in the conference: {PublicMessage.objects.filter(conference=conf).count()}")
    if not HandlingUnit.objects.filter(conferences=conf).exists():
        units = [HandlingUnit.objects.create(name=f"十万基准市第{i}局") for i in range(5)]
        for u in units:
            u.conferences.add(conf)
        answered = list(PublicMessage.objects.filter(conference=conf, state="answered").order_by("pk")[:300])
        Forwarding.objects.bulk_create(
            [
                Forwarding(message=m, unit=units[i % 5], due_on=m.submitted_at.date(), is_current=False)
                for i, m in enumerate(answered)
            ]
        )
    staff, created = User.objects.get_or_create(username="bench100k-staff")
    if created:
        Role.objects.create(user=staff, conference=conf, kind="staff")
        Role.objects.create(user=staff, conference=conf, kind="leader")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE voice_publicmessage")
    from django.conf import settings

    from xieshang.core import intelcache

    settings.XIESHANG_INTEL_DIR = Path(tempfile.mkdtemp(prefix="xieshang-bench-intel-"))
    client = Client()
    client.force_login(staff)
    pages = (
        ("triage board", "/voice/board/", lambda i: {"page": i % 10 + 1}),
        ("hot topics (90 days)", "/voice/topics/", lambda i: {}),
    )
    for label, url, params in pages:
        start = time.perf_counter()
        response = client.get(url, params(0))
        assert response.status_code == 200 and b"-pending" in response.content
        print(
            f"{label}: a visit before the worker's first build {(time.perf_counter() - start) * 1000:.0f} ms"
        )
    _worker_builds(conf.pk)  # what the worker does once asked (by those visits, or by an import)
    intelcache.clear()  # a fresh web process: it loads what the worker persisted
    for label, url, params in pages:
        start = time.perf_counter()
        response = client.get(url, params(0))
        assert response.status_code == 200 and b"-pending" not in response.content
        print(
            f"{label}: first request of a new process (loads the built objects) "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        times = []
        for i in range(runs):
            start = time.perf_counter()
            response = client.get(url, params(i))
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        print(f"{label}, {total} messages: {_percentiles(times)}")
    return 0


# ---------------------------------------------------------------------------- duplicates


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _nearest(rows: list[dict[str, str]]) -> list[tuple[int, float]]:
    """For every row, the other row (of another id) whose subject and detail share the most character
    bigrams (Jaccard), found through an inverted index of the rarer bigrams."""
    from collections import Counter, defaultdict

    grams = [_bigrams(r["subject"] + r["detail"][:300]) for r in rows]
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].append(i)
    found = []
    for i, g in enumerate(grams):
        shared: Counter[int] = Counter()
        for gram in g:
            posting = index[gram]
            if len(posting) < 400:
                shared.update(posting)
        best, score = -1, 0.0
        for j, _n in shared.most_common(8):
            if j == i:
                continue
            jac = len(g & grams[j]) / max(1, len(g | grams[j]))
            if jac > score:
                best, score = j, jac
        found.append((best, score))
    return found


def _key(row: dict[str, str]) -> str:
    return f"{row['source']}:{row['id']}"


def write_sample() -> int:
    """100 messages with a near-duplicate and 100 without, as pairs for a person to judge."""
    import csv
    import random

    rows = _rows()
    nearest = _nearest(rows)
    rng = random.Random(7)
    order = list(range(len(rows)))
    rng.shuffle(order)
    dup: list[tuple[int, int, float]] = []
    used: set[int] = set()
    for i in order:
        j, score = nearest[i]
        if score >= 0.5 and i not in used and j not in used and len(dup) < 100:
            # the later message is the new one; the earlier stays in the history
            new, old = (i, j) if rows[i]["time"] >= rows[j]["time"] else (j, i)
            dup.append((new, old, score))
            used.update({i, j})
    clean = [(i, nearest[i][0], nearest[i][1]) for i in order if nearest[i][1] < 0.25 and i not in used][:100]
    judged: dict[tuple[str, str], str] = {}
    if SAMPLE.is_file():
        with SAMPLE.open(encoding="utf-8") as f:
            judged = {(r["new"], r["history"]): r["judgement"] for r in csv.DictReader(f)}
    with SAMPLE.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "group",
                "new",
                "history",
                "jaccard",
                "new_subject",
                "history_subject",
                "new_detail",
                "history_detail",
                "judgement",
            ]
        )
        for group, pairs in (("near", dup), ("far", clean)):
            for i, j, score in pairs:
                a, b = rows[i], rows[j]
                out.writerow(
                    [
                        group,
                        _key(a),
                        _key(b),
                        f"{score:.2f}",
                        a["subject"],
                        b["subject"],
                        a["detail"][:120],
                        b["detail"][:120],
                        judged.get((_key(a), _key(b)), ""),
                    ]
                )
    print(f"wrote {len(dup)} near and {len(clean)} far pairs to {SAMPLE}")
    return 0


def duplicates() -> int:
    """How many hand-judged duplicates the similar-message suggestion catches at its threshold."""
    import csv

    if not SAMPLE.is_file():
        print(f"skipped: {SAMPLE} not found (run --mode sample and judge the pairs first)")
        return 0
    with SAMPLE.open(encoding="utf-8") as f:
        sample = list(csv.DictReader(f))
    if any(r["judgement"] not in ("dup", "not_dup") for r in sample):
        print(f"skipped: some pairs of {SAMPLE} are not judged (dup / not_dup)")
        return 0
    _setup()
    from xieshang.conferences.models import Conference
    from xieshang.voice import intel, services
    from xieshang.voice.models import PublicMessage

    rows = {_key(r): r for r in _rows()}
    new = {r["new"] for r in sample}
    conf = Conference.objects.create(name="查重基准市政协", short_name="查重基准", code="dupbench")
    history = [r for k, r in rows.items() if k not in new]
    created = PublicMessage.objects.bulk_create(
        [
            PublicMessage(
                conference=conf,
                subject=r["subject"][:200],
                detail=r["detail"],
                tracking_code=f"D{n:09d}",
                state="closed",
                source_id=_key(r),
                content_hash=services.content_hash(r["subject"], r["detail"], _key(r)),
            )
            for n, r in enumerate(history)
        ],
        batch_size=2000,
    )
    print(f"history: {len(created)} messages; sample: {len(sample)} pairs")
    pk_of = dict(PublicMessage.objects.filter(conference=conf).values_list("source_id", "pk"))
    intel.similar_messages(conf.pk, "预热")  # builds the index
    counts = {"dup": [0, 0], "not_dup": [0, 0]}  # [pairs, caught or flagged]
    by_group: dict[tuple[str, str], list[int]] = {}
    start = time.perf_counter()
    for r in sample:
        row = rows[r["new"]]
        found = intel.similar_messages(conf.pk, intel.text_of(row["subject"], row["detail"]))
        ids = {m.message.pk for m in found}
        hit = int(pk_of.get(r["history"]) in ids) if r["judgement"] == "dup" else int(bool(found))
        counts[r["judgement"]][0] += 1
        counts[r["judgement"]][1] += hit
        group = by_group.setdefault((r["group"], r["judgement"]), [0, 0])
        group[0] += 1
        group[1] += hit
    took = (time.perf_counter() - start) / len(sample) * 1000
    dup_n, caught = counts["dup"]
    far_n, flagged = counts["not_dup"]
    print(f"similar-message suggestion (min_score 0.3, top 5), {took:.0f} ms a query:")
    print(f"  true duplicates caught: {caught} of {dup_n} ({caught / max(1, dup_n):.0%})")
    print(f"  messages without a duplicate that still got a suggestion: {flagged} of {far_n}")
    for (name, judgement), (n, hits) in sorted(by_group.items()):
        what = "caught" if judgement == "dup" else "got a suggestion"
        rule = ">= 0.5" if name == "near" else "< 0.25"
        print(f"  sampled as {name} (bigram Jaccard {rule}), judged {judgement}: {hits} of {n} {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
