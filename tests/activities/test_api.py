"""The activities API: visibility, the member's actions, the office's actions, errors in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ..api.conftest import Api, ok, refused
from .conftest import make_activity

MIN = dt.timedelta(minutes=1)


@pytest.fixture
def api() -> Api:
    return Api()


def test_a_member_lists_reads_registers_and_checks_in(world, api):
    activity = make_activity(world.city, starts_in=10 * MIN, invite=[world.city.member])
    listed = ok(api.get("/activities", world.city.member))
    assert [a["id"] for a in listed["items"]] == [activity.pk]
    detail = ok(api.get(f"/activities/{activity.pk}", world.city.member))
    assert detail["checkin_code"] is None and detail["me"]["invitation"] == "invited"
    ok(api.post(f"/activities/{activity.pk}/respond", world.city.member, {"attend": True}))
    wrong = refused(api.post("/activities/checkin", world.city.member, {"code": "nope"}), 400)
    assert wrong["code"] == "invalid_input" and "code" in wrong["fields"]
    done = ok(api.post("/activities/checkin", world.city.member, {"code": activity.checkin_code}))
    assert done["state"] == "present"
    again = refused(api.post("/activities/checkin", world.city.member, {"code": activity.checkin_code}), 409)
    assert again["code"] == "duplicate"


def test_leave_through_the_api_goes_to_the_right_approver(world, api):
    activity = make_activity(world.city, kind="plenary", starts_in=60 * MIN, title="全体会议")
    leave = ok(api.post(f"/activities/{activity.pk}/leave", world.city.member, {"reason": "出国访问"}), 201)
    refused(api.post(f"/activities/leave/{leave['id']}/decide", world.city.staff, {"approve": True}), 403)
    refused(api.post(f"/activities/leave/{leave['id']}/decide", world.county.leader, {"approve": True}), 404)
    done = ok(api.post(f"/activities/leave/{leave['id']}/decide", world.city.leader, {"approve": True}))
    assert done["state"] == "approved"


def test_staff_create_publish_close_and_read_the_attendance(world, api):
    start = timezone.now() - 5 * MIN
    created = ok(
        api.post(
            "/activities",
            world.city.staff,
            {
                "conference_id": world.city.conference.pk,
                "kind": "survey",
                "title": "营商环境调研",
                "starts_at": start.isoformat(),
                "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
                "invite_user_ids": [world.city.member.pk, world.city.member2.pk],
            },
        ),
        201,
    )
    pk = created["id"]
    published = ok(api.post(f"/activities/{pk}/publish", world.city.staff, {}))
    assert published["state"] == "published"
    code = ok(api.get(f"/activities/{pk}", world.city.staff))["checkin_code"]
    ok(api.post("/activities/checkin", world.city.member, {"code": code}))
    ok(api.post(f"/activities/{pk}/close", world.city.staff, {}))
    rows = {r["user_id"]: r["status"] for r in ok(api.get(f"/activities/{pk}/attendance", world.city.staff))}
    assert rows == {world.city.member.pk: "present", world.city.member2.pk: "absent_unexcused"}


def test_members_and_other_conferences_are_refused(world, api):
    activity = make_activity(world.city, invite=[world.city.member])
    body = {
        "conference_id": world.city.conference.pk,
        "kind": "survey",
        "title": "调研",
        "starts_at": timezone.now().isoformat(),
        "ends_at": timezone.now().isoformat(),
    }
    refused(api.post("/activities", world.city.member, body), 403)
    refused(api.post("/activities", world.county.staff, body), 403)
    refused(api.get(f"/activities/{activity.pk}/attendance", world.city.member), 403)
    for user in [world.county.member, world.county.staff, world.county.leader]:
        refused(api.get(f"/activities/{activity.pk}", user), 404)
        refused(api.get(f"/activities/{activity.pk}/attendance", user), 404)
        refused(api.post(f"/activities/{activity.pk}/close", user, {}), 404)
        assert ok(api.get("/activities", user))["items"] == []
    refused(api.get("/activities", world.county.member, conference_id=world.city.conference.pk), 403)
    refused(api.get("/activities"), 401)
