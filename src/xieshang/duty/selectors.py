"""Reads of duty records, limited to what the actor may see.

A member sees only their own record; staff and leaders of a conference see its rankings, warnings and
any of its members' report cards; nobody sees another conference's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from xieshang.conferences.models import Committee, Conference, Sector
from xieshang.core.errors import denied
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import has_role

from . import indices, scoring
from .models import DutyScore, EventKind, PointEvent, ScoringRuleSet
from .rulesets import active_rules

# Source types may carry a suffix after a colon ("activity:half2", one half-day sitting of a plenary).
SOURCE_LABELS = {
    "proposal": "提案",
    "activity": "活动",
    "speech": "发言",
    "outreach": "联系群众",
    "opinion": "社情民意",
    "opinion_instruction": "领导批示",
    "manual": "人工调整",
}
SOURCE_URLS = {"proposal": "proposals:detail", "activity": "activities:detail", "opinion": "opinions:detail"}
SORTS = {
    "-total": ("-total", "user__display_name"),
    "total": ("total", "user__display_name"),
    "name": ("user__display_name", "user__username"),
    "-warnings": ("-warning_count", "-total"),
}


def require_office(user: Any, conference_id: int) -> None:
    """Refuse unless the user is staff or a leader of the conference."""
    if not has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER):
        raise denied("只有本级政协机关工作人员或领导可以查看履职排名与预警。")


def require_staff(user: Any, conference_id: int) -> None:
    """Refuse unless the user is staff of the conference."""
    if not has_role(user, conference_id, RoleKind.STAFF):
        raise denied("只有本级政协机关工作人员可以执行此操作。")


def require_member(user: Any, conference_id: int) -> None:
    """Refuse unless the user is a member of the conference."""
    if not has_role(user, conference_id, RoleKind.MEMBER):
        raise denied("只有本级政协委员有履职档案。")


# ---------------------------------------------------------------------------- a member's card


@dataclass
class CardLine:
    """One event on the card: what, when, from where, how many points and why."""

    occurred_on: Any
    kind_label: str
    role_label: str
    title: str
    source_label: str
    url: str
    points: float
    reason: str


@dataclass
class CardCategory:
    code: str
    label: str
    points: float
    raw: float
    lines: list[CardLine] = field(default_factory=list)


@dataclass
class Card:
    """A member's duty record for one year (履职成绩单)."""

    user: User
    member: Member | None
    conference: Conference
    year: int
    rule_set: ScoringRuleSet | None
    rule_name: str
    total: float
    level: str
    warnings: list[dict[str, str]]
    categories: list[CardCategory]
    unscored: list[CardLine]
    years: list[int]
    indices: list[indices.IndexValue] = field(default_factory=list)


def _url(source_type: str, source_id: int | None) -> str:
    name = SOURCE_URLS.get(source_type.split(":", 1)[0])
    if not name or source_id is None:
        return ""
    try:
        return reverse(name, args=[source_id])
    except NoReverseMatch:
        return ""


def build_card(conference: Conference, user: User, year: int) -> Card:
    """Compute a member's card live from the events (a member has at most a few hundred a year)."""
    rule_set, rules = active_rules(conference.pk, year)
    term_years = scoring.term_years_of(conference.pk, year)
    rows = scoring.member_rows(conference.pk, user.pk, year, rules)
    result = scoring.score(rows, rules, year=year, term_years=term_years)
    categories = {
        code: CardCategory(code, str(c["label"]), c["points"], c["raw"])
        for code, c in result.by_category.items()
    }
    unscored: list[CardLine] = []
    for line in result.lines:
        e = line.event
        role = scoring.ROLE_LABELS.get(e.role, "")
        item = CardLine(
            occurred_on=e.occurred_on,
            kind_label=str(EventKind(e.kind).label) if e.kind in EventKind.values else e.kind,
            role_label=role,
            title=e.title,
            source_label=SOURCE_LABELS.get(e.source_type.split(":", 1)[0], e.source_type),
            url=_url(e.source_type, e.source_id),
            points=line.points,
            reason=line.reason,
        )
        target = categories.get(line.category)
        (target.lines if target else unscored).append(item)
    return Card(
        user=user,
        member=Member.objects.filter(conference=conference, user=user)
        .select_related("committee", "sector")
        .first(),
        conference=conference,
        year=year,
        rule_set=rule_set,
        rule_name=rule_set.name if rule_set else str(rules.get("name", "")),
        total=result.total,
        level=result.level,
        warnings=result.warnings,
        categories=list(categories.values()),
        unscored=unscored,
        years=event_years(conference.pk, user.pk, year),
        indices=indices.compute(conference.pk, year, rules, [user.pk])[user.pk],
    )


def event_years(conference_id: int, user_id: int, current: int) -> list[int]:
    """Years with events for the member, always including `current`, newest first."""
    years = set(
        PointEvent.objects.filter(conference_id=conference_id, user_id=user_id)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years | {current}, reverse=True)


def my_card(user: Any, conference: Conference, year: int) -> Card:
    """The signed-in member's own card."""
    require_member(user, conference.pk)
    return build_card(conference, user, year)


def member_card(actor: Any, conference: Conference, user_id: int, year: int) -> Card:
    """A member's card for staff and leaders of the member's conference; 404 for a non-member."""
    require_office(actor, conference.pk)
    member = Member.objects.filter(conference=conference, user_id=user_id).select_related("user").first()
    if member is None:
        raise Http404
    return build_card(conference, member.user, year)


# ---------------------------------------------------------------------------- office lists


def ranking(
    actor: Any,
    conference_id: int,
    year: int,
    *,
    q: str = "",
    committee_id: int | None = None,
    sector_id: int | None = None,
    sort: str = "-total",
    warnings_only: bool = False,
) -> QuerySet[DutyScore]:
    """The conference-year's scores, freshly refreshed, filtered and sorted, for staff and leaders."""
    require_office(actor, conference_id)
    scoring.refresh(conference_id, year)
    member = Member.objects.filter(conference_id=conference_id, user_id=OuterRef("user_id"))
    qs = (
        DutyScore.objects.filter(conference_id=conference_id, year=year)
        .select_related("user")
        .annotate(
            committee_name=Subquery(member.values("committee__name")[:1]),
            sector_name=Subquery(member.values("sector__name")[:1]),
        )
    )
    if q:
        qs = qs.filter(Q(user__display_name__icontains=q) | Q(user__username__icontains=q))
    if committee_id:
        qs = qs.filter(
            user__memberships__conference_id=conference_id, user__memberships__committee_id=committee_id
        )
    if sector_id:
        qs = qs.filter(user__memberships__conference_id=conference_id, user__memberships__sector_id=sector_id)
    if warnings_only:
        qs = qs.filter(warning_count__gt=0)
    return qs.order_by(*SORTS.get(sort, SORTS["-total"]))


def group_averages(actor: Any, conference_id: int, year: int, by: str) -> list[dict[str, Any]]:
    """Average score and head count per committee or per sector."""
    require_office(actor, conference_id)
    scoring.refresh(conference_id, year)
    key = "committee" if by == "committee" else "sector"
    member = Member.objects.filter(conference_id=conference_id, user_id=OuterRef("user_id"))
    rows = (
        DutyScore.objects.filter(conference_id=conference_id, year=year)
        .annotate(group=Subquery(member.values(f"{key}__name")[:1]))
        .order_by()
        .values("group")
        .annotate(avg=Avg("total"), n=Count("id"), warned=Count("id", filter=Q(warning_count__gt=0)))
        .order_by("-avg")
    )
    return [{**r, "group": r["group"] or "未分组", "avg": round(r["avg"] or 0, 2)} for r in rows]


def filter_choices(conference_id: int) -> dict[str, QuerySet[Any]]:
    """The committees and sectors of a conference, for the ranking filters."""
    return {
        "committees": Committee.objects.filter(conference_id=conference_id),
        "sectors": Sector.objects.filter(conference_id=conference_id),
    }


def rule_sets(actor: Any, conference_id: int) -> QuerySet[ScoringRuleSet]:
    """Every version of the conference's scoring rules, newest first."""
    require_office(actor, conference_id)
    return ScoringRuleSet.objects.filter(conference_id=conference_id).select_related("created_by")


def members(conference_id: int) -> QuerySet[User]:
    """The members of a conference, for the adjustment form."""
    return User.objects.filter(memberships__conference_id=conference_id).order_by("display_name", "username")


@dataclass
class IndexRow:
    """A member and the three indices of a year."""

    member: Member
    indices: list[indices.IndexValue]

    def value(self, code: str) -> float:
        """The value of one index (0 when the formula has no such index)."""
        return next((v.value for v in self.indices if v.code == code), 0.0)


def index_table(actor: Any, conference_id: int, year: int, sort: str = "", q: str = "") -> list[IndexRow]:
    """Every member of the conference with the three indices of the year, for staff and leaders;
    sorted by one index (highest first, then by name), filtered by a name search."""
    require_office(actor, conference_id)
    _rule_set, rules = active_rules(conference_id, year)
    members = Member.objects.filter(conference_id=conference_id).select_related("user", "sector")
    if q:
        members = members.filter(user__display_name__icontains=q)
    by_user = {m.user_id: m for m in members}
    values = indices.compute(conference_id, year, rules, list(by_user))
    rows = [IndexRow(by_user[uid], vals) for uid, vals in values.items()]
    codes = list(indices.formula(rules))
    key = sort if sort in codes else (codes[0] if codes else "")
    rows.sort(key=lambda r: (-r.value(key), r.member.user.display_name))
    return rows
