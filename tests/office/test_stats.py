"""Proposal statistics on a small known set: exact rates and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core.dates import today
from xieshang.proposals import services, stats
from xieshang.proposals.models import Assignment, Proposal

from ..proposals import walk


def _known_set(world):
    """Seven counted city proposals (and one draft), four reply letters, three evaluations of which
    two are final (the unsatisfied one was superseded by the re-handling round)."""
    side = world.city
    walk.draft(side, title="草稿不计入统计")
    walk.under_review(side)
    services.reject_proposal(side.staff, walk.under_review(side), note="不属于政协提案范围")
    walk.accepted(side)
    overdue = walk.assigned(side, co=False)
    Assignment.objects.filter(proposal=overdue).update(due_on=today() - dt.timedelta(days=3))
    late = walk.assigned(side, co=False)
    Assignment.objects.filter(proposal=late).update(due_on=today() - dt.timedelta(days=1))
    walk.reply_as_lead(side, late, outcome="B")
    satisfied = walk.assigned(side, co=False)
    walk.reply_as_lead(side, satisfied, outcome="B")
    services.evaluate_reply(side.member, satisfied.replies.get(), verdict="satisfied")
    rehandled = walk.assigned(side, co=False)
    first = walk.reply_as_lead(side, rehandled, outcome="C")
    services.evaluate_reply(side.member, first, verdict="unsatisfied", comment="答复空泛，没有时间表。")
    second = walk.reply_as_lead(side, Proposal.objects.get(pk=rehandled.pk), outcome="A")
    services.evaluate_reply(side.member, second, verdict="basic")
    services.mark_key(
        side.staff, Proposal.objects.get(pk=satisfied.pk), is_key=True, leader_id=side.leader.pk
    )
    walk.evaluated(world.county)


def test_dashboard_gives_exact_rates_on_a_known_set(world):
    _known_set(world)

    figures = stats.dashboard(world.city.conference.pk, 2026)

    assert figures["total"] == 7
    assert dict(figures["by_state"])["已评价"] == 2
    assert "草稿" not in dict(figures["by_state"])
    assert figures["acceptance_rate"] == 0.7143  # 5 accepted or later of 7 received
    assert figures["reply_rate"] == 0.75  # 3 replied or later of 4 assigned or later
    assert figures["on_time_rate"] == 0.75  # 3 of 4 letters on time
    # the re-handled part is judged by its final verdict (basic), not by the superseded unsatisfied one
    assert figures["satisfaction_rate"] == 1.0
    assert figures["outcome_shares"] == {"A": 0.25, "B": 0.5, "C": 0.25, "D": 0.0}
    assert figures["by_category"] == [("未分类", 7)]
    [unit] = figures["by_unit"]
    assert unit == {
        "unit": "city发展和改革局",
        "assigned": 4,
        "replied": 4,
        "on_time": 3,
        "on_time_rate": 0.75,
        "evaluations": 2,
        "satisfied": 2,
        "satisfied_rate": 1.0,
        "overdue": 1,
    }
    assert figures["overdue_by_unit"] == [("city发展和改革局", 1)]
    assert [p.title for p in figures["key_proposals"]] == ["关于加快老旧小区加装电梯的建议"]


def test_a_city_sees_the_rates_of_the_counties_it_guides(world):
    _known_set(world)

    figures = stats.dashboard(world.city.conference.pk, 2026)

    assert figures["children"] == [
        {
            "conference_id": world.county.conference.pk,
            "conference": "示范县政协",
            "total": 1,
            "acceptance_rate": 1.0,
            "reply_rate": 1.0,
            "on_time_rate": 1.0,
            "satisfaction_rate": 1.0,
        }
    ]
    assert stats.dashboard(world.county.conference.pk, 2026)["children"] == []


def test_other_years_are_not_counted(world):
    _known_set(world)

    figures = stats.dashboard(world.city.conference.pk, 2025)

    assert figures["total"] == 0
    assert figures["acceptance_rate"] == 0.0
    assert figures["by_unit"] == []


def test_annual_report_counts_the_year(world):
    _known_set(world)

    report = stats.annual_report(world.city.conference.pk, 2026)

    assert (report.received, report.accepted, report.rejected, report.pending) == (7, 5, 1, 1)
    assert (report.assigned, report.replied, report.letters) == (4, 3, 4)
    assert (report.satisfied, report.basic, report.unsatisfied) == (1, 1, 0)
    assert report.key_proposals == 1
    assert report.outcome_counts == {"A": 1, "B": 2, "C": 1, "D": 0}
    assert report.units[0].overdue == 1


def test_dashboard_query_count_does_not_grow_with_proposals(world):
    _known_set(world)
    with CaptureQueriesContext(connection) as few:
        stats.dashboard(world.city.conference.pk, 2026)
    for _ in range(3):
        walk.evaluated(world.city)
        walk.evaluated(world.county)

    with CaptureQueriesContext(connection) as more:
        stats.dashboard(world.city.conference.pk, 2026)

    assert len(more) == len(few) <= 10


def test_an_unsatisfied_verdict_awaiting_its_new_reply_still_counts(world):
    side = world.city
    p = walk.replied(side, co=False)
    services.evaluate_reply(side.member, p.replies.get(), verdict="unsatisfied", comment="没有具体措施。")

    figures = stats.dashboard(side.conference.pk, 2026)

    assert figures["satisfaction_rate"] == 0.0
    assert figures["by_unit"][0]["evaluations"] == 1
