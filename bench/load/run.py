"""The loopback load test: gunicorn + PostgreSQL with generated data, driven by Locust.

    .venv/bin/python bench/load/run.py                      # the mixed day: 50 users, 10 minutes
    .venv/bin/python bench/load/run.py --users 20 --duration 2m
    .venv/bin/python bench/load/run.py --peak               # the plenary peak: 2,000 submissions

Starts gunicorn on 127.0.0.1 against DATABASE_URL (default: the local xieshang_province database,
filled by `xieshang gendata --scale province`), runs Locust headless for a bounded time, stops
gunicorn, then prints per page kind the count, p50/p95/p99, failures, the throughput, the slowest
SQL statements, and a PASS/FAIL line against the bar. Traffic goes to the loopback address only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/xieshang_province"
P95_BAR_MS = 300
PEAK_MINUTES = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--duration", default="10m", help="how long Locust runs (e.g. 90s, 10m)")
    parser.add_argument("--peak", action="store_true", help="the plenary peak instead of the mixed day")
    parser.add_argument(
        "--peak-total", type=int, default=2000, help="submissions in the peak (default 2,000)"
    )
    parser.add_argument(
        "--peak-pace",
        default="12",
        help="seconds between one peak user's submissions (default 12: 50 users submit 2,000 in ~8 min)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--conferences", type=int, default=0, help="use only the first N conferences (0: all)"
    )
    parser.add_argument(
        "--intel-rows",
        default=None,
        help="XIESHANG_INTEL_BACKGROUND_ROWS for the server and its worker: above it, text-intelligence "
        "indexes are built by the worker, never in a request (default: the platform's; see README)",
    )
    parser.add_argument("--warmup", default="30s", help="an unreported warm-up run before the measured one")
    parser.add_argument("--out", default=str(ROOT / "var" / "load"), help="folder for CSV files and logs")
    return parser.parse_args(argv)


def seconds(duration: str) -> int:
    """90 → 90, 90s → 90, 10m → 600, 1h → 3600."""
    unit = {"s": 1, "m": 60, "h": 3600}.get(duration[-1:], 1)
    return int(float(duration.rstrip("smh")) * unit)


def plan(db: str, limit: int) -> list[dict[str, Any]]:
    """The generated conferences with their member and unit counts (logins are derived from these)."""
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            """
            SELECT substr(c.code, 5),
                   (SELECT count(*) FROM people_member m WHERE m.conference_id = c.id),
                   (SELECT count(*) FROM people_role r WHERE r.conference_id = c.id AND r.kind = 'unit')
            FROM conferences_conference c WHERE c.code LIKE 'gen-%' ORDER BY c.id
            """
        ).fetchall()
    if not rows:
        sys.exit(
            f"no generated data in {db}: run `xieshang gendata --scale province` first "
            "(see bench/load/README.md)"
        )
    chosen = rows[:limit] if limit else rows
    return [{"prefix": p, "members": m, "units": u} for p, m, u in chosen]


def data_sizes(db: str) -> dict[str, int]:
    """Row counts of the main tables, printed with the figures."""
    tables = {
        "conferences": "conferences_conference",
        "members": "people_member",
        "proposals": "proposals_proposal",
        "assignments": "proposals_assignment",
        "replies": "proposals_reply",
        "evaluations": "proposals_evaluation",
        "opinion reports": "opinions_opinionreport",
        "activities": "activities_activity",
        "attendance": "activities_attendance",
        "point events": "duty_pointevent",
    }
    with psycopg.connect(db) as conn:
        return {k: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for k, t in tables.items()}  # type: ignore[index]


def start_server(args: argparse.Namespace, db: str, out: Path) -> subprocess.Popen[bytes]:
    """gunicorn on the loopback address, DEBUG off, persistent database connections."""
    env = {
        **os.environ,
        "DATABASE_URL": db + ("&" if "?" in db else "?") + "conn_max_age=600",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "XIESHANG_QUERY_LOG": str(out),
        "XIESHANG_LOGIN_FAILURE_LIMIT": "1000",
        **({"XIESHANG_INTEL_BACKGROUND_ROWS": args.intel_rows} if args.intel_rows else {}),
    }
    log = (out / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "xieshang.wsgi",
            "-c",
            str(HERE / "gunicorn_conf.py"),
            "-k",
            "gthread",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "60",
            "--preload",
            # Longer than the users' think time, as a proxy in front would keep them: with gunicorn's
            # 2-second default a reused connection races the server closing it (connection reset).
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/login/", timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped; see {out / 'gunicorn.log'}")
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def start_worker(args: argparse.Namespace, db: str, out: Path) -> subprocess.Popen[bytes]:
    """The platform's worker beside gunicorn, as in production: it builds the text-intelligence indexes
    the pages ask for (similar proposals while a member writes one), e-mails and reminders."""
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "DJANGO_DEBUG": "false",
        **({"XIESHANG_INTEL_BACKGROUND_ROWS": args.intel_rows} if args.intel_rows else {}),
    }
    log = (out / "worker.log").open("wb")
    return subprocess.Popen(
        [str(BIN / "xieshang"), "worker", "--no-scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


def run_locust(args: argparse.Namespace, out: Path, mode: str, tag: str, duration: str, users: int) -> Path:
    """Locust headless, bounded by `duration` (and by the peak total); returns the CSV prefix."""
    prefix = out / (mode if duration == args.duration else "warmup")
    env = {
        **os.environ,
        "XIESHANG_LOAD_PLAN": str(out / "plan.json"),
        "XIESHANG_LOAD_MODE": mode,
        "XIESHANG_LOAD_TAG": tag,
        "XIESHANG_PEAK_TOTAL": str(args.peak_total),
        "XIESHANG_PEAK_ACKED": str(out / "peak-acked.txt"),
        "XIESHANG_PEAK_PACE": args.peak_pace,
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(args.spawn_rate),
        "-t",
        duration,
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "20",
        "--exit-code-on-error",
        "0",
    ]
    with Path(f"{prefix}-locust.log").open("wb") as log:
        subprocess.run(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds(duration) + 180
        )
    return prefix


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def print_stats(rows: list[dict[str, str]], wall: float) -> bool:
    """One line per page kind; True when every kind meets the p95 bar with no failure."""
    print(f"{'page kind':<32}{'count':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}{'fail':>6}")
    ok = True
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        count, fails = int(row["Request Count"]), int(row["Failure Count"])
        p50, p95, p99 = (row[k] for k in ("50%", "95%", "99%"))
        print(
            f"{name:<32}{count:>8}{p50:>7}{p95:>7}{p99:>7}{float(row['Max Response Time']):>8.0f}{fails:>6}"
        )
        if (
            row["Name"] != "Aggregated"
            and row["Name"] not in ("login", "login form")
            and (fails or (p95 not in ("N/A", "") and float(p95) >= P95_BAR_MS))
        ):
            ok = False
        if row["Name"] == "Aggregated":
            print(
                f"throughput: {count / wall:.1f} requests/s over {wall:.0f} s "
                f"({count} requests, {fails} failures)"
            )
            if fails:
                ok = False
    return ok


def print_queries(out: Path, top: int = 12) -> None:
    """The statements that took the most database time, summed over the workers."""
    merged: dict[str, list[float]] = {}
    for path in out.glob("queries-*.json"):
        for row in json.loads(path.read_text(encoding="utf-8")):
            acc = merged.setdefault(row["sql"], [0, 0.0, 0.0])
            acc[0] += row["calls"]
            acc[1] += row["total_ms"]
            acc[2] = max(acc[2], row["max_ms"])
    if not merged:
        print("slowest queries: none recorded")
        return
    print(f"slowest queries (by total time; {sum(v[0] for v in merged.values()):,.0f} statements):")
    for sql, (calls, total, worst) in sorted(merged.items(), key=lambda kv: -kv[1][1])[:top]:
        print(
            f"  {total / 1000:7.1f} s  {calls:>7.0f} calls  avg {total / calls:6.1f} ms  "
            f"max {worst:7.1f} ms  {sql[:150]}"
        )


def check_peak(db: str, tag: str, out: Path, total: int) -> tuple[bool, str]:
    """Every acknowledged submission is in the database once, submitted; none doubled."""
    acked = (
        set((out / "peak-acked.txt").read_text(encoding="utf-8").split())
        if (out / "peak-acked.txt").exists()
        else set()
    )
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            "SELECT title, state FROM proposals_proposal WHERE title LIKE %s", (f"关于{tag}-%",)
        ).fetchall()
    titles = [t.removeprefix("关于").removesuffix("的建议") for t, _ in rows]
    submitted = {t for (t, s) in zip(titles, (s for _, s in rows), strict=False) if s != "draft"}
    lost = len(acked - submitted)
    doubled = len(titles) - len(set(titles))
    text = (
        f"peak: {len(acked)} submissions acknowledged, {len(submitted)} submitted proposals in the database, "
        f"{len(rows)} rows with the run's tag, lost {lost}, doubled {doubled}"
    )
    return len(acked) >= total and lost == 0 and doubled == 0, text


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not db.startswith("postgres"):
        sys.exit("the load test runs on PostgreSQL: set DATABASE_URL=postgres://…")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("queries-*.json"), out / "peak-acked.txt", out / "measure-since"]:
        old.unlink(missing_ok=True)
    mode = "peak" if args.peak else "day"
    conferences = plan(db, args.conferences)
    (out / "plan.json").write_text(json.dumps(conferences), encoding="utf-8")
    sizes = data_sizes(db)
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(
        f"run: {mode}, {args.users} users, {args.duration}, "
        f"gunicorn {args.workers} workers × {args.threads} threads, "
        f"127.0.0.1:{args.port}, {len(conferences)} conferences' logins"
    )
    tag = f"峰值{uuid.uuid4().hex[:8]}" if args.peak else f"负载{uuid.uuid4().hex[:8]}"
    server = start_server(args, db, out)
    worker = start_worker(args, db, out)
    try:
        if seconds(args.warmup) > 0:
            # Every worker imports, compiles templates and loads its caches once; not part of the figures.
            run_locust(args, out, "day", f"{tag}预热", args.warmup, min(args.users, 20))
        (out / "measure-since").write_text(str(time.time()), encoding="utf-8")
        started = time.monotonic()
        prefix = run_locust(args, out, mode, tag, args.duration, args.users)
        wall = time.monotonic() - started
    finally:  # a failed warm-up or run still stops gunicorn and the worker
        stop_server(server)
        stop_server(worker)
    ok = print_stats(read_stats(prefix), wall)
    print_queries(out)
    if args.peak:
        peak_ok, text = check_peak(db, tag, out, args.peak_total)
        print(text + f", in {wall / 60:.1f} min")
        ok = ok and peak_ok and wall <= PEAK_MINUTES * 60 + 30
        bar = (
            f"{args.peak_total} submissions within {PEAK_MINUTES} min, 0 lost, 0 doubled, 0 errors, "
            f"p95 < {P95_BAR_MS} ms"
        )
    else:
        bar = (
            f"p95 < {P95_BAR_MS} ms for every page kind and 0 errors "
            f"at {args.users} users over {args.duration}"
        )
    print(f"{'PASS' if ok else 'FAIL'}: {bar}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
