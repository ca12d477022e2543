"""The office's and the units' forms beyond the main walk, exports, and bounded query counts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xieshang.core.dates import today
from xieshang.proposals.models import ExtensionRequest, Proposal, ProposalState, ReassignmentRequest

from ..proposals import walk


def test_staff_merge_a_proposal_into_another_of_the_same_conference(world, as_user):
    target = walk.under_review(world.city, title="主提案")
    source = walk.under_review(world.city, title="相似提案")
    walk.under_review(world.county, title="县里的相似提案")
    staff = as_user(world.city.staff)
    page = staff.get(reverse("proposals:detail", args=[source.pk])).content.decode()
    assert 'data-testid="action-merge"' in page and "县里的相似提案" not in page
    response = staff.post(
        reverse("proposals:act", args=[source.pk, "merge"]), {"version": source.version, "target": target.pk}
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=source.pk).state == ProposalState.MERGED


def test_staff_mark_a_key_proposal_with_a_leader_and_publish_it(world, as_user):
    p = walk.accepted(world.city)
    staff = as_user(world.city.staff)
    response = staff.post(
        reverse("proposals:act", args=[p.pk, "mark_key"]),
        {"version": p.version, "is_key": "1", "leader": ""},
    )
    assert response.status_code == 400
    assert "重点提案须指定督办领导" in response.content.decode()
    staff.post(
        reverse("proposals:act", args=[p.pk, "mark_key"]),
        {"version": p.version, "is_key": "1", "leader": world.city.leader.pk},
    )
    p.refresh_from_db()
    assert p.is_key and p.key_leader == world.city.leader
    staff.post(reverse("proposals:act", args=[p.pk, "publish"]), {"version": p.version, "published": "1"})
    p.refresh_from_db()
    assert p.is_published


def test_a_unit_asks_for_reassignment_and_staff_approve_it(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    unit = as_user(world.city.unit_user)
    page = unit.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="reassignment-submit"' in page
    unit.post(
        reverse("proposals:assignment_act", args=[a.pk, "request_reassignment"]),
        {"version": p.version, "reason": "不属于我局职责。", "suggested_unit": world.city.unit2.pk},
    )
    req = ReassignmentRequest.objects.get()
    staff = as_user(world.city.staff)
    assert (
        'data-testid="reassignment-approve"'
        in staff.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    )
    response = staff.post(
        reverse("proposals:decide_reassignment", args=[req.pk]),
        {"decision": "approve", "new_unit": world.city.unit2.pk, "note": ""},
    )
    assert response.status_code == 302
    assert p.assignments.get(state="active").unit == world.city.unit2


def test_the_reassignment_form_is_hidden_after_the_window(world, as_user):
    p = walk.assigned(world.city, co=False)
    p.assignments.update(assigned_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = as_user(world.city.unit_user).get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="reassignment-submit"' not in page
    assert 'data-testid="extension-submit"' in page


def test_a_unit_asks_for_an_extension_and_staff_refuse_it_with_a_note(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    as_user(world.city.unit_user).post(
        reverse("proposals:assignment_act", args=[a.pk, "request_extension"]),
        {
            "version": p.version,
            "requested_due_on": (a.due_on + dt.timedelta(days=30)).isoformat(),
            "reason": "需调研",
        },
    )
    req = ExtensionRequest.objects.get()
    staff = as_user(world.city.staff)
    response = staff.post(
        reverse("proposals:decide_extension", args=[req.pk]), {"decision": "refuse", "note": ""}
    )
    assert response.status_code == 400
    assert "审批意见不能为空" in response.content.decode()
    staff.post(
        reverse("proposals:decide_extension", args=[req.pk]), {"decision": "refuse", "note": "时限充足"}
    )
    req.refresh_from_db()
    assert req.state == "refused"


def test_staff_remind_a_unit(world, as_user):
    p = walk.assigned(world.city, co=False)
    a = walk.lead_assignment(p)
    response = as_user(world.city.staff).post(
        reverse("proposals:assignment_act", args=[a.pk, "remind"]), {"version": p.version, "note": "请抓紧"}
    )
    assert response.status_code == 302
    assert a.reminders.count() == 1


def test_an_unsatisfied_verdict_needs_a_comment(world, as_user):
    p = walk.replied(world.city, co=False)
    letter = p.replies.get(kind="letter")
    response = as_user(world.city.member).post(
        reverse("proposals:evaluate", args=[letter.pk]), {"version": p.version, "verdict": "unsatisfied"}
    )
    assert response.status_code == 400
    assert "意见不能为空" in response.content.decode()


def test_a_co_unit_sees_no_reply_form_and_the_lead_sees_no_co_opinion_form(world, as_user):
    p = walk.assigned(world.city)
    url = reverse("proposals:detail", args=[p.pk])
    co_page = as_user(world.city.unit2_user).get(url).content.decode()
    lead_page = as_user(world.city.unit_user).get(url).content.decode()
    assert 'data-testid="co-opinion-submit"' in co_page and 'data-testid="reply-submit"' not in co_page
    assert 'data-testid="reply-submit"' in lead_page and 'data-testid="co-opinion-submit"' not in lead_page


def test_the_member_sees_the_letter_but_not_the_co_opinion(world, as_user):
    from xieshang.proposals import services

    p = walk.assigned(world.city)
    co = p.assignments.get(role="co")
    services.submit_co_opinion(world.city.unit2_user, co, body="会办意见内容XYZ")
    walk.reply_as_lead(world.city, p)
    page = as_user(world.city.member).get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert "经研究，我局已将加装电梯纳入年度计划。" in page
    assert "会办意见内容XYZ" not in page


# ---------------------------------------------------------------------------- exports


def test_the_list_export_answers_an_excel_file(world, as_user):
    walk.accepted(world.city)
    response = as_user(world.city.staff).get(reverse("proposals:export_xlsx", args=["all"]))
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"


def test_the_reply_form_export_is_for_the_office_and_the_proposer(world, as_user):
    p = walk.replied(world.city)
    url = reverse("proposals:reply_form_docx", args=[p.pk])
    assert as_user(world.city.staff).get(url).status_code in {200, 302}
    assert as_user(world.city.unit_user).get(url).status_code == 403
    assert as_user(world.county.staff).get(url).status_code == 404


def test_the_compilation_and_annual_exports_answer(world, as_user):
    walk.accepted(world.city)
    staff = as_user(world.city.staff)
    response = staff.get(reverse("proposals:compilation_docx", args=[world.city.session.pk]))
    assert response.status_code in {200, 302}
    response = as_user(world.city.leader).get(reverse("annual_report_xlsx"), {"year": today().year})
    assert response.status_code in {200, 302}
    assert staff.get(reverse("proposals:compilation_docx", args=[world.county.session.pk])).status_code == 404


# ---------------------------------------------------------------------------- query counts


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_work_list_query_count_does_not_grow_with_the_rows(world, as_user, django_assert_max_num_queries):
    staff = as_user(world.city.staff)
    url = reverse("proposals:worklist", args=["all"])
    walk.assigned(world.city, title="第一件")
    one = _queries(staff, url)
    for i in range(30):
        walk.assigned(world.city, title=f"提案{i}")
    assert _queries(staff, url) == one
    with django_assert_max_num_queries(22):  # eight menu counts, the page, its units, session and user
        staff.get(url)


def test_the_member_pages_query_counts_are_bounded(world, as_user, django_assert_max_num_queries):
    for i in range(15):
        walk.under_review(world.city, title=f"提案{i}")
    member = as_user(world.city.member)
    member.get(reverse("home"))
    with django_assert_max_num_queries(12):
        member.get(reverse("home"))
    with django_assert_max_num_queries(10):
        member.get(reverse("proposals:mine"))


def test_the_unit_inbox_query_count_is_bounded(world, as_user, django_assert_max_num_queries):
    for i in range(15):
        walk.assigned(world.city, title=f"提案{i}")
    unit = as_user(world.city.unit_user)
    unit.get(reverse("proposals:unit_inbox"))
    with django_assert_max_num_queries(10):
        unit.get(reverse("proposals:unit_inbox"))
