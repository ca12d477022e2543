"""Reply-quality benchmark: scores for all replies, agreement with 100 hand ratings (Spearman)."""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time

from common import HERE, data_available, figure, rows
from scipy.stats import spearmanr

from xieshang.textintel.replyquality import score_reply
from xieshang.textintel.topics import parse_time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="score only the 100 rated replies")
    args = parser.parse_args(argv)
    if not data_available():
        return 0
    replies = {r["id"]: r for r in rows("messages_with_replies.csv")}
    with (HERE / "reply_ratings.csv").open(encoding="utf-8") as handle:
        rated = list(csv.DictReader(handle))
    chosen = [r["id"] for r in rated] if args.quick else list(replies)
    start = time.perf_counter()
    scores = {}
    for reply_id in chosen:
        r = replies[reply_id]
        scores[reply_id] = score_reply(
            r["subject"] + "。" + r["detail"], r["reply"], parse_time(r["time"]), parse_time(r["reply_time"])
        )
    seconds = time.perf_counter() - start
    print(f"Reply quality: {len(chosen)} replies scored")
    figure("scoring speed", f"{seconds / len(chosen) * 1000:.1f} ms/reply")
    for part in ("relevance", "completeness", "concreteness", "timeliness", "overall"):
        values = [getattr(s, part) for s in scores.values() if getattr(s, part) is not None]
        figure(
            f"{part}: mean / median over all scored",
            f"{statistics.mean(values):.2f} / {statistics.median(values):.2f}",
        )
    late = sum(1 for s in scores.values() if s.timeliness is not None and s.timeliness < 1)
    figure("replies later than 15 days", f"{late} of {len(scores)}")

    human = [int(r["rating"]) for r in rated]
    print(f"  Agreement with {len(rated)} replies rated by hand (1-5, content only; see README):")
    for part in ("relevance", "completeness", "concreteness", "overall", "content"):
        if part == "content":
            machine = [
                (scores[r["id"]].relevance + scores[r["id"]].completeness + scores[r["id"]].concreteness) / 3
                for r in rated
            ]
        else:
            machine = [getattr(scores[r["id"]], part) for r in rated]
        rho, p = spearmanr(human, machine)
        figure(f"Spearman rho, hand rating vs {part}", f"{rho:.2f} (p={p:.1g})")
    example = replies[rated[1]["id"]]
    s = scores[rated[1]["id"]]
    print(f"  Example: {example['subject']} -> overall {s.overall}")
    for part, reasons in s.reasons.items():
        print(f"    {part}: {'; '.join(reasons)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
