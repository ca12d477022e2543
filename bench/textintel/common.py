"""Shared helpers for the textintel benchmarks: data location, loading, timing, printing."""

from __future__ import annotations

import csv
import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))
# The data live beside the repository, never inside it.
DATA = Path(os.environ.get("XIESHANG_DATA", REPO.parent / "shared" / "data")) / "teddy2020c"


def data_available() -> bool:
    """Return True when the Teddy Cup 2020 data are present; print why not otherwise."""
    if (DATA / "messages_labelled.csv").is_file():
        return True
    print(f"SKIPPED: data not found at {DATA} (set XIESHANG_DATA to the folder holding teddy2020c/)")
    return False


def rows(name: str) -> list[dict[str, str]]:
    """Return the rows of one data file."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def text(row: dict[str, str]) -> str:
    """Return subject and detail of a message joined as one text."""
    return "。".join(part for part in (row.get("subject", ""), row.get("detail", "")) if part)


def all_messages() -> list[tuple[str, dict[str, str]]]:
    """Return every message of the four files with a unique id (file prefix + id or row)."""
    found: list[tuple[str, dict[str, str]]] = []
    for prefix, name in (
        ("L", "messages_labelled.csv"),
        ("V", "messages_with_votes.csv"),
        ("R", "messages_with_replies.csv"),
    ):
        seen: set[str] = set()
        for r in rows(name):
            key = f"{prefix}{r['id']}"
            key = key if key not in seen else f"{key}.{len(seen)}"  # messages_labelled repeats one id
            seen.add(key)
            found.append((key, r))
    found.extend((f"X{i}", r) for i, r in enumerate(rows("messages_labelled_extra.csv")))
    return found


@contextmanager
def timed(label: str) -> Iterator[dict[str, float]]:
    """Measure the wall time of a block; the result dict gets a 'seconds' key."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start
    print(f"  [{label}: {result['seconds']:.1f} s]", flush=True)


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def figure(name: str, value: str, bar: str = "") -> None:
    """Print one reported figure, with its bar when there is one."""
    print(f"  {name:<58} {value:>18}   {bar}", flush=True)
