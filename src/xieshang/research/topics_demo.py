"""Demo data for topics, through the services like the rest of the demo."""

from __future__ import annotations

from collections.abc import Sequence

from xieshang.conferences.models import Conference
from xieshang.people.models import User


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """A research topic with its report, an instruction and a follow-up task; a multi-city forum."""
