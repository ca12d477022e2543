"""Reads about people: which roles an actor holds where."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from xieshang.conferences.models import Conference, HandlingUnit
from xieshang.textintel.segment import words

from .models import Member, Role, RoleKind, User

_CACHE_ATTR = "_xieshang_roles"


def roles_of(user: User) -> list[Role]:
    """All roles of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached: list[Role] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("conference", "handling_unit"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached roles after they change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: User, conference_id: int, *kinds: str) -> bool:
    """Whether the user holds one of `kinds` in the conference."""
    return any(r.conference_id == conference_id and r.kind in kinds for r in roles_of(user))


def role_kinds(user: User, conference_id: int) -> set[str]:
    """The kinds of role the user holds in a conference."""
    return {r.kind for r in roles_of(user) if r.conference_id == conference_id}


def conference_ids(user: User, *kinds: str) -> set[int]:
    """Conferences where the user holds any role (or one of `kinds`)."""
    return {r.conference_id for r in roles_of(user) if not kinds or r.kind in kinds}


def conferences_of(user: User) -> list[Conference]:
    """Conferences the user belongs to, in a stable order."""
    seen: dict[int, Conference] = {}
    for r in roles_of(user):
        seen.setdefault(r.conference_id, r.conference)
    return sorted(seen.values(), key=lambda c: c.id)


def units_of(user: User, conference_id: int | None = None) -> list[HandlingUnit]:
    """Handling units the user answers for (in one conference, or anywhere)."""
    units = {
        r.handling_unit_id: r.handling_unit
        for r in roles_of(user)
        if r.kind == RoleKind.UNIT
        and r.handling_unit
        and (conference_id is None or r.conference_id == conference_id)
    }
    return [u for u in units.values() if u is not None]


def unit_ids(user: User, conference_id: int | None = None) -> set[int]:
    """Ids of `units_of`."""
    return {u.id for u in units_of(user, conference_id)}


def users_with_role(conference_id: int, kinds: Iterable[str]) -> QuerySet[User]:
    """Users who hold one of `kinds` in the conference."""
    return User.objects.filter(roles__conference_id=conference_id, roles__kind__in=list(kinds)).distinct()


def unit_contacts(conference_id: int, unit_id: int) -> QuerySet[User]:
    """The contacts of a handling unit in a conference."""
    return User.objects.filter(
        roles__conference_id=conference_id, roles__kind=RoleKind.UNIT, roles__handling_unit_id=unit_id
    ).distinct()


def members_of(conference_id: int) -> QuerySet[User]:
    """Users who are members of the conference."""
    return User.objects.filter(memberships__conference_id=conference_id).distinct()


# ---------------------------------------------------------------------------- the talent pool (人才库)

POOL_FIELDS = (
    "expertise",
    "workplace",
    "user__display_name",
    "sector__name",
    "party__name",
    "committee__name",
)
MAX_QUERY_WORDS = 5


def guided_conference_ids(conference_id: int) -> set[int]:
    """The conference and the conferences it guides: whose members its talent pool holds."""
    children = Conference.objects.filter(parent_id=conference_id).values_list("pk", flat=True)
    return {conference_id, *children}


def _pool_condition(word: str) -> Q:
    """A query word matches a profile when it, or any content word jieba finds in it, appears in one of
    the profile's fields ("教育专家" finds "基础教育、课程改革")."""
    parts = [word, *[w for w in words(word) if len(w) > 1 and w != word]]
    condition = Q()
    for part in parts:
        for name in POOL_FIELDS:
            condition |= Q(**{f"{name}__icontains": part})
    return condition


def talent_pool(
    conference_ids: Iterable[int],
    *,
    q: str = "",
    committee_id: int | None = None,
    sector_id: int | None = None,
    party_id: int | None = None,
    standing: bool | None = None,
) -> QuerySet[Member]:
    """Members of the given conferences searched by expertise, workplace, name, sector, party and
    committee (every whitespace-separated word must match), and filtered by committee, sector, party."""
    qs = Member.objects.filter(conference_id__in=list(conference_ids)).select_related(
        "user", "conference", "sector", "party", "committee"
    )
    for word in q.split()[:MAX_QUERY_WORDS]:
        qs = qs.filter(_pool_condition(word))
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    if party_id:
        qs = qs.filter(party_id=party_id)
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    return qs.order_by("conference_id", "user__display_name", "id")
