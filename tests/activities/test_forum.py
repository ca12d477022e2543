"""A forum may gather other cities' conferences; other joint activities only the guided ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xieshang.activities import selectors, services
from xieshang.core.errors import AppError

from ..factories import ConferenceFactory

START = timezone.now() + dt.timedelta(days=5)


def _input(kind: str, participants: list[int]) -> services.ActivityInput:
    return services.ActivityInput(
        kind=kind,
        title="城市群政协主席联席会议暨政协论坛",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
        participant_ids=participants,
    )


def test_a_forum_invites_another_citys_conference_and_a_survey_cannot(world):
    other_city = ConferenceFactory(name="邻市政协", short_name="邻市", code="neighbour", level="city")
    city = world.city
    forum = services.create_activity(city.staff, city.conference, _input("forum", [other_city.pk]))
    assert list(forum.participants.all()) == [other_city]
    with pytest.raises(AppError) as refused:
        services.create_activity(city.staff, city.conference, _input("survey", [other_city.pk]))
    assert "participants" in refused.value.fields
    joinable = list(selectors.joinable_conferences(city.conference.pk))
    assert joinable[0] == world.county.conference and other_city in joinable
