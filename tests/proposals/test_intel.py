"""Text intelligence in the platform: similar proposals, merge candidates, routing, reply quality, topics."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.core.dates import today
from xieshang.proposals import intel, services
from xieshang.proposals.models import Assignment, AssignmentRole, Proposal
from xieshang.proposals.services import ProposalInput, UnitPlan

from . import walk

ELEVATOR = dict(
    title="关于加快老旧小区加装电梯的建议",
    analysis="老旧小区没有电梯，老年住户上下楼困难，加装电梯审批复杂、资金分摊难。",
    recommendations="简化加装电梯审批，设立财政补贴，引导居民协商分摊费用。",
)
SCHOOL = dict(
    title="关于完善中小学课后服务的建议",
    analysis="中小学课后服务内容单一，教师负担重，家长接送难。",
    recommendations="丰富课后服务课程，引入社会力量，落实教师课后服务补贴。",
)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_draft_finds_the_similar_proposals_already_submitted_in_its_conference(world):
    elevator = walk.accepted(world.city, **ELEVATOR)
    walk.accepted(world.city, **SCHOOL)
    walk.draft(
        world.city, title="关于老旧小区加装电梯的几点建议"
    )  # someone else's draft is not "already proposed"
    walk.accepted(world.county, **ELEVATOR)  # another conference's proposal is not compared

    hits = intel.similar_proposals(
        world.city.conference.pk, intel.text_of("老旧小区加装电梯补贴", "加装电梯审批难")
    )

    assert [h.proposal.pk for h in hits] == [elevator.pk]
    assert "加装电梯" in hits[0].phrases


def test_the_writing_form_shows_similar_proposals_to_a_member_of_the_conference_only(world):
    walk.accepted(world.city, **ELEVATOR)
    url = reverse("proposals:similar")
    query = {"title": "关于老旧小区加装电梯的建议", "recommendations": "设立加装电梯财政补贴"}

    page = client_for(world.city.member2).get(url, query)
    assert page.status_code == 200 and "关于加快老旧小区加装电梯的建议" in page.content.decode()

    assert "加装电梯" not in client_for(world.county.member).get(url, query).content.decode()
    assert client_for(world.city.unit_user).get(url, query).status_code == 403


def test_merge_candidates_pair_proposals_of_a_session_that_read_alike(world):
    side = world.city
    first = walk.under_review(side, **ELEVATOR)
    second = services.create_proposal(
        side.member2,
        side.conference,
        ProposalInput(
            title="关于老旧小区加装电梯的建议",
            analysis="老旧小区老年住户上下楼难，加装电梯资金分摊难、审批复杂。",
            recommendations="简化审批，给予加装电梯财政补贴。",
        ),
    )
    services.submit_proposal(side.member2, second)
    walk.under_review(side, **SCHOOL)

    pairs = intel.merge_candidates(side.conference.pk, side.session.pk, threshold=0.4)

    assert [{p.first.pk, p.second.pk} for p in pairs] == [{first.pk, second.pk}]
    page = client_for(side.staff).get(reverse("proposals:merge_suggestions"), {"threshold": "0.4"})
    assert page.status_code == 200 and "关于老旧小区加装电梯的建议" in page.content.decode()
    assert client_for(side.member).get(reverse("proposals:merge_suggestions")).status_code == 403


def test_units_are_suggested_from_past_lead_assignments(world):
    side = world.city
    for i in range(8):
        for topic, unit in ((ELEVATOR, side.unit), (SCHOOL, side.unit2)):
            p = walk.accepted(side, **{**topic, "title": f"{topic['title']}（{i}）"})
            services.assign_proposal(side.staff, p, [UnitPlan(unit.pk, AssignmentRole.LEAD)])

    suggestions = intel.suggest_units(side.conference.pk, "关于给老旧小区加装电梯发放补贴的建议")

    assert suggestions[0].target == side.unit
    assert suggestions[0].confidence > suggestions[1].confidence
    school = intel.suggest_units(side.conference.pk, "关于减轻中小学教师课后服务负担的建议")
    assert school[0].target == side.unit2


def test_too_little_history_gives_no_routing_suggestion_rather_than_a_guess(world):
    walk.assigned(world.city, co=False)
    assert intel.suggest_units(world.city.conference.pk, "任何文本") == []


def test_reply_quality_explains_itself_and_takes_timeliness_from_the_due_date(world):
    side = world.city
    p = walk.assigned(side, co=False, **ELEVATOR)
    a = p.assignments.get()
    Assignment.objects.filter(pk=a.pk).update(
        assigned_at=timezone.now() - dt.timedelta(days=120), due_on=today() - dt.timedelta(days=30)
    )
    reply = walk.reply_as_lead(side, Proposal.objects.get(pk=p.pk))

    q = intel.reply_quality(reply)

    assert 0 < q.relevance <= 1 and 0 <= q.concreteness <= 1
    assert q.timeliness is not None and q.timeliness < 1
    assert "超过办理时限 30 天" in q.reasons["timeliness"][0]
    page = client_for(side.staff).get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="reply-quality"' in page
    member_page = client_for(side.member).get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="reply-quality"' not in member_page


def test_hot_topics_group_recent_proposals_for_the_office(world):
    side = world.city
    for i in range(3):
        walk.accepted(side, **{**ELEVATOR, "title": f"{ELEVATOR['title']}（{i}）"})
    walk.accepted(side, **SCHOOL)

    topics = intel.hot_topics(side.conference.pk)

    assert topics and topics[0].count == 3
    assert "电梯" in topics[0].name or "加装" in topics[0].name
    assert client_for(side.leader).get(reverse("proposals:hot_topics")).status_code == 200
    assert client_for(side.member).get(reverse("proposals:hot_topics")).status_code == 403
