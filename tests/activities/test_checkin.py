"""Check-in: only in the window, once, with the right code, for expected members; late is marked."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.activities import services
from xieshang.activities.models import Attendance
from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode

from .conftest import make_activity

MIN = dt.timedelta(minutes=1)


def nothing_written(activity) -> None:  # type: ignore[no-untyped-def]
    assert not Attendance.objects.filter(activity=activity).exists()
    assert not AuditEvent.objects.filter(
        target_type="activity", target_id=activity.pk, verb="check_in"
    ).exists()


def test_a_member_checks_in_on_time_by_typing_the_code(world, duty_log):
    # given a survey starting in ten minutes, the member invited
    activity = make_activity(world.city, starts_in=10 * MIN, invite=[world.city.member])
    # when the member types the code, in lower case with a space
    code = activity.checkin_code.lower()
    attendance = services.check_in_by_code(world.city.member, f" {code[:3]} {code[3:]}")
    # then present, by code, and the duty event is written
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.method == Attendance.Method.CODE
    assert duty_log.kinds(world.city.member) == ["activity_attended"]
    assert duty_log.recorded[0]["source_type"] == "activity"
    assert duty_log.recorded[0]["source_id"] == activity.pk


def test_the_code_has_six_unambiguous_characters(world):
    activity = make_activity(world.city)
    assert len(activity.checkin_code) == 6
    assert not set(activity.checkin_code) & set("01OI")


def test_a_member_arriving_after_the_late_mark_is_marked_late(world):
    activity = make_activity(world.city, starts_in=-20 * MIN, invite=[world.city.member])
    attendance = services.check_in(world.city.member, activity, activity.checkin_code)
    assert attendance.status == Attendance.Status.LATE
    assert attendance.method == Attendance.Method.QR


def test_check_in_before_the_window_opens_is_refused_and_nothing_written(world):
    activity = make_activity(world.city, starts_in=3 * 60 * MIN, invite=[world.city.member])
    with pytest.raises(AppError) as refused:
        services.check_in_by_code(world.city.member, activity.checkin_code)
    assert refused.value.code == ErrorCode.WINDOW_CLOSED
    assert "不在签到时间内" in refused.value.message
    nothing_written(activity)


def test_check_in_after_the_window_closed_is_refused(world):
    activity = make_activity(world.city, starts_in=-45 * MIN, invite=[world.city.member])
    with pytest.raises(AppError) as refused:
        services.check_in(world.city.member, activity, activity.checkin_code)
    assert refused.value.code == ErrorCode.WINDOW_CLOSED
    nothing_written(activity)


def test_checking_in_twice_is_refused_and_writes_nothing_more(world, duty_log):
    activity = make_activity(world.city, invite=[world.city.member])
    services.check_in_by_code(world.city.member, activity.checkin_code)
    events = AuditEvent.objects.count()
    with pytest.raises(AppError) as refused:
        services.check_in_by_code(world.city.member, activity.checkin_code)
    assert refused.value.code == ErrorCode.DUPLICATE
    assert "无需重复签到" in refused.value.message
    assert Attendance.objects.filter(activity=activity).count() == 1
    assert AuditEvent.objects.count() == events
    assert duty_log.kinds(world.city.member) == ["activity_attended"]


def test_a_wrong_code_is_refused_with_a_message_beside_the_field(world):
    activity = make_activity(world.city, invite=[world.city.member])
    wrong = "ZZZZZZ" if activity.checkin_code != "ZZZZZZ" else "YYYYYY"
    for attempt in [
        lambda: services.check_in_by_code(world.city.member, wrong),
        lambda: services.check_in(world.city.member, activity, wrong),
        lambda: services.check_in_by_code(world.city.member, ""),
    ]:
        with pytest.raises(AppError) as refused:
            attempt()
        assert refused.value.code == ErrorCode.INVALID_INPUT
        assert "签到码不正确" in refused.value.fields["code"]
    nothing_written(activity)


def test_a_member_not_invited_cannot_check_in(world):
    activity = make_activity(world.city, invite=[world.city.member])
    with pytest.raises(AppError) as refused:
        services.check_in_by_code(world.city.member2, activity.checkin_code)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert "不在本次活动的参加名单中" in refused.value.message
    nothing_written(activity)


def test_a_county_member_cannot_check_in_to_a_city_activity(world):
    activity = make_activity(world.city, invite=[world.city.member])
    with pytest.raises(AppError) as refused:
        services.check_in_by_code(world.county.member, activity.checkin_code)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    nothing_written(activity)


def test_a_draft_or_closed_activity_takes_no_check_in(world):
    draft = make_activity(world.city, invite=[world.city.member], publish=False)
    with pytest.raises(AppError):
        services.check_in(world.city.member, draft, "ABCDEF")
    closed = make_activity(world.city, invite=[world.city.member])
    code = closed.checkin_code
    services.close_activity(world.city.staff, closed)
    with pytest.raises(AppError) as refused:
        services.check_in(world.city.member, closed, code)
    assert refused.value.code == ErrorCode.INVALID_STATE
    assert "已结束" in refused.value.message


def test_every_member_of_the_conference_may_check_in_to_a_plenary_without_invitation(world, duty_log):
    # given a plenary of three half-day sittings with no invitation list
    activity = make_activity(world.city, kind="plenary", half_days=3, title="全体会议")
    # when a member checks in
    services.check_in_by_code(world.city.member2, activity.checkin_code)
    # then one plenary event per half-day, told apart by role
    events = [e for e in duty_log.recorded if e["user_id"] == world.city.member2.pk]
    assert [e["kind"] for e in events] == ["plenary_attended"] * 3
    assert [e["source_type"] for e in events] == ["activity:half1", "activity:half2", "activity:half3"]
    assert {e["source_id"] for e in events} == {activity.pk}
    assert [e["data"] for e in events] == [{"half_day": 1}, {"half_day": 2}, {"half_day": 3}]
    # but staff who are not members may not
    with pytest.raises(AppError):
        services.check_in_by_code(world.city.staff, activity.checkin_code)


def test_a_joint_activity_lets_the_invited_county_members_check_in(world, duty_log):
    # given a city consultation joined by its county, a county member invited
    activity = make_activity(
        world.city,
        kind="thematic_consultation",
        participants=[world.county.conference.pk],
        invite=[world.city.member, world.county.member],
    )
    # when the county member checks in
    attendance = services.check_in_by_code(world.county.member, activity.checkin_code)
    # then present, counted in the county conference (where the member's duty record is)
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.conference_id == world.county.conference.pk
    event = duty_log.recorded[-1]
    assert event["kind"] == "meeting_attended"
    assert event["conference_id"] == world.county.conference.pk
    # and the county member not invited still cannot
    with pytest.raises(AppError):
        services.check_in_by_code(world.county.member2, activity.checkin_code)


def test_only_county_conferences_the_city_guides_may_join(world):
    with pytest.raises(AppError) as refused:
        make_activity(world.county, participants=[world.city.conference.pk])
    assert "participants" in refused.value.fields


def test_codes_are_unique_among_open_activities(world):
    codes = {make_activity(world.city, title=f"调研{i}").checkin_code for i in range(12)}
    assert len(codes) == 12
