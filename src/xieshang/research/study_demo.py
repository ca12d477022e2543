"""Demo data for study, through the services like the rest of the demo."""

from __future__ import annotations

from collections.abc import Sequence

from xieshang.conferences.models import Conference
from xieshang.people.models import User


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """A study plan with materials, a quiz some members took, and a paper."""
