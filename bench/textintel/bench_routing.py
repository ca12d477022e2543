"""Routing benchmark: baseline TF-IDF char 1-3 + linear SVM beside the improved router.

5-fold cross-validation over train+dev (the extra file always added to training), then one
figure on the test split for each model trained on train+dev+extra, then speed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import numpy as np
from common import data_available, figure, percentile, rows, text, timed
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from xieshang.textintel.routing import Router


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one fold, no test figure, small speed run")
    args = parser.parse_args(argv)
    if not data_available():
        return 0
    labelled = rows("messages_labelled.csv")
    extra = rows("messages_labelled_extra.csv")
    train_dev = [r for r in labelled if r["split"] != "test"]
    test = [r for r in labelled if r["split"] == "test"]
    x, y = np.array([text(r) for r in train_dev]), np.array([r["label"] for r in train_dev])
    x_extra, y_extra = [text(r) for r in extra], [r["label"] for r in extra]
    print(f"Routing (first-level category): train+dev {len(train_dev)}, extra {len(extra)}, test {len(test)}")

    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y))
    if args.quick:
        folds = folds[:1]
    for kind in ("baseline", "improved"):
        scores = []
        with timed(f"{kind} {len(folds)}-fold"):
            for train, held in folds:
                router = Router(kind).fit([*x[train], *x_extra], [*y[train], *y_extra], calibrate=False)
                scores.append(f1_score(y[held], router.predict(list(x[held])), average="macro"))
        spread = (
            f"{statistics.mean(scores):.3f} ± {statistics.pstdev(scores):.3f}"
            if len(scores) > 1
            else (f"{scores[0]:.3f}")
        )
        figure(
            f"{kind}: macro-F1, {len(folds)}-fold over train+dev (+extra)",
            spread,
            "folds: " + " ".join(f"{s:.3f}" for s in scores),
        )

    if args.quick:
        return 0
    test_x, test_y = [text(r) for r in test], [r["label"] for r in test]
    routers = {}
    for kind in ("baseline", "improved"):
        start = time.perf_counter()
        router = Router(kind).fit([*x, *x_extra], [*y, *y_extra])
        seconds = time.perf_counter() - start
        routers[kind] = router
        predicted = router.predict(test_x)
        figure(
            f"{kind}: test macro-F1 (trained on train+dev+extra, {len(x) + len(x_extra)})",
            f"{f1_score(test_y, predicted, average='macro'):.3f}",
            "bar >= 0.92 on unseen messages",
        )
        figure(f"{kind}: test accuracy", f"{accuracy_score(test_y, predicted):.3f}")
        figure(f"{kind}: training time incl. calibration", f"{seconds:.1f} s", "bar < 30 min")
        top3 = router.suggest(test_x, k=3)
        figure(
            f"{kind}: truth within top 3",
            f"{np.mean([t in [s.label for s in r] for t, r in zip(test_y, top3, strict=True)]):.3f}",
        )

    router = routers["improved"]
    votes = [text(r) for r in rows("messages_with_votes.csv")]
    random.seed(0)
    singles = random.sample(votes, 200)
    router.suggest(singles[:5])
    latencies = []
    for message in singles:
        start = time.perf_counter()
        router.suggest([message], k=3)
        latencies.append((time.perf_counter() - start) * 1000)
    figure(
        "improved: one suggestion (top 3), p50 / p95",
        f"{percentile(latencies, 50):.1f} / {percentile(latencies, 95):.1f} ms",
        "bar: UI within 300 ms",
    )
    batch = [random.choice(votes) for _ in range(10_000)]
    start = time.perf_counter()
    router.predict(batch)
    seconds = time.perf_counter() - start
    figure(
        "improved: batch of 10,000 messages (resampled from votes file)",
        f"{seconds:.1f} s",
        f"{seconds / len(batch) * 1000:.2f} ms/message; bar < 30 min",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
