"""The participation rate of each activity kind over a year."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xieshang.activities import selectors, services

from .conftest import make_activity

MIN = dt.timedelta(minutes=1)


def test_participation_counts_closed_activities_by_kind(world, as_user):
    city = world.city
    survey = make_activity(city, kind="survey", starts_in=-5 * MIN, invite=[city.member, city.member2])
    services.check_in_by_code(city.member, survey.checkin_code)
    services.close_activity(city.staff, survey)
    make_activity(city, kind="survey", starts_in=60 * MIN, invite=[city.member])  # not closed: not counted

    [row] = selectors.participation_by_kind(city.conference.pk, timezone.localdate().year)

    assert (row.kind, row.activities, row.expected, row.present, row.absent) == ("survey", 1, 2, 1, 1)
    assert row.rate == 0.5
    page = as_user(city.leader).get(reverse("activities:participation"))
    assert page.status_code == 200 and "50%" in page.content.decode()
    assert as_user(city.member).get(reverse("activities:participation")).status_code in (403, 404)
    assert selectors.participation_by_kind(world.county.conference.pk, timezone.localdate().year) == []
