"""Task and figure extraction: precision, recall and F1 on hand labels (dev, test, unseen), and speed."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from common import HERE, figure

from xieshang.textintel.extract import IndicatorItem, TaskItem, extract

LABELS = HERE / "extract" / "labels.tsv"
SHARED = HERE.parent.parent.parent / "shared" / "data"
# The speaker's own region for public documents; own texts are run without one (found from 全X).
REGIONS = {
    "district-hailaer": "海拉尔区",
    "national-": "全国",
    "province-2026-jiangxi": "江西省",
    "province-2026-shandong": "山东省",
    "province-2026-anhui": "安徽省",
    "province-2026-gansu": "甘肃省",
    "province-2026-hubei": "湖北省",
    "province-2026-neimenggu": "内蒙古自治区",
}


def _source(name: str) -> Path:
    return (
        SHARED / name.removeprefix("../shared/data/") if name.startswith("../") else HERE / "extract" / name
    )


def _labels() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _span(text: str, snippet: str, source: str) -> tuple[int, int]:
    at = text.find(snippet)
    if at < 0 or text.find(snippet, at + 1) >= 0:
        raise SystemExit(f"label snippet not found once in {source}: {snippet}")
    return at, at + len(snippet)


Item = tuple[int, int, object, object]  # start, end, key scored, extra (cooperating units of a task)


def _score(gold: list[Item], found: list[Item]) -> tuple[int, int, int, int]:
    """Greedy one-to-one matching: spans overlap and keys are equal; also count matches whose extras agree."""
    used: set[int] = set()
    hits = extras = 0
    for g_start, g_end, g_key, g_extra in gold:
        for n, (p_start, p_end, p_key, p_extra) in enumerate(found):
            if n not in used and p_start < g_end and g_start < p_end and p_key == g_key:
                used.add(n)
                hits += 1
                extras += p_extra == g_extra
                break
    return hits, len(found), len(gold), extras


def _read_parts(text: str, gold: list[Item]) -> list[tuple[int, int]]:
    """Public texts are labelled in parts: per paragraph, from its first to its last labelled snippet."""
    parts: dict[int, tuple[int, int]] = {}
    for start, end, *_ in gold:
        paragraph = text.rfind("\n", 0, start)
        low, high = parts.get(paragraph, (start, end))
        parts[paragraph] = (min(low, start), max(high, end))
    return list(parts.values())


def _prf(hits: int, found: int, gold: int) -> str:
    p = hits / found if found else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="accepted for run.py; the bench is fast")
    parser.add_argument("--split", action="append", help="dev, test, unseen, fresh (default: all four)")
    parser.add_argument("--errors", action="store_true", help="print misses and false finds (dev only)")
    args = parser.parse_args(argv)
    labels = _labels()
    if any(r["source"].startswith("../") for r in labels) and not SHARED.is_dir():
        print(f"SKIPPED: data not found at {SHARED}")
        return 0
    splits = args.split or ["dev", "test", "unseen", "fresh"]
    by_source: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in labels:
        by_source[(row["split"], row["source"])].append(row)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    coop_gold: dict[str, int] = defaultdict(int)
    chars = {s: 0 for s in splits}
    for (split, source), rows in sorted(by_source.items()):
        if split not in splits:
            continue
        text = _source(source).read_text(encoding="utf-8")
        chars[split] += len(text)
        region = next((v for k, v in REGIONS.items() if k in source), None)
        items = extract(text, region=region)
        labelled_kinds = {r["type"] for r in rows}
        for kind, cls in (("task", TaskItem), ("indicator", IndicatorItem)):
            if kind not in labelled_kinds:
                continue  # public reports are labelled for figures only in the parts read by hand
            gold: list[Item] = [
                (*_span(text, r["snippet"], source), *_key(kind, r["key"], r["value"]))
                for r in rows
                if r["type"] == kind
            ]
            if kind == "task":
                coop_gold[split] += sum(1 for r in rows if r["type"] == kind and r["value"])
            spans = _read_parts(text, gold) if source.startswith("../") else []
            found: list[Item] = [
                (i.start, i.end, *_item_key(i))
                for i in items
                if isinstance(i, cls) and (not spans or any(i.start < b and a < i.end for a, b in spans))
            ]
            result = _score(gold, found)
            for n in range(4):
                totals[(split, kind)][n] += result[n]
            if args.errors and split == "dev":
                _print_errors(source, gold, found)
    counts = {s: sum(1 for r in labels if r["split"] == s) for s in splits}
    for split in splits:
        print(f"{split}: {counts[split]} labels over {chars[split]:,} characters")
        task_bar = "bar F1 >= 0.85" if split != "dev" else ""
        figure_bar = "bar F1 >= 0.90" if split != "dev" else ""
        hits, found, gold, coops = totals[(split, "task")]
        figure(f"{split} tasks ({gold} labelled, {found} found)", _prf(hits, found, gold), task_bar)
        figure(
            f"{split} cooperating units right, of matched tasks ({coop_gold[split]} labelled with some)",
            f"{coops}/{hits} = {coops / hits if hits else 0.0:.3f}",
        )
        hits, found, gold, _ = totals[(split, "indicator")]
        figure(f"{split} figures ({gold} labelled, {found} found)", _prf(hits, found, gold), figure_bar)
    _speed()
    return 0


def _key(kind: str, key: str, value: str) -> tuple[object, object]:
    """Task: (responsible units, cooperating units); figure: ((region, value), None)."""
    if kind == "task":
        return frozenset(key.split("|")), frozenset(value.split("|")) if value else frozenset()
    return (key, round(float(value), 4)), None


def _item_key(item: TaskItem | IndicatorItem) -> tuple[object, object]:
    if isinstance(item, TaskItem):
        return frozenset(item.units), frozenset(item.coop_units)
    return (item.region, round(item.value, 4)), None


def _print_errors(source: str, gold: list[Item], found: list[Item]) -> None:
    for g in gold:
        if not any(p[0] < g[1] and g[0] < p[1] and p[2] == g[2] for p in found):
            print(f"    MISS {source} {g[2]} @{g[0]}")
        elif not any(p[0] < g[1] and g[0] < p[1] and p[2] == g[2] and p[3] == g[3] for p in found):
            print(f"    COOP {source} {g[2]} wants {g[3]} @{g[0]}")
    for p in found:
        if not any(p[0] < g[1] and g[0] < p[1] and p[2] == g[2] for g in gold):
            print(f"    FALSE {source} {p[2]} @{p[0]}")


def _speed() -> None:
    sample = _source("../shared/data/speeches/speech4_youth_league.txt")
    if not sample.is_file():
        return
    text = sample.read_text(encoding="utf-8")
    reports = sorted((SHARED / "govreports").glob("*.txt"))
    text = (text * (20_000 // len(text) + 1))[:20_000]  # speech4 repeated to 20,000 characters
    extract(text[:100])  # compile the patterns once
    start = time.perf_counter()
    extract(text)
    seconds = time.perf_counter() - start
    figure("speed, 20,000 characters (speech4 repeated)", f"{seconds:.3f} s", "bar < 2 s")
    start = time.perf_counter()
    total = sum(len(extract(r.read_text(encoding="utf-8"))) for r in reports)
    seconds = time.perf_counter() - start
    size = sum(len(r.read_text(encoding="utf-8")) for r in reports)
    figure(f"speed, {len(reports)} reports ({size:,} characters, {total} items)", f"{seconds:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
