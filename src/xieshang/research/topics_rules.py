"""Permission predicates on research topics and forums, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from .models import Forum, ResearchTopic


@rules.predicate
def is_staff_of(user: Any, topic: ResearchTopic) -> bool:
    """Office staff of the topic's conference."""
    return bool(user.is_authenticated and has_role(user, topic.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, topic: ResearchTopic) -> bool:
    """A leader of the topic's conference."""
    return bool(user.is_authenticated and has_role(user, topic.conference_id, RoleKind.LEADER))


ROLE_PREDICATES = {"staff": is_staff_of, "leader": is_leader_of}

rules.add_perm("research.edit_topic", is_staff_of)


def actor_roles(user: Any, topic: ResearchTopic) -> set[str]:
    """Every workflow role the user plays on this topic."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, topic)}


def can_use_topics(user: Any, conference_id: int) -> bool:
    """Staff and leaders open the research office's pages (leaders read only, and give instructions)."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))


def can_register_topics(user: Any, conference_id: int) -> bool:
    """Office staff register the topics proposed to the conference."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_host_forum(user: Any, forum: Forum) -> bool:
    """Staff of the host conference invite, close and compile a forum."""
    return bool(user.is_authenticated and has_role(user, forum.conference_id, RoleKind.STAFF))


def can_submit_to_forum(user: Any, conference_id: int) -> bool:
    """Staff of a taking-part conference submit its topic report."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))
