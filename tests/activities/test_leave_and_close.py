"""Leave approval by the right person only; closing marks the absent and writes the duty events."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.activities import services
from xieshang.activities.models import Attendance, LeaveRequest
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import PointEvent
from xieshang.people.models import RoleKind

from ..factories import UserFactory, give_role
from .conftest import make_activity

MIN = dt.timedelta(minutes=1)


def test_a_member_asks_for_leave_with_a_reason_once(world):
    activity = make_activity(world.city, starts_in=60 * MIN, invite=[world.city.member])
    with pytest.raises(AppError) as empty:
        services.request_leave(world.city.member, activity, reason="  ")
    assert "请假事由不能为空" in empty.value.fields["reason"]
    leave = services.request_leave(world.city.member, activity, reason="赴外地出差")
    assert leave.state == LeaveRequest.State.PENDING
    with pytest.raises(AppError) as twice:
        services.request_leave(world.city.member, activity, reason="再次请假")
    assert twice.value.code == ErrorCode.DUPLICATE


def test_a_member_not_expected_cannot_ask_for_leave(world):
    activity = make_activity(world.city, invite=[world.city.member])
    with pytest.raises(AppError) as refused:
        services.request_leave(world.city.member2, activity, reason="出差")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED


def test_leave_for_a_survey_is_decided_by_the_organising_staff_only(world):
    # given a survey and a pending leave request
    activity = make_activity(world.city, invite=[world.city.member])
    leave = services.request_leave(world.city.member, activity, reason="赴外地出差")
    # when anyone but the organising staff decides, it is refused and nothing changes
    for who in [
        world.city.member,
        world.city.member2,
        world.city.unit_user,
        world.county.staff,
        world.city.leader,
    ]:
        with pytest.raises(AppError) as refused:
            services.decide_leave(who, leave, approve=True)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
        assert "机关工作人员审批" in refused.value.message
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveRequest.State.PENDING
    # then the city staff decides
    decided = services.decide_leave(world.city.staff, leave, approve=True, note="同意")
    assert decided.state == LeaveRequest.State.APPROVED
    assert decided.decided_by == world.city.staff
    with pytest.raises(AppError) as again:
        services.decide_leave(world.city.staff, leave, approve=False)
    assert again.value.code == ErrorCode.INVALID_STATE


@pytest.mark.parametrize("kind", ["plenary", "standing_committee", "chairs_meeting"])
def test_leave_for_the_conference_sittings_is_decided_by_a_chair_only(world, kind):
    activity = make_activity(world.city, kind=kind, invite=[world.city.member])
    leave = services.request_leave(world.city.member, activity, reason="因病住院")
    for who in [
        world.city.staff,
        world.city.member2,
        world.city.unit_user,
        world.county.leader,
        world.county.staff,
    ]:
        with pytest.raises(AppError) as refused:
            services.decide_leave(who, leave, approve=True)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
        assert "主席" in refused.value.message
    assert services.decide_leave(world.city.leader, leave, approve=False, note="会议重要").state == "refused"


def test_a_refused_member_may_ask_again(world):
    activity = make_activity(world.city, invite=[world.city.member])
    first = services.request_leave(world.city.member, activity, reason="出差")
    services.decide_leave(world.city.staff, first, approve=False)
    second = services.request_leave(world.city.member, activity, reason="出差，附通知")
    assert second.pk != first.pk


def test_closing_marks_the_absent_without_leave_and_writes_their_duty_events(world):
    # given a survey with four invited: one came late, one excused, one declined, one silent
    extra = give_role(
        UserFactory(username="city_member3", display_name="委员丙"), world.city.conference, RoleKind.MEMBER
    )
    declined = give_role(
        UserFactory(username="city_member4", display_name="委员丁"), world.city.conference, RoleKind.MEMBER
    )
    activity = make_activity(
        world.city, starts_in=-20 * MIN, invite=[world.city.member, world.city.member2, extra, declined]
    )
    services.check_in_by_code(world.city.member, activity.checkin_code)
    leave = services.request_leave(world.city.member2, activity, reason="出差")
    services.decide_leave(world.city.staff, leave, approve=True)
    services.respond_to_invitation(declined, activity, register=False)
    # when staff close it
    services.close_activity(world.city.staff, activity)
    # then each has the status the rules give
    status = dict(Attendance.objects.filter(activity=activity).values_list("user_id", "status"))
    assert status == {
        world.city.member.pk: "late",
        world.city.member2.pk: "excused",
        extra.pk: "absent_unexcused",
        declined.pk: "absent_unexcused",
    }
    # and the duty app holds one event each for the one who came and the two absent
    events = PointEvent.objects.filter(source_type="activity", source_id=activity.pk)
    assert sorted(events.values_list("user_id", "kind")) == sorted(
        [
            (world.city.member.pk, "activity_attended"),
            (extra.pk, "activity_absent_unexcused"),
            (declined.pk, "activity_absent_unexcused"),
        ]
    )
    assert set(events.values_list("conference_id", flat=True)) == {world.city.conference.pk}


def test_closing_a_plenary_marks_every_member_who_did_not_come(world):
    activity = make_activity(world.city, kind="plenary", half_days=2, starts_in=-5 * MIN, title="全体会议")
    services.check_in_by_code(world.city.member, activity.checkin_code)
    services.close_activity(world.city.staff, activity)
    assert PointEvent.objects.filter(user=world.city.member, kind="plenary_attended").count() == 2
    assert PointEvent.objects.filter(user=world.city.member2, kind="plenary_absent_unexcused").count() == 1
    # a county member has nothing to do with the city's plenary
    assert not PointEvent.objects.filter(user=world.county.member).exists()


def test_a_leave_approved_after_closing_takes_back_the_absence(world):
    activity = make_activity(
        world.city, kind="standing_committee", starts_in=-5 * MIN, invite=[world.city.member]
    )
    leave = services.request_leave(world.city.member, activity, reason="突发疾病")
    services.close_activity(world.city.staff, activity)
    assert PointEvent.objects.filter(user=world.city.member, kind="meeting_absent_unexcused").exists()
    services.decide_leave(world.city.leader, leave, approve=True)
    assert Attendance.objects.get(activity=activity, user=world.city.member).status == "excused"
    assert not PointEvent.objects.filter(user=world.city.member, kind="meeting_absent_unexcused").exists()


def test_an_activity_cannot_be_closed_before_it_starts_or_by_others(world):
    activity = make_activity(world.city, starts_in=60 * MIN, invite=[world.city.member])
    with pytest.raises(AppError) as early:
        services.close_activity(world.city.staff, activity)
    assert "尚未开始" in early.value.message
    for who in [world.city.member, world.city.leader, world.county.staff]:
        with pytest.raises(AppError) as refused:
            services.close_activity(who, activity)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED


def test_staff_correct_an_absence_by_hand_and_the_duty_events_follow(world):
    activity = make_activity(world.city, starts_in=-5 * MIN, invite=[world.city.member])
    services.close_activity(world.city.staff, activity)
    services.mark_attendance(world.city.staff, activity, world.city.member.pk, status="present")
    kinds = set(PointEvent.objects.filter(user=world.city.member).values_list("kind", flat=True))
    assert kinds == {"activity_attended"}


def test_a_stale_version_is_refused(world):
    activity = make_activity(world.city, publish=False)
    services.publish_activity(world.city.staff, activity, version=activity.version)
    with pytest.raises(AppError) as stale:
        services.close_activity(world.city.staff, activity, version=activity.version)
    assert stale.value.code == ErrorCode.STALE_VERSION


def test_speeches_earn_their_duty_events(world):
    activity = make_activity(world.city, kind="plenary", starts_in=-5 * MIN, title="全体会议")
    spoken = services.record_speech(
        world.city.staff, activity, world.city.member.pk, kind="spoken", title="关于营商环境的发言"
    )
    written = services.record_speech(
        world.city.staff, activity, world.city.member2.pk, kind="written", title="书面发言"
    )
    assert PointEvent.objects.get(source_type="speech", source_id=spoken.pk).kind == "speech_given"
    assert PointEvent.objects.get(source_type="speech", source_id=written.pk).kind == "written_speech"
    with pytest.raises(AppError):
        services.record_speech(
            world.city.staff, activity, world.county.member.pk, kind="spoken", title="越界"
        )
    with pytest.raises(AppError):
        services.record_speech(
            world.city.member, activity, world.city.member.pk, kind="spoken", title="自己记"
        )


def test_outcome_keeps_minutes_and_a_suggestion_list(world):
    activity = make_activity(world.city, starts_in=-5 * MIN)
    outcome = services.save_outcome(
        world.city.staff,
        activity,
        minutes="会议听取了情况通报。",
        suggestions="一、加大投入\n\n二、完善机制\n",
    )
    assert outcome.suggestion_list == ["一、加大投入", "二、完善机制"]
