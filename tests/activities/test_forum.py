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


def test_arriving_late_to_a_study_session_counts_as_partial_study(world):
    from xieshang.duty.models import PointEvent

    from .conftest import make_activity

    city = world.city
    study = make_activity(
        city, kind="study_session", starts_in=-dt.timedelta(minutes=20), invite=[city.member, city.member2]
    )
    services.check_in_by_code(city.member, study.checkin_code)  # 20 minutes in: late
    services.mark_attendance(city.staff, study, city.member2.pk, status="present")
    kinds = dict(PointEvent.objects.filter(source_id=study.pk).values_list("user_id", "kind"))
    assert kinds == {city.member.pk: "study_partial", city.member2.pk: "study_attended"}
    services.mark_attendance(city.staff, study, city.member.pk, status="present")  # corrected by staff
    assert PointEvent.objects.get(user=city.member, source_id=study.pk).kind == "study_attended"


def test_the_committee_head_approves_leave_for_the_committees_activity(world):
    from xieshang.conferences.models import Committee

    from .conftest import make_activity

    city = world.city
    committee = Committee.objects.create(conference=city.conference, name="经济委员会", head=city.member2)
    activity = make_activity(city, kind="survey", starts_in=dt.timedelta(days=2), invite=[city.member])
    activity.committee = committee
    activity.save(update_fields=["committee"])
    leave = services.request_leave(city.member, activity, reason="出差在外")
    with pytest.raises(AppError):
        services.decide_leave(city.staff, leave, approve=True)  # the head decides, not the office
    assert services.decide_leave(city.member2, leave, approve=True).state == "approved"
