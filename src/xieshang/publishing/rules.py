"""Permission predicates on articles and journals, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from .models import Article


@rules.predicate
def is_staff_of(user: Any, article: Article) -> bool:
    """Office staff of the article's conference."""
    return bool(user.is_authenticated and has_role(user, article.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, article: Article) -> bool:
    """A leader of the article's conference."""
    return bool(user.is_authenticated and has_role(user, article.conference_id, RoleKind.LEADER))


@rules.predicate
def is_reviewer_of(user: Any, article: Article) -> bool:
    """Staff or a leader of the article's conference who did not write it (four eyes)."""
    return bool((is_staff_of(user, article) or is_leader_of(user, article)) and article.author_id != user.pk)


ROLE_PREDICATES = {"staff": is_staff_of, "leader": is_leader_of, "reviewer": is_reviewer_of}

rules.add_perm("publishing.edit_article", is_staff_of)


def actor_roles(user: Any, article: Article) -> set[str]:
    """Every workflow role the user plays on this article."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, article)}


def can_write_articles(user: Any, conference_id: int) -> bool:
    """Office staff write the conference's articles."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_use_office(user: Any, conference_id: int) -> bool:
    """Staff and leaders open the publishing office pages."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))


def can_manage_journals(user: Any, conference_id: int) -> bool:
    """Office staff compose, publish and withdraw the conference's journal issues."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))
