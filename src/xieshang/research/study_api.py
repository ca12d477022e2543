"""Study over the REST API (/api/v1/research/study): plans and quizzes for the caller, taking a quiz
(start or resume an attempt, submit answers, read the marked attempt), papers, and results for the office.
Errors go through the API's AppError handler; anything of another conference is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.schemas import Id, Text

from . import study_selectors as sel
from . import study_services as services
from .models import Question, QuizAttempt, StudyPaper, StudyPlan

router = Router(tags=["research"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
Choice = Annotated[int, Field(ge=0, le=7)]


class PlanOut(Schema):
    id: int
    conference_id: int
    year: int
    title: str
    audience: str
    audience_label: str
    description: str


class QuizOut(Schema):
    id: int
    conference_id: int
    plan_id: int | None
    title: str
    description: str
    mode: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    pass_mark: int
    attempts_allowed: int
    is_open: bool
    attempts_used: int
    attempts_left: int
    open_attempt_id: int | None
    best_score: int | None
    passed: bool


class StudyQuestionOut(Schema):
    id: int
    position: int
    kind: str
    kind_label: str
    text: str
    options: list[str]


class FeedbackOut(StudyQuestionOut):
    chosen: list[int]
    answer: list[int]
    is_correct: bool
    explanation: str


class AttemptOut(Schema):
    id: int
    quiz_id: int
    number: int
    submitted: bool
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    score: int | None = Field(description="Out of 100; null until submitted.")
    correct_count: int | None
    total: int
    passed: bool | None
    questions: list[StudyQuestionOut] = Field(
        description="Before submission: the questions, without answers."
    )
    feedback: list[FeedbackOut] = Field(
        description="After submission: each question marked, with the answer."
    )


class AnswersIn(Schema):
    answers: dict[Id, list[Choice]] = Field(
        description="Question id → the indexes of the chosen options (0 = A); unanswered is wrong."
    )


class ResultRowOut(Schema):
    user_id: int
    name: str
    attempt_id: int
    score: int
    correct_count: int
    total: int
    passed: bool
    submitted_at: dt.datetime | None


class QuestionRateOut(Schema):
    question_id: int
    text: str
    answered: int
    correct: int
    rate: float


class StudyResultsOut(Schema):
    quiz_id: int
    takers: int
    passers: int
    pass_rate: float
    average: float
    rows: list[ResultRowOut]
    questions: list[QuestionRateOut]


class PaperIn(Schema):
    conference_id: Id
    title: Text
    body: Text = ""
    plan_id: Id | None = None


class PaperOut(Schema):
    id: int
    conference_id: int
    title: str
    state: str
    state_label: str
    reason: str
    version: int


class ReviewIn(Schema):
    reason: Text = ""
    version: Id | None = None


def _plan(plan: StudyPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "conference_id": plan.conference_id,
        "year": plan.year,
        "title": plan.title,
        "audience": plan.audience,
        "audience_label": plan.audience_label,
        "description": plan.description,
    }


def _quiz(mine: sel.MyQuiz) -> dict[str, Any]:
    quiz, best = mine.quiz, mine.best
    return {
        "id": quiz.pk,
        "conference_id": quiz.conference_id,
        "plan_id": quiz.plan_id,
        "title": quiz.title,
        "description": quiz.description,
        "mode": quiz.mode,
        "opens_at": quiz.opens_at,
        "closes_at": quiz.closes_at,
        "pass_mark": quiz.pass_mark,
        "attempts_allowed": quiz.attempts_allowed,
        "is_open": mine.is_open,
        "attempts_used": len(mine.attempts),
        "attempts_left": mine.attempts_left,
        "open_attempt_id": mine.open_attempt.pk if mine.open_attempt else None,
        "best_score": best.score if best else None,
        "passed": mine.passed,
    }


def _question(position: int, question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "position": position,
        "kind": question.kind,
        "kind_label": str(question.get_kind_display()),
        "text": question.text,
        "options": list(question.options),
    }


def _attempt(attempt: QuizAttempt) -> dict[str, Any]:
    items = sel.attempt_items(attempt)
    done = attempt.is_submitted
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "submitted": done,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score if done else None,
        "correct_count": attempt.correct_count if done else None,
        "total": attempt.total,
        "passed": attempt.passed if done else None,
        "questions": [] if done else [_question(i.position, i.question) for i in items],
        "feedback": [
            {
                **_question(i.position, i.question),
                "chosen": i.chosen,
                "answer": list(i.question.answer),
                "is_correct": bool(i.is_correct),
                "explanation": i.question.explanation,
            }
            for i in items
        ]
        if done
        else [],
    }


def _paper(paper: StudyPaper) -> dict[str, Any]:
    paper.refresh_from_db(fields=["state", "version", "reason"])
    return {
        "id": paper.pk,
        "conference_id": paper.conference_id,
        "title": paper.title,
        "state": paper.state,
        "state_label": str(paper.get_state_display()),
        "reason": paper.reason,
        "version": paper.version,
    }


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
def list_plans(request: HttpRequest, conference_id: Id) -> list[dict[str, Any]]:
    """The conference's study plans addressed to the caller (all of them for its office)."""
    user = actor(request)
    access.conference(user, conference_id)
    return [_plan(p) for p in sel.plans_for(user, conference_id)]


@router.get("/quizzes", response={200: list[QuizOut], **ERRORS})
def list_quizzes(request: HttpRequest, conference_id: Id) -> list[dict[str, Any]]:
    """The published quizzes addressed to the caller, open ones first, with the caller's standing."""
    user = actor(request)
    access.conference(user, conference_id)
    return [_quiz(m) for m in sel.quizzes_for(user, conference_id)]


@router.post("/quizzes/{quiz_id}/attempts", response={201: AttemptOut, **ERRORS})
def start_attempt(request: HttpRequest, quiz_id: Id) -> Status[dict[str, Any]]:
    """Start an attempt inside the window, or get back the unfinished one (same questions)."""
    user = actor(request)
    quiz = sel.get_quiz(user, quiz_id)
    return Status(201, _attempt(services.start_attempt(user, quiz)))


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS})
def get_attempt(request: HttpRequest, attempt_id: Id) -> dict[str, Any]:
    """One of the caller's attempts (or, for the office, any of its conference)."""
    return _attempt(sel.get_attempt(actor(request), attempt_id))


@router.post("/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS})
def submit_attempt(request: HttpRequest, attempt_id: Id, payload: AnswersIn) -> dict[str, Any]:
    """Hand in the caller's attempt: marked at once, with per-question feedback."""
    user = actor(request)
    attempt = sel.get_attempt(user, attempt_id)
    if attempt.user_id != user.pk:
        raise Http404
    return _attempt(services.submit_attempt(user, attempt, payload.answers))


@router.get("/quizzes/{quiz_id}/results", response={200: StudyResultsOut, **ERRORS})
def quiz_results(request: HttpRequest, quiz_id: Id) -> dict[str, Any]:
    """The office's results of a quiz: best mark per taker, pass rate, each question's correct rate."""
    quiz = sel.get_office_quiz(actor(request), quiz_id)
    results = sel.quiz_results(quiz)
    return {
        "quiz_id": quiz.pk,
        "takers": results.takers,
        "passers": results.passers,
        "pass_rate": results.pass_rate,
        "average": results.average,
        "rows": [
            {
                "user_id": a.user_id,
                "name": str(a.user),
                "attempt_id": a.pk,
                "score": a.score,
                "correct_count": a.correct_count,
                "total": a.total,
                "passed": a.passed,
                "submitted_at": a.submitted_at,
            }
            for a in results.rows
        ],
        "questions": [
            {
                "question_id": q.pk,
                "text": q.text,
                "answered": n,
                "correct": ok,
                "rate": round(100 * ok / n, 1) if n else 0.0,
            }
            for q, n, ok in results.per_question
        ],
    }


@router.get("/papers", response={200: list[PaperOut], **ERRORS})
def my_papers(request: HttpRequest, conference_id: Id) -> list[dict[str, Any]]:
    """The caller's own study papers in the conference."""
    user = actor(request)
    access.conference(user, conference_id)
    return [_paper(p) for p in sel.my_papers(user, conference_id)]


@router.post("/papers", response={201: PaperOut, **ERRORS})
def submit_paper(request: HttpRequest, payload: PaperIn) -> Status[dict[str, Any]]:
    """A member hands in a study paper (text only here; upload a file on the page)."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    data = services.PaperInput(title=payload.title, body=payload.body, plan_id=payload.plan_id)
    return Status(201, _paper(services.submit_paper(user, conference, data)))


@router.post("/papers/{paper_id}/{action}", response={200: PaperOut, **ERRORS})
def review_paper(request: HttpRequest, paper_id: Id, action: str, payload: ReviewIn) -> dict[str, Any]:
    """Staff accept, return or reject a paper (`action`: accept / return / reject)."""
    user = actor(request)
    paper = sel.get_paper(user, paper_id)
    if action not in ("accept", "return", "reject"):
        raise Http404
    return _paper(services.review_paper(user, paper, action, reason=payload.reason, version=payload.version))
