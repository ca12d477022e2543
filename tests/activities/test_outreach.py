"""The outreach log: a member logs contacts (with a duty event) and turns one into a proposal draft."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.activities import services
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import PointEvent
from xieshang.proposals.models import Proposal, ProposalState


def log(side, **kw):  # type: ignore[no-untyped-def]
    data = services.OutreachInput(
        contact=kw.get("contact", "城南社区居民"),
        contact_kind="group",
        contacted_on=kw.get("on", dt.date.today()),
        channel="visit",
        topic=kw.get("topic", "老旧小区停车难"),
        notes="居民反映小区车位不足，夜间占道停车严重。",
        follow_up="向住建局了解改造计划",
    )
    return services.log_outreach(side.member, side.conference, data)


def test_a_member_logs_a_contact_and_earns_the_outreach_event(world):
    outreach = log(world.city)
    event = PointEvent.objects.get(source_type="outreach", source_id=outreach.pk)
    assert (event.kind, event.user_id, event.conference_id) == (
        "outreach_logged",
        world.city.member.pk,
        world.city.conference.pk,
    )


def test_only_members_log_contacts_and_not_in_the_future(world):
    with pytest.raises(AppError) as refused:
        services.log_outreach(
            world.city.staff,
            world.city.conference,
            services.OutreachInput(contact="某某", contacted_on=dt.date.today(), channel="phone", topic="事"),
        )
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError) as future:
        log(world.city, on=dt.date.today() + dt.timedelta(days=3))
    assert "contacted_on" in future.value.fields


def test_a_contact_turns_into_a_proposal_draft_once(world):
    outreach = log(world.city, topic="关于解决老旧小区停车难的建议")
    proposal = services.turn_outreach_into_proposal(world.city.member, outreach)
    assert proposal.state == ProposalState.DRAFT
    assert proposal.title == "关于解决老旧小区停车难的建议"
    assert "夜间占道停车" in proposal.analysis
    assert proposal.proposer == world.city.member
    with pytest.raises(AppError) as twice:
        services.turn_outreach_into_proposal(world.city.member, outreach)
    assert twice.value.code == ErrorCode.DUPLICATE
    assert Proposal.objects.count() == 1


def test_nobody_else_turns_a_members_contact(world):
    outreach = log(world.city)
    with pytest.raises(AppError):
        services.turn_outreach_into_proposal(world.city.member2, outreach)
