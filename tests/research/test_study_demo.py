"""The study demo seeds a plan with materials and a linked session, two quizzes (one taken by several
members), and papers in three states, all through the services."""

from __future__ import annotations

from xieshang.duty.models import EventKind, PointEvent
from xieshang.people.models import RoleKind
from xieshang.research import study_demo
from xieshang.research import study_selectors as sel
from xieshang.research.models import Quiz, StudyPaper, StudyPlan

from ..factories import UserFactory, give_role


def test_the_demo_seeds_a_plan_a_taken_quiz_and_papers(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    side = world.city
    members = [side.member, side.member2]
    for n in range(10):
        members.append(give_role(UserFactory(username=f"demo_member_{n}"), side.conference, RoleKind.MEMBER))
    study_demo.seed(side.conference, side.staff, members, side.leader)
    plan = StudyPlan.objects.get(audience="members")
    assert plan.materials.count() == 3 and plan.sessions.count() == 1
    fixed = Quiz.objects.get(title="政协章程知识测验")
    assert fixed.items.count() == 8 and fixed.state == "published"
    results = sel.quiz_results(fixed)
    assert results.takers == 8 and results.passers > 0
    assert not fixed.attempts.filter(user=members[0]).exists(), "the demo member may try it"
    assert PointEvent.objects.filter(kind=EventKind.STUDY_QUIZ_PASSED).count() == results.passers
    assert sorted(StudyPaper.objects.values_list("state", flat=True)) == ["accepted", "returned", "submitted"]
    record = sel.study_record(members[1], side.conference.pk)
    assert record.sessions_attended == 1 and record.papers_accepted == 1
