"""Build questionnaires for the questionnaire tests: a draft, its questions and skip rules, opened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from xieshang.voice import survey as svc
from xieshang.voice.models import Survey, SurveyQuestion

A = svc.AnswerInput


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def build(
    side: Any,
    *,
    public: bool = False,
    members: bool = True,
    panel: tuple[Any, ...] = (),
    open_: bool = True,
    opens_in: dt.timedelta = dt.timedelta(hours=-1),
    closes_in: dt.timedelta = dt.timedelta(days=7),
) -> Survey:
    """Four questions: 1 single (是 / 否 → 4 / 不清楚 → end), 2 multiple (max 2), 3 scale 1–5,
    4 free text (optional, 200 characters)."""
    now = timezone.now()
    survey = svc.create_survey(
        side.staff,
        side.conference,
        svc.SurveyInput(
            title="老旧小区改造意愿调查",
            intro="请根据实际情况填写。",
            opens_at=now + opens_in,
            closes_at=now + closes_in,
            for_members=members,
            for_public=public,
            panel_ids=[u.pk for u in panel],
        ),
    )
    staff = side.staff
    q1 = svc.add_question(
        staff, survey, svc.QuestionInput("single", "您是否住在老旧小区？", choices=["是", "否", "不清楚"])
    )
    svc.add_question(
        staff,
        survey,
        svc.QuestionInput(
            "multiple", "最需要改造的方面", choices=["加装电梯", "停车", "绿化", "管网"], max_choices=2
        ),
    )
    svc.add_question(
        staff,
        survey,
        svc.QuestionInput(
            "scale", "对现有居住条件的满意度", scale_max=5, low_label="很不满意", high_label="很满意"
        ),
    )
    q4 = svc.add_question(
        staff, survey, svc.QuestionInput("text", "其他建议", required=False, text_limit=200)
    )
    no, unsure = q1.choices.get(label="否"), q1.choices.get(label="不清楚")
    svc.set_jumps(staff, q1, {no.pk: str(q4.pk), unsure.pk: svc.END})
    survey.refresh_from_db()
    if open_:
        survey = svc.open_survey(staff, survey)
    return survey


def questions(survey: Survey) -> list[SurveyQuestion]:
    return svc.questions_of(survey)


def choice(question: SurveyQuestion, label: str) -> int:
    return question.choices.get(label=label).pk


def full(
    survey: Survey,
    *,
    lives: str = "是",
    aspects: tuple[str, ...] = ("加装电梯",),
    score: int = 4,
    text: str = "",
) -> dict[int, Any]:
    """A whole answer sheet by option labels."""
    q1, q2, q3, q4 = questions(survey)
    answers = {q1.pk: A(choice_ids=[choice(q1, lives)])}
    if aspects:
        answers[q2.pk] = A(choice_ids=[choice(q2, a) for a in aspects])
    answers[q3.pk] = A(scale=score)
    if text:
        answers[q4.pk] = A(text=text)
    return answers
