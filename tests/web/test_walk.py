"""The whole lifecycle through the pages, with plain form posts (what the browser test clicks)."""

from __future__ import annotations

from django.urls import reverse

from xieshang.core.dates import today
from xieshang.proposals.models import Assignment, Proposal, ProposalState

from .conftest import version


def test_the_lifecycle_walks_through_the_pages_with_plain_posts(world, as_user):
    side = world.city
    member, cosigner, staff = as_user(side.member), as_user(side.member2), as_user(side.staff)
    lead_unit, co_unit = as_user(side.unit_user), as_user(side.unit2_user)

    # given a member who writes a draft with a co-signer
    page = member.get(reverse("proposals:create"))
    assert page.status_code == 200
    response = member.post(
        reverse("proposals:create"),
        {
            "title": "关于加快老旧小区加装电梯的建议",
            "analysis": "老旧小区多建于上世纪九十年代。",
            "recommendations": "一、简化审批；二、财政补贴。",
            "kind": "individual",
            "cosigners": [side.member2.pk],
        },
    )
    assert response.status_code == 302
    p = Proposal.objects.get(title="关于加快老旧小区加装电梯的建议")
    assert p.cosigners.count() == 1
    detail = reverse("proposals:detail", args=[p.pk])
    assert 'data-testid="submit-proposal"' in member.get(detail).content.decode()

    # when the member submits and the co-signer confirms
    member.post(reverse("proposals:act", args=[p.pk, "submit"]), {"version": version(p)})
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.SUBMITTED
    assert 'data-testid="cosign-confirm"' in cosigner.get(detail).content.decode()
    cosigner.post(reverse("proposals:act", args=[p.pk, "respond_cosign"]), {"decision": "confirm"})
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.UNDER_REVIEW

    # then staff accept and assign to a lead and a co unit
    assert 'data-testid="action-accept"' in staff.get(detail).content.decode()
    r = staff.post(reverse("proposals:act", args=[p.pk, "accept"]), {"version": version(p), "note": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = staff.post(
        reverse("proposals:act", args=[p.pk, "assign"]),
        {
            "version": version(p),
            "unit_0": side.unit.pk,
            "role_0": "lead",
            "unit_1": side.unit2.pk,
            "role_1": "co",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.ASSIGNED
    lead = Assignment.objects.get(proposal=p, role="lead")
    co = Assignment.objects.get(proposal=p, role="co")

    # the co unit sends its opinion; the lead unit sees it
    page = co_unit.get(detail).content.decode()
    assert 'data-testid="co-opinion-submit"' in page
    r = co_unit.post(
        reverse("proposals:assignment_act", args=[co.pk, "submit_co_opinion"]),
        {"version": version(p), "body": "同意主办单位意见，我局配合落实补贴。"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert "同意主办单位意见" in lead_unit.get(detail).content.decode()

    # the lead unit records its consultation and replies class B
    r = lead_unit.post(
        reverse("proposals:assignment_act", args=[lead.pk, "record_consultation"]),
        {"version": version(p), "held_on": today().isoformat(), "form": "meeting", "agreed": "逐条沟通。"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = lead_unit.post(
        reverse("proposals:assignment_act", args=[lead.pk, "reply"]),
        {"version": version(p), "body": "已纳入年度计划。", "outcome": "B", "signed_by": "张局长"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.REPLIED

    # the member is unsatisfied; the unit re-handles
    letter = p.replies.get(kind="letter")
    page = member.get(detail).content.decode()
    assert 'data-testid="evaluate-unsatisfied"' in page
    r = member.post(
        reverse("proposals:evaluate", args=[letter.pk]),
        {"version": version(p), "verdict": "unsatisfied", "comment": "补贴标准不明确。"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.ASSIGNED
    assert 'data-testid="reply-submit"' in lead_unit.get(detail).content.decode()
    r = lead_unit.post(
        reverse("proposals:assignment_act", args=[lead.pk, "reply"]),
        {
            "version": version(p),
            "body": "补贴标准已明确为每台十万元。",
            "outcome": "A",
            "signed_by": "张局长",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]

    # the member is satisfied and staff close
    second = p.replies.filter(kind="letter").order_by("-round").first()
    r = member.post(
        reverse("proposals:evaluate", args=[second.pk]), {"version": version(p), "verdict": "satisfied"}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.EVALUATED
    r = staff.post(reverse("proposals:act", args=[p.pk, "close"]), {"version": version(p), "note": ""})
    assert r.status_code == 302
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.CLOSED
    page = member.get(detail).content.decode()
    assert "已办结" in page
