"""Hot-topic benchmark on the 4,326 messages with votes: top 5 issues with their messages,
compared with the data's own support counts (likes)."""

from __future__ import annotations

import argparse
import sys
import time

from common import data_available, figure, rows, text
from scipy.stats import spearmanr

from xieshang.textintel.topics import hot_topics, parse_time, parse_window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the last 90 days only")
    args = parser.parse_args(argv)
    if not data_available():
        return 0
    messages = rows("messages_with_votes.csv")
    texts = [text(r) for r in messages]
    times = [parse_time(r["time"]) for r in messages]
    likes = [float(r["likes"] or 0) for r in messages]
    window = parse_window("90d") if args.quick else None
    start = time.perf_counter()
    groups = hot_topics(texts, times, likes, window=window, k=10_000)
    seconds = time.perf_counter() - start
    span = "last 90 days" if args.quick else f"{min(times):%Y-%m-%d} to {max(times):%Y-%m-%d}"
    print(f"Hot topics: {len(texts)} messages with votes, {span}")
    figure("grouping and ranking time", f"{seconds:.1f} s")
    figure("groups of 2 or more messages", f"{len(groups)}")
    rho, _ = spearmanr([g.heat for g in groups], [g.support for g in groups])
    figure("Spearman heat vs the group's total likes (all groups)", f"{rho:.2f}")
    by_support = sorted(groups, key=lambda g: -g.support)
    top_support = {id(g) for g in by_support[:10]}
    figure(
        "of our top 5 by heat, among the 10 most-liked groups",
        f"{sum(id(g) in top_support for g in groups[:5])}",
    )
    most_liked = sorted(range(len(messages)), key=lambda i: -likes[i])[:10]
    in_top = {i for g in groups[:5] for i in g.members}
    figure(
        "of the 10 most-liked messages, inside our top 5 groups", f"{sum(i in in_top for i in most_liked)}"
    )
    for rank, group in enumerate(groups[:5], 1):
        print(f"\n  {rank}. {'、'.join(group.phrases[:4])}   heat {group.heat:.2f}")
        print(
            f"     {group.count} messages, {group.support:.0f} likes, {group.growth:.1f} messages/week, "
            f"{group.start:%Y-%m-%d} to {group.end:%Y-%m-%d}"
        )
        print(f"     places: {'、'.join(group.places[:5])}")
        print(f"     description: {group.description[:70]}")
        for i in group.members[:8]:
            row = messages[i]
            print(f"       - {row['time'][:10]}  likes {row['likes']:>4}  {row['subject'][:50]}")
        if group.count > 8:
            print(f"       ... and {group.count - 8} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
