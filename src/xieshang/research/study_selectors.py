"""Every read of study that knows about the actor: limited to the actor's conferences (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieshang.activities.models import Activity, ActivityKind, ActivityState, Attendance
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import conference_ids

from . import study_rules as rules
from .models import (
    Question,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizQuestion,
    QuizState,
    StudyMaterial,
    StudyPaper,
    StudyPlan,
    StudySession,
)

OFFICE_ROLES = (RoleKind.STAFF, RoleKind.LEADER)
QUERY_WORDS = 5


def office_conference_ids(user: Any) -> set[int]:
    """Conferences where the user is staff or a leader."""
    return conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()


def _words(q: str) -> list[str]:
    return (q or "").split()[:QUERY_WORDS]


# ---------------------------------------------------------------------------- plans


def office_plans(
    user: Any, conference_id: int, *, q: str = "", year: int | None = None
) -> QuerySet[StudyPlan]:
    """The conference's plans for its office (otherwise none), newest year first, with counts."""
    if conference_id not in office_conference_ids(user):
        return StudyPlan.objects.none()
    qs = StudyPlan.objects.filter(conference_id=conference_id).select_related("committee")
    if year:
        qs = qs.filter(year=year)
    for word in _words(q):
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs.annotate(
        material_count=Count("materials", distinct=True), session_count=Count("sessions", distinct=True)
    ).order_by("-year", "-id")


def plans_for(user: Any, conference_id: int) -> list[StudyPlan]:
    """The plans of the conference addressed to the user (all of them for its office)."""
    qs = StudyPlan.objects.filter(conference_id=conference_id).select_related("committee")
    if conference_id in office_conference_ids(user):
        return list(qs)
    return [p for p in qs if rules.in_audience(user, p)]


def get_plan(user: Any, plan_id: int) -> StudyPlan:
    """A plan the user may read, or 404."""
    plan = StudyPlan.objects.select_related("conference", "committee").filter(pk=plan_id).first()
    if plan is None or not rules.can_read_plan(user, plan):
        raise Http404
    return plan


def get_office_plan(user: Any, plan_id: int) -> StudyPlan:
    """A plan of a conference where the user is staff or a leader, or 404."""
    plan = (
        StudyPlan.objects.select_related("conference", "committee")
        .filter(pk=plan_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def materials(plan: StudyPlan) -> QuerySet[StudyMaterial]:
    return StudyMaterial.objects.filter(plan=plan)


def get_material(user: Any, material_id: int) -> StudyMaterial:
    """A material of a plan the user may read, or 404."""
    material = StudyMaterial.objects.select_related("plan").filter(pk=material_id).first()
    if material is None or not rules.can_read_plan(user, material.plan):
        raise Http404
    return material


def sessions(plan: StudyPlan) -> QuerySet[StudySession]:
    return StudySession.objects.filter(plan=plan).select_related("activity").order_by("activity__starts_at")


def linkable_activities(plan: StudyPlan) -> QuerySet[Activity]:
    """Study sessions of the plan's conference not yet in the plan."""
    return (
        Activity.objects.filter(conference_id=plan.conference_id, kind=ActivityKind.STUDY_SESSION)
        .exclude(state=ActivityState.CANCELLED)
        .exclude(pk__in=StudySession.objects.filter(plan=plan).values("activity_id"))
        .order_by("-starts_at")
    )


def get_session(user: Any, session_id: int) -> StudySession:
    session = (
        StudySession.objects.select_related("plan", "activity")
        .filter(pk=session_id, plan__conference_id__in=office_conference_ids(user))
        .first()
    )
    if session is None:
        raise Http404
    return session


# ---------------------------------------------------------------------------- the bank


def bank(
    user: Any, conference_id: int, *, q: str = "", tag: str = "", kind: str = "", active: bool | None = True
) -> QuerySet[Question]:
    """The conference's questions for its office (otherwise none), filtered."""
    if conference_id not in office_conference_ids(user):
        return Question.objects.none()
    qs = Question.objects.filter(conference_id=conference_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(
            Q(tags=tag)
            | Q(tags__startswith=f"{tag},")
            | Q(tags__endswith=f",{tag}")
            | Q(tags__contains=f",{tag},")
        )
    for word in _words(q):
        qs = qs.filter(Q(text__icontains=word) | Q(tags__icontains=word) | Q(explanation__icontains=word))
    return qs


def bank_tags(conference_id: int) -> list[str]:
    """Every tag used in the conference's bank, sorted."""
    tags: set[str] = set()
    for value in Question.objects.filter(conference_id=conference_id).values_list("tags", flat=True):
        tags.update(t for t in value.split(",") if t)
    return sorted(tags)


def get_question(user: Any, question_id: int) -> Question:
    """A question of a conference where the user is staff or a leader, or 404."""
    question = Question.objects.filter(pk=question_id, conference_id__in=office_conference_ids(user)).first()
    if question is None:
        raise Http404
    return question


# ---------------------------------------------------------------------------- quizzes


def office_quizzes(user: Any, conference_id: int, *, q: str = "") -> QuerySet[Quiz]:
    """The conference's quizzes for its office (otherwise none), with attempt and pass counts."""
    if conference_id not in office_conference_ids(user):
        return Quiz.objects.none()
    qs = Quiz.objects.filter(conference_id=conference_id).select_related("plan")
    for word in _words(q):
        qs = qs.filter(title__icontains=word)
    return qs.annotate(
        item_count=Count("items", distinct=True),
        taker_count=Count("attempts__user", filter=Q(attempts__submitted_at__isnull=False), distinct=True),
        passer_count=Count("attempts__user", filter=Q(attempts__passed=True), distinct=True),
    ).order_by("-opens_at", "-id")


def get_office_quiz(user: Any, quiz_id: int) -> Quiz:
    """A quiz of a conference where the user is staff or a leader, or 404."""
    quiz = (
        Quiz.objects.select_related("conference", "plan")
        .filter(pk=quiz_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if quiz is None:
        raise Http404
    return quiz


def get_quiz(user: Any, quiz_id: int) -> Quiz:
    """A published quiz addressed to the user, or any quiz of the user's office; 404 otherwise."""
    quiz = Quiz.objects.select_related("conference", "plan").filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    if quiz.conference_id in office_conference_ids(user):
        return quiz
    if quiz.state == QuizState.DRAFT or not rules.can_take_quiz(user, quiz):
        raise Http404
    return quiz


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions (a random quiz's pool) in order."""
    return [i.question for i in QuizQuestion.objects.filter(quiz=quiz).select_related("question")]


@dataclass
class MyQuiz:
    """A quiz as one learner sees it: may they start now, how many tries are left, their best mark."""

    quiz: Quiz
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    is_open: bool
    attempts_left: int

    @property
    def best(self) -> QuizAttempt | None:
        done = [a for a in self.attempts if a.is_submitted]
        return max(done, key=lambda a: (a.score, -a.number)) if done else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def can_start(self) -> bool:
        return self.is_open and (self.open_attempt is not None or self.attempts_left > 0)


def my_quiz(user: Any, quiz: Quiz, attempts: list[QuizAttempt] | None = None) -> MyQuiz:
    """The learner's standing on one quiz (`attempts`: theirs on it, when already read)."""
    if attempts is None:
        attempts = list(QuizAttempt.objects.filter(quiz=quiz, user=user).order_by("number"))
    now = timezone.now()
    return MyQuiz(
        quiz=quiz,
        attempts=attempts,
        open_attempt=next((a for a in attempts if not a.is_submitted), None),
        is_open=quiz.state == QuizState.PUBLISHED and quiz.opens_at <= now <= quiz.closes_at,
        attempts_left=max(0, quiz.attempts_allowed - len(attempts)),
    )


def quizzes_for(user: Any, conference_id: int) -> list[MyQuiz]:
    """The published quizzes of the conference addressed to the user, open ones first."""
    quizzes = Quiz.objects.filter(conference_id=conference_id, state=QuizState.PUBLISHED).select_related(
        "plan"
    )
    addressed = [q for q in quizzes if rules.can_take_quiz(user, q)]
    attempts: dict[int, list[QuizAttempt]] = {q.pk: [] for q in addressed}
    for attempt in QuizAttempt.objects.filter(user=user, quiz__in=addressed).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)  # one query for every quiz's attempts
    mine = [my_quiz(user, q, attempts[q.pk]) for q in addressed]
    return sorted(mine, key=lambda m: (not m.is_open, -m.quiz.opens_at.timestamp()))


def get_attempt(user: Any, attempt_id: int) -> QuizAttempt:
    """The user's own attempt, or any attempt of a conference where the user is in the office; 404."""
    attempt = QuizAttempt.objects.select_related("quiz", "user").filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    if attempt.user_id != user.pk and attempt.conference_id not in office_conference_ids(user):
        raise Http404
    return attempt


@dataclass
class AttemptItem:
    """One question of an attempt, with what was chosen once the attempt is submitted."""

    position: int
    question: Question
    chosen: list[int] = field(default_factory=list)
    is_correct: bool | None = None

    @property
    def chosen_letters(self) -> str:
        return "".join(chr(65 + i) for i in self.chosen)

    @property
    def lettered_options(self) -> list[tuple[int, str, str]]:
        return [(i, chr(65 + i), text) for i, text in enumerate(self.question.options)]


def attempt_items(attempt: QuizAttempt) -> list[AttemptItem]:
    """The attempt's questions in their drawn order; with the choices and marks once submitted."""
    questions = Question.objects.in_bulk(attempt.question_ids)
    answers = {a.question_id: a for a in QuizAnswer.objects.filter(attempt=attempt)}
    items = []
    for position, qid in enumerate(attempt.question_ids, start=1):
        answer = answers.get(qid)
        items.append(
            AttemptItem(
                position=position,
                question=questions[qid],
                chosen=list(answer.chosen) if answer else [],
                is_correct=answer.is_correct if answer else None,
            )
        )
    return items


@dataclass
class QuizResults:
    """A quiz's results: each taker's best submitted attempt, the pass rate, each question's correct rate."""

    rows: list[QuizAttempt]
    attempt_count: int
    takers: int
    passers: int
    per_question: list[tuple[Question, int, int]]

    @property
    def pass_rate(self) -> float:
        return round(100 * self.passers / self.takers, 1) if self.takers else 0.0

    @property
    def average(self) -> float:
        return round(sum(a.score for a in self.rows) / len(self.rows), 1) if self.rows else 0.0


def quiz_results(quiz: Quiz) -> QuizResults:
    """Best attempt per taker (highest score, then earliest), and per-question answered/correct counts."""
    submitted = list(
        QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=False)
        .select_related("user")
        .order_by("user_id", "-score", "number")
    )
    best: dict[int, QuizAttempt] = {}
    passed: set[int] = set()
    for attempt in submitted:
        best.setdefault(attempt.user_id, attempt)
        if attempt.passed:
            passed.add(attempt.user_id)
    rows = sorted(best.values(), key=lambda a: (-a.score, a.submitted_at or timezone.now()))
    stats = (
        QuizAnswer.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
        .values("question_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(is_correct=True)))
    )
    counts = {s["question_id"]: (s["n"], s["ok"]) for s in stats}
    questions = Question.objects.in_bulk(list(counts))
    order = {q.pk: n for n, q in enumerate(quiz_questions(quiz))}
    per_question = sorted(
        ((questions[qid], n, ok) for qid, (n, ok) in counts.items()),
        key=lambda t: order.get(t[0].pk, len(order) + t[0].pk),
    )
    return QuizResults(
        rows=rows,
        attempt_count=len(submitted),
        takers=len(best),
        passers=len(passed),
        per_question=per_question,
    )


# ---------------------------------------------------------------------------- papers


def office_papers(user: Any, conference_id: int, *, state: str = "", q: str = "") -> QuerySet[StudyPaper]:
    """The conference's papers for its office (otherwise none), filtered by state and text."""
    if conference_id not in office_conference_ids(user):
        return StudyPaper.objects.none()
    qs = StudyPaper.objects.filter(conference_id=conference_id).select_related("author", "plan")
    if state:
        qs = qs.filter(state=state)
    for word in _words(q):
        qs = qs.filter(Q(title__icontains=word) | Q(author__display_name__icontains=word))
    return qs


def my_papers(user: Any, conference_id: int) -> QuerySet[StudyPaper]:
    """The user's own papers in the conference."""
    return StudyPaper.objects.filter(conference_id=conference_id, author=user).select_related("plan")


def get_paper(user: Any, paper_id: int) -> StudyPaper:
    """A paper the user wrote, or one of a conference where the user is in the office; 404 otherwise."""
    paper = StudyPaper.objects.select_related("author", "plan", "reviewed_by").filter(pk=paper_id).first()
    if paper is None or not rules.can_read_paper(user, paper):
        raise Http404
    return paper


def paper_actions(user: Any, paper: StudyPaper) -> list[str]:
    """Workflow actions the user may take on the paper now (the buttons to show)."""
    roles = rules.paper_roles(user, paper)
    return [
        n for n, row in rules.PAPER_TRANSITIONS.items() if paper.state in row.sources and row.roles & roles
    ]


# ---------------------------------------------------------------------------- a member's study record


@dataclass
class StudyRecord:
    """What a member did in study in one conference: sessions attended, quizzes taken, papers written."""

    user: User
    attendances: list[Attendance]
    quizzes: list[MyQuiz]
    papers: list[StudyPaper]

    @property
    def sessions_attended(self) -> int:
        return sum(a.status in (Attendance.Status.PRESENT, Attendance.Status.LATE) for a in self.attendances)

    @property
    def quizzes_passed(self) -> int:
        return sum(m.passed for m in self.quizzes)

    @property
    def papers_accepted(self) -> int:
        return sum(p.state == "accepted" for p in self.papers)


def study_record(user: User, conference_id: int) -> StudyRecord:
    """The member's study in the conference: attendance at study sessions (from activities), every quiz
    attempted, every paper."""
    attendances = list(
        Attendance.objects.filter(
            user=user, conference_id=conference_id, activity__kind=ActivityKind.STUDY_SESSION
        )
        .select_related("activity")
        .order_by("-activity__starts_at")
    )
    quiz_ids = QuizAttempt.objects.filter(user=user, conference_id=conference_id).values("quiz_id")
    quizzes = [my_quiz(user, q) for q in Quiz.objects.filter(pk__in=quiz_ids).order_by("-opens_at")]
    papers = list(my_papers(user, conference_id))
    return StudyRecord(user=user, attendances=attendances, quizzes=quizzes, papers=papers)


def get_member_for_record(user: Any, conference_id: int, member_id: int) -> User:
    """A member of the conference whose record the office may read, or 404."""
    if conference_id not in office_conference_ids(user):
        raise Http404
    found = User.objects.filter(pk=member_id, memberships__conference_id=conference_id).first()
    if found is None:
        raise Http404
    return found
