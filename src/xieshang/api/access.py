"""Loading what a request names, always through the actor's visibility (404 otherwise)."""

from __future__ import annotations

from xieshang.conferences.models import Conference
from xieshang.core.errors import AppError, ErrorCode
from xieshang.people.models import User
from xieshang.people.selectors import conferences_of, role_kinds
from xieshang.proposals import selectors
from xieshang.proposals.models import ExtensionRequest, ReassignmentRequest

NOT_IN_CONFERENCE = "您不是该政协的用户，不能查看或办理其事务。"
ROLE_REQUIRED = "只有本级政协机关工作人员或领导可以查看。"


def conference(user: User, conference_id: int, *kinds: str) -> Conference:
    """A conference where the user holds a role (one of `kinds`, when given), or 403."""
    found = next((c for c in conferences_of(user) if c.pk == conference_id), None)
    if found is None:
        raise AppError(ErrorCode.PERMISSION_DENIED, NOT_IN_CONFERENCE)
    if kinds and not role_kinds(user, conference_id) & set(kinds):
        raise AppError(ErrorCode.PERMISSION_DENIED, ROLE_REQUIRED)
    return found


def reassignment_request(user: User, request_id: int) -> ReassignmentRequest:
    """A reassignment request on an assignment the user may see, or 404."""
    return selectors.get_reassignment_request(user, request_id)


def extension_request(user: User, request_id: int) -> ExtensionRequest:
    """An extension request on an assignment the user may see, or 404."""
    return selectors.get_extension_request(user, request_id)
