"""Similar-text benchmark: subject-line and 60%-rewrite retrieval, merge suggestions, speed.

The index holds all 14,183 texts of the four files (subject and detail joined). A query is
"found" when the first result is the message itself or a byte-identical copy of it (the votes
file repeats 109 details); the strict figure, counting copies as misses, is printed beside it.
For the rewrites (made of body sentences only) the figure that also counts a re-post with the
same body under another subject is printed too: nothing in such a query can tell the two apart.
--failures prints the misses; --seed draws other samples (choices were made on seed 12345, the
reported figures use seed 0).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time

import numpy as np
from common import HERE, all_messages, data_available, figure, percentile, text, timed
from sklearn.feature_extraction.text import TfidfVectorizer

from xieshang.textintel import segment
from xieshang.textintel.similar import SimilarIndex, pair_score


def _ours(index: SimilarIndex, queries: list[str], k: int) -> tuple[list[list[int]], list[float]]:
    positions = {doc_id: i for i, doc_id in enumerate(index.ids)}
    ranked, latencies = [], []
    for query in queries:
        start = time.perf_counter()
        matches = index.query(query, k=k)
        latencies.append((time.perf_counter() - start) * 1000)
        ranked.append([positions[m.id] for m in matches])
    return ranked, latencies


def _baseline(corpus: list[str], queries: list[str], k: int) -> list[list[int]]:
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform(corpus)
    ranked = []
    for start in range(0, len(queries), 500):
        scores = (vectorizer.transform(queries[start : start + 500]) @ matrix.T).toarray()
        ranked.extend(np.argsort(-scores, axis=1)[:, :k].tolist())
    return ranked


def _bigrams(text: str) -> set[str]:
    chars = "".join(text.split())
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _near_copy(a: str, b: str) -> bool:
    """Re-posts of one message: character-bigram Jaccard of at least 0.8."""
    x, y = _bigrams(a), _bigrams(b)
    return bool(x | y) and len(x & y) / len(x | y) >= 0.8


def _core(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _rates(
    ranked: list[list[int]], targets: list[int], corpus: list[str], bodies: list[str] | None = None
) -> dict[str, float]:
    def same(i: int, t: int) -> bool:
        return i == t or corpus[i] == corpus[t]

    def same_body(i: int, t: int) -> bool:
        return same(i, t) or (bodies is not None and _core(bodies[i]) == _core(bodies[t]))

    n = len(targets)
    pairs = list(zip(ranked, targets, strict=True))
    return {
        "top1": sum(bool(r) and same(r[0], t) for r, t in pairs) / n,
        "top10": sum(any(same(i, t) for i in r[:10]) for r, t in pairs) / n,
        "strict_top1": sum(bool(r) and r[0] == t for r, t in pairs) / n,
        "near_top1": sum(bool(r) and (same(r[0], t) or _near_copy(corpus[r[0]], corpus[t])) for r, t in pairs)
        / n,
        "body_top1": sum(bool(r) and same_body(r[0], t) for r, t in pairs) / n,
    }


def _rewrite(detail: str, rng: random.Random) -> str:
    sentences = segment.sentences(detail)
    keep = sorted(rng.sample(range(len(sentences)), math.ceil(0.6 * len(sentences))))
    return "".join(sentences[i] for i in keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="500 subject queries, 300 rewrites, no body-only variant"
    )
    parser.add_argument("--failures", action="store_true", help="print the rewrites not found first")
    parser.add_argument(
        "--seed", type=int, default=0, help="sampling seed (0 = the reported set; tune on another)"
    )
    args = parser.parse_args(argv)
    if not data_available():
        return 0
    messages = all_messages()
    ids = [i for i, _ in messages]
    corpus = [text(r) for _, r in messages]
    print(f"Similar texts: {len(corpus)} texts indexed (all four files)")
    with timed("build") as build:
        index = SimilarIndex().build(ids, corpus)
    figure("index build throughput (segmentation included)", f"{len(corpus) / build['seconds']:.0f} texts/s")
    figure("index memory", f"{index.memory_bytes() / 1e6:.0f} MB")

    rng = random.Random(args.seed)
    with_subject = [i for i, (doc_id, r) in enumerate(messages) if r["subject"].strip() and doc_id[0] != "X"]
    if args.quick:
        with_subject = rng.sample(with_subject, 500)
    queries = [messages[i][1]["subject"] for i in with_subject]
    ranked, latencies = _ours(index, queries, 10)
    ours = _rates(ranked, with_subject, corpus)
    base = _rates(_baseline(corpus, queries, 10), with_subject, corpus)
    label = f"subject line -> its message ({len(queries)} queries)"
    figure(f"BM25 words+char2: {label} first", f"{ours['top1']:.3f}", "bar >= 0.90")
    figure("BM25 words+char2: within top 10", f"{ours['top10']:.3f}", "bar >= 0.99")
    figure("BM25 words+char2: first, copies counted as misses", f"{ours['strict_top1']:.3f}")
    figure("BM25 words+char2: first, re-posts (bigram Jaccard >= 0.8) counted", f"{ours['near_top1']:.3f}")
    figure(
        "baseline TF-IDF char 1-2 cosine: first / top 10",
        f"{base['top1']:.3f} / {base['top10']:.3f}",
        "issue's reference: about 0.82 / 0.94",
    )
    figure(
        "query latency p50 / p95 (14k texts)",
        f"{percentile(latencies, 50):.2f} / {percentile(latencies, 95):.2f} ms",
    )

    details = [r["detail"] for _, r in messages]
    if not args.quick:
        # Harder variant: the subject is not indexed, only the body.
        detail_index = SimilarIndex().build(ids, details)
        ranked, _ = _ours(detail_index, queries, 10)
        ours_d = _rates(ranked, with_subject, details)
        base_d = _rates(_baseline(details, queries, 10), with_subject, details)
        figure(
            "harder: subject -> body only indexed, ours first / top 10",
            f"{ours_d['top1']:.3f} / {ours_d['top10']:.3f}",
        )
        figure(
            "harder: baseline char 1-2 cosine first / top 10", f"{base_d['top1']:.3f} / {base_d['top10']:.3f}"
        )

    long_ones = [
        i for i in range(len(messages)) if ids[i][0] != "X" and len(segment.sentences(details[i])) >= 3
    ]
    targets = rng.sample(long_ones, 300 if args.quick else 2000)
    rewrites = [_rewrite(details[i], rng) for i in targets]
    ranked, _ = _ours(index, rewrites, 10)
    rewritten = _rates(ranked, targets, corpus, details)
    base_r = _rates(_baseline(corpus, rewrites, 10), targets, corpus)
    index.sentence_bonus = 0.0
    lexical_only = _rates(_ours(index, rewrites, 10)[0], targets, corpus, details)
    index.sentence_bonus = SimilarIndex().sentence_bonus
    figure(
        f"60% of the sentences -> its message first ({len(targets)} queries)",
        f"{rewritten['top1']:.3f}",
        "bar >= 0.98",
    )
    figure(
        "  same, a re-post with the same body also counted",
        f"{rewritten['body_top1']:.3f}",
        "the query holds body sentences only",
    )
    figure(
        "  without the sentence re-ranking (BM25 only): first / same body",
        f"{lexical_only['top1']:.3f} / {lexical_only['body_top1']:.3f}",
    )
    if args.failures:
        _print_failures(ranked, targets, rewrites, corpus, details)
    figure("  same, a re-post of it (bigram Jaccard >= 0.8) also counted", f"{rewritten['near_top1']:.3f}")
    figure("  same, copies counted as misses", f"{rewritten['strict_top1']:.3f}")
    figure(
        "baseline char 1-2 cosine, same rewrites: first / with re-posts",
        f"{base_r['top1']:.3f} / {base_r['near_top1']:.3f}",
    )

    _merge(index, {doc_id: c for doc_id, c in zip(ids, corpus, strict=True)})
    return 0


def _print_failures(
    ranked: list[list[int]], targets: list[int], queries: list[str], corpus: list[str], bodies: list[str]
) -> None:
    """Print each rewrite whose message is not first: the query, its message and what came first."""
    for r, t, q in zip(ranked, targets, queries, strict=True):
        if r and (r[0] == t or corpus[r[0]] == corpus[t]):
            continue
        kind = "same body" if r and _core(bodies[r[0]]) == _core(bodies[t]) else "other text"
        rank = next((j for j, i in enumerate(r) if i == t), -1)
        print(f"  -- miss ({kind}), its message at rank {rank + 1 if rank >= 0 else '>10'}")
        print(f"     query: {q[:100]}")
        print(f"     wanted: {corpus[t][:100]}")
        print(f"     first:  {corpus[r[0]][:100] if r else '(nothing)'}")


def _merge(index: SimilarIndex, texts: dict[str, str]) -> None:
    with (HERE / "similar_pairs.csv").open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    scores = [pair_score(texts[p["a"]], texts[p["b"]], index) for p in pairs]
    truth = [p["label"] == "same" for p in pairs]
    print(
        f"  Merge suggestions (并案) on {len(pairs)} hand-labelled pairs: "
        f"{sum(truth)} same issue, {sum(p['label'] == 'related' for p in pairs)} related, "
        f"{sum(p['label'] == 'unrelated' for p in pairs)} unrelated"
    )

    def pr(threshold: float, rows: range) -> tuple[float, float, float]:
        tp = sum(scores[i] >= threshold and truth[i] for i in rows)
        fp = sum(scores[i] >= threshold and not truth[i] for i in rows)
        fn = sum(scores[i] < threshold and truth[i] for i in rows)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    even, odd, every = range(0, len(pairs), 2), range(1, len(pairs), 2), range(len(pairs))
    grid = [round(t, 2) for t in np.arange(0.1, 0.9, 0.02)]
    chosen = max(grid, key=lambda t: (pr(t, even)[2], -t))
    p, r, _ = pr(chosen, odd)
    figure(
        f"threshold chosen on even rows (max F1): {chosen}; odd rows precision / recall", f"{p:.2f} / {r:.2f}"
    )
    p, r, _ = pr(chosen, every)
    figure(f"all {len(pairs)} pairs at {chosen}: precision / recall", f"{p:.2f} / {r:.2f}")
    for threshold in (0.3, 0.4, 0.5, 0.6):
        p, r, f = pr(threshold, every)
        figure(f"  at {threshold}: precision / recall / F1", f"{p:.2f} / {r:.2f} / {f:.2f}")
    by_label: dict[str, list[float]] = {}
    for pair, score in zip(pairs, scores, strict=True):
        by_label.setdefault(pair["label"], []).append(score)
    figure(
        "median score same / related / unrelated",
        " / ".join(f"{np.median(by_label[k]):.2f}" for k in ("same", "related", "unrelated")),
    )


if __name__ == "__main__":
    sys.exit(main())
