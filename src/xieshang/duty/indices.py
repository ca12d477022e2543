"""The three indices of the contact system ("1+100"): closeness (亲密指数), capability (能力指数) and
performance (绩效指数), computed from the same point events as the duty score.

The formula is data beside the scoring rules (key "indices" of a rule set), so a conference edits it
like its scoring rules:

    "indices": {code: {"label": 中文名, "weights": {event kind: points per event}, "cap": 100}}

Each index is the weighted count of the member's events of the year, held within 0 and its cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from .models import EventKind, PointEvent

DEFAULT_INDICES: dict[str, dict[str, Any]] = {
    # Closeness: contact with the people (outreach) and presence among them (activities).
    "closeness": {
        "label": "亲密指数",
        "weights": {
            "outreach_logged": 5,
            "activity_attended": 3,
            "meeting_attended": 1,
            "plenary_attended": 1,
        },
        "cap": 100,
    },
    # Capability: study and the ability to speak for the sector.
    "capability": {
        "label": "能力指数",
        "weights": {"study_attended": 10, "study_partial": 5, "speech_given": 8, "written_speech": 5},
        "cap": 100,
    },
    # Performance: results that others acted on.
    "performance": {
        "label": "绩效指数",
        "weights": {
            "proposal_accepted": 10,
            "proposal_key": 10,
            "proposal_outstanding": 15,
            "proposal_satisfied": 5,
            "opinion_adopted": 10,
            "instruction_received": 15,
        },
        "cap": 100,
    },
}


@dataclass(frozen=True)
class IndexValue:
    """One index of one member: its code, label, value and what it was made of."""

    code: str
    label: str
    value: float
    cap: float
    parts: list[tuple[str, int, float]]  # (event kind label, count, points)


def formula(rules: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The rule set's index formula, or the default one."""
    indices = rules.get("indices")
    return dict(indices) if isinstance(indices, Mapping) and indices else DEFAULT_INDICES


def validate(indices: Any) -> dict[str, str]:
    """Problems of an "indices" section, as {key path: Chinese message}."""
    errors: dict[str, str] = {}
    if not isinstance(indices, Mapping):
        return {"indices": "指数公式须为 JSON 对象。"}
    kinds = set(EventKind.values)
    for code, spec in indices.items():
        if (
            not isinstance(spec, Mapping)
            or not spec.get("label")
            or not isinstance(spec.get("weights"), Mapping)
        ):
            errors[f"indices.{code}"] = "每个指数须含 label（名称）和 weights（各事件分值）。"
            continue
        for kind, weight in spec["weights"].items():
            if kind not in kinds:
                errors[f"indices.{code}.weights"] = f"未知的事件类型“{kind}”。"
            elif not isinstance(weight, int | float) or isinstance(weight, bool):
                errors[f"indices.{code}.weights.{kind}"] = "分值须为数字。"
        cap = spec.get("cap", 100)
        if not isinstance(cap, int | float) or isinstance(cap, bool) or cap <= 0:
            errors[f"indices.{code}.cap"] = "上限须为正数。"
    return errors


def _values(counts: Mapping[str, int], indices: Mapping[str, Mapping[str, Any]]) -> list[IndexValue]:
    labels = dict(EventKind.choices)
    result = []
    for code, spec in indices.items():
        cap = float(spec.get("cap", 100))
        parts = [
            (str(labels.get(kind, kind)), counts[kind], counts[kind] * float(weight))
            for kind, weight in spec["weights"].items()
            if counts.get(kind)
        ]
        value = min(cap, max(0.0, sum(p[2] for p in parts)))
        result.append(IndexValue(code, str(spec["label"]), round(value, 2), cap, parts))
    return result


def compute(
    conference_id: int, year: int, rules: Mapping[str, Any], user_ids: Sequence[int] | None = None
) -> dict[int, list[IndexValue]]:
    """Every member's indices for the year (or those of `user_ids`), from one grouped query."""
    events = PointEvent.objects.filter(conference_id=conference_id, year=year)
    if user_ids is not None:
        events = events.filter(user_id__in=list(user_ids))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in events.values("user_id", "kind").annotate(n=Count("pk")).order_by():
        counts[row["user_id"]][row["kind"]] = row["n"]
    indices = formula(rules)
    ids = list(user_ids) if user_ids is not None else list(counts)
    return {uid: _values(counts.get(uid, {}), indices) for uid in ids}
