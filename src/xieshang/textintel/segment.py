"""Chinese word segmentation with a government-domain dictionary, stop words and keywords."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jieba

_LOCK = threading.Lock()
_TOKENIZER: jieba.Tokenizer | None = None
_EXTRA_TERMS: list[str] = []

_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
_NUMBER = re.compile(r"^[\d.,%％]+$")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
# Places in the data are anonymised as "A市", "A3区"; jieba would split them, so they are kept whole.
_CODED_PLACE = re.compile(r"[A-Z]\d*[市区县]")
_PLACE_SUFFIXES = ("街道", "社区", "小区", "花园", "花苑", "家园", "新村", "镇", "乡", "村", "县", "区", "市")
_GENERIC_PLACES = frozenset(
    {"老旧小区", "本小区", "该小区", "城区", "市区", "小区", "社区", "农村", "乡村", "城市"}
)
# Words that precede a place suffix without naming a place ("周边小区", "整个小区").
_NOT_PLACE_NAMES = frozenset(
    [
        "周边",
        "附近",
        "别的",
        "其他",
        "其它",
        "整个",
        "所在",
        "使得",
        "居民",
        "学校",
        "繁华",
        "智慧",
        "各个",
        "多个",
        "这个",
        "那个",
        "我们",
        "我家",
        "住宅",
        "新建",
        "老旧",
        "部分",
        "很多",
        "许多",
        "一些",
        "城市",
        "中心",
        "周围",
        "本地",
        "外地",
        "当地",
        "全市",
        "全区",
        "全县",
        "每个",
        "同一",
        "隔壁",
        "高档",
        "商品房",
        "农村",
        "城乡",
        "安置",
        "拆迁",
        "保障",
        "美丽",
        "文明",
        "宜居",
        "幸福",
        "和谐",
        "示范",
        "重点",
        "贫困",
        "特色",
        "距离",
        "本来",
        "后续",
        "违建",
        "干扰",
        "出入",
        "往来",
        "用地",
        "门口",
        "正门口",
        "旁边",
        "对面",
        "楼下",
        "进入",
        "离开",
        "回到",
        "来到",
        "位于",
        "靠近",
        "看到",
        "不到",
    ]
)


def _data_lines(name: str) -> list[str]:
    text = resources.files("xieshang.textintel").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Return the stop-word set (function words, politeness formulas, generic complaint verbs)."""
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    """Return the government-domain terms added to jieba's dictionary."""
    return tuple(line.split()[0] for line in _data_lines("govdict.txt"))


@lru_cache(maxsize=1)
def _jieba_idf() -> tuple[dict[str, float], float]:
    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip().partition(" ")
            if value:
                idf[word] = float(value)
    median = sorted(idf.values())[len(idf) // 2]
    return idf, median


def tokenizer() -> jieba.Tokenizer:
    """Return the shared jieba tokenizer, initialised once with the domain dictionary."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                tok = jieba.Tokenizer()
                jieba.setLogLevel(60)
                tok.initialize()
                for line in _data_lines("govdict.txt"):
                    parts = line.split()
                    freq = int(parts[1]) if len(parts) > 1 else None
                    tag = parts[2] if len(parts) > 2 else None
                    tok.add_word(parts[0], freq, tag)
                for term in _EXTRA_TERMS:
                    tok.add_word(term)
                _TOKENIZER = tok
    return _TOKENIZER


def add_terms(terms: Iterable[str]) -> None:
    """Add terms (unit names, places, taxonomy entries) to the dictionary for later cuts."""
    new = [t.strip() for t in terms if t and t.strip()]
    _EXTRA_TERMS.extend(new)
    if _TOKENIZER is not None:
        with _LOCK:
            for term in new:
                _TOKENIZER.add_word(term)


def normalize(text: str) -> str:
    """Return text in NFKC form (full-width letters and digits folded), lower-cased, one space."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def cut(text: str) -> list[str]:
    """Return all jieba tokens of the normalised text, punctuation and spaces dropped."""
    text = normalize(text)
    tok = tokenizer()
    tokens: list[str] = []
    start = 0
    for match in _CODED_PLACE.finditer(text):
        tokens.extend(tok.lcut(text[start : match.start()]))
        tokens.append(match.group(0))
        start = match.end()
    tokens.extend(tok.lcut(text[start:]))
    return [t for t in tokens if _CJK_OR_WORD.search(t)]


def words(text: str) -> list[str]:
    """Return content words: tokens without stop words and bare numbers."""
    stops = stop_words()
    return [t for t in cut(text) if t not in stops and not _NUMBER.match(t)]


def sentences(text: str) -> list[str]:
    """Split a text into sentences at Chinese and Western end punctuation."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def keywords(
    text: str, k: int = 8, idf: Mapping[str, float] | None = None, default_idf: float | None = None
) -> list[str]:
    """Return the k words of highest tf-idf in text (jieba's idf table unless one is given)."""
    table, median = (idf, default_idf or 0.0) if idf is not None else _jieba_idf()
    if idf is not None and default_idf is None:
        median = max(table.values(), default=1.0)
    counts = Counter(w for w in words(text) if len(w) > 1)
    scored = [(count * table.get(w, median), w) for w, count in counts.items()]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [w for _, w in scored[:k]]


def general_idf(word: str) -> float:
    """Return the word's idf in general Chinese (jieba's table; the median for unknown words)."""
    table, median = _jieba_idf()
    return table.get(word, median)


def idf_table(texts: Iterable[str]) -> dict[str, float]:
    """Return a smoothed inverse document frequency for every content word of the texts."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update(set(words(text)))
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


def places(text: str) -> list[str]:
    """Return place names found in text (districts, streets, communities, estates), in order."""
    found: list[str] = []
    stops = stop_words()
    before: list[str] = []  # up to two content tokens before the current one
    for token in cut(text):
        name = ""
        if _CODED_PLACE.fullmatch(token):
            name = token
        elif token in _PLACE_SUFFIXES and before:
            # A two-character or longer name stands alone; a one-character piece takes its neighbour.
            stem = before[-1] if len(before[-1]) > 1 else "".join(before)
            name = "" if len(stem) < 2 or before[-1] in _NOT_PLACE_NAMES else stem + token
        elif (
            len(token) > 2
            and token.endswith(_PLACE_SUFFIXES)
            and not token.startswith(tuple(_NOT_PLACE_NAMES))
        ):
            name = token
        if name and name not in _GENERIC_PLACES and name not in found:
            found.append(name)
        plain = not token.endswith(_PLACE_SUFFIXES) and not _CODED_PLACE.fullmatch(token)
        usable = plain and token not in stops
        before = ([*before, token] if usable else [])[-2:]
    return found


def districts(text: str) -> list[str]:
    """Return the county-level places (districts, counties, cities) named in text."""
    return [p for p in places(text) if p.endswith(("区", "县", "市")) and not p.endswith("小区")]
