"""Bad input, stale versions and hostile text: a Chinese message, no 500, nothing half-written."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieshang.proposals.models import Attachment, Proposal, ProposalState

from ..proposals import walk

CONFLICT = "该记录已被他人修改，请刷新页面后重试。"


def _draft_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "关于优化营商环境的建议",
        "analysis": "审批环节多。",
        "recommendations": "压缩审批时限。",
        "kind": "individual",
    }
    data.update(changes)
    return data


def test_an_empty_title_is_refused_with_a_chinese_message_and_nothing_saved(world, as_user):
    response = as_user(world.city.member).post(reverse("proposals:create"), _draft_data(title="  "))
    assert response.status_code == 400
    assert "案由不能为空" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_too_long_title_is_refused(world, as_user):
    response = as_user(world.city.member).post(reverse("proposals:create"), _draft_data(title="长" * 201))
    assert response.status_code == 400
    assert "案由不能超过 200 字" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_wrong_file_type_is_refused_before_the_draft_is_written(world, as_user):
    upload = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = as_user(world.city.member).post(reverse("proposals:create"), _draft_data(attachments=[upload]))
    assert response.status_code == 400
    assert "不支持" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_file_that_lies_about_its_type_is_refused(world, as_user):
    upload = SimpleUploadedFile("报告.pdf", b"not a pdf at all")
    response = as_user(world.city.member).post(reverse("proposals:create"), _draft_data(attachments=[upload]))
    assert response.status_code == 400
    assert "内容与扩展名不符" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_30_mb_upload_is_refused_with_a_message(world, as_user):
    big = SimpleUploadedFile("调研报告.pdf", b"%PDF" + b"\x00" * (30 * 1024 * 1024), "application/pdf")
    response = as_user(world.city.member).post(reverse("proposals:create"), _draft_data(attachments=[big]))
    assert response.status_code == 400
    assert "超过 20 MB 的上限" in response.content.decode()
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()


def test_a_good_attachment_is_stored_and_only_visible_to_those_who_see_the_proposal(world, as_user):
    upload = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 test", "application/pdf")
    member = as_user(world.city.member)
    response = member.post(reverse("proposals:create"), _draft_data(attachments=[upload]))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("proposals:attachment", args=[attachment.pk])
    assert member.get(url).status_code == 200
    assert as_user(world.county.staff).get(url).status_code == 404
    assert as_user(world.outsider).get(url).status_code == 404


def test_a_script_tag_in_a_title_is_shown_escaped(world, as_user):
    p = walk.under_review(world.city, title="<script>alert('x')</script>关于停车难的建议")
    staff = as_user(world.city.staff)
    for url in [
        reverse("proposals:detail", args=[p.pk]),
        reverse("proposals:worklist", args=["to_review"]),
        reverse("search") + "?q=停车难",
    ]:
        page = staff.get(url).content.decode()
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page


def test_a_stale_version_gives_the_conflict_message_and_changes_nothing(world, as_user):
    p = walk.under_review(world.city)
    seen = p.version
    staff = as_user(world.city.staff)
    staff.post(
        reverse("proposals:act", args=[p.pk, "return"]), {"version": seen, "note": "请补充数据"}
    )  # someone else acted first
    p.refresh_from_db()
    assert p.state == ProposalState.RETURNED
    response = staff.post(reverse("proposals:act", args=[p.pk, "reject"]), {"version": seen, "note": "重复"})
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    p.refresh_from_db()
    assert p.state == ProposalState.RETURNED


def test_a_stale_version_on_a_draft_edit_keeps_the_text_and_says_why(world, as_user):
    p = walk.draft(world.city)
    response = as_user(world.city.member).post(
        reverse("proposals:edit", args=[p.pk]), _draft_data(title="改过的案由", version=p.version - 1 or 99)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "改过的案由" in page
    p.refresh_from_db()
    assert p.title != "改过的案由"


def test_a_stale_version_on_a_unit_reply_gives_the_conflict_message(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    response = as_user(world.city.unit_user).post(
        reverse("proposals:assignment_act", args=[a.pk, "reply"]),
        {"version": p.version - 1, "body": "答复", "outcome": "A", "signed_by": "局长"},
    )
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert not p.replies.exists()


def test_a_reason_is_required_to_reject(world, as_user):
    p = walk.under_review(world.city)
    response = as_user(world.city.staff).post(
        reverse("proposals:act", args=[p.pk, "reject"]), {"version": p.version, "note": ""}
    )
    assert response.status_code == 400
    assert "理由不能为空" in response.content.decode()


def test_assigning_without_a_lead_unit_explains_the_rule(world, as_user):
    p = walk.accepted(world.city)
    response = as_user(world.city.staff).post(
        reverse("proposals:act", args=[p.pk, "assign"]),
        {"version": p.version, "unit_0": world.city.unit.pk, "role_0": "co"},
    )
    assert response.status_code == 400
    assert "须指定且只能指定一个主办单位" in response.content.decode()
    assert not p.assignments.exists()


def test_a_reply_before_the_consultation_says_it_is_required(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    response = as_user(world.city.unit_user).post(
        reverse("proposals:assignment_act", args=[a.pk, "reply"]),
        {"version": p.version, "body": "答复", "outcome": "A", "signed_by": "局长"},
    )
    assert response.status_code == 400
    assert "答复前须先记录办前面商情况" in response.content.decode()


def test_a_signed_letter_of_the_wrong_type_is_refused(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    unit = as_user(world.city.unit_user)
    from xieshang.core.dates import today

    unit.post(
        reverse("proposals:assignment_act", args=[a.pk, "record_consultation"]),
        {"version": p.version, "held_on": today().isoformat(), "form": "phone", "agreed": "沟通"},
    )
    p.refresh_from_db()
    letter = SimpleUploadedFile("答复函.docx", b"PK\x03\x04rest")
    response = unit.post(
        reverse("proposals:assignment_act", args=[a.pk, "reply"]),
        {"version": p.version, "body": "答复", "outcome": "A", "signed_by": "局长", "letter": letter},
    )
    assert response.status_code == 400
    assert "不支持" in response.content.decode()
    assert not p.replies.exists()


def test_a_bad_date_in_a_consultation_is_a_form_error_not_a_500(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    response = as_user(world.city.unit_user).post(
        reverse("proposals:assignment_act", args=[a.pk, "record_consultation"]),
        {"version": p.version, "held_on": "2026-13-45", "form": "phone", "agreed": "沟通"},
    )
    assert response.status_code == 400
    assert "有效的日期" in response.content.decode()
