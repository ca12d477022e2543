"""The activity pages: the member's walk on the phone pages, the office's pages, and who may open what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xieshang.activities import services
from xieshang.activities.models import Activity, Attendance, Invitation
from xieshang.notify.models import Notification

from .conftest import make_activity

MIN = dt.timedelta(minutes=1)


def test_the_member_sees_the_invitation_on_home_and_in_the_calendar(world, as_user):
    activity = make_activity(world.city, starts_in=2 * 60 * MIN, invite=[world.city.member])
    member = as_user(world.city.member)
    home = member.get(reverse("home")).content.decode()
    assert f'data-testid="activity-card-{activity.pk}"' in home
    page = member.get(reverse("activities")).content.decode()
    assert activity.title in page and "待回复" in page


def test_the_member_registers_asks_leave_and_checks_in_through_the_pages(world, as_user):
    activity = make_activity(world.city, starts_in=10 * MIN, invite=[world.city.member])
    member = as_user(world.city.member)
    response = member.post(reverse("activities:respond", args=[activity.pk]), {"decision": "register"})
    assert response.status_code == 302
    assert Invitation.objects.get(activity=activity, user=world.city.member).state == "registered"
    # a wrong code is answered beside the field, with a 400
    wrong = member.post(reverse("activities:checkin"), {"code": "WRONG1"})
    assert wrong.status_code == 400
    assert "签到码不正确" in wrong.content.decode()
    # the right one checks in and shows the status
    ok = member.post(reverse("activities:checkin"), {"code": activity.checkin_code}, follow=True)
    assert "签到成功" in ok.content.decode()
    assert 'data-state="present"' in ok.content.decode()
    # a leave request after checking in is refused (no form is offered either)
    late = member.post(reverse("activities:leave", args=[activity.pk]), {"reason": "临时有事"})
    assert late.status_code == 409


def test_an_empty_leave_reason_is_answered_beside_the_field(world, as_user):
    activity = make_activity(world.city, starts_in=60 * MIN, invite=[world.city.member])
    response = as_user(world.city.member).post(
        reverse("activities:leave", args=[activity.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "请假事由不能为空" in response.content.decode()


def test_opening_the_qr_link_writes_nothing_until_confirmed(world, as_user):
    activity = make_activity(world.city, invite=[world.city.member])
    member = as_user(world.city.member)
    url = reverse("activities:checkin_qr", args=[activity.pk, activity.checkin_code])
    assert member.get(url).status_code == 200
    assert not Attendance.objects.exists()
    assert member.post(url).status_code == 302
    assert Attendance.objects.get().method == "qr"
    twice = member.post(url)
    assert twice.status_code == 409 and "无需重复签到" in twice.content.decode()


def test_staff_create_invite_and_publish_through_the_pages(world, as_user):
    staff = as_user(world.city.staff)
    start = timezone.localtime() + dt.timedelta(days=2)
    response = staff.post(
        reverse("activities:create"),
        {
            "kind": "inspection",
            "title": "视察城区污水处理厂",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "place": "城区污水处理厂",
            "agenda": "",
            "half_days": "1",
            "participants": [str(world.county.conference.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title="视察城区污水处理厂")
    assert list(activity.participants.all()) == [world.county.conference]
    invite = reverse("activities:invite", args=[activity.pk])
    assert staff.get(invite, {"q": "委员"}).status_code == 200
    staff.post(invite, {"mode": "pick", "members": [world.city.member.pk, world.county.member.pk]})
    assert set(activity.invitations.values_list("user_id", flat=True)) == {
        world.city.member.pk,
        world.county.member.pk,
    }
    staff.post(reverse("activities:act", args=[activity.pk, "publish"]), {"version": ""})
    activity.refresh_from_db()
    assert activity.state == "published" and activity.checkin_code
    page = staff.get(reverse("activities:manage", args=[activity.pk])).content.decode()
    assert activity.checkin_code in page and 'data-testid="roster"' in page
    assert (
        staff.get(reverse("activities:qr", args=[activity.pk])).content.decode().count('class="segno"') == 1
    )
    # the county member invited sees the joint activity in the county's calendar
    assert activity.title in as_user(world.county.member).get(reverse("activities")).content.decode()


def test_a_form_error_shows_beside_its_field(world, as_user):
    start = timezone.localtime() + dt.timedelta(days=1)
    response = as_user(world.city.staff).post(
        reverse("activities:create"),
        {
            "kind": "survey",
            "title": "调研",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "half_days": "1",
        },
    )
    assert response.status_code == 400
    assert "结束时间不能早于开始时间" in response.content.decode()


def test_the_office_list_filters_and_counts(world, as_user):
    make_activity(
        world.city, title="关于养老服务的专题协商", kind="thematic_consultation", invite=[world.city.member]
    )
    make_activity(world.city, title="教育界别协商", kind="sector_consultation")
    staff = as_user(world.city.staff)
    page = staff.get(reverse("activities:office"), {"q": "养老"}).content.decode()
    assert "关于养老服务的专题协商" in page and "教育界别协商" not in page
    page = staff.get(
        reverse("activities:office"), {"kind": "sector_consultation", "sort": "title"}
    ).content.decode()
    assert "教育界别协商" in page and "关于养老服务" not in page


def test_the_attendance_sheet_and_sign_in_sheet_export(world, as_user):
    activity = make_activity(world.city, invite=[world.city.member, world.city.member2])
    services.check_in_by_code(world.city.member, activity.checkin_code)
    staff = as_user(world.city.staff)
    xlsx = staff.get(reverse("activities:attendance_xlsx", args=[activity.pk]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert str(world.city.member) in names and str(world.city.member2) in names
    pdf = staff.get(reverse("activities:signin_pdf", args=[activity.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["manage", "edit", "invite", "qr", "attendance_xlsx", "signin_pdf"])
def test_members_and_units_cannot_open_the_office_pages(world, as_user, name):
    activity = make_activity(world.city, invite=[world.city.member])
    url = reverse(f"activities:{name}", args=[activity.pk])
    assert as_user(world.city.member).get(url).status_code == 403
    assert as_user(world.city.unit_user).get(url).status_code == 404


def test_members_cannot_open_the_office_list_or_form(world, as_user):
    member = as_user(world.city.member)
    assert member.get(reverse("activities:office")).status_code == 403
    assert member.get(reverse("activities:create")).status_code == 403
    leader = as_user(world.city.leader)
    assert leader.get(reverse("activities:office")).status_code == 200
    assert leader.get(reverse("activities:create")).status_code == 403


@pytest.mark.parametrize(
    "name", ["detail", "leave", "manage", "edit", "invite", "qr", "attendance_xlsx", "signin_pdf"]
)
def test_county_users_get_404_on_city_activities(world, as_user, name):
    activity = make_activity(world.city, invite=[world.city.member])
    url = reverse(f"activities:{name}", args=[activity.pk])
    for user in [world.county.member, world.county.staff, world.county.leader, world.outsider]:
        assert as_user(user).get(url).status_code == 404


def test_county_users_cannot_act_on_city_activities(world, as_user):
    activity = make_activity(world.city, invite=[world.city.member])
    leave = services.request_leave(world.city.member, activity, reason="出差")
    county = as_user(world.county.staff)
    for url, data in [
        (reverse("activities:act", args=[activity.pk, "close"]), {}),
        (reverse("activities:respond", args=[activity.pk]), {"decision": "register"}),
        (reverse("activities:speech", args=[activity.pk]), {}),
        (reverse("activities:outcome", args=[activity.pk]), {}),
        (reverse("activities:mark", args=[activity.pk]), {"user": world.city.member.pk, "status": "present"}),
        (reverse("activities:decide_leave", args=[leave.pk]), {"decision": "approve"}),
        (reverse("activities:checkin_qr", args=[activity.pk, activity.checkin_code]), {}),
    ]:
        assert county.post(url, data).status_code == 404, url
    assert Activity.objects.get(pk=activity.pk).state == "published"


def test_a_draft_is_hidden_from_invited_members(world, as_user):
    activity = make_activity(world.city, invite=[world.city.member], publish=False)
    assert as_user(world.city.member).get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_the_outreach_page_logs_and_turns_into_a_proposal(world, as_user):
    member = as_user(world.city.member)
    response = member.post(
        reverse("activities:outreach"),
        {
            "contact_kind": "person",
            "contact": "张大爷",
            "contacted_on": timezone.localdate().isoformat(),
            "channel": "phone",
            "topic": "关于增设公交站点的建议",
            "notes": "小区附近800米内没有公交站。",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    outreach = world.city.member.outreach_contacts.get()
    done = member.post(reverse("activities:outreach_to_proposal", args=[outreach.pk]))
    assert done.status_code == 302 and "/proposals/" in done["Location"]
    assert (
        as_user(world.city.member2)
        .post(reverse("activities:outreach_to_proposal", args=[outreach.pk]))
        .status_code
        == 404
    )
    assert as_user(world.city.staff).get(reverse("activities:outreach")).status_code == 403


def test_the_office_list_runs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    for i in range(8):
        make_activity(world.city, title=f"调研{i}", invite=[world.city.member])
    staff = as_user(world.city.staff)
    staff.get(reverse("activities:office"))
    with django_assert_max_num_queries(30):
        assert staff.get(reverse("activities:office")).status_code == 200


def test_publishing_tells_the_invited_members_after_commit(world, django_capture_on_commit_callbacks):
    activity = make_activity(world.city, invite=[world.city.member], publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_activity(world.city.staff, activity)
    note = Notification.objects.get(user=world.city.member)
    assert activity.title in note.title and note.url == reverse("activities:detail", args=[activity.pk])
