"""Bad input gets a JSON error with a Chinese message and a stable code; never a 500, nothing half-written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory, give_role
from tests.proposals import walk
from xieshang.audit.models import AuditEvent
from xieshang.core.dates import today
from xieshang.people.models import RoleKind
from xieshang.proposals.models import Assignment, Attachment, Proposal

from .conftest import ok, refused


def state_of(p: Proposal) -> tuple[object, ...]:
    p = Proposal.objects.get(pk=p.pk)
    return (p.state, p.version, p.title, p.analysis, p.attachments.count(), AuditEvent.objects.count())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def new(world, **fields):
    return {"conference_id": world.city.conference.pk, "title": "关于建设口袋公园的建议", **fields}


def test_an_empty_title_is_refused_with_a_message_for_the_field(world, api):
    body = refused(api.post("/proposals", world.city.member, new(world, title="   ")), 400)
    assert body["code"] == "invalid_input"
    assert body["fields"] == {"title": "案由不能为空。"}
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("field", "size"),
    [("title", 201), ("analysis", 20_001), ("recommendations", 20_001), ("collective_name", 101)],
)
def test_oversized_fields_are_refused(world, api, field, size):
    body = refused(api.post("/proposals", world.city.member, new(world, **{field: "字" * size})), 400)
    assert body["code"] == "invalid_input" and field in body["fields"]
    assert not Proposal.objects.exists()


def test_an_oversized_edit_changes_nothing(world, api):
    p = walk.draft(world.city)
    before = state_of(p)
    body = refused(
        api.patch(f"/proposals/{p.pk}", world.city.member, {"version": p.version, "title": "长" * 500}), 400
    )
    assert "title" in body["fields"]
    assert state_of(p) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "缺少政协"}, "conference_id"),
        ({"conference_id": "本市", "title": "x"}, "conference_id"),
        ({"conference_id": 1, "title": ["不是文本"]}, "title"),
        ({"conference_id": 1, "title": "x", "category_id": "经济"}, "category_id"),
    ],
)
def test_malformed_fields_are_422_with_chinese_messages(world, api, payload, field):
    body = refused(api.post("/proposals", world.city.member, payload), 422)
    assert body["code"] == "invalid_input"
    assert field in body["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["fields"][field])


def test_a_body_that_is_not_json_is_refused(world, api):
    response = api.client.post(
        "/api/v1/proposals",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(world.city.member)}"},
    )
    assert refused(response, 400)["code"] == "invalid_input"


def test_a_wrong_date_or_flag_is_422(world, api):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    body = refused(
        api.post(
            f"/assignments/{a.pk}/consultations",
            world.city.unit_user,
            {"held_on": "昨天", "form": "x", "agreed": "y"},
        ),
        422,
    )
    assert body["fields"] == {"held_on": "须为日期（YYYY-MM-DD）。"}
    refused(api.post(f"/proposals/{p.pk}/publish", world.city.staff, {"published": "也许"}), 422)


def test_an_unknown_category_is_refused(world, api):
    body = refused(api.post("/proposals", world.city.member, new(world, category_id=999_999)), 400)
    assert body["fields"] == {"category": "类别不存在。"}


def test_a_script_tag_in_a_title_is_stored_and_returned_as_plain_text(world, api):
    title = '<script>alert("x")</script>关于加强校园安全的建议'
    created = ok(api.post("/proposals", world.city.member, new(world, title=title)), 201)
    assert created["title"] == title
    response = api.get(f"/proposals/{created['id']}", world.city.member)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == title
    assert Proposal.objects.get(pk=created["id"]).title == title


def test_a_wrong_file_type_is_refused(world, api, media):
    p = walk.draft(world.city)
    before = state_of(p)
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    body = refused(api.post(f"/proposals/{p.pk}/attachments", world.city.member, files={"file": exe}), 400)
    assert body["code"] == "file_type_not_allowed"
    liar = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    body = refused(api.post(f"/proposals/{p.pk}/attachments", world.city.member, files={"file": liar}), 400)
    assert body["code"] == "file_type_not_allowed"
    assert state_of(p) == before
    assert not list(media.rglob("*.*"))


def test_a_30_mb_upload_is_refused_and_nothing_is_kept(world, api, media):
    p = walk.draft(world.city)
    before = state_of(p)
    big = SimpleUploadedFile("附件.pdf", b"%PDF" + b"0" * (30 * 1024 * 1024), content_type="application/pdf")
    body = refused(api.post(f"/proposals/{p.pk}/attachments", world.city.member, files={"file": big}), 400)
    assert body["code"] == "file_too_large"
    assert "MB" in body["message"]
    assert state_of(p) == before
    assert not list(media.rglob("*.*"))


def test_an_upload_without_a_file_is_422(world, api):
    p = walk.draft(world.city)
    body = refused(api.post(f"/proposals/{p.pk}/attachments", world.city.member, files={}), 422)
    assert body["fields"] == {"file": "此项必填。"}


def test_a_good_upload_is_kept(world, api, media):
    p = walk.draft(world.city)
    ok_pdf = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    created = ok(api.post(f"/proposals/{p.pk}/attachments", world.city.member, files={"file": ok_pdf}), 201)
    attachment = Attachment.objects.get(pk=created["created_id"])
    assert attachment.original_name == "调研报告.pdf"
    detail = ok(api.get(f"/proposals/{p.pk}", world.city.member))
    assert [a["name"] for a in detail["attachments"]] == ["调研报告.pdf"]


def test_a_transition_from_the_wrong_state_is_409(world, api):
    p = walk.accepted(world.city)
    before = state_of(p)
    body = refused(api.post(f"/proposals/{p.pk}/accept", world.city.staff, {}), 409)
    assert body["code"] == "invalid_state"
    assert "已立案" in body["message"]
    body = refused(api.post(f"/proposals/{p.pk}/close", world.city.staff, {}), 409)
    assert body["code"] == "invalid_state"
    assert state_of(p) == before


def test_a_stale_version_is_409_and_changes_nothing(world, api):
    p = walk.draft(world.city)
    ok(api.patch(f"/proposals/{p.pk}", world.city.member, {"version": p.version, "title": "第一次修改"}))
    before = state_of(p)
    body = refused(
        api.patch(f"/proposals/{p.pk}", world.city.member, {"version": p.version, "title": "过期修改"}), 409
    )
    assert body["code"] == "stale_version"
    assert body["message"] == "该记录已被他人修改，请刷新页面后重试。"
    assert state_of(p) == before


def test_two_staff_assigning_with_the_same_version_get_one_success_and_one_conflict(world, api):
    side = world.city
    other_staff = give_role(UserFactory(username="city_staff2"), side.conference, RoleKind.STAFF)
    p = walk.accepted(side)
    plan = {"units": [{"unit_id": side.unit.pk, "role": "lead"}], "version": p.version}
    first = api.post(f"/proposals/{p.pk}/assign", side.staff, plan)
    second = api.post(
        f"/proposals/{p.pk}/assign",
        other_staff,
        {**plan, "units": [{"unit_id": side.unit2.pk, "role": "lead"}]},
    )
    assert first.status_code == 200
    assert refused(second, 409)["code"] == "stale_version"
    assert list(Assignment.objects.filter(proposal=p).values_list("unit_id", flat=True)) == [side.unit.pk]


def test_an_invalid_assignment_plan_writes_nothing(world, api):
    side = world.city
    p = walk.accepted(side)
    before = state_of(p)
    two_leads = [{"unit_id": side.unit.pk, "role": "lead"}, {"unit_id": side.unit2.pk, "role": "lead"}]
    body = refused(
        api.post(f"/proposals/{p.pk}/assign", side.staff, {"units": two_leads, "version": p.version}), 400
    )
    assert body["fields"] == {"units": "须指定且只能指定一个主办单位。"}
    county_unit = [{"unit_id": world.county.unit.pk, "role": "lead"}]
    refused(
        api.post(f"/proposals/{p.pk}/assign", side.staff, {"units": county_unit, "version": p.version}), 400
    )
    assert state_of(p) == before and not Assignment.objects.exists()


def test_a_reply_letter_of_the_wrong_type_is_refused_and_no_reply_is_kept(world, api, media):
    side = world.city
    p = walk.assigned(side, co=False)
    a = walk.lead_assignment(p)
    ok(
        api.post(
            f"/assignments/{a.pk}/consultations",
            side.unit_user,
            {"held_on": today().isoformat(), "form": "phone", "agreed": "电话沟通。"},
        ),
        201,
    )
    fields = {"body": "已办理。", "outcome": "A", "signed_by": "王局长"}
    docx = SimpleUploadedFile("答复函.docx", b"PK\x03\x04", content_type="application/octet-stream")
    body = refused(
        api.post(f"/assignments/{a.pk}/reply-with-letter", side.unit_user, fields, files={"letter": docx}),
        400,
    )
    assert body["code"] == "file_type_not_allowed"
    assert not p.replies.exists()
    letter = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    step = ok(
        api.post(f"/assignments/{a.pk}/reply-with-letter", side.unit_user, fields, files={"letter": letter}),
        201,
    )
    assert step["state"] == "replied"
    detail = ok(api.get(f"/proposals/{p.pk}", side.member))
    assert detail["replies"][0]["has_letter"] is True


def test_an_unknown_record_is_a_json_404(world, api):
    body = refused(api.get("/proposals/987654", world.city.staff), 404)
    assert body == {"code": "not_found", "message": "找不到该记录，或您无权查看。", "fields": {}}
    refused(api.post("/reassignment-requests/987654/decision", world.city.staff, {"approve": False}), 404)
    refused(api.post("/extension-requests/987654/decision", world.city.staff, {"approve": False}), 404)
