"""Scale benchmark of the similar-text index: 1,000,000 texts built by resampling the real sets.

Each synthetic text is a real text (of the four files) with a random 20% of its features
dropped, so that copies are near-duplicates rather than identical. Queries are real subject
lines and real full texts; the approximate search (query pruned to its 384 rarest features)
is compared with exhaustive scoring of every query feature over the same postings. Each copy
carries the sentence fingerprints of the real text it was drawn from (for the re-ranking).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp
from common import all_messages, data_available, figure, peak_rss_mb, percentile, text

from xieshang.textintel.similar import SimilarIndex, _count, features, sentence_keys


def _resample(
    real: sp.csr_matrix,
    n: int,
    rng: np.random.Generator,
    keep: float = 0.8,
    sources: list[np.ndarray] | None = None,
) -> sp.csr_matrix:
    sizes = np.diff(real.indptr)
    parts_i, parts_d, lengths = [], [], []
    for start in range(0, n, 100_000):
        src = rng.integers(0, real.shape[0], min(100_000, n - start))
        if sources is not None:
            sources.append(src)
        length = sizes[src]
        offsets = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        pos = np.repeat(real.indptr[src], length) + offsets
        mask = rng.random(pos.size) < keep
        row = np.repeat(np.arange(src.size), length)[mask]
        parts_i.append(real.indices[pos[mask]])
        parts_d.append(real.data[pos[mask]])
        lengths.append(np.bincount(row, minlength=src.size))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.concatenate(lengths), out=indptr[1:])
    return sp.csr_matrix((np.concatenate(parts_d), np.concatenate(parts_i), indptr), shape=(n, real.shape[1]))


def _recall(approx: list[str], exact: list[tuple[str, float]], k: int = 10) -> float:
    # Ties are common among resampled copies: a result counts when its exhaustive score reaches
    # the exhaustive 10th score, whichever of the tied copies it is.
    if len(exact) < k:
        return len(set(approx) & {i for i, _ in exact}) / max(1, len(exact))
    floor = exact[k - 1][1] - 1e-6
    eligible = {i for i, score in exact if score >= floor}
    return len(set(approx[:k]) & eligible) / k


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 texts instead of 1,000,000")
    parser.add_argument("--size", type=int, default=0)
    args = parser.parse_args(argv)
    if not data_available():
        return 0
    n = args.size or (100_000 if args.quick else 1_000_000)
    messages = all_messages()
    corpus = [text(r) for _, r in messages]
    index = SimilarIndex()
    start = time.perf_counter()
    columns = [index._columns(_count(features(t)), grow=True) for t in corpus]
    segmenting = time.perf_counter() - start
    real = index.counts(columns)
    print(f"Scale: {n:,} texts resampled from {len(corpus):,} real texts")
    figure(
        "segmentation + features of real texts",
        f"{len(corpus) / segmenting:.0f} texts/s",
        f"= {1e6 / (len(corpus) / segmenting) / 60:.0f} min for 1M new texts on 1 core",
    )
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    sources: list[np.ndarray] = []
    counts = _resample(real, n, rng, sources=sources)
    # Each copy keeps the sentence fingerprints of the real text it was drawn from.
    real_sentences = [sentence_keys(t) for t in corpus]
    sentences = [real_sentences[i] for i in np.concatenate(sources)]
    resampling = time.perf_counter() - start
    start = time.perf_counter()
    index.build_from_counts([str(i) for i in range(n)], counts, sentences)
    del sentences
    building = time.perf_counter() - start
    del counts
    figure("resampling time (not part of the index)", f"{resampling:.1f} s")
    figure("index build from feature counts", f"{building:.1f} s", f"{n / building:,.0f} texts/s")
    figure(
        "index memory (postings, idf, ids, vocabulary)", f"{index.memory_bytes() / 1e9:.2f} GB", "bar < 4 GB"
    )
    figure("peak process memory during the build", f"{peak_rss_mb() / 1e3:.2f} GB")

    picks = np.random.default_rng(1).choice(len(messages), 200, replace=False)
    subjects = [messages[i][1]["subject"] or corpus[i][:30] for i in picks]
    full = [corpus[i] for i in picks]
    for label, queries in (("subject-line queries", subjects), ("full-text queries", full)):
        latencies, exact_ms, recalls = [], [], []
        for q in queries:
            t0 = time.perf_counter()
            approx = index.query(q, k=10)
            latencies.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            exact = index.query(q, k=10, exact=True)
            exact_ms.append((time.perf_counter() - t0) * 1000)
            exact = index.query(q, k=500, exact=True)
            recalls.append(_recall([m.id for m in approx], [(m.id, m.score) for m in exact]))
        figure(
            f"{label}: top-10 latency p50 / p95",
            f"{percentile(latencies, 50):.1f} / {percentile(latencies, 95):.1f} ms",
            "bar p95 < 50 ms",
        )
        figure(
            f"{label}: exhaustive scoring p50 / p95",
            f"{percentile(exact_ms, 50):.1f} / {percentile(exact_ms, 95):.1f} ms",
        )
        figure(f"{label}: recall@10 against exhaustive", f"{np.mean(recalls):.3f}", "bar >= 0.95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
