"""Helpers for the activity tests: activities made through the services, at times relative to now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xieshang.activities import services
from xieshang.activities.models import Activity
from xieshang.people.models import User

from ..conftest import Side


def make_activity(
    side: Side,
    *,
    kind: str = "survey",
    title: str = "关于乡村振兴的专题调研",
    starts_in: dt.timedelta = dt.timedelta(minutes=0),
    hours: float = 2,
    half_days: int = 1,
    invite: Iterable[User] = (),
    participants: Iterable[int] = (),
    publish: bool = True,
) -> Activity:
    """An activity of `side`'s conference starting `starts_in` from now, invited and published by staff."""
    starts_at = timezone.now() + starts_in
    data = services.ActivityInput(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        place="市政协三楼会议室",
        agenda="一、听取情况通报；二、座谈交流。",
        half_days=half_days,
        participant_ids=list(participants),
    )
    activity = services.create_activity(side.staff, side.conference, data)
    people = list(invite)
    if people:
        services.invite_members(side.staff, activity, [u.pk for u in people])
    if publish:
        activity = services.publish_activity(side.staff, activity)
    return Activity.objects.get(pk=activity.pk)


@pytest.fixture
def as_user(db: None) -> Callable[[User], Client]:
    """A fresh client signed in as `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files of these tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


class DutyLog:
    """The duty events the activity workflow wrote and retracted, in order (calls go through)."""

    def __init__(self) -> None:
        self.recorded: list[dict[str, Any]] = []
        self.retracted: list[dict[str, Any]] = []

    def kinds(self, user: User) -> list[str]:
        return [e["kind"] for e in self.recorded if e["user_id"] == user.pk]


@pytest.fixture
def duty_log(monkeypatch: pytest.MonkeyPatch) -> DutyLog:
    """Watch the calls to the duty app's public services."""
    log = DutyLog()
    real_record, real_retract = services.duty.record_event, services.duty.retract_event

    def record_event(**kw: Any) -> Any:
        log.recorded.append(kw)
        return real_record(**kw)

    def retract_event(**kw: Any) -> Any:
        log.retracted.append(kw)
        return real_retract(**kw)

    monkeypatch.setattr(services.duty, "record_event", record_event)
    monkeypatch.setattr(services.duty, "retract_event", retract_event)
    return log
