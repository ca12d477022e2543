"""Similar-text search: a lexical BM25 index over words and character n-grams.

Documents are weighted with BM25 (saturated term frequency, partial length normalisation),
which finds a long text from its short title far better than cosine over TF-IDF. The index is
kept inverted (feature -> postings), so a query touches only the postings of its own features;
each document keeps its ``max_features`` heaviest features and each query its ``max_query``
heaviest, which bounds memory and latency at a million texts (static pruning, measured against
exact search in bench/textintel).

Each document also keeps a fingerprint of its sentences (a 32-bit hash of each sentence of at
least ``MIN_SENTENCE`` letters or digits, punctuation and spaces ignored; boilerplate found in
too many documents dropped). A query's top
``rerank_depth`` lexical candidates are re-ranked by ``score + sentence_bonus * share``, where
share is the part of the query's sentences that the candidate contains verbatim: a message
pieced together from sentences of an earlier one finds that one before its re-posts, which
differ in a word here and there. The reported score is capped at 1.0.
"""

from __future__ import annotations

import json
import pickle
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from xieshang.textintel import segment

FORMAT_VERSION = 3
_WORD = "w:"
_CHAR_BUCKETS = 1 << 22
MIN_SENTENCE = 6
# A sentence in more documents (50, or one in 10,000 for large indexes) is boilerplate such as
# greetings and thanks, not evidence of the same message.
MAX_SENTENCE_DF = 50


@dataclass(frozen=True)
class Match:
    """One search result: the document id, a score in [0, 1] and the shared key phrases."""

    id: str
    score: float
    phrases: list[str]


@dataclass(frozen=True)
class MergeSuggestion:
    """Two documents that look like the same issue (并案 candidates)."""

    a: str
    b: str
    score: float
    phrases: list[str]


def features(text: str, char_ngrams: tuple[int, ...] = (2,)) -> list[str]:
    """Return the index features of a text: content words and character n-grams."""
    feats = [_WORD + w for w in segment.words(text)]
    chars = "".join(ch for ch in segment.normalize(text) if not ch.isspace() and ch.isalnum())
    for n in char_ngrams:
        feats.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
    return feats


def sentence_keys(text: str) -> np.ndarray:
    """Return the sorted unique 32-bit hashes of a text's sentences (letters and digits only)."""
    keys = set()
    for sentence in segment.sentences(segment.normalize(text)):
        core = "".join(ch for ch in sentence if ch.isalnum())
        if len(core) >= MIN_SENTENCE:
            keys.add(zlib.crc32(core.encode("utf-8")))
    return np.array(sorted(keys), dtype=np.uint32)


def _pack(keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate per-document sentence keys, dropping boilerplate (see MAX_SENTENCE_DF)."""
    data = np.concatenate(keys).astype(np.uint32) if keys else np.zeros(0, np.uint32)
    rows = np.repeat(np.arange(len(keys)), [k.size for k in keys])
    _, inverse, df = np.unique(data, return_inverse=True, return_counts=True)
    keep = df[inverse] <= max(MAX_SENTENCE_DF, len(keys) // 10_000)
    indptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=len(keys)), out=indptr[1:])
    return indptr, data[keep]


@dataclass
class SimilarIndex:
    """An inverted BM25 index over words and character n-grams, saved to and loaded from a path."""

    k1: float = 1.2
    b: float = 0.15
    max_features: int = 512
    max_query: int = 384
    min_df: int = 1
    sentence_bonus: float = 0.2
    rerank_depth: int = 30
    ids: list[str] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    avg_length: float = 1.0
    postings: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0), dtype=np.float32))
    # Sentence fingerprints: the keys of document i are sentence_data[sentence_ptr[i]:sentence_ptr[i + 1]].
    sentence_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    sentence_data: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))

    # -- building -----------------------------------------------------------------------------
    def build(
        self,
        ids: Sequence[str],
        texts: Iterable[str],
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    ) -> SimilarIndex:
        """Index the texts under their ids, replacing any previous content."""
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in the input")
        stream = progress(texts) if progress else texts
        bags, sentences = [], []
        for t in stream:
            bags.append(_count(features(t)))
            sentences.append(sentence_keys(t))
        return self.build_from_features([str(i) for i in ids], bags, sentences)

    def build_from_features(
        self, ids: list[str], bags: list[dict[str, int]], sentences: Sequence[np.ndarray] | None = None
    ) -> SimilarIndex:
        """Index pre-computed feature counts (the output of ``features`` counted per text)."""
        if len(ids) != len(bags):
            raise ValueError("ids and texts differ in length")
        self.vocabulary = {}
        counts = self.counts([self._columns(bag, grow=True) for bag in bags])
        return self.build_from_counts(ids, counts, sentences)

    def counts(self, columns: list[tuple[np.ndarray, np.ndarray]]) -> sp.csr_matrix:
        """Return a documents x features matrix of term counts from per-document columns."""
        indptr = np.zeros(len(columns) + 1, dtype=np.int64)
        np.cumsum([c.size for c, _ in columns], out=indptr[1:])
        empty = np.zeros(0, np.int32)
        return sp.csr_matrix(
            (
                np.concatenate([tf for _, tf in columns]) if columns else empty.astype(np.float32),
                np.concatenate([c for c, _ in columns]).astype(np.int32) if columns else empty,
                indptr,
            ),
            shape=(len(columns), _CHAR_BUCKETS + len(self.vocabulary)),
        )

    def build_from_counts(
        self, ids: list[str], counts: sp.csr_matrix, sentences: Sequence[np.ndarray] | None = None
    ) -> SimilarIndex:
        """Index a documents x features count matrix whose word columns follow ``vocabulary``.

        ``sentences`` (one ``sentence_keys`` array per document) enables the sentence re-ranking;
        without it documents have no fingerprints and the ranking is purely lexical.
        """
        if len(ids) != counts.shape[0]:
            raise ValueError("ids and documents differ in length")
        if sentences is not None and len(sentences) != len(ids):
            raise ValueError("ids and sentence fingerprints differ in length")
        if sentences is None:
            self.sentence_ptr, self.sentence_data = np.zeros(len(ids) + 1, np.int64), np.zeros(0, np.uint32)
        else:
            self.sentence_ptr, self.sentence_data = _pack(sentences)
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.idf[df < self.min_df] = 0.0
        del df
        lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
        self.avg_length = float(lengths.mean()) if n else 1.0
        rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(counts.indptr))
        norm = (self.k1 * (1.0 - self.b + self.b * lengths / self.avg_length)).astype(np.float32)
        tf = counts.data.astype(np.float32)
        weights = self.idf[counts.indices] * tf * np.float32(self.k1 + 1.0) / (tf + norm[rows])
        del rows, tf
        matrix = sp.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)
        self._prune(matrix)
        self.ids = ids
        self.postings = matrix.T.tocsr()
        return self

    def _prune(self, matrix: sp.csr_matrix) -> None:
        # Long documents keep only their max_features heaviest features (zeros are dropped after).
        sizes = np.diff(matrix.indptr)
        for row in np.nonzero(sizes > self.max_features)[0]:
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            values = matrix.data[start:end]
            values[np.argsort(-values)[self.max_features :]] = 0.0
        matrix.eliminate_zeros()

    def _columns(self, bag: dict[str, int], grow: bool = False) -> tuple[np.ndarray, np.ndarray]:
        cols: dict[int, float] = {}
        for f, count in bag.items():
            if f.startswith(_WORD):
                col = self.vocabulary.get(f)
                if col is None:
                    if not grow:
                        continue
                    col = self.vocabulary[f] = _CHAR_BUCKETS + len(self.vocabulary)
            else:
                # Character n-grams are hashed: no vocabulary of millions of strings at scale.
                col = zlib.crc32(f.encode("utf-8")) % _CHAR_BUCKETS
            cols[col] = cols.get(col, 0.0) + count
        return np.fromiter(cols.keys(), np.int64, len(cols)), np.fromiter(
            cols.values(), np.float32, len(cols)
        )

    def _doc_weights(self, cols: np.ndarray, tf: np.ndarray, length: float) -> tuple[np.ndarray, np.ndarray]:
        if cols.size == 0:
            return cols, tf
        norm = self.k1 * (1.0 - self.b + self.b * length / self.avg_length)
        weights = self.idf[cols] * tf * (self.k1 + 1.0) / (tf + norm)
        if cols.size > self.max_features:
            top = np.argpartition(-weights, self.max_features)[: self.max_features]
            cols, weights = cols[top], weights[top]
        return cols, weights.astype(np.float32)

    def _matrix(
        self, columns: list[tuple[np.ndarray, np.ndarray]], lengths: np.ndarray, width: int
    ) -> sp.csr_matrix:
        indptr = [0]
        all_cols: list[np.ndarray] = []
        all_vals: list[np.ndarray] = []
        for (cols, tf), length in zip(columns, lengths, strict=True):
            cols, vals = self._doc_weights(cols, tf, float(length))
            all_cols.append(cols.astype(np.int32))
            all_vals.append(vals)
            indptr.append(indptr[-1] + cols.size)
        return sp.csr_matrix(
            (
                np.concatenate(all_vals) if all_vals else np.zeros(0, np.float32),
                np.concatenate(all_cols) if all_cols else np.zeros(0, np.int32),
                np.array(indptr, dtype=np.int64),
            ),
            shape=(len(columns), width),
        )

    def weights_of(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the BM25 document vectors of texts under this index's statistics."""
        columns = [self._columns(_count(features(t))) for t in texts]
        lengths = np.array([float(tf.sum()) for _, tf in columns], dtype=np.float64)
        return self._matrix(columns, lengths, self.idf.size)

    # -- querying -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def _query_terms(self, text: str, limit: int) -> tuple[np.ndarray, np.ndarray, float]:
        cols, tf = self._columns(_count(features(text)))
        keep = self.idf[cols] > 0
        cols, tf = cols[keep], tf[keep]
        if cols.size == 0:
            return cols, np.zeros(0, np.float32), 1.0
        # The best a document can score is the query scoring itself: normalises scores to [0, 1].
        _, self_weights = self._doc_weights(cols, tf, float(tf.sum()))
        ceiling = float(self_weights.sum()) or 1.0
        weights = self.idf[cols]
        if cols.size > limit:
            top = np.argpartition(-weights, limit)[:limit]
            cols, weights = cols[top], weights[top]
        return cols, np.ones_like(weights), ceiling

    def query(self, text: str, k: int = 10, exclude: str | None = None, exact: bool = False) -> list[Match]:
        """Return the k most similar indexed documents, best first; exact=True scores every query feature."""
        limit = 1 << 30 if exact else self.max_query
        cols, weights, ceiling = self._query_terms(text, limit)
        if cols.size == 0 or not self.ids:
            return []
        sub = self.postings[cols]
        scores = np.asarray(sub.T @ weights).ravel()
        if exclude is not None and exclude in self._positions():
            scores[self._positions()[exclude]] = -1.0
        pool = _top(scores, max(k, self.rerank_depth))
        pool = pool[scores[pool] > 0]
        final = scores[pool] / ceiling + self.sentence_bonus * self._sentence_share(text, pool)
        order = np.argsort(-final, kind="stable")[:k]
        top, final = pool[order], final[order]
        phrases = _shared_phrases(sub, cols, top, self._feature_names())
        return [
            Match(self.ids[i], round(min(1.0, float(final[j])), 4), phrases[j]) for j, i in enumerate(top)
        ]

    def _sentence_share(self, text: str, docs: np.ndarray) -> np.ndarray:
        """The share of the query's sentences that each document contains verbatim."""
        share = np.zeros(docs.size, dtype=np.float64)
        if self.sentence_bonus <= 0 or not self.sentence_data.size or docs.size == 0:
            return share
        keys = sentence_keys(text)
        if keys.size == 0:
            return share
        for j, doc in enumerate(docs):
            own = self.sentence_data[self.sentence_ptr[doc] : self.sentence_ptr[doc + 1]]
            if own.size:
                share[j] = np.isin(keys, own, assume_unique=True).sum() / keys.size
        return share

    def _positions(self) -> dict[str, int]:
        cache = self.__dict__.get("_position_cache")
        if cache is None or len(cache) != len(self.ids):
            cache = {doc_id: i for i, doc_id in enumerate(self.ids)}
            self.__dict__["_position_cache"] = cache
        return cache

    def _feature_names(self) -> dict[int, str]:
        names = self.__dict__.get("_names")
        if names is None or len(names) != len(self.vocabulary):
            names = {i: f for f, i in self.vocabulary.items()}
            self.__dict__["_names"] = names
        return names

    # -- persistence --------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the index to a directory (created if needed)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        sp.save_npz(folder / "postings.npz", self.postings, compressed=False)
        np.save(folder / "idf.npy", self.idf)
        np.save(folder / "sentence_ptr.npy", self.sentence_ptr)
        np.save(folder / "sentence_data.npy", self.sentence_data)
        with (folder / "state.pkl").open("wb") as handle:
            pickle.dump({"ids": self.ids, "vocabulary": self.vocabulary}, handle, protocol=5)
        meta = {
            "format": FORMAT_VERSION,
            "k1": self.k1,
            "b": self.b,
            "max_features": self.max_features,
            "max_query": self.max_query,
            "min_df": self.min_df,
            "sentence_bonus": self.sentence_bonus,
            "rerank_depth": self.rerank_depth,
            "avg_length": self.avg_length,
            "documents": len(self.ids),
        }
        (folder / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> SimilarIndex:
        """Read an index written by ``save``; only load paths you wrote yourself (pickle)."""
        folder = Path(path)
        meta_path = folder / "meta.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"no similar-text index at {folder}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"index format {meta.get('format')} is not {FORMAT_VERSION}")
        with (folder / "state.pkl").open("rb") as handle:
            state = pickle.load(handle)
        return cls(
            k1=meta["k1"],
            b=meta["b"],
            max_features=meta["max_features"],
            max_query=meta["max_query"],
            min_df=meta["min_df"],
            sentence_bonus=meta["sentence_bonus"],
            rerank_depth=meta["rerank_depth"],
            ids=state["ids"],
            vocabulary=state["vocabulary"],
            idf=np.load(folder / "idf.npy"),
            avg_length=meta["avg_length"],
            postings=sp.load_npz(folder / "postings.npz").tocsr(),
            sentence_ptr=np.load(folder / "sentence_ptr.npy"),
            sentence_data=np.load(folder / "sentence_data.npy"),
        )

    def memory_bytes(self) -> int:
        """Return an estimate of the index's memory (postings, idf, ids and vocabulary)."""
        p = self.postings
        arrays = p.data.nbytes + p.indices.nbytes + p.indptr.nbytes + self.idf.nbytes
        arrays += self.sentence_ptr.nbytes + self.sentence_data.nbytes
        strings = sum(len(s) * 2 + 60 for s in self.ids) + sum(len(s) * 3 + 110 for s in self.vocabulary)
        return int(arrays + strings)


def merge_suggestions(
    ids: Sequence[str], texts: Sequence[str], threshold: float = 0.5, index: SimilarIndex | None = None
) -> list[MergeSuggestion]:
    """Return pairs whose symmetric similarity reaches threshold, best first (并案 candidates)."""
    if len(ids) != len(texts):
        raise ValueError("ids and texts differ in length")
    own = index if index is not None else SimilarIndex().build(list(ids), texts)
    weights = own.weights_of(texts)
    binary = weights.copy()
    binary.data = np.ones_like(binary.data)
    ceilings = np.asarray(weights.sum(axis=1)).ravel()
    ceilings[ceilings == 0] = 1.0
    names = own._feature_names()
    found: list[MergeSuggestion] = []
    block = 512
    for start in range(0, len(ids), block):
        # directed[a, b]: how much of a's weight b covers, then averaged both ways.
        rows = slice(start, min(start + block, len(ids)))
        directed = (binary[rows] @ weights.T).toarray() / ceilings[rows, None]
        reverse = (weights[rows] @ binary.T).toarray() / ceilings[None, :]
        both = np.minimum(1.0, (directed + reverse) / 2.0)
        for i_local, j in zip(*np.nonzero(both >= threshold), strict=True):
            i = start + int(i_local)
            if j <= i:
                continue
            found.append(
                MergeSuggestion(
                    str(ids[i]),
                    str(ids[j]),
                    round(float(both[i_local, j]), 4),
                    _pair_phrases(weights, i, j, names),
                )
            )
    found.sort(key=lambda s: -s.score)
    return found


def pair_score(a: str, b: str, index: SimilarIndex) -> float:
    """Return the symmetric similarity in [0, 1] of two texts under the index's weights."""
    weights = index.weights_of([a, b])
    binary = weights.copy()
    binary.data = np.ones_like(binary.data)
    ceilings = np.asarray(weights.sum(axis=1)).ravel()
    ceilings[ceilings == 0] = 1.0
    cross = (binary @ weights.T).toarray()
    return round(min(1.0, (cross[0, 1] / ceilings[0] + cross[1, 0] / ceilings[1]) / 2.0), 4)


def _count(items: Iterable[str]) -> dict[str, int]:
    bag: dict[str, int] = {}
    for item in items:
        bag[item] = bag.get(item, 0) + 1
    return bag


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k >= scores.size:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def _shared_phrases(
    sub: sp.csr_matrix, cols: np.ndarray, docs: np.ndarray, names: dict[int, str]
) -> list[list[str]]:
    if docs.size == 0:
        return []
    block = sub[:, docs].toarray()
    result: list[list[str]] = []
    for j in range(docs.size):
        hits = [(float(block[r, j]), names.get(int(cols[r]), "")) for r in np.nonzero(block[:, j])[0]]
        result.append(_phrase_list(hits))
    return result


def _pair_phrases(weights: sp.csr_matrix, i: int, j: int, names: dict[int, str]) -> list[str]:
    a, b = weights[i], weights[j]
    shared = np.intersect1d(a.indices, b.indices)
    wa = dict(zip(a.indices, a.data, strict=True))
    return _phrase_list([(float(wa[c]), names.get(int(c), "")) for c in shared])


def _phrase_list(hits: list[tuple[float, str]], limit: int = 5) -> list[str]:
    words = sorted(
        ((w, n[len(_WORD) :]) for w, n in hits if n.startswith(_WORD) and len(n) > 3), reverse=True
    )
    return [name for _, name in words[:limit]]
