"""The shipped real-world rule sets (JSON fixtures) and which rules apply to a conference-year."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..models import ScoringRuleSet

HERE = Path(__file__).resolve().parent
BUILTIN = {
    "additive": "累加积分",
    "hundred": "百分制",
    "warnings": "届内预警",
}
DEFAULT = "additive"


@cache
def _read(name: str) -> str:
    return (HERE / f"{name}.json").read_text(encoding="utf-8")


def load_builtin(name: str) -> dict[str, Any]:
    """A fresh copy of a shipped rule set; KeyError for an unknown name."""
    if name not in BUILTIN:
        raise KeyError(name)
    rules: dict[str, Any] = json.loads(_read(name))
    return rules


def active_rules(conference_id: int, year: int) -> tuple[ScoringRuleSet | None, dict[str, Any]]:
    """The active rule set of the year, else the latest earlier year's, else the shipped default."""
    rule_set = (
        ScoringRuleSet.objects.filter(conference_id=conference_id, year__lte=year, is_active=True)
        .order_by("-year", "-version")
        .first()
    )
    if rule_set is None:
        return None, load_builtin(DEFAULT)
    return rule_set, dict(rule_set.rules)
