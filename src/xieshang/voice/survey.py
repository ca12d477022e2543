"""Questionnaires (问卷调查): the state table, who answers, every write and every read.

Roles: `staff` of the questionnaire's conference build it (questions only while it is a draft), open
and close it, and read the results (leaders read the results too). The audience is the conference's
members, a panel chosen from the talent pool, and/or the public on the portal (a captcha and a
per-address rate limit, no account). Known people answer once; a unique constraint backs that up.

Skip logic: an option of a single choice question may jump forward to a later question or to the end;
answers to the questions skipped that way are dropped, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import (
    conference_ids,
    guided_conference_ids,
    has_role,
    talent_pool,
    users_with_role,
)
from xieshang.textintel.topics import hot_topics

from . import throttle
from .models import (
    Deliberation,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from .models import SurveyState as S

TITLE_MAX = 200
INTRO_MAX = 5000
QUESTION_MAX = 500
CHOICE_MAX = 200
CHOICES_MAX = 30
LABEL_MAX = 30
TEXT_LIMIT_MAX = 5000
QUESTIONS_MAX = 100
SCALES = (5, 10)
END = "end"
OTHER_GROUP = gettext_lazy("其他回答")

TRANSITIONS: dict[str, sm.Transition] = {
    "open": sm.transition(str(gettext_lazy("发布问卷")), {S.DRAFT}, {"staff"}, {S.OPEN}, "notify audience"),
    "close": sm.transition(str(gettext_lazy("结束问卷")), {S.OPEN}, {"staff"}, {S.CLOSED}),
}
_text = sm.clean_text

# ---------------------------------------------------------------------------- rules


def is_staff(user: Any, survey: Survey) -> bool:
    """Office staff of the questionnaire's conference: they build, open, close and read results."""
    return bool(user.is_authenticated and has_role(user, survey.conference_id, RoleKind.STAFF))


def can_read_results(user: Any, survey: Survey) -> bool:
    """Staff and leaders of the questionnaire's conference."""
    return bool(
        user.is_authenticated and has_role(user, survey.conference_id, RoleKind.STAFF, RoleKind.LEADER)
    )


def is_known_audience(user: Any, survey: Survey) -> bool:
    """A member of the conference (when it is for members) or someone on the panel."""
    if not user.is_authenticated:
        return False
    if survey.for_members and has_role(user, survey.conference_id, RoleKind.MEMBER):
        return True
    return survey.panel.filter(pk=user.pk).exists()


def actor_roles(user: Any, survey: Survey) -> set[str]:
    return {"staff"} if is_staff(user, survey) else set()


def in_window(survey: Survey, now: dt.datetime | None = None) -> bool:
    """Open and within its time window."""
    now = now or timezone.now()
    return survey.state == S.OPEN and survey.opens_at <= now <= survey.closes_at


# ---------------------------------------------------------------------------- reads


def office_surveys(user: Any, conference_id: int) -> QuerySet[Survey]:
    """Every questionnaire of the conference, for its staff and leaders; nothing for anyone else."""
    if not user.is_authenticated or conference_id not in conference_ids(
        user, RoleKind.STAFF, RoleKind.LEADER
    ):
        return Survey.objects.none()
    return Survey.objects.filter(conference_id=conference_id)


def get_office_survey(user: Any, pk: int) -> Survey:
    """A questionnaire of one of the user's conferences where they are staff or leader, or 404."""
    ids = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER) if user.is_authenticated else set()
    found = Survey.objects.filter(pk=pk, conference_id__in=ids).select_related("conference").first()
    if found is None:
        raise Http404
    return found


def _audience_q(user: Any) -> Q:
    panel = Survey.panel.through.objects.filter(user=user).values("survey_id")
    return Q(for_members=True, conference_id__in=conference_ids(user, RoleKind.MEMBER)) | Q(pk__in=panel)


def my_surveys(user: Any) -> QuerySet[Survey]:
    """The open questionnaires a signed-in member or panel member is asked to answer."""
    if not user.is_authenticated:
        return Survey.objects.none()
    now = timezone.now()
    return (
        Survey.objects.filter(state=S.OPEN, opens_at__lte=now, closes_at__gte=now)
        .filter(_audience_q(user))
        .select_related("conference")
    )


def answered_ids(user: Any, surveys: Sequence[Survey]) -> set[int]:
    """Which of these questionnaires the user already answered."""
    if not user.is_authenticated:
        return set()
    return set(
        SurveyResponse.objects.filter(respondent=user, survey__in=surveys).values_list("survey_id", flat=True)
    )


def get_answerable(user: Any, pk: int) -> Survey:
    """A published questionnaire (open or closed) the signed-in user is in the audience of, or 404."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Survey.objects.filter(pk=pk, state__in=[S.OPEN, S.CLOSED])
        .filter(_audience_q(user))
        .select_related("conference")
        .first()
    )
    if found is None:
        raise Http404
    return found


def public_surveys(conference: Conference) -> QuerySet[Survey]:
    """The public questionnaires of a conference now taking answers."""
    now = timezone.now()
    return Survey.objects.filter(
        conference=conference, for_public=True, state=S.OPEN, opens_at__lte=now, closes_at__gte=now
    )


def get_public_survey(conference: Conference, pk: int) -> Survey:
    """A published public questionnaire of the conference, or 404 (drafts are never shown)."""
    found = (
        Survey.objects.filter(conference=conference, pk=pk, for_public=True, state__in=[S.OPEN, S.CLOSED])
        .select_related("conference")
        .first()
    )
    if found is None:
        raise Http404
    return found


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    """The questions in order, with their options."""
    return list(survey.questions.prefetch_related("choices"))


def panel_candidates(conference_id: int, q: str = "") -> QuerySet[User]:
    """The talent pool (xieshang.people): members of the conference and of the conferences it guides,
    searched by name, expertise, workplace, sector, party or committee."""
    pool = talent_pool(guided_conference_ids(conference_id), q=q)
    return User.objects.filter(pk__in=pool.values("user_id")).order_by("username")


def known_audience(survey: Survey) -> QuerySet[User]:
    """The people asked by name: the conference's members (when it is for members) and the panel."""
    condition = Q(pk__in=survey.panel.through.objects.filter(survey=survey).values("user_id"))
    if survey.for_members:
        condition |= Q(pk__in=users_with_role(survey.conference_id, [RoleKind.MEMBER]).values("pk"))
    return User.objects.filter(condition)


# ---------------------------------------------------------------------------- building


@dataclass
class SurveyInput:
    """What staff write when they set up a questionnaire."""

    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    intro: str = ""
    for_members: bool = True
    for_public: bool = False
    panel_ids: list[int] = field(default_factory=list)
    deliberation_id: int | None = None
    activity_id: int | None = None


@dataclass
class QuestionInput:
    """One question: its kind decides which of the other fields count."""

    kind: str
    text: str
    required: bool = True
    choices: list[str] = field(default_factory=list)
    max_choices: int | None = None
    scale_max: int | None = None
    low_label: str = ""
    high_label: str = ""
    text_limit: int = 500


def _url(survey: Survey) -> str:
    return reverse("voice:survey_answer", args=[survey.pk])


def _clean_survey(conference: Conference, data: SurveyInput) -> tuple[dict[str, Any], list[User]]:
    fields: dict[str, Any] = {
        "title": _text(data.title, "title", _("问卷标题"), required=True, limit=TITLE_MAX),
        "intro": _text(data.intro, "intro", _("问卷说明"), required=False, limit=INTRO_MAX),
    }
    if data.closes_at <= data.opens_at:
        raise invalid({"closes_at": _("结束时间须晚于开始时间。")})
    panel = list(panel_candidates(conference.pk).filter(pk__in=data.panel_ids))
    if len(panel) != len(set(data.panel_ids)):
        raise invalid({"panel": _("专家组成员须从人才库中选择。")})
    if not (data.for_members or data.for_public or panel):
        raise invalid({"for_members": _("请至少选择一类作答对象。")})
    if (
        data.deliberation_id is not None
        and not Deliberation.objects.filter(pk=data.deliberation_id, conference=conference).exists()
    ):
        raise invalid({"deliberation": _("关联的网络议政议题不存在。")})
    if data.activity_id is not None:
        from xieshang.activities.models import Activity

        if not Activity.objects.filter(pk=data.activity_id, conference=conference).exists():
            raise invalid({"activity_id": _("关联的活动不存在。")})
    fields |= {
        "opens_at": data.opens_at,
        "closes_at": data.closes_at,
        "for_members": data.for_members,
        "for_public": data.for_public,
        "deliberation_id": data.deliberation_id,
        "activity_id": data.activity_id,
    }
    return fields, panel


@transaction.atomic(durable=True)
def create_survey(actor: User, conference: Conference, data: SurveyInput) -> Survey:
    """Staff set up a questionnaire as a draft; the panel must come from the talent pool."""
    if not has_role(actor, conference.pk, RoleKind.STAFF):
        raise denied()
    fields, panel = _clean_survey(conference, data)
    survey = Survey.objects.create(conference=conference, created_by=actor, **fields)
    survey.panel.set(panel)
    record(actor, "create", survey, to_state=survey.state, summary=_("创建问卷"))
    return survey


def _lock_draft(actor: User, survey: Survey, version: int | None = None) -> Survey:
    locked = sm.lock(survey, version, "conference")
    if not is_staff(actor, locked):
        raise denied()
    if locked.state != S.DRAFT:
        raise AppError(ErrorCode.INVALID_STATE, _("问卷已发布，不能再修改。"))
    return locked


@transaction.atomic(durable=True)
def update_survey(actor: User, survey: Survey, data: SurveyInput, *, version: int | None = None) -> Survey:
    """Staff change a draft's title, intro, window or audience."""
    locked = _lock_draft(actor, survey, version)
    fields, panel = _clean_survey(locked.conference, data)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.panel.set(panel)
    sm.touch(actor, locked, "edit", label=_("修改问卷"), fields=list(fields))
    return locked


def _clean_question(data: QuestionInput) -> dict[str, Any]:
    if data.kind not in QuestionKind.values:
        raise invalid({"kind": _("请选择题型。")})
    result: dict[str, Any] = {
        "kind": data.kind,
        "text": _text(data.text, "text", _("题目"), required=True, limit=QUESTION_MAX),
        "required": bool(data.required),
        "max_choices": None,
        "scale_max": None,
        "low_label": "",
        "high_label": "",
        "text_limit": 500,
    }
    if data.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = [_text(c, "choices", _("选项"), required=False, limit=CHOICE_MAX) for c in data.choices]
        labels = [c for c in labels if c]
        if len(labels) < 2:
            raise invalid({"choices": _("选择题至少需要两个选项。")})
        if len(labels) > CHOICES_MAX:
            raise invalid({"choices": _("选项不能超过 %(n)s 个。") % {"n": CHOICES_MAX}})
        if len(set(labels)) != len(labels):
            raise invalid({"choices": _("选项不能重复。")})
        result["choices"] = labels
        if data.kind == QuestionKind.MULTIPLE and data.max_choices:
            if not 1 <= data.max_choices <= len(labels):
                raise invalid({"max_choices": _("最多可选项数须在 1 到选项个数之间。")})
            result["max_choices"] = data.max_choices
    elif data.kind == QuestionKind.SCALE:
        if data.scale_max not in SCALES:
            raise invalid({"scale_max": _("量表须为 1–5 分或 1–10 分。")})
        result["scale_max"] = data.scale_max
        result["low_label"] = _text(
            data.low_label, "low_label", _("最低分含义"), required=False, limit=LABEL_MAX
        )
        result["high_label"] = _text(
            data.high_label, "high_label", _("最高分含义"), required=False, limit=LABEL_MAX
        )
    else:
        limit = data.text_limit or 500
        if not 1 <= limit <= TEXT_LIMIT_MAX:
            raise invalid({"text_limit": _("字数上限须在 1 到 %(n)s 之间。") % {"n": TEXT_LIMIT_MAX}})
        result["text_limit"] = limit
    return result


@transaction.atomic(durable=True)
def add_question(actor: User, survey: Survey, data: QuestionInput) -> SurveyQuestion:
    """Staff append a question to a draft."""
    locked = _lock_draft(actor, survey)
    fields = _clean_question(data)
    labels = fields.pop("choices", [])
    if locked.questions.count() >= QUESTIONS_MAX:
        raise invalid({"text": _("一份问卷最多 %(n)s 道题。") % {"n": QUESTIONS_MAX}})
    last = locked.questions.aggregate(m=Max("position"))["m"] or 0
    question = SurveyQuestion.objects.create(survey=locked, position=last + 1, **fields)
    SurveyChoice.objects.bulk_create(
        SurveyChoice(question=question, position=i, label=label) for i, label in enumerate(labels, start=1)
    )
    sm.touch(
        actor,
        locked,
        "add_question",
        label=_("添加题目"),
        summary=_("添加第 %(n)s 题") % {"n": question.position},
        data={"question": question.pk},
    )
    return question


@transaction.atomic(durable=True)
def delete_question(actor: User, question: SurveyQuestion) -> Survey:
    """Staff remove a question from a draft (jumps to it are cleared)."""
    locked = _lock_draft(actor, question.survey)
    found = locked.questions.filter(pk=question.pk).first()
    if found is None:
        raise Http404
    position = found.position
    found.delete()
    sm.touch(
        actor,
        locked,
        "delete_question",
        label=_("删除题目"),
        summary=_("删除第 %(n)s 题") % {"n": position},
    )
    return locked


@transaction.atomic(durable=True)
def set_jumps(actor: User, question: SurveyQuestion, jumps: Mapping[int, str]) -> SurveyQuestion:
    """Staff set where each option of a single choice question leads: "" (the next question), END, or
    the id of a later question of the same questionnaire."""
    locked = _lock_draft(actor, question.survey)
    found = locked.questions.filter(pk=question.pk).first()
    if found is None:
        raise Http404
    if found.kind != QuestionKind.SINGLE:
        raise invalid({"jumps": _("只有单选题可以设置跳题。")})
    later = {q.pk: q for q in locked.questions.filter(position__gt=found.position)}
    choices = {c.pk: c for c in found.choices.all()}
    for choice_id, target in jumps.items():
        choice = choices.get(int(choice_id))
        if choice is None:
            raise invalid({"jumps": _("选项不属于该题。")})
        target = str(target or "").strip()
        choice.jump_end = target == END
        choice.jump_to = None
        if target and target != END:
            if not target.isdigit() or int(target) not in later:
                raise invalid({"jumps": _("只能跳转到本题之后的题目或结束答卷。")})
            choice.jump_to = later[int(target)]
        choice.save(update_fields=["jump_end", "jump_to"])
    sm.touch(
        actor,
        locked,
        "set_jumps",
        label=_("设置跳题"),
        summary=_("设置第 %(n)s 题的跳题") % {"n": found.position},
    )
    return found


def _transition(actor: User, survey: Survey, action: str, version: int | None) -> Survey:
    locked = sm.lock(survey, version, "conference")
    sm.check(TRANSITIONS[action], actor_roles(actor, locked), locked, _("该问卷"))
    return locked


@transaction.atomic(durable=True)
def open_survey(actor: User, survey: Survey, *, version: int | None = None) -> Survey:
    """Staff publish a draft; the known audience is told."""
    locked = _transition(actor, survey, "open", version)
    if not locked.questions.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("问卷还没有题目，不能发布。"))
    if locked.closes_at <= timezone.now():
        raise AppError(ErrorCode.INVALID_STATE, _("问卷的结束时间已过，请先修改时间。"))
    sm.move(actor, locked, "open", TRANSITIONS["open"], S.OPEN)
    notify_on_commit(
        list(known_audience(locked)),
        verb="survey_opened",
        title=_("问卷调查：%(t)s") % {"t": locked.title},
        body=_("请在 %(d)s 前作答。")
        % {"d": timezone.localtime(locked.closes_at).strftime("%Y-%m-%d %H:%M")},
        url=_url(locked),
        conference_id=locked.conference_id,
    )
    return locked


@transaction.atomic(durable=True)
def close_survey(actor: User, survey: Survey, *, version: int | None = None) -> Survey:
    """Staff end a questionnaire before (or after) its window; no more answers."""
    locked = _transition(actor, survey, "close", version)
    sm.move(actor, locked, "close", TRANSITIONS["close"], S.CLOSED)
    return locked


# ---------------------------------------------------------------------------- answering


@dataclass
class AnswerInput:
    """A raw answer to one question as typed: option ids, a scale value, or a text."""

    choice_ids: list[int] = field(default_factory=list)
    scale: int | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.choice_ids and self.scale is None and not (self.text or "").strip()


def path_through(questions: Sequence[SurveyQuestion], answers: Mapping[int, AnswerInput]) -> list[int]:
    """The ids of the questions the respondent is shown, following the jumps of the options chosen."""
    shown: list[int] = []
    index = {q.pk: i for i, q in enumerate(questions)}
    i = 0
    while i < len(questions):
        question = questions[i]
        shown.append(question.pk)
        i += 1
        if question.kind != QuestionKind.SINGLE:
            continue
        given = answers.get(question.pk)
        if given is None or len(given.choice_ids) != 1:
            continue
        choice = next((c for c in question.choices.all() if c.pk == given.choice_ids[0]), None)
        if choice is None:
            continue
        if choice.jump_end:
            break
        if choice.jump_to_id and choice.jump_to_id in index and index[choice.jump_to_id] >= i:
            i = index[choice.jump_to_id]
    return shown


def _clean_answer(question: SurveyQuestion, given: AnswerInput | None) -> list[SurveyAnswer]:
    key = f"q{question.pk}"
    label = _("第 %(n)s 题") % {"n": question.position}
    if given is None or given.empty:
        if question.required:
            raise invalid({key: _("%(q)s为必答题。") % {"q": label}})
        return []
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        ids = list(dict.fromkeys(int(c) for c in given.choice_ids))
        options = {c.pk: c for c in question.choices.all()}
        if not ids or any(c not in options for c in ids):
            raise invalid({key: _("%(q)s的选项无效。") % {"q": label}})
        if question.kind == QuestionKind.SINGLE and len(ids) != 1:
            raise invalid({key: _("%(q)s只能选一项。") % {"q": label}})
        if question.max_choices and len(ids) > question.max_choices:
            raise invalid({key: _("%(q)s最多选 %(m)s 项。") % {"q": label, "m": question.max_choices}})
        return [SurveyAnswer(question=question, choice=options[c]) for c in ids]
    if question.kind == QuestionKind.SCALE:
        top = question.scale_max or 5
        if given.scale is None or not 1 <= given.scale <= top:
            raise invalid({key: _("%(q)s须在 1 到 %(m)s 分之间。") % {"q": label, "m": top}})
        return [SurveyAnswer(question=question, scale=given.scale)]
    text = _text(given.text, key, label, required=question.required, limit=question.text_limit)
    return [SurveyAnswer(question=question, text=text)] if text else []


def clean_answers(survey: Survey, answers: Mapping[int, AnswerInput]) -> list[SurveyAnswer]:
    """The answers to store: each shown question checked (required, options of that question, scale
    range, text length), answers to skipped or unknown questions dropped. Every error at once."""
    questions = questions_of(survey)
    shown = set(path_through(questions, answers))
    rows: list[SurveyAnswer] = []
    errors: dict[str, str] = {}
    for question in questions:
        if question.pk not in shown:
            continue
        try:
            rows += _clean_answer(question, answers.get(question.pk))
        except AppError as error:
            errors |= error.fields
    if errors:
        raise invalid(errors, _("请检查标出的题目。"))
    return rows


def _check_window(survey: Survey) -> None:
    now = timezone.now()
    if survey.state != S.OPEN:
        raise AppError(ErrorCode.INVALID_STATE, _("该问卷当前不接受作答。"))
    if now < survey.opens_at:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("问卷尚未开始，请在开始时间后作答。"))
    if now > survey.closes_at:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("问卷已截止，不能再作答。"))


ALREADY = gettext_lazy("您已经填写过这份问卷，每人只能作答一次。")
TOO_OFTEN = gettext_lazy("提交过于频繁，请稍后再试。")


def public_limit() -> int:
    """Public answers one address may send an hour (the same setting as public suggestions)."""
    return throttle.submit_limit()


@transaction.atomic(durable=True)
def submit_response(
    actor: Any, survey: Survey, answers: Mapping[int, AnswerInput], *, client: str = ""
) -> SurveyResponse:
    """Answer a questionnaire. A signed-in person answers under their name, once: a member or panel
    member of its audience, or anyone signed in on a public questionnaire. Otherwise, on a public
    questionnaire, the public answer anonymously: the caller checked the captcha; each address is
    rate limited."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    known = is_known_audience(actor, locked)
    if not known and not locked.for_public:
        raise denied(_("您不在本问卷的调查范围内。"))
    _check_window(locked)
    respondent = actor if actor.is_authenticated else None
    if (
        respondent is not None
        and SurveyResponse.objects.filter(survey=locked, respondent=respondent).exists()
    ):
        raise AppError(ErrorCode.DUPLICATE, str(ALREADY))
    rows = clean_answers(locked, answers)
    if not rows:
        raise invalid({}, _("请至少回答一道题。"))
    if respondent is None and throttle.exceeded("survey", client or "unknown", public_limit()):
        raise AppError(ErrorCode.INVALID_INPUT, str(TOO_OFTEN))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=locked, respondent=respondent, client_hash="" if respondent else client
            )
    except IntegrityError as error:  # a second answer racing the first
        raise AppError(ErrorCode.DUPLICATE, str(ALREADY)) from error
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    if respondent is None:
        throttle.count("survey", client or "unknown")
    record(respondent, "answer", locked, summary=_("提交答卷"), data={"response": response.pk})
    return response


# ---------------------------------------------------------------------------- results


@dataclass
class OptionRow:
    label: str
    count: int
    percent: float


@dataclass
class Theme:
    name: str
    count: int
    texts: list[str]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    options: list[OptionRow] = field(default_factory=list)
    mean: float | None = None
    distribution: list[OptionRow] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def chart(self) -> dict[str, Any]:
        """What the page's chart draws (bar or pie for options, bar for a scale's distribution)."""
        rows = self.options or self.distribution
        return {
            "id": self.question.pk,
            "kind": self.question.kind,
            "labels": [r.label for r in rows],
            "counts": [r.count for r in rows],
        }


@dataclass
class Results:
    survey: Survey
    responses: int
    public_responses: int
    audience: int
    known_responses: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> float | None:
        """Answers from the known audience over its size, in percent (None without a known audience)."""
        if not self.audience:
            return None
        return round(100 * self.known_responses / self.audience, 1)

    def charts(self) -> list[dict[str, Any]]:
        return [q.chart() for q in self.questions if q.question.kind != QuestionKind.TEXT]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def text_themes(texts: Sequence[str], times: Sequence[dt.datetime]) -> list[Theme]:
    """Free-text answers grouped by theme with the text-intelligence clustering (largest first); the
    rest form one last group."""
    if not texts:
        return []
    found = hot_topics(list(texts), list(times), k=20, threshold=0.2)
    grouped: set[int] = set()
    result: list[Theme] = []
    for topic in sorted(found, key=lambda t: -t.count):
        members = [texts[i] for i in topic.members]
        grouped.update(topic.members)
        result.append(Theme("、".join(topic.phrases[:3]) or str(OTHER_GROUP), len(members), members))
    rest = [t for i, t in enumerate(texts) if i not in grouped]
    if rest:
        result.append(Theme(str(OTHER_GROUP), len(rest), rest))
    return result


def results(survey: Survey, *, with_themes: bool = True) -> Results:
    """Counts per option, scale means and distributions, free texts by theme, and the response rate."""
    questions = questions_of(survey)
    answers: list[dict[str, Any]] = [
        dict(row)
        for row in SurveyAnswer.objects.filter(response__survey=survey).values(
            "question_id", "choice_id", "scale", "text", "response_id", "response__created_at"
        )
    ]
    by_question: dict[int, list[dict[str, Any]]] = {}
    for a in answers:
        by_question.setdefault(a["question_id"], []).append(a)
    out: list[QuestionResult] = []
    for q in questions:
        rows = by_question.get(q.pk, [])
        answered = len({r["response_id"] for r in rows})
        result = QuestionResult(q, answered)
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = Counter(r["choice_id"] for r in rows)
            result.options = [
                OptionRow(c.label, counts[c.pk], _percent(counts[c.pk], answered)) for c in q.choices.all()
            ]
        elif q.kind == QuestionKind.SCALE:
            values = [r["scale"] for r in rows if r["scale"] is not None]
            counts = Counter(values)
            result.mean = round(sum(values) / len(values), 2) if values else None
            result.distribution = [
                OptionRow(str(v), counts[v], _percent(counts[v], len(values)))
                for v in range(1, (q.scale_max or 5) + 1)
            ]
        else:
            texts = [r for r in rows if r["text"]]
            result.texts = [r["text"] for r in texts]
            if with_themes:
                result.themes = text_themes(result.texts, [r["response__created_at"] for r in texts])
        out.append(result)
    responses = survey.responses.all()
    audience = known_audience(survey)
    return Results(
        survey=survey,
        responses=responses.count(),
        public_responses=responses.filter(respondent__isnull=True).count(),
        audience=audience.count(),
        known_responses=responses.filter(respondent__in=audience.values("pk")).count(),
        questions=out,
    )
