"""The proposal workflow writes point events: accepted, key (and unmarked), satisfied, merged."""

from __future__ import annotations

from django.test import Client

from xieshang.duty.models import PointEvent
from xieshang.proposals import services
from xieshang.proposals.models import Proposal
from xieshang.proposals.services import ProposalInput

from ..conftest import Side, World
from ..proposals import walk


def events(**filters: object) -> list[tuple[str, str, str]]:
    return sorted(
        (e.user.username, e.kind, e.role) for e in PointEvent.objects.filter(**filters).select_related("user")
    )


def test_accepting_credits_the_lead_author_and_confirmed_cosigners(world: World) -> None:
    c = world.city
    p = services.create_proposal(
        c.member,
        c.conference,
        ProposalInput(title="关于优化公交线路的建议", analysis="线路重叠。", recommendations="调整线路。"),
        cosigner_ids=[c.member2.pk],
    )
    services.submit_proposal(c.member, p)
    services.respond_to_cosign(c.member2, p, accept=True)

    services.accept_proposal(c.staff, p)

    assert events(kind="proposal_accepted") == [
        ("city_member", "proposal_accepted", "lead"),
        ("city_member2", "proposal_accepted", "participant"),
    ]
    e = PointEvent.objects.get(user=c.member, kind="proposal_accepted")
    assert (e.source_type, e.source_id, e.title) == ("proposal", p.pk, "关于优化公交线路的建议")
    assert e.conference_id == c.conference.pk


def test_a_declined_cosigner_gets_nothing(world: World) -> None:
    c = world.city
    p = services.create_proposal(
        c.member,
        c.conference,
        ProposalInput(title="关于停车难的建议", analysis="车位不足。", recommendations="建立体车库。"),
        cosigner_ids=[c.member2.pk],
    )
    services.submit_proposal(c.member, p)
    services.respond_to_cosign(c.member2, p, accept=False)
    services.accept_proposal(c.staff, p)
    assert events(kind="proposal_accepted") == [("city_member", "proposal_accepted", "lead")]


def test_marking_key_credits_and_unmarking_retracts(world: World) -> None:
    c = world.city
    p = walk.accepted(c)
    services.mark_key(c.staff, p, is_key=True, leader_id=c.leader.pk)
    assert events(kind="proposal_key") == [("city_member", "proposal_key", "lead")]

    services.mark_key(c.staff, Proposal.objects.get(pk=p.pk), is_key=False)
    assert events(kind="proposal_key") == []


def test_a_satisfied_evaluation_records_the_verdict_and_outcome(world: World) -> None:
    c = world.city
    p = walk.evaluated(c)  # reply outcome B, verdict satisfied
    e = PointEvent.objects.get(kind="proposal_satisfied")
    assert (e.user_id, e.role, e.data) == (c.member.pk, "lead", {"verdict": "satisfied", "outcome": "B"})
    assert e.source_id == p.pk


def test_an_unsatisfied_evaluation_records_nothing(world: World) -> None:
    c = world.city
    p = walk.replied(c)
    services.evaluate_reply(c.member, p.replies.get(kind="letter"), verdict="unsatisfied", comment="未解决。")
    assert not PointEvent.objects.filter(kind="proposal_satisfied").exists()


def _member2_proposal(side: Side) -> Proposal:
    p = services.create_proposal(
        side.member2,
        side.conference,
        ProposalInput(title="关于加装电梯补贴的建议", analysis="同类。", recommendations="补贴。"),
    )
    return services.submit_proposal(side.member2, p)


def test_a_merged_source_proposer_shares_the_target_acceptance_as_participant(world: World) -> None:
    c = world.city
    target = walk.under_review(c)
    services.merge_proposals(c.staff, target, [_member2_proposal(c)])
    assert events(kind="proposal_accepted") == []

    services.accept_proposal(c.staff, Proposal.objects.get(pk=target.pk))

    assert events(kind="proposal_accepted", source_id=target.pk) == [
        ("city_member", "proposal_accepted", "lead"),
        ("city_member2", "proposal_accepted", "participant"),
    ]


def test_merging_into_an_accepted_target_credits_the_source_proposer_at_once(world: World) -> None:
    c = world.city
    target = walk.accepted(c)
    services.merge_proposals(c.staff, target, [_member2_proposal(c)])
    assert ("city_member2", "proposal_accepted", "participant") in events(source_id=target.pk)


def test_the_points_of_an_accepted_proposal_appear_on_the_member_record(world: World) -> None:
    c = world.city
    walk.accepted(c, title="关于社区养老服务的建议")
    client = Client()
    client.force_login(c.member)

    page = client.get("/duty/?year=2026").content.decode()

    assert "关于社区养老服务的建议" in page
    assert "领衔每次 15 分" in page
