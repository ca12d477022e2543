"""Who may do what in study: permission predicates named as questions, and the study paper state table.

Roles on a paper: `author` (the member who wrote it: resubmits it after a return), `staff` (office staff
of the paper's conference: accept, return with a reason, reject with a reason). Nobody reviews their
own paper.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t
from xieshang.people.models import Member, RoleKind
from xieshang.people.selectors import has_role

from .models import Audience, PaperState, Quiz, StudyPaper, StudyPlan

P = PaperState

PAPER_TRANSITIONS: dict[str, Transition] = {
    "resubmit": _t(str(_("修改后重新提交")), {P.RETURNED}, {"author"}, {P.SUBMITTED}, "notify staff"),
    "accept": _t(
        str(_("采用")), {P.SUBMITTED}, {"staff"}, {P.ACCEPTED}, "duty event study_paper_accepted; notify"
    ),
    "return": _t(str(_("退回修改")), {P.SUBMITTED}, {"staff"}, {P.RETURNED}, "reason required; notify"),
    "reject": _t(str(_("不予采用")), {P.SUBMITTED}, {"staff"}, {P.REJECTED}, "reason required; notify"),
}
REVIEW_ACTIONS = ("accept", "return", "reject")


def is_study_staff(user: Any, conference_id: int) -> bool:
    """Office staff of the conference run its study: plans, bank, quizzes, paper review."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_use_study_office(user: Any, conference_id: int) -> bool:
    """Staff and leaders open the study office pages (leaders read them)."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))


def is_learner(user: Any, conference_id: int) -> bool:
    """Members and leaders of the conference study: take quizzes, write papers."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.MEMBER, RoleKind.LEADER))


def in_audience(user: Any, plan: StudyPlan | None) -> bool:
    """Whether a plan is addressed to the user: the party group is the leaders, the standing committee
    its standing members, a committee its members; a plan for all members (or no plan) is everyone's."""
    if plan is None:
        return True
    if not is_learner(user, plan.conference_id):
        return False
    if plan.audience == Audience.MEMBERS:
        return True
    if plan.audience == Audience.PARTY_GROUP:
        return has_role(user, plan.conference_id, RoleKind.LEADER)
    member = Member.objects.filter(user=user, conference_id=plan.conference_id).first()
    if member is None:
        return False
    if plan.audience == Audience.STANDING_COMMITTEE:
        return member.is_standing
    return plan.committee_id is not None and member.committee_id == plan.committee_id


def can_read_plan(user: Any, plan: StudyPlan) -> bool:
    """The office of the plan's conference, and the learners it is addressed to."""
    return can_use_study_office(user, plan.conference_id) or in_audience(user, plan)


def can_take_quiz(user: Any, quiz: Quiz) -> bool:
    """Members (and leaders) of the quiz's conference to whom its plan, if any, is addressed."""
    if not is_learner(user, quiz.conference_id):
        return False
    return in_audience(user, quiz.plan) if quiz.plan_id else True


def paper_roles(user: Any, paper: StudyPaper) -> set[str]:
    """Every workflow role the user plays on this paper."""
    roles = set()
    if user.is_authenticated and paper.author_id == user.pk:
        roles.add("author")
    elif is_study_staff(user, paper.conference_id):
        roles.add("staff")
    return roles


def can_read_paper(user: Any, paper: StudyPaper) -> bool:
    """The author, and the office of the paper's conference."""
    return paper.author_id == user.pk or can_use_study_office(user, paper.conference_id)
