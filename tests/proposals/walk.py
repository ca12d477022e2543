"""Take a proposal through the workflow with real services, to any state a test needs."""

from __future__ import annotations

import datetime as dt

from xieshang.core.dates import today
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, AssignmentRole, Proposal, Reply
from xieshang.proposals.services import ProposalInput, ReplyInput, UnitPlan

from ..conftest import Side


def draft(side: Side, title: str = "关于加快老旧小区加装电梯的建议", **kw: object) -> Proposal:
    data = ProposalInput(
        title=title,
        analysis=str(kw.get("analysis", "我市老旧小区多建于上世纪九十年代，老年住户上下楼困难。")),
        recommendations=str(
            kw.get("recommendations", "一、简化审批流程；二、设立财政补贴；三、引导居民协商分摊费用。")
        ),
    )
    return services.create_proposal(side.member, side.conference, data)


def under_review(side: Side, **kw: object) -> Proposal:
    p = draft(side, **kw)
    return services.submit_proposal(side.member, p)


def accepted(side: Side, **kw: object) -> Proposal:
    p = under_review(side, **kw)
    return services.accept_proposal(side.staff, p)


def assigned(side: Side, *, co: bool = True, **kw: object) -> Proposal:
    p = accepted(side, **kw)
    plan = [UnitPlan(side.unit.pk, AssignmentRole.LEAD)]
    if co:
        plan.append(UnitPlan(side.unit2.pk, AssignmentRole.CO))
    services.assign_proposal(side.staff, p, plan)
    return Proposal.objects.get(pk=p.pk)


def lead_assignment(p: Proposal) -> Assignment:
    return p.assignments.get(role=AssignmentRole.LEAD, state__in=["active", "answered"])


def reply_as_lead(side: Side, p: Proposal, outcome: str = "B") -> Reply:
    a = lead_assignment(p)
    if not a.consultations.exists():
        services.record_consultation(
            side.unit_user,
            a,
            held_on=today() - dt.timedelta(days=0),
            form="meeting",
            agreed="就建议逐条沟通，达成一致。",
        )
    return services.submit_reply(
        side.unit_user,
        a,
        ReplyInput(body="经研究，我局已将加装电梯纳入年度计划。", outcome=outcome, signed_by="张局长"),
    )


def replied(side: Side, **kw: object) -> Proposal:
    p = assigned(side, **kw)
    reply_as_lead(side, p)
    return Proposal.objects.get(pk=p.pk)


def evaluated(side: Side, **kw: object) -> Proposal:
    p = replied(side, **kw)
    services.evaluate_reply(side.member, p.replies.get(kind="letter"), verdict="satisfied")
    return Proposal.objects.get(pk=p.pk)
