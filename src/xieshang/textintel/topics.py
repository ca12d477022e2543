"""Hot topics: group texts about the same issue within a time window and rank them by heat."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from xieshang.textintel import segment
from xieshang.textintel.similar import SimilarIndex, merge_suggestions

_WINDOW = re.compile(r"^\s*(\d+)\s*([hdwm])\s*$", re.IGNORECASE)
_UNIT_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "m": 30}
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)

# Heat = how many + how much support + how fast growing + how widely spread (log scales, so
# one component cannot swamp the others; the weights are documented in bench/textintel/README.md).
HEAT_WEIGHTS = {"count": 1.0, "support": 0.5, "growth": 0.5, "spread": 0.5}


@dataclass
class Topic:
    """A group of texts about one issue, named by its key phrases, with its heat score."""

    phrases: list[str]
    heat: float
    count: int
    support: float
    growth: float
    places: list[str]
    start: datetime
    end: datetime
    description: str
    members: list[int] = field(default_factory=list)

    def as_dict(self, ids: Sequence[str] | None = None) -> dict[str, object]:
        """Return a JSON-ready dict; members are given by id when ids are passed."""
        return {
            "name": "、".join(self.phrases[:3]),
            "phrases": self.phrases,
            "heat": round(self.heat, 3),
            "count": self.count,
            "support": self.support,
            "growth": round(self.growth, 3),
            "places": self.places,
            "start": self.start.isoformat(sep=" "),
            "end": self.end.isoformat(sep=" "),
            "description": self.description,
            "members": [ids[m] for m in self.members] if ids is not None else self.members,
        }


def parse_window(spec: str | None) -> timedelta | None:
    """Parse a window such as ``30d``, ``2w``, ``12h`` or ``3m`` (30-day months); None means all."""
    if spec is None or not spec.strip():
        return None
    match = _WINDOW.match(spec)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"时间窗口格式应为 30d、2w、12h 或 3m / window must look like 30d, 2w, 12h or 3m: {spec!r}"
        )
    return timedelta(days=int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()])


def parse_time(value: str) -> datetime:
    """Parse a date or date-time in the usual Chinese spreadsheet formats."""
    text = value.strip().replace("T", " ")
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"无法识别的时间 / cannot read the time {value!r} (use YYYY-MM-DD HH:MM:SS)")


def hot_topics(
    texts: Sequence[str],
    times: Sequence[datetime],
    weights: Sequence[float] | None = None,
    window: timedelta | None = None,
    end: datetime | None = None,
    k: int = 5,
    threshold: float = 0.3,
    min_size: int = 2,
) -> list[Topic]:
    """Return the k hottest groups of texts within the window ending at end (default: latest time)."""
    if len(texts) != len(times) or (weights is not None and len(weights) != len(texts)):
        raise ValueError("texts, times and weights differ in length")
    if not texts:
        return []
    last = end or max(times)
    first = last - window if window is not None else min(times)
    chosen = [i for i, t in enumerate(times) if first <= t <= last]
    if len(chosen) < min_size:
        return []
    sub_texts = [texts[i] for i in chosen]
    local_ids = [str(j) for j in range(len(chosen))]
    index = SimilarIndex().build(local_ids, sub_texts)
    pairs = merge_suggestions(local_ids, sub_texts, threshold=threshold, index=index)
    edges = [(int(p.a), int(p.b), p.score) for p in pairs]
    groups = _clusters(list(range(len(chosen))), edges, threshold)
    topics: list[Topic] = []
    for group in groups:
        if len(group) < min_size:
            continue
        members = [chosen[j] for j in group]
        topics.append(_describe(members, texts, times, weights, index))
    topics.sort(key=lambda t: -t.heat)
    return topics[:k]


def _clusters(nodes: list[int], edges: list[tuple[int, int, float]], threshold: float) -> list[list[int]]:
    # Single linkage chains unrelated texts through generic ones ("A市 城市建设"): a sparse
    # group is split again at a higher threshold until its members really share the issue.
    result: list[list[int]] = []
    for group in _components(nodes, [(a, b) for a, b, score in edges if score >= threshold]):
        if len(group) >= 6 and threshold < 0.8:
            members = set(group)
            inside = [e for e in edges if e[0] in members and e[1] in members and e[2] >= threshold]
            density = len(inside) / (len(group) * (len(group) - 1) / 2)
            if density < 0.1:
                result.extend(_clusters(group, inside, threshold + 0.05))
                continue
        result.append(group)
    return result


def _components(nodes: list[int], edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in nodes:
        groups.setdefault(find(node), []).append(node)
    return list(groups.values())


def _describe(
    members: list[int],
    texts: Sequence[str],
    times: Sequence[datetime],
    weights: Sequence[float] | None,
    index: SimilarIndex,
) -> Topic:
    member_times = [times[i] for i in members]
    support = float(sum(max(0.0, float(weights[i])) for i in members)) if weights is not None else 0.0
    # Growth is the pace of the issue: messages a week over its active span (at least a week).
    span_weeks = max(1.0, (max(member_times) - min(member_times)).total_seconds() / (7 * 86400))
    growth = len(members) / span_weeks
    place_counts: Counter[str] = Counter()
    for i in members:
        place_counts.update(set(segment.places(texts[i])))
    places = [p for p, _ in place_counts.most_common(5)]
    specific = [p for p in place_counts if not p.endswith("市")]
    heat = (
        HEAT_WEIGHTS["count"] * math.log1p(len(members))
        + HEAT_WEIGHTS["support"] * math.log1p(support)
        + HEAT_WEIGHTS["growth"] * math.log1p(growth)
        + HEAT_WEIGHTS["spread"] * math.log1p(len(specific))
    )
    return Topic(
        phrases=_phrases([texts[i] for i in members]),
        heat=heat,
        count=len(members),
        support=support,
        growth=growth,
        places=places,
        start=min(member_times),
        end=max(member_times),
        description=_central([texts[i] for i in members], index)[:80],
        members=sorted(members, key=lambda i: times[i]),
    )


def _phrases(texts: Sequence[str], k: int = 5) -> list[str]:
    # A name word is shared by many members, specific (general-language idf) and found in titles.
    df: Counter[str] = Counter()
    in_title: Counter[str] = Counter()
    for text in texts:
        df.update({w for w in segment.words(text) if len(w) > 1})
        in_title.update({w for w in segment.words(segment.sentences(text)[0]) if len(w) > 1})
    scored = [
        ((count / len(texts)) * segment.general_idf(word) * (1.0 + in_title[word] / len(texts)), word)
        for word, count in df.items()
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [w for _, w in scored[:k]]


def _central(texts: Sequence[str], index: SimilarIndex) -> str:
    if len(texts) <= 2:
        return texts[0]
    weights = index.weights_of(texts)
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    similarity = (weights @ weights.T).toarray() / norms[:, None] / norms[None, :]
    return texts[int(similarity.sum(axis=1).argmax())]
