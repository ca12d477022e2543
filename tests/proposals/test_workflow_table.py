"""Every action from every state: allowed exactly where the state table says, refused elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.proposals import services, workflow
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    CoSigner,
    ExtensionRequest,
    PreReplyConsultation,
    Proposal,
    ProposalState,
    ReassignmentRequest,
    Reply,
)
from xieshang.proposals.services import ProposalInput, ReplyInput, UnitPlan

from ..conftest import Side
from . import walk

S = ProposalState


def build(side: Side, state: str) -> Proposal:
    """A proposal in `state`, reached through the services wherever a path exists."""
    if state == S.DRAFT:
        return walk.draft(side)
    if state == S.SUBMITTED:
        p = walk.draft(side)
        services.invite_cosigners(side.member, p, [side.member2.pk], version=None)
        return services.submit_proposal(side.member, p)
    if state == S.UNDER_REVIEW:
        return walk.under_review(side)
    if state == S.RETURNED:
        return services.return_proposal(side.staff, walk.under_review(side), note="请补充数据")
    if state == S.REJECTED:
        return services.reject_proposal(side.staff, walk.under_review(side), note="不属于政协提案范围")
    if state == S.CONVERTED:
        return services.convert_proposal(side.staff, walk.under_review(side), note="转社情民意信息")
    if state == S.ACCEPTED:
        return walk.accepted(side)
    if state == S.MERGED:
        target = walk.accepted(side, title="关于统筹推进老旧小区改造的建议")
        source = walk.under_review(side)
        services.merge_proposals(side.staff, target, [source])
        return Proposal.objects.get(pk=source.pk)
    if state == S.ASSIGNED:
        return walk.assigned(side)
    if state == S.REPLIED:
        return walk.replied(side)
    if state == S.EVALUATED:
        return walk.evaluated(side)
    if state == S.CLOSED:
        return services.close_proposal(side.staff, walk.evaluated(side))
    raise AssertionError(state)


def _assignment(side: Side, p: Proposal, role: str = AssignmentRole.LEAD) -> Assignment:
    """The proposal's live assignment of `role`, made directly when the workflow has not made one."""
    unit = side.unit2 if role == AssignmentRole.CO else side.unit
    a = p.assignments.filter(unit=unit).exclude(state=Assignment.State.WITHDRAWN).first()
    if a is None:
        a = Assignment.objects.create(
            proposal=p,
            conference=p.conference,
            unit=unit,
            role=role,
            assigned_at=timezone.now(),
            due_on=today() + dt.timedelta(days=90),
        )
    return a


def _letter(side: Side, p: Proposal) -> Reply:
    a = _assignment(side, p)
    reply = a.replies.filter(kind=Reply.Kind.LETTER, round=a.round).first()
    return reply or Reply.objects.create(
        assignment=a,
        proposal=p,
        kind=Reply.Kind.LETTER,
        round=a.round,
        body="答复",
        outcome="A",
        signed_by="局长",
        submitted_at=timezone.now(),
    )


def _with_consultation(side: Side, p: Proposal) -> Assignment:
    a = _assignment(side, p)
    PreReplyConsultation.objects.get_or_create(
        assignment=a, defaults={"held_on": today(), "form": "phone", "agreed": "已沟通"}
    )
    return a


def _invite(side: Side, p: Proposal) -> Proposal:
    CoSigner.objects.get_or_create(proposal=p, user=side.member2)
    return p


def _other_accepted(side: Side) -> Proposal:
    return walk.accepted(side, title="关于统筹推进城市更新的建议")


DRAFT_INPUT = ProposalInput(title="修改后的案由", analysis="分析", recommendations="建议")

CALLS: dict[str, Callable[[Side, Proposal], object]] = {
    "edit": lambda s, p: services.update_proposal(s.member, p, DRAFT_INPUT, version=None),
    "invite_cosigners": lambda s, p: services.invite_cosigners(s.member, p, [s.member2.pk], version=None),
    "submit": lambda s, p: services.submit_proposal(s.member, p),
    "respond_cosign": lambda s, p: services.respond_to_cosign(s.member2, _invite(s, p), accept=True),
    "accept": lambda s, p: services.accept_proposal(s.staff, p),
    "reject": lambda s, p: services.reject_proposal(s.staff, p, note="理由"),
    "return": lambda s, p: services.return_proposal(s.staff, p, note="理由"),
    "convert": lambda s, p: services.convert_proposal(s.staff, p, note="理由"),
    "merge": lambda s, p: services.merge_proposals(s.staff, _other_accepted(s), [p]),
    "assign": lambda s, p: services.assign_proposal(s.staff, p, [UnitPlan(s.unit.pk, AssignmentRole.LEAD)]),
    "reassign": lambda s, p: services.decide_reassignment(
        s.staff,
        ReassignmentRequest.objects.create(assignment=_assignment(s, p), reason="职责不符"),
        approve=False,
        note="不同意",
    ),
    "request_reassignment": lambda s, p: services.request_reassignment(
        s.unit_user, _assignment(s, p), reason="不属于本单位职责"
    ),
    "request_extension": lambda s, p: services.request_extension(
        s.unit_user, _assignment(s, p), requested_due_on=today() + dt.timedelta(days=200), reason="需实地调研"
    ),
    "decide_extension": lambda s, p: services.decide_extension(
        s.staff,
        ExtensionRequest.objects.create(
            assignment=_assignment(s, p), reason="调研", requested_due_on=today() + dt.timedelta(days=120)
        ),
        approve=True,
    ),
    "record_consultation": lambda s, p: services.record_consultation(
        s.unit_user, _assignment(s, p), held_on=today(), form="meeting", agreed="商定分步实施"
    ),
    "submit_co_opinion": lambda s, p: services.submit_co_opinion(
        s.unit2_user, _assignment(s, p, AssignmentRole.CO), body="会办意见"
    ),
    "reply": lambda s, p: services.submit_reply(
        s.unit_user, _with_consultation(s, p), ReplyInput(body="答复", outcome="B", signed_by="局长")
    ),
    "evaluate": lambda s, p: services.evaluate_reply(s.member, _letter(s, p), verdict="satisfied"),
    "remind": lambda s, p: services.send_reminder(s.staff, _assignment(s, p)),
    "mark_key": lambda s, p: services.mark_key(s.staff, p, is_key=True, leader_id=s.leader.pk),
    "publish": lambda s, p: services.set_published(s.staff, p, published=True),
    "award": lambda s, p: services.award_proposal(s.staff, p, award="优秀提案"),
    "close": lambda s, p: services.close_proposal(s.staff, p),
}


def test_every_action_of_the_table_has_a_test_call():
    assert set(CALLS) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("state", S.values)
def test_actions_are_allowed_exactly_from_their_source_states(world, state, subtests):
    side = world.city
    for action, call in CALLS.items():
        with subtests.test(action=action, state=state):
            proposal = build(side, state)
            allowed = state in workflow.TRANSITIONS[action].sources
            if allowed:
                call(side, proposal)
                after = Proposal.objects.get(pk=proposal.pk)
                assert after.state in workflow.TRANSITIONS[action].targets
            else:
                with pytest.raises(AppError) as caught:
                    call(side, proposal)
                assert caught.value.code == ErrorCode.INVALID_STATE, caught.value.message


def test_every_state_is_reachable_through_the_services(world):
    for state in S.values:
        assert build(world.city, state).state == state


def test_the_documented_state_table_is_the_one_in_the_code():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "proposal-workflow.md"
    assert doc.read_text(encoding="utf-8") == workflow.as_markdown(), (
        'regenerate: .venv/bin/python -c \'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE",'
        '"xieshang.settings");django.setup();from xieshang.proposals.workflow import as_markdown;'
        'open("docs/proposal-workflow.md","w").write(as_markdown())\''
    )
