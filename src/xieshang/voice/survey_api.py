"""Questionnaires over the REST API: the open questionnaires asked of the caller, one questionnaire
with its questions, submitting an answer (signed in, or the public with the captcha of
GET /voice/public/captcha), staff's open/close and results. Visibility as on the pages: a
questionnaire the caller may not see is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status, codes_4xx

from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.schemas import Id, Text
from xieshang.core.errors import AppError, ErrorCode, invalid

from . import captcha, selectors, throttle
from . import survey as svc
from .models import Survey

router = Router(tags=["surveys"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
WRONG_CAPTCHA = "验证码不正确，请重新获取验证码。"


class SurveyOut(Schema):
    id: int
    conference_id: int
    title: str
    intro: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    for_members: bool
    for_public: bool
    state: str
    version: int
    answered: bool = False


class ChoiceOut(Schema):
    id: int
    label: str
    jump_to: int | None
    jump_end: bool


class SurveyQuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    required: bool
    max_choices: int | None
    scale_max: int | None
    low_label: str
    high_label: str
    text_limit: int
    choices: list[ChoiceOut]


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]


class SurveyAnswerIn(Schema):
    question_id: Id
    choice_ids: list[Id] = Field(default_factory=list, max_length=100)
    scale: int | None = Field(None, ge=0, le=100)
    text: Text = ""


class SurveySubmitIn(Schema):
    answers: list[SurveyAnswerIn] = Field(max_length=200)


class PublicSubmitIn(SurveySubmitIn):
    captcha: Text = Field(
        description="The answer to the question of GET /voice/public/captcha (same session)."
    )


class SurveySubmittedOut(Schema):
    response_id: int


class SurveyVersionIn(Schema):
    version: int | None = None


class OptionOut(Schema):
    label: str
    count: int
    percent: float


class SurveyThemeOut(Schema):
    name: str
    count: int
    texts: list[str]


class QuestionResultOut(Schema):
    question_id: int
    position: int
    kind: str
    text: str
    answered: int
    options: list[OptionOut]
    mean: float | None
    distribution: list[OptionOut]
    themes: list[SurveyThemeOut]


class SurveyResultsOut(Schema):
    survey_id: int
    responses: int
    public_responses: int
    audience: int
    known_responses: int
    rate: float | None
    questions: list[QuestionResultOut]


def _survey(survey: Survey, answered: bool = False) -> dict[str, Any]:
    fields = [
        "id",
        "conference_id",
        "title",
        "intro",
        "opens_at",
        "closes_at",
        "for_members",
        "for_public",
        "state",
        "version",
    ]
    return {name: getattr(survey, name) for name in fields} | {"answered": answered}


def _detail(survey: Survey, answered: bool = False) -> dict[str, Any]:
    questions = [
        {
            "id": q.pk,
            "position": q.position,
            "kind": q.kind,
            "text": q.text,
            "required": q.required,
            "max_choices": q.max_choices,
            "scale_max": q.scale_max,
            "low_label": q.low_label,
            "high_label": q.high_label,
            "text_limit": q.text_limit,
            "choices": [
                {"id": c.pk, "label": c.label, "jump_to": c.jump_to_id, "jump_end": c.jump_end}
                for c in q.choices.all()
            ],
        }
        for q in svc.questions_of(survey)
    ]
    return _survey(survey, answered) | {"questions": questions}


def _answers(payload: SurveySubmitIn) -> dict[int, svc.AnswerInput]:
    answers: dict[int, svc.AnswerInput] = {}
    for a in payload.answers:
        if a.question_id in answers:
            raise invalid({f"q{a.question_id}": "同一道题只能回答一次。"})
        answers[a.question_id] = svc.AnswerInput(choice_ids=list(a.choice_ids), scale=a.scale, text=a.text)
    return answers


@router.get("/mine", response=list[SurveyOut])
def my_surveys(request: HttpRequest) -> list[dict[str, Any]]:
    """The open questionnaires the caller (a member or panel member) is asked to answer."""
    user = actor(request)
    rows = list(svc.my_surveys(user))
    done = svc.answered_ids(user, rows)
    return [_survey(s, s.pk in done) for s in rows]


def _readable(request: HttpRequest, survey_id: int) -> Survey:
    user = actor(request)
    try:
        return svc.get_answerable(user, survey_id)
    except Http404:
        return svc.get_office_survey(user, survey_id)


@router.get("/{survey_id}", response={200: SurveyDetailOut, **ERRORS})
def get_survey(request: HttpRequest, survey_id: Id) -> dict[str, Any]:
    """One questionnaire with its questions, for its audience and its conference's staff."""
    found = _readable(request, survey_id)
    return _detail(found, bool(svc.answered_ids(actor(request), [found])))


@router.post("/{survey_id}/answers", response={201: SurveySubmittedOut, **ERRORS})
def submit(request: HttpRequest, survey_id: Id, payload: SurveySubmitIn) -> Status[dict[str, int]]:
    """A member or panel member answers, once (409 on a second answer)."""
    user = actor(request)
    found = svc.get_answerable(user, survey_id)
    response = svc.submit_response(user, found, _answers(payload))
    return Status(201, {"response_id": response.pk})


@router.post("/{survey_id}/open", response={200: SurveyOut, **ERRORS})
def open_survey(request: HttpRequest, survey_id: Id, payload: SurveyVersionIn) -> dict[str, Any]:
    """Staff publish a draft."""
    user = actor(request)
    return _survey(svc.open_survey(user, svc.get_office_survey(user, survey_id), version=payload.version))


@router.post("/{survey_id}/close", response={200: SurveyOut, **ERRORS})
def close_survey(request: HttpRequest, survey_id: Id, payload: SurveyVersionIn) -> dict[str, Any]:
    """Staff end an open questionnaire."""
    user = actor(request)
    return _survey(svc.close_survey(user, svc.get_office_survey(user, survey_id), version=payload.version))


@router.get("/{survey_id}/results", response={200: SurveyResultsOut, **ERRORS})
def results(request: HttpRequest, survey_id: Id) -> dict[str, Any]:
    """Staff and leaders: counts per option, scale means, free texts by theme, response rate."""
    found = svc.get_office_survey(actor(request), survey_id)
    r = svc.results(found)
    return {
        "survey_id": found.pk,
        "responses": r.responses,
        "public_responses": r.public_responses,
        "audience": r.audience,
        "known_responses": r.known_responses,
        "rate": r.rate,
        "questions": [
            {
                "question_id": q.question.pk,
                "position": q.question.position,
                "kind": q.question.kind,
                "text": q.question.text,
                "answered": q.answered,
                "options": [vars(o) for o in q.options],
                "mean": q.mean,
                "distribution": [vars(o) for o in q.distribution],
                "themes": [vars(t) for t in q.themes],
            }
            for q in r.questions
        ],
    }


# The public: no sign-in; the captcha of GET /voice/public/captcha and a limit per address.
public_router = Router(tags=["surveys"])


@public_router.get("/{code}/surveys/{survey_id}", response={200: SurveyDetailOut, **ERRORS}, auth=None)
def public_survey(request: HttpRequest, code: str, survey_id: Id) -> dict[str, Any]:
    """A published public questionnaire with its questions."""
    return _detail(svc.get_public_survey(selectors.public_conference(code), survey_id))


@public_router.post(
    "/{code}/surveys/{survey_id}/answers", response={201: SurveySubmittedOut, **ERRORS}, auth=None
)
def public_submit(
    request: HttpRequest, code: str, survey_id: Id, payload: PublicSubmitIn
) -> Status[dict[str, int]]:
    """The public answer anonymously, with the captcha; each address is rate limited."""
    found = svc.get_public_survey(selectors.public_conference(code), survey_id)
    client = throttle.client_hash(request)
    if throttle.exceeded("survey", client, svc.public_limit()):
        raise AppError(ErrorCode.INVALID_INPUT, str(svc.TOO_OFTEN))
    if not captcha.check(request.session, payload.captcha):
        raise invalid({"captcha": WRONG_CAPTCHA})
    # The public through the API are never a known person, even with a browser session.
    response = svc.submit_response(AnonymousUser(), found, _answers(payload), client=client)
    return Status(201, {"response_id": response.pk})
