"""Routing suggestions: learn category or handling unit from past assignments, suggest the top 3.

The router is label-agnostic: trained on (text, category) it suggests categories, trained on
(text, handling unit) from past assignments it suggests units. Staff corrections are simply
more rows for the next ``fit``; linear models over sparse n-grams keep improving with history.
Two kinds exist: ``baseline`` (TF-IDF character 1-3-grams + linear SVM, the published
reference) and ``improved`` (character 1-3-grams and jieba word 1-2-grams with the domain
dictionary, white space removed, the same linear SVM). Confidences are a softmax of the SVM
scores with one temperature fitted on out-of-fold scores.
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
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from xieshang.textintel import segment

KINDS = ("baseline", "improved")
FORMAT_VERSION = 1
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Suggestion:
    """One routing suggestion: a label (category or handling unit) and its confidence in [0, 1]."""

    label: str
    confidence: float


def join_fields(*fields: str) -> str:
    """Join a subject and a body (or more fields) into one routing text."""
    return "。".join(f.strip() for f in fields if f and f.strip())


class Router:
    """A linear text classifier that suggests labels with confidences."""

    def __init__(self, kind: str = "improved", c: float | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown router kind {kind!r}; choose from {', '.join(KINDS)}")
        self.kind = kind
        self.c = c if c is not None else (0.5 if kind == "baseline" else 1.0)
        self.temperature = 1.0
        self.classes: list[str] = []
        self._vectorizers: list[TfidfVectorizer] = []
        self._model: LinearSVC | None = None

    # -- features -----------------------------------------------------------------------------
    def _views(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None
    ) -> list[list[str]]:
        if self.kind == "baseline":
            return [list(texts)]
        cleaned = [_SPACE.sub("", segment.normalize(t)) for t in texts]
        stream = progress(cleaned) if progress else cleaned
        return [cleaned, [" ".join(segment.words(t)) for t in stream]]

    def _new_vectorizers(self, size: int) -> list[TfidfVectorizer]:
        if self.kind == "baseline":
            return [TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)]
        min_df = 2 if size >= 50 else 1
        return [
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df),
            TfidfVectorizer(
                analyzer="word",
                tokenizer=str.split,
                token_pattern=None,
                lowercase=False,
                ngram_range=(1, 2),
                sublinear_tf=True,
                min_df=min_df,
            ),
        ]

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
    ) -> Router:
        """Train on past assignments; needs at least two labels."""
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
        self.temperature = self._fit_temperature(x, y) if calibrate else 1.0
        return self

    def _fit_temperature(self, x: Any, y: np.ndarray) -> float:
        _, counts = np.unique(y, return_counts=True)
        folds = int(min(3, counts.min()))
        if folds < 2:
            return 1.0
        scores = np.zeros((len(y), len(self.classes)))
        for train, held in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            model = LinearSVC(C=self.c).fit(x[train], y[train])
            columns = [self.classes.index(str(c)) for c in model.classes_]
            scores[np.ix_(held, columns)] = _decision(model, x[held])
        truth = np.array([self.classes.index(label) for label in y])
        best, best_loss = 1.0, np.inf
        for temperature in np.geomspace(0.02, 5.0, 60):
            probs = _softmax(scores / temperature)
            loss = -np.mean(np.log(probs[np.arange(len(truth)), truth] + 1e-12))
            if loss < best_loss:
                best, best_loss = float(temperature), float(loss)
        return best

    # -- prediction ---------------------------------------------------------------------------
    def decision(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None = None
    ) -> Any:
        """Return the raw SVM scores, one column per class in ``classes`` order."""
        if self._model is None:
            raise RuntimeError("the router is not trained")
        return _decision(self._model, self._features(texts, progress))

    def probabilities(
        self, texts: Sequence[str], progress: Callable[[Iterable[str]], Iterable[str]] | None = None
    ) -> Any:
        """Return calibrated probabilities, one column per class in ``classes`` order."""
        return _softmax(self.decision(texts, progress) / self.temperature)

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
    def load(cls, path: str | Path) -> Router:
        """Read a router written by ``save``; only load files you wrote yourself (pickle)."""
        with Path(path).open("rb") as handle:
            state = pickle.load(handle)
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} is not a routing model of format {FORMAT_VERSION}")
        router = state["router"]
        if not isinstance(router, cls):
            raise ValueError(f"{path} is not a routing model")
        return router


def _decision(model: LinearSVC, x: Any) -> Any:
    scores = model.decision_function(x)
    if scores.ndim == 1:  # two classes: scikit-learn returns one column for the second class
        scores = np.column_stack([-scores, scores])
    return scores


def _softmax(scores: Any) -> Any:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
