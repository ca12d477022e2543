"""The scoring engine: a pure function from point events and a rule set to a score, and the bulk recompute.

A rule set is data (JSON), validated by `validate_rules`:

    {
      "scale": "additive" | "hundred",         # hundred: the total is kept within 0–100
      "categories": {code: {"label": 中文名, "kinds": [event kind…],
                            "base": 0, "cap": null, "floor": null}},
      "points": {kind: number | {"lead": n, "participant": n, "": n}},   # per event, by role
      "max_per_year": {kind: n},               # counted at most n times a year (per role)
      "quality": {kind: [{"field": "outcome", "weights": {"A": 1, …}, "default": 1}]},
      "levels": [{"min": 90, "label": "优秀"}, …],
      "warnings": [{"code", "label", "type": "count" | "none_in_consecutive_years" | "fewer_in_term",
                    "kinds": [...], "scope": "term" | "year", "min", "max", "years", "count"}]
    }

A category's points are its `base` plus the points of its events, then held within `floor` and `cap`
(the 100-point scale's meetings share starts from 50 and deducts, floor 0). An event's points are the
kind's points for the member's role multiplied by each quality weight found in the event's data (outcome
class, satisfaction, instruction level…), so a rule can make empty proposals worth little. A manual
adjustment carries its own `points` (and may name a `category`; otherwise it goes to 人工调整, uncapped).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import DutyScore, EventKind, PointEvent, Scale

ADJUSTMENT = "adjustment"
ADJUSTMENT_LABEL = "人工调整"
ROLE_LABELS = {"lead": "领衔", "participant": "参与", "": ""}
WARNING_TYPES = {"count", "none_in_consecutive_years", "fewer_in_term"}


@dataclass(slots=True)
class EventRow:
    """One event, or `count` alike events of a member (kind, role, year and the quality fields)."""

    kind: str
    role: str = ""
    year: int | None = None
    count: int = 1
    data: Mapping[str, Any] = field(default_factory=dict)
    occurred_on: dt.date | None = None
    title: str = ""
    source_type: str = ""
    source_id: int | None = None


@dataclass(slots=True)
class Line:
    """What one event earned, in which category, and why."""

    event: EventRow
    points: float
    category: str
    reason: str


@dataclass
class Result:
    """A member's score for a year."""

    total: float
    by_category: dict[str, dict[str, Any]]
    level: str
    warnings: list[dict[str, str]]
    lines: list[Line]


# ---------------------------------------------------------------------------- the pure function


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _unit_points(rules: Mapping[str, Any], kind: str, role: str) -> float:
    spec = rules.get("points", {}).get(kind, 0)
    if isinstance(spec, Mapping):
        return _num(spec.get(role, spec.get("", 0)))
    return _num(spec)


def _quality(rules: Mapping[str, Any], row: EventRow) -> tuple[float, list[str]]:
    weight, notes = 1.0, []
    for factor in rules.get("quality", {}).get(row.kind, []):
        value = row.data.get(factor["field"])
        weights = factor.get("weights", {})
        w = _num(weights[value]) if value in weights else _num(factor.get("default", 1))
        weight *= w
        notes.append(f"{factor.get('label', factor['field'])}{value or '未填'}×{w:g}")
    return weight, notes


def _category_of(rules: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, spec in rules.get("categories", {}).items():
        for kind in spec.get("kinds", []):
            found.setdefault(kind, code)
    return found


def _level(rules: Mapping[str, Any], total: float) -> str:
    for level in sorted(rules.get("levels", []), key=lambda lv: -_num(lv.get("min"))):
        if total >= _num(level.get("min")):
            return str(level.get("label", ""))
    return ""


def _warnings(
    rules: Mapping[str, Any], rows: Sequence[EventRow], year: int | None, term_years: tuple[int, int] | None
) -> list[dict[str, str]]:
    found = []
    for w in rules.get("warnings", []):
        kinds = set(w.get("kinds", []))
        roles = set(w.get("roles", []))

        def counted(r: EventRow, kinds: set[str] = kinds, roles: set[str] = roles) -> bool:
            return r.kind in kinds and (not roles or r.role in roles)

        if w["type"] == "count":
            in_scope = [
                r for r in rows if counted(r) and _in_scope(r, w.get("scope", "year"), year, term_years)
            ]
            n = sum(r.count for r in in_scope)
            if n >= int(w.get("min", 1)) and ("max" not in w or n <= int(w["max"])):
                found.append(_warning(w, n=n))
        elif w["type"] == "none_in_consecutive_years" and year is not None:
            span = int(w.get("years", 2))
            first = term_years[0] if term_years else year - span + 1
            busy = {r.year for r in rows if counted(r) and r.count > 0}
            for start in range(first, year - span + 2):
                if not busy & set(range(start, start + span)):
                    found.append(_warning(w, n=0, start=start, end=start + span - 1))
                    break
        elif w["type"] == "fewer_in_term" and term_years and year is not None and year >= term_years[1]:
            n = sum(r.count for r in rows if counted(r) and _in_scope(r, "term", year, term_years))
            if n < int(w.get("count", 1)):
                found.append(_warning(w, n=n))
    return found


def _in_scope(r: EventRow, scope: str, year: int | None, term_years: tuple[int, int] | None) -> bool:
    if r.year is None or year is None:
        return True
    if scope == "term" and term_years:
        return term_years[0] <= r.year <= min(term_years[1], year)
    return r.year == year


def _warning(w: Mapping[str, Any], **values: int) -> dict[str, str]:
    message = str(w.get("message", w.get("label", "")))
    with contextlib.suppress(KeyError, IndexError, ValueError):
        message = message.format(**values)
    return {"code": str(w["code"]), "label": str(w.get("label", w["code"])), "message": message}


def score(
    events: Iterable[EventRow],
    rules: Mapping[str, Any],
    *,
    year: int | None = None,
    term_years: tuple[int, int] | None = None,
    explain: bool = True,
) -> Result:
    """Turn a member's events into a total, points by category, a level, warnings and explained lines.

    Events of other years than `year` (when given) only feed the term-wide warnings.
    """
    rows = list(events)
    categories = rules.get("categories", {})
    kind_category = _category_of(rules)
    limits = rules.get("max_per_year", {})
    sums: dict[str, float] = defaultdict(float)
    used: dict[tuple[str, str], int] = defaultdict(int)
    lines: list[Line] = []
    for row in rows:
        if year is not None and row.year is not None and row.year != year:
            continue
        if row.kind == EventKind.MANUAL_ADJUSTMENT:
            code = str(row.data.get("category", ""))
            code = code if code in categories else ADJUSTMENT
            points = _num(row.data.get("points"))
            sums[code] += points
            if explain:
                lines.append(Line(row, points, code, f"人工调整：{row.data.get('reason', '')}"))
            continue
        code = kind_category.get(row.kind, "")
        if not code:
            if explain:
                lines.append(Line(row, 0.0, "", "本细则不计分"))
            continue
        counted = row.count
        note = ""
        if row.kind in limits:
            room = max(int(limits[row.kind]) - used[(row.kind, row.role)], 0)
            counted = min(counted, room)
            used[(row.kind, row.role)] += counted
            if counted < row.count:
                note = f"每年只计 {int(limits[row.kind])} 次"
        unit = _unit_points(rules, row.kind, row.role)
        weight, notes = _quality(rules, row)
        points = round(unit * weight * counted, 4)
        sums[code] += points
        if explain:
            role = ROLE_LABELS.get(row.role, row.role)
            parts = [f"{role}每次 {unit:g} 分" if role else f"每次 {unit:g} 分", *notes]
            if note:
                parts.append(note)
            lines.append(Line(row, points, code, "，".join(parts)))
    by_category: dict[str, dict[str, Any]] = {}
    for code, spec in categories.items():
        raw = _num(spec.get("base", 0)) + sums.get(code, 0.0)
        held = raw
        if spec.get("cap") is not None:
            held = min(held, _num(spec["cap"]))
        if spec.get("floor") is not None:
            held = max(held, _num(spec["floor"]))
        by_category[code] = {"label": spec.get("label", code), "points": round(held, 2), "raw": round(raw, 2)}
    if sums.get(ADJUSTMENT):
        by_category[ADJUSTMENT] = {
            "label": ADJUSTMENT_LABEL,
            "points": round(sums[ADJUSTMENT], 2),
            "raw": round(sums[ADJUSTMENT], 2),
        }
    total = sum(c["points"] for c in by_category.values())
    if rules.get("scale") == Scale.HUNDRED:
        total = min(max(total, 0.0), 100.0)
    total = round(total, 2)
    return Result(
        total=total,
        by_category=by_category,
        level=_level(rules, total),
        warnings=_warnings(rules, rows, year, term_years),
        lines=lines,
    )


# ---------------------------------------------------------------------------- validation


def validate_rules(rules: Any) -> dict[str, str]:
    """Every problem of a rule set, as {key path: Chinese message}; empty when the rules are usable."""
    errors: dict[str, str] = {}
    if not isinstance(rules, Mapping):
        return {"rules": "细则须为 JSON 对象。"}
    kinds = set(EventKind.values)
    if rules.get("scale", Scale.ADDITIVE) not in Scale.values:
        errors["scale"] = "计分方式须为 additive（累加）或 hundred（百分制）。"
    categories = rules.get("categories")
    if not isinstance(categories, Mapping) or not categories:
        errors["categories"] = "请至少设置一个积分类别。"
        categories = {}
    for code, spec in categories.items():
        if not isinstance(spec, Mapping):
            errors[f"categories.{code}"] = "类别须为 JSON 对象。"
            continue
        if not spec.get("label"):
            errors[f"categories.{code}.label"] = "请填写类别名称。"
        for bad in [k for k in spec.get("kinds", []) if k not in kinds]:
            errors[f"categories.{code}.kinds"] = f"未知的事件类型“{bad}”。"
        for key in ("base", "cap", "floor"):
            if spec.get(key) is not None and _bad_number(spec[key]):
                errors[f"categories.{code}.{key}"] = "须为数字。"
    points = rules.get("points", {})
    if not isinstance(points, Mapping):
        errors["points"] = "分值须为 JSON 对象。"
        points = {}
    for kind, spec in points.items():
        if kind not in kinds:
            errors[f"points.{kind}"] = f"未知的事件类型“{kind}”。"
        elif isinstance(spec, Mapping):
            for role, value in spec.items():
                if role not in ROLE_LABELS:
                    errors[f"points.{kind}.{role}"] = "角色须为 lead（领衔）、participant（参与）或空。"
                elif _bad_number(value):
                    errors[f"points.{kind}.{role}"] = "分值须为数字。"
        elif _bad_number(spec):
            errors[f"points.{kind}"] = "分值须为数字，或按角色分别设置。"
    for kind, n in (rules.get("max_per_year") or {}).items():
        if kind not in kinds or not isinstance(n, int) or n < 0:
            errors[f"max_per_year.{kind}"] = "须为已知事件类型和非负整数。"
    for kind, factors in (rules.get("quality") or {}).items():
        if kind not in kinds:
            errors[f"quality.{kind}"] = f"未知的事件类型“{kind}”。"
        elif not isinstance(factors, list) or not all(
            isinstance(f, Mapping) and f.get("field") and isinstance(f.get("weights", {}), Mapping)
            for f in factors
        ):
            errors[f"quality.{kind}"] = "质量权重须为列表，每项含 field 和 weights。"
    for i, level in enumerate(rules.get("levels") or []):
        if not isinstance(level, Mapping) or _bad_number(level.get("min")) or not level.get("label"):
            errors[f"levels.{i}"] = "等次须含 min（最低分）和 label（名称）。"
    if "indices" in rules:
        from .indices import validate as validate_indices

        errors.update(validate_indices(rules["indices"]))
    for i, w in enumerate(rules.get("warnings") or []):
        if not isinstance(w, Mapping) or not w.get("code") or w.get("type") not in WARNING_TYPES:
            errors[f"warnings.{i}"] = (
                "预警须含 code 和 type（count、none_in_consecutive_years 或 fewer_in_term）。"
            )
        elif any(k not in kinds for k in w.get("kinds", [])):
            errors[f"warnings.{i}.kinds"] = "预警中有未知的事件类型。"
    return errors


def _bad_number(value: Any) -> bool:
    return not isinstance(value, int | float) or isinstance(value, bool)


# ---------------------------------------------------------------------------- bulk recompute


def quality_fields(rules: Mapping[str, Any]) -> list[str]:
    """The event data fields the rules weigh (grouped on in SQL)."""
    fields = {f["field"] for factors in rules.get("quality", {}).values() for f in factors}
    return sorted(fields)


def _aggregate(conference_id: int, year: int, rules: Mapping[str, Any], user_ids: Sequence[int] | None):  # type: ignore[no-untyped-def]
    """Events of the year grouped by (user, kind, role, quality fields), in one query."""
    qs = PointEvent.objects.filter(conference_id=conference_id, year=year).exclude(
        kind=EventKind.MANUAL_ADJUSTMENT
    )
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    fields = quality_fields(rules)
    extra = {
        f"q_{f}": Coalesce(KeyTextTransform(f, "data"), Value(""), output_field=TextField()) for f in fields
    }
    return fields, qs.order_by().values("user_id", "kind", "role", **extra).annotate(n=Count("id"))


def _load_rows(
    conference_id: int,
    year: int,
    rules: Mapping[str, Any],
    term_years: tuple[int, int] | None,
    user_ids: Sequence[int] | None = None,
) -> dict[int, list[EventRow]]:
    rows: dict[int, list[EventRow]] = defaultdict(list)
    fields, grouped = _aggregate(conference_id, year, rules, user_ids)
    for g in grouped.iterator(chunk_size=5000):
        data = {f: g[f"q_{f}"] for f in fields if g[f"q_{f}"]}
        rows[g["user_id"]].append(EventRow(g["kind"], g["role"], year, g["n"], data))
    manual = PointEvent.objects.filter(
        conference_id=conference_id, year=year, kind=EventKind.MANUAL_ADJUSTMENT
    )
    if user_ids is not None:
        manual = manual.filter(user_id__in=list(user_ids))
    for user_id, data in manual.order_by().values_list("user_id", "data"):
        rows[user_id].append(EventRow(EventKind.MANUAL_ADJUSTMENT, "", year, 1, data))
    warning_kinds = {k for w in rules.get("warnings", []) for k in w.get("kinds", [])}
    if warning_kinds and term_years:
        others = PointEvent.objects.filter(
            conference_id=conference_id,
            kind__in=warning_kinds,
            year__gte=term_years[0],
            year__lte=min(term_years[1], year),
        ).exclude(year=year)
        if user_ids is not None:
            others = others.filter(user_id__in=list(user_ids))
        for g in others.order_by().values("user_id", "kind", "role", "year").annotate(n=Count("id")):
            rows[g["user_id"]].append(EventRow(g["kind"], g["role"], g["year"], g["n"]))
    return rows


def term_years_of(conference_id: int, year: int) -> tuple[int, int] | None:
    """The (start, end) years of the conference's term that includes `year`."""
    from xieshang.conferences.models import Term

    term = (
        Term.objects.filter(conference_id=conference_id, start_year__lte=year, end_year__gte=year)
        .order_by("-number")
        .values_list("start_year", "end_year")
        .first()
    )
    return (int(term[0]), int(term[1])) if term else None


def recompute(conference_id: int, year: int, user_ids: Sequence[int] | None = None) -> int:
    """Recompute and store the scores of every member of a conference-year (or of `user_ids`).

    Events are aggregated in SQL by (user, kind, role, quality fields); the rules run in Python;
    the scores are written with one bulk upsert. Returns how many scores were written.
    """
    from xieshang.people.models import Member

    from .rulesets import active_rules

    rule_set, rules = active_rules(conference_id, year)
    term_years = term_years_of(conference_id, year)
    rows = _load_rows(conference_id, year, rules, term_years, user_ids)
    members = Member.objects.filter(conference_id=conference_id)
    if user_ids is not None:
        members = members.filter(user_id__in=list(user_ids))
    people = set(members.values_list("user_id", flat=True)) | set(rows)
    now = timezone.now()
    scores = []
    for user_id in people:
        result = score(rows.get(user_id, []), rules, year=year, term_years=term_years, explain=False)
        scores.append(
            DutyScore(
                conference_id=conference_id,
                user_id=user_id,
                year=year,
                rule_set=rule_set,
                rule_version=rule_set.version if rule_set else 0,
                total=result.total,
                by_category=result.by_category,
                level=result.level,
                warnings=result.warnings,
                warning_count=len(result.warnings),
                is_stale=False,
                computed_at=now,
            )
        )
    DutyScore.objects.bulk_create(
        scores,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["conference", "user", "year"],
        update_fields=[
            "rule_set",
            "rule_version",
            "total",
            "by_category",
            "level",
            "warnings",
            "warning_count",
            "is_stale",
            "computed_at",
        ],
    )
    return len(scores)


def refresh(conference_id: int, year: int) -> int:
    """Recompute only the scores that are stale, missing, or computed under an older rule version."""
    from xieshang.people.models import Member

    from .rulesets import active_rules

    rule_set, _rules = active_rules(conference_id, year)
    scored = DutyScore.objects.filter(conference_id=conference_id, year=year)
    outdated = scored.exclude(rule_set=rule_set) if rule_set else scored.filter(rule_set__isnull=False)
    if outdated.exists():
        return recompute(conference_id, year)
    wanted = set(scored.filter(is_stale=True).values_list("user_id", flat=True))
    have = set(scored.values_list("user_id", flat=True))
    wanted |= set(Member.objects.filter(conference_id=conference_id).values_list("user_id", flat=True)) - have
    wanted |= (
        set(
            PointEvent.objects.filter(conference_id=conference_id, year=year)
            .order_by()
            .values_list("user_id", flat=True)
            .distinct()
        )
        - have
    )
    if not wanted:
        return 0
    return recompute(conference_id, year, sorted(wanted))


def member_rows(conference_id: int, user_id: int, year: int, rules: Mapping[str, Any]) -> list[EventRow]:
    """One member's events of the year (each its own row, for the report card) plus other term years'
    events the warnings look at."""
    term_years = term_years_of(conference_id, year)
    warning_kinds = {k for w in rules.get("warnings", []) for k in w.get("kinds", [])}
    qs = PointEvent.objects.filter(conference_id=conference_id, user_id=user_id)
    if warning_kinds and term_years:
        qs = qs.filter(year=year) | qs.filter(
            kind__in=warning_kinds, year__gte=term_years[0], year__lte=min(term_years[1], year)
        )
    else:
        qs = qs.filter(year=year)
    return [
        EventRow(
            e.kind,
            e.role,
            e.year,
            1,
            e.data,
            occurred_on=e.occurred_on,
            title=e.title,
            source_type=e.source_type,
            source_id=e.source_id,
        )
        for e in qs.order_by("occurred_on", "id").only(
            "kind", "role", "year", "data", "occurred_on", "title", "source_type", "source_id"
        )
    ]
