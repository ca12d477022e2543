"""The real-world rules of proposal handling, proven on the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xieshang.audit.models import AuditEvent
from xieshang.conferences.models import Session
from xieshang.core.dates import add_months, today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.proposals import selectors, services
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    Evaluation,
    Proposal,
    ProposalState,
    Reminder,
    Reply,
)
from xieshang.proposals.services import ProposalInput, ReplyInput, UnitPlan

from ..factories import SessionFactory, TermFactory
from . import walk

S = ProposalState


def refused(code: ErrorCode, call, *args, **kwargs) -> AppError:  # type: ignore[no-untyped-def]
    with pytest.raises(AppError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# ---------------------------------------------------------------- numbering


def test_accepted_proposals_are_numbered_in_order_within_their_session(world):
    side = world.city
    first = walk.accepted(side)
    second = walk.accepted(side, title="关于发展县域医共体的建议")
    assert (first.number, second.number) == (1, 2)
    assert second.number_label == "第0002号"


def test_numbering_restarts_in_a_new_session_and_each_conference_counts_alone(world):
    walk.accepted(world.city)
    walk.accepted(world.county)
    Session.objects.filter(conference=world.city.conference).update(is_current=False)
    SessionFactory(term=TermFactory(conference=world.city.conference, number=15), number=1, year=2027)
    p = walk.accepted(world.city)
    assert p.number == 1
    assert Proposal.objects.get(conference=world.county.conference).number == 1


def test_rejected_and_returned_proposals_take_no_number(world):
    p = services.reject_proposal(world.city.staff, walk.under_review(world.city), note="不属于提案范围")
    assert p.number is None
    assert walk.accepted(world.city).number == 1


# ---------------------------------------------------------------- drafting and co-signers


def test_submit_waits_for_cosigners_and_the_last_answer_sends_it_to_review(world):
    side = world.city
    p = walk.draft(side)
    services.invite_cosigners(side.member, p, [side.member2.pk], version=None)
    p = services.submit_proposal(side.member, p)
    assert p.state == S.SUBMITTED and p.kind == "cosigned"
    p = services.respond_to_cosign(side.member2, p, accept=True)
    assert p.state == S.UNDER_REVIEW
    refused(ErrorCode.INVALID_STATE, services.respond_to_cosign, side.member2, p, accept=False)


def test_cosigners_must_be_members_of_the_same_conference(world):
    p = walk.draft(world.city)
    refused(
        ErrorCode.INVALID_INPUT,
        services.invite_cosigners,
        world.city.member,
        p,
        [world.county.member.pk],
        version=None,
    )
    refused(
        ErrorCode.INVALID_INPUT,
        services.invite_cosigners,
        world.city.member,
        p,
        [world.city.staff.pk],
        version=None,
    )


def test_submission_needs_analysis_and_recommendations(world):
    side = world.city
    p = services.create_proposal(side.member, side.conference, ProposalInput(title="只有案由"))
    error = refused(ErrorCode.INVALID_INPUT, services.submit_proposal, side.member, p)
    assert set(error.fields) == {"analysis", "recommendations"}
    assert Proposal.objects.get(pk=p.pk).state == S.DRAFT


@pytest.mark.parametrize(
    ("title", "field"),
    [("", "title"), ("   ", "title"), ("长" * 201, "title")],
)
def test_bad_titles_are_refused_with_a_message_and_nothing_is_written(world, title, field):
    before = Proposal.objects.count()
    error = refused(
        ErrorCode.INVALID_INPUT,
        services.create_proposal,
        world.city.member,
        world.city.conference,
        ProposalInput(title=title),
    )
    assert field in error.fields and "案由" in error.fields[field]
    assert Proposal.objects.count() == before


def test_only_members_of_the_conference_write_proposals(world):
    for user in (world.city.staff, world.city.unit_user, world.county.member, world.outsider):
        refused(
            ErrorCode.PERMISSION_DENIED,
            services.create_proposal,
            user,
            world.city.conference,
            ProposalInput(title="案由"),
        )


def test_a_stale_version_is_refused_and_changes_nothing(world):
    side = world.city
    p = walk.draft(side)
    services.update_proposal(
        side.member,
        p,
        ProposalInput(title="第一次修改", analysis="a", recommendations="b"),
        version=p.version,
    )
    refused(
        ErrorCode.STALE_VERSION,
        services.update_proposal,
        side.member,
        p,
        ProposalInput(title="基于旧版本的修改"),
        version=p.version,
    )
    assert Proposal.objects.get(pk=p.pk).title == "第一次修改"


def test_two_staff_assigning_the_same_version_get_one_success_and_one_conflict(world):
    side = world.city
    p = walk.accepted(side)
    plan = [UnitPlan(side.unit.pk, AssignmentRole.LEAD)]
    services.assign_proposal(side.staff, p, plan, version=p.version)
    refused(
        ErrorCode.STALE_VERSION,
        services.assign_proposal,
        side.staff,
        p,
        [UnitPlan(side.unit2.pk, "lead")],
        version=p.version,
    )
    assert Assignment.objects.filter(proposal=p).count() == 1


# ---------------------------------------------------------------- review, merge, conversion


def test_reject_return_and_convert_need_a_reason(world):
    for call in (services.reject_proposal, services.return_proposal, services.convert_proposal):
        p = walk.under_review(world.city)
        refused(ErrorCode.INVALID_INPUT, call, world.city.staff, p, note=" ")
        assert Proposal.objects.get(pk=p.pk).state == S.UNDER_REVIEW


def test_a_returned_proposal_can_be_revised_and_resubmitted(world):
    side = world.city
    p = services.return_proposal(side.staff, walk.under_review(side), note="请补充调研数据")
    p = services.update_proposal(
        side.member,
        p,
        ProposalInput(title=p.title, analysis="补充了数据", recommendations="建议"),
        version=p.version,
    )
    assert services.submit_proposal(side.member, p).state == S.UNDER_REVIEW


def test_conversion_ends_the_proposal_as_an_opinion_report(world):
    p = services.convert_proposal(
        world.city.staff, walk.under_review(world.city), note="更适合作为社情民意信息报送"
    )
    assert p.state == S.CONVERTED and p.number is None


def test_merged_proposals_follow_their_target_and_their_proposers_see_it(
    world, django_capture_on_commit_callbacks
):
    side = world.city
    target = walk.accepted(side, title="关于推进老旧小区改造的建议")
    other = services.create_proposal(
        side.member2,
        side.conference,
        ProposalInput(title="关于老旧小区加装电梯的建议", analysis="a", recommendations="b"),
    )
    other = services.submit_proposal(side.member2, other)
    services.merge_proposals(side.staff, target, [other], note="内容相近，并案办理")
    other.refresh_from_db()
    assert other.state == S.MERGED and other.merged_into_id == target.pk
    assert selectors.visible_proposals(side.member2).filter(pk=target.pk).exists()
    services.assign_proposal(side.staff, target, [UnitPlan(side.unit.pk, "lead")])
    target.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        walk.reply_as_lead(side, target)
    assert Notification.objects.filter(user=side.member2, verb="reply_submitted").exists()


def test_a_proposal_cannot_be_merged_into_itself_or_across_conferences(world):
    p = walk.accepted(world.city)
    refused(ErrorCode.INVALID_INPUT, services.merge_proposals, world.city.staff, p, [p])
    county = walk.under_review(world.county)
    refused(ErrorCode.PERMISSION_DENIED, services.merge_proposals, world.city.staff, p, [county])


# ---------------------------------------------------------------- assignment and deadlines


def test_default_due_dates_are_three_months_for_replies_and_one_for_co_opinions(world):
    p = walk.assigned(world.city)
    lead = p.assignments.get(role="lead")
    co = p.assignments.get(role="co")
    assert lead.due_on == add_months(today(), 3)
    assert co.due_on == add_months(today(), 1)


def test_the_reply_deadline_is_configurable_per_conference(world):
    conference = world.city.conference
    conference.reply_due_months = 2
    conference.save()
    p = walk.assigned(world.city, co=False)
    assert p.assignments.get().due_on == add_months(today(), 2)


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([], "至少"),
        ([("unit", "co")], "主办"),
        ([("unit", "lead"), ("unit2", "lead")], "主办"),
        ([("unit", "lead"), ("unit2", "separate")], "分办"),
        ([("unit", "lead"), ("unit", "co")], "重复"),
    ],
)
def test_bad_assignment_plans_are_refused(world, plan, message):
    side = world.city
    p = walk.accepted(side)
    units = [UnitPlan(getattr(side, name).pk, role) for name, role in plan]
    error = refused(ErrorCode.INVALID_INPUT, services.assign_proposal, side.staff, p, units)
    assert message in error.fields["units"]
    assert not Assignment.objects.filter(proposal=p).exists()


def test_units_that_do_not_serve_the_conference_cannot_be_assigned(world):
    p = walk.accepted(world.city)
    refused(
        ErrorCode.INVALID_INPUT,
        services.assign_proposal,
        world.city.staff,
        p,
        [UnitPlan(world.county.unit.pk, "lead")],
    )


def test_a_unit_may_ask_for_reassignment_within_ten_days(world):
    side = world.city
    p = walk.assigned(side, co=False)
    a = p.assignments.get()
    Assignment.objects.filter(pk=a.pk).update(assigned_at=timezone.now() - dt.timedelta(days=10))
    request = services.request_reassignment(side.unit_user, a, reason="该事项属于住建部门职责")
    services.decide_reassignment(side.staff, request, approve=True, new_unit_id=side.unit2.pk)
    a.refresh_from_db()
    assert a.state == Assignment.State.WITHDRAWN
    new = p.assignments.get(unit=side.unit2)
    assert new.role == "lead" and new.due_on == add_months(today(), 3)
    # the replaced unit no longer sees the proposal
    assert not selectors.visible_proposals(side.unit_user).filter(pk=p.pk).exists()
    assert selectors.visible_proposals(side.unit2_user).filter(pk=p.pk).exists()


def test_a_unit_cannot_ask_for_reassignment_after_ten_days(world):
    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    Assignment.objects.filter(pk=a.pk).update(assigned_at=timezone.now() - dt.timedelta(days=11))
    error = refused(
        ErrorCode.WINDOW_CLOSED, services.request_reassignment, side.unit_user, a, reason="不属于本单位职责"
    )
    assert "10" in error.message


def test_a_unit_cannot_pass_a_proposal_on_by_itself(world):
    side = world.city
    p = walk.assigned(side, co=False)
    a = p.assignments.get()
    request = services.request_reassignment(side.unit_user, a, reason="不属于本单位职责")
    refused(
        ErrorCode.PERMISSION_DENIED,
        services.decide_reassignment,
        side.unit_user,
        request,
        approve=True,
        new_unit_id=side.unit2.pk,
    )
    refused(
        ErrorCode.PERMISSION_DENIED,
        services.assign_proposal,
        side.unit_user,
        walk.accepted(side),
        [UnitPlan(side.unit2.pk, "lead")],
    )


def test_an_approved_extension_moves_the_due_date_and_a_refused_one_does_not(world):
    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    old_due = a.due_on
    later = old_due + dt.timedelta(days=30)
    refused(
        ErrorCode.INVALID_INPUT,
        services.request_extension,
        side.unit_user,
        a,
        requested_due_on=old_due,
        reason="调研",
    )
    first = services.request_extension(side.unit_user, a, requested_due_on=later, reason="需开展专题调研")
    refused(
        ErrorCode.DUPLICATE,
        services.request_extension,
        side.unit_user,
        a,
        requested_due_on=later,
        reason="再次申请",
    )
    services.decide_extension(side.staff, first, approve=False, note="时限内可以完成")
    a.refresh_from_db()
    assert a.due_on == old_due
    second = services.request_extension(side.unit_user, a, requested_due_on=later, reason="需开展专题调研")
    services.decide_extension(side.staff, second, approve=True)
    a.refresh_from_db()
    assert a.due_on == later


# ---------------------------------------------------------------- handling and replies


def test_a_reply_needs_a_consultation_with_the_proposer_first(world):
    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    refused(
        ErrorCode.CONSULTATION_REQUIRED,
        services.submit_reply,
        side.unit_user,
        a,
        ReplyInput(body="答复", outcome="A", signed_by="局长"),
    )
    services.record_consultation(side.unit_user, a, held_on=today(), form="visit", agreed="上门听取意见")
    reply = services.submit_reply(side.unit_user, a, ReplyInput(body="答复", outcome="A", signed_by="局长"))
    assert reply.on_time and reply.round == 1


def test_reply_letters_need_an_outcome_class_and_a_signatory(world):
    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    services.record_consultation(side.unit_user, a, held_on=today(), form="phone", agreed="电话沟通")
    refused(
        ErrorCode.INVALID_INPUT,
        services.submit_reply,
        side.unit_user,
        a,
        ReplyInput(body="答复", outcome="E", signed_by="局长"),
    )
    refused(
        ErrorCode.INVALID_INPUT,
        services.submit_reply,
        side.unit_user,
        a,
        ReplyInput(body="答复", outcome="A", signed_by=""),
    )
    assert not Reply.objects.exists()


def test_co_handling_units_send_opinions_to_the_lead_and_cannot_reply_to_the_member(
    world, django_capture_on_commit_callbacks
):
    side = world.city
    p = walk.assigned(side)
    co = p.assignments.get(role="co")
    refused(
        ErrorCode.INVALID_STATE,
        services.submit_reply,
        side.unit2_user,
        co,
        ReplyInput(body="x", outcome="A", signed_by="y"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        opinion = services.submit_co_opinion(side.unit2_user, co, body="我局将在职责范围内配合做好相关工作。")
    assert opinion.kind == Reply.Kind.CO_OPINION and opinion.on_time
    assert Notification.objects.filter(user=side.unit_user, verb="co_opinion").exists()
    refused(ErrorCode.INVALID_STATE, services.submit_co_opinion, side.unit2_user, co, body="再次提交")
    assert Proposal.objects.get(pk=p.pk).state == S.ASSIGNED


def test_a_late_reply_is_recorded_as_not_on_time(world):
    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    Assignment.objects.filter(pk=a.pk).update(
        assigned_at=timezone.now() - dt.timedelta(days=120), due_on=today() - dt.timedelta(days=1)
    )
    a.refresh_from_db()
    services.record_consultation(side.unit_user, a, held_on=today(), form="phone", agreed="电话沟通")
    assert not services.submit_reply(
        side.unit_user, a, ReplyInput(body="答复", outcome="C", signed_by="局长")
    ).on_time


def test_separate_units_all_reply_before_the_proposal_counts_as_replied(world):
    side = world.city
    p = walk.accepted(side)
    services.assign_proposal(
        side.staff, p, [UnitPlan(side.unit.pk, "separate"), UnitPlan(side.unit2.pk, "separate")]
    )
    for user, unit in ((side.unit_user, side.unit), (side.unit2_user, side.unit2)):
        a = p.assignments.get(unit=unit)
        services.record_consultation(user, a, held_on=today(), form="meeting", agreed="座谈")
        services.submit_reply(user, a, ReplyInput(body="分办答复", outcome="A", signed_by="局长"))
        p.refresh_from_db()
        expected = S.REPLIED if unit == side.unit2 else S.ASSIGNED
        assert p.state == expected


def test_an_unsatisfied_evaluation_opens_a_new_round_for_that_unit(world):
    side = world.city
    p = walk.replied(side)
    first = p.replies.get(kind="letter")
    refused(
        ErrorCode.INVALID_INPUT,
        services.evaluate_reply,
        side.member,
        first,
        verdict="unsatisfied",
        comment="",
    )
    services.evaluate_reply(side.member, first, verdict="unsatisfied", comment="建议未落实到具体措施")
    p.refresh_from_db()
    lead = p.assignments.get(role="lead")
    assert p.state == S.ASSIGNED
    assert (lead.round, lead.state) == (2, Assignment.State.ACTIVE)
    assert lead.due_on == today() + dt.timedelta(days=side.conference.rehandle_due_days)
    second = services.submit_reply(
        side.unit_user, lead, ReplyInput(body="补充答复：明确了时间表", outcome="A", signed_by="局长")
    )
    assert second.round == 2
    refused(ErrorCode.INVALID_STATE, services.evaluate_reply, side.member, first, verdict="satisfied")
    services.evaluate_reply(side.member, second, verdict="satisfied")
    p.refresh_from_db()
    assert p.state == S.EVALUATED
    assert Evaluation.objects.filter(proposal=p).count() == 2


def test_only_the_proposer_evaluates(world):
    side = world.city
    p = walk.replied(side)
    letter = p.replies.get(kind="letter")
    for user in (side.member2, side.staff, side.unit_user, world.county.member):
        refused(ErrorCode.PERMISSION_DENIED, services.evaluate_reply, user, letter, verdict="satisfied")


def test_key_proposals_need_a_supervising_leader_of_the_conference(world):
    side = world.city
    p = walk.accepted(side)
    refused(ErrorCode.INVALID_INPUT, services.mark_key, side.staff, p, is_key=True)
    refused(
        ErrorCode.INVALID_INPUT,
        services.mark_key,
        side.staff,
        p,
        is_key=True,
        leader_id=world.county.leader.pk,
    )
    p = services.mark_key(side.staff, p, is_key=True, leader_id=side.leader.pk)
    assert p.is_key and p.key_leader == side.leader
    assert selectors.work_lists(side.conference.pk)["key"].filter(pk=p.pk).exists()


# ---------------------------------------------------------------- tenancy and permissions


def test_staff_of_another_conference_cannot_act_on_a_proposal(world):
    p = walk.under_review(world.city)
    refused(ErrorCode.PERMISSION_DENIED, services.accept_proposal, world.county.staff, p)
    refused(ErrorCode.PERMISSION_DENIED, services.accept_proposal, world.city.leader, p)
    refused(ErrorCode.PERMISSION_DENIED, services.accept_proposal, world.city.member, p)


def test_a_unit_contact_of_the_same_unit_in_another_conference_cannot_answer(world):
    # unit2 of the county is a different unit; give the county's contact a role for the city's lead unit
    # in the county only: the assignment belongs to the city, so it must stay out of reach.
    from xieshang.people.models import Role

    side = world.city
    a = walk.assigned(side, co=False).assignments.get()
    side.unit.conferences.add(world.county.conference)
    Role.objects.filter(user=world.county.unit_user, kind="unit").update(handling_unit=side.unit)
    refused(
        ErrorCode.PERMISSION_DENIED,
        services.record_consultation,
        world.county.unit_user,
        a,
        held_on=today(),
        form="phone",
        agreed="x",
    )
    assert not selectors.visible_proposals(world.county.unit_user).filter(pk=a.proposal_id).exists()


def test_visibility_follows_roles_and_conference(world):
    city, county = world.city, world.county
    draft = walk.draft(city)
    assigned = walk.assigned(city, co=False, title="关于优化营商环境的建议")
    county_p = walk.under_review(county)
    assert set(selectors.visible_proposals(city.member).values_list("pk", flat=True)) == {
        draft.pk,
        assigned.pk,
    }
    assert set(selectors.visible_proposals(city.staff).values_list("pk", flat=True)) == {assigned.pk}
    assert set(selectors.visible_proposals(city.leader).values_list("pk", flat=True)) == {assigned.pk}
    assert set(selectors.visible_proposals(city.unit_user).values_list("pk", flat=True)) == {assigned.pk}
    assert not selectors.visible_proposals(city.unit2_user).exists()
    assert not selectors.visible_proposals(city.member2).exists()
    assert set(selectors.visible_proposals(county.staff).values_list("pk", flat=True)) == {county_p.pk}
    assert not selectors.visible_proposals(world.outsider).exists()


# ---------------------------------------------------------------- audit, notifications, reminders


def test_every_transition_writes_an_audit_event_with_the_actor(world):
    side = world.city
    p = walk.evaluated(side)
    services.close_proposal(side.staff, p)
    events = list(AuditEvent.objects.filter(target_type="proposal", target_id=p.pk))
    verbs = [e.verb for e in events]
    for verb in ("create", "submit", "accept", "assign", "record_consultation", "reply", "evaluate", "close"):
        assert verb in verbs
    assert {e.actor for e in events if e.verb == "accept"} == {side.staff}
    assert all(e.conference_id == side.conference.pk for e in events)


def test_notifications_are_sent_only_after_the_transaction_commits(world, django_capture_on_commit_callbacks):
    side = world.city
    p = walk.under_review(side)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.accept_proposal(side.staff, p)
    assert not Notification.objects.filter(verb="proposal_accepted").exists()
    for callback in callbacks:
        callback()
    n = Notification.objects.get(verb="proposal_accepted")
    assert n.user == side.member and "第0001号" in n.title


def test_the_daily_job_reminds_due_soon_and_overdue_units_once_a_day(
    world, django_capture_on_commit_callbacks
):
    side = world.city
    soon = walk.assigned(side, co=False).assignments.get()
    late = walk.assigned(side, co=False, title="关于完善农村养老服务的建议").assignments.get()
    Assignment.objects.filter(pk=soon.pk).update(due_on=today() + dt.timedelta(days=5))
    Assignment.objects.filter(pk=late.pk).update(due_on=today() - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == {"due_soon": 1, "overdue": 1}
    assert services.send_due_reminders() == {"due_soon": 0, "overdue": 0}
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(user=side.unit_user, verb="reminder_overdue").exists()
    lists = selectors.work_lists(side.conference.pk)
    assert list(lists["overdue"]) == [late.proposal]
    assert list(lists["due_soon"]) == [soon.proposal]


def test_staff_reminders_reach_the_unit_and_are_refused_after_the_reply(world):
    side = world.city
    p = walk.replied(side, co=False)
    a = p.assignments.get()
    refused(ErrorCode.INVALID_STATE, services.send_reminder, side.staff, a)


def test_with_separate_units_each_letter_is_evaluated_before_the_proposal_counts_as_evaluated(world):
    side = world.city
    p = walk.accepted(side)
    services.assign_proposal(
        side.staff, p, [UnitPlan(side.unit.pk, "separate"), UnitPlan(side.unit2.pk, "separate")]
    )
    for user, unit in ((side.unit_user, side.unit), (side.unit2_user, side.unit2)):
        a = p.assignments.get(unit=unit)
        services.record_consultation(user, a, held_on=today(), form="meeting", agreed="座谈")
        services.submit_reply(user, a, ReplyInput(body="分办答复", outcome="A", signed_by="局长"))
    first, second = p.replies.filter(kind="letter").order_by("id")
    services.evaluate_reply(side.member, first, verdict="satisfied")
    assert Proposal.objects.get(pk=p.pk).state == S.REPLIED
    services.evaluate_reply(side.member, second, verdict="basic")
    assert Proposal.objects.get(pk=p.pk).state == S.EVALUATED


def test_conversion_creates_the_opinion_report_in_the_same_step(world):
    from xieshang.opinions.models import OpinionReport

    p = services.convert_proposal(world.city.staff, walk.under_review(world.city), note="转社情民意信息")
    report = OpinionReport.objects.get(source_proposal_id=p.pk)
    assert (report.state, report.title, report.submitted_by) == ("submitted", p.title, world.city.member)
    assert report.conference_id == p.conference_id


def test_an_outstanding_proposal_award_gives_its_authors_points_and_can_be_withdrawn(world):
    from xieshang.duty.models import PointEvent

    side = world.city
    p = walk.evaluated(side)
    p = services.award_proposal(side.staff, p, award="2026年度优秀提案")
    assert p.award == "2026年度优秀提案"
    assert PointEvent.objects.filter(kind="proposal_outstanding", user=side.member, role="lead").exists()
    refused(ErrorCode.PERMISSION_DENIED, services.award_proposal, side.member, p, award="自己评")
    services.award_proposal(side.staff, p, award="")
    assert not PointEvent.objects.filter(kind="proposal_outstanding").exists()
