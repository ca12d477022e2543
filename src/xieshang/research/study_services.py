"""Every write of study: plans and their materials and sessions, the question bank, quizzes and their
attempts (drawn, marked, the duty point for a pass), and study papers through their review.

Marking is all-or-nothing per question: a multiple-choice answer counts only when exactly the correct
options are chosen. The score is the share of questions answered correctly, out of 100.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.activities.models import Activity, ActivityKind, ActivityState
from xieshang.audit.services import record
from xieshang.conferences.models import Committee, Conference
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.duty import services as duty
from xieshang.duty.models import EventKind
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import users_with_role

from . import study_rules as rules
from .models import (
    Audience,
    PaperState,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizMode,
    QuizQuestion,
    QuizState,
    StudyMaterial,
    StudyPaper,
    StudyPlan,
    StudySession,
)

TITLE_MAX = 200
TEXT_MAX = 50000
OPTION_MAX = 300
OPTIONS_MIN, OPTIONS_MAX = 2, 8
TAGS_MAX = 200
ATTEMPTS_MAX = 20
QUIZ_QUESTIONS_MAX = 200
MATERIALS_MAX = 50
STUDY_MAX_MB = 20
SOURCE_QUIZ = "study_quiz"
SOURCE_PAPER = "study_paper"
TRUE_FALSE_OPTIONS = ["正确", "错误"]
MATERIAL_TYPES = {
    ext: DOCUMENT_TYPES[ext] for ext in (".pdf", ".docx", ".doc", ".txt", ".jpg", ".jpeg", ".png")
}
PAPER_TYPES = {ext: DOCUMENT_TYPES[ext] for ext in (".pdf", ".docx", ".doc", ".txt")}


def _require_staff(actor: User, conference_id: int) -> None:
    if not rules.is_study_staff(actor, conference_id):
        raise denied(_("只有本级政协机关工作人员可以管理学习。"))


def _checked(upload: UploadedFile, allowed: Mapping[str, tuple[bytes, ...]]) -> str:
    try:
        return check_upload(upload, allowed, max_mb=STUDY_MAX_MB)
    except AppError as error:
        raise AppError(error.code, error.message, fields={"file": error.message}) from error


# ---------------------------------------------------------------------------- plans


@dataclass
class PlanInput:
    """What staff enter for a study plan."""

    title: str
    year: int
    audience: str = Audience.MEMBERS
    committee_id: int | None = None
    description: str = ""


def _clean_plan(conference: Conference, data: PlanInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    if data.audience not in Audience.values:
        errors["audience"] = _("请选择学习对象。")
    if not 2000 <= (data.year or 0) <= 2100:
        errors["year"] = _("年度须在 2000 到 2100 之间。")
    committee = None
    if data.audience == Audience.COMMITTEE:
        committee = Committee.objects.filter(pk=data.committee_id or 0, conference=conference).first()
        if committee is None:
            errors["committee"] = _("请选择本级政协的专委会。")
    if errors:
        raise invalid(errors)
    return {
        "title": sm.clean_text(data.title, "title", _("计划名称"), required=True, limit=TITLE_MAX),
        "description": sm.clean_text(
            data.description, "description", _("计划说明"), required=False, limit=TEXT_MAX
        ),
        "year": data.year,
        "audience": data.audience,
        "committee": committee,
    }


@transaction.atomic(durable=True)
def create_plan(actor: User, conference: Conference, data: PlanInput) -> StudyPlan:
    """Staff write a study plan for one body of their conference."""
    _require_staff(actor, conference.pk)
    plan = StudyPlan.objects.create(conference=conference, created_by=actor, **_clean_plan(conference, data))
    record(actor, "create", plan, summary=_("新建学习计划"))
    return plan


@transaction.atomic(durable=True)
def update_plan(actor: User, plan: StudyPlan, data: PlanInput) -> StudyPlan:
    """Staff change a plan's title, year, audience or description."""
    _require_staff(actor, plan.conference_id)
    plan = StudyPlan.objects.select_for_update().select_related("conference").get(pk=plan.pk)
    fields = _clean_plan(plan.conference, data)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=[*fields, "updated_at"])
    record(actor, "edit", plan, summary=_("修改学习计划"))
    return plan


@transaction.atomic(durable=True)
def add_material(
    actor: User,
    plan: StudyPlan,
    *,
    title: str,
    text: str = "",
    link: str = "",
    upload: UploadedFile | None = None,
) -> StudyMaterial:
    """Staff add a document (checked upload) or a reading (text and/or link) to a plan."""
    _require_staff(actor, plan.conference_id)
    title = sm.clean_text(title, "title", _("资料标题"), required=True, limit=TITLE_MAX)
    text = sm.clean_text(text, "text", _("正文或摘要"), required=False, limit=TEXT_MAX)
    link = sm.clean_text(link, "link", _("链接"), required=False, limit=500)
    if link and not link.startswith(("https://", "http://")):
        raise invalid({"link": _("链接须以 http:// 或 https:// 开头。")})
    if not (text or link or upload):
        raise invalid({"text": _("请上传文件，或填写正文、链接。")})
    original = _checked(upload, MATERIAL_TYPES) if upload is not None else ""
    StudyPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if StudyMaterial.objects.filter(plan=plan).count() >= MATERIALS_MAX:
        raise invalid({"title": _("每个学习计划最多 %(n)s 份资料。") % {"n": MATERIALS_MAX}})
    last = StudyMaterial.objects.filter(plan=plan).aggregate(n=Max("position"))["n"] or 0
    material = StudyMaterial(
        plan=plan,
        conference_id=plan.conference_id,
        title=title,
        text=text,
        link=link,
        original_name=original,
        size=upload.size or 0 if upload is not None else 0,
        position=last + 1,
        created_by=actor,
    )
    if upload is not None:
        material.file.save(original, upload, save=False)
    material.save()
    record(actor, "add_material", plan, summary=_("添加学习资料：%(t)s") % {"t": title})
    return material


@transaction.atomic(durable=True)
def remove_material(actor: User, material: StudyMaterial) -> None:
    """Staff take a material off its plan (the stored file goes with it)."""
    _require_staff(actor, material.conference_id)
    plan = material.plan
    record(actor, "remove_material", plan, summary=_("删除学习资料：%(t)s") % {"t": material.title})
    if material.file:
        name = str(material.file.name)
        storage = material.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    material.delete()


@transaction.atomic(durable=True)
def link_session(actor: User, plan: StudyPlan, activity_id: int) -> StudySession:
    """Staff link a study session (an activity of kind study session of the same conference) to a plan;
    its invitations and attendance stay with the activity."""
    _require_staff(actor, plan.conference_id)
    activity = Activity.objects.filter(
        pk=activity_id, conference_id=plan.conference_id, kind=ActivityKind.STUDY_SESSION
    ).first()
    if activity is None or activity.state == ActivityState.CANCELLED:
        raise invalid({"activity": _("请选择本级政协的学习活动。")})
    if StudySession.objects.filter(plan=plan, activity=activity).exists():
        raise AppError(ErrorCode.DUPLICATE, fields={"activity": _("该学习活动已在计划中。")})
    session = StudySession.objects.create(plan=plan, activity=activity)
    record(actor, "link_session", plan, summary=_("关联学习活动：%(t)s") % {"t": activity.title})
    return session


@transaction.atomic(durable=True)
def unlink_session(actor: User, session: StudySession) -> None:
    """Staff take a session off a plan (the activity itself stays)."""
    _require_staff(actor, session.plan.conference_id)
    record(actor, "unlink_session", session.plan, summary=_("取消关联学习活动"))
    session.delete()


# ---------------------------------------------------------------------------- the question bank


@dataclass
class QuestionInput:
    """A question as staff write it: options in order, the indexes of the correct ones."""

    kind: str
    text: str
    options: Sequence[str] = ()
    answer: Sequence[int] = ()
    explanation: str = ""
    tags: str = ""


def normalise_tags(value: str) -> str:
    """'党史， 理论、党史' → '党史,理论'."""
    parts = [p.strip() for p in value.replace("，", ",").replace("、", ",").split(",")]
    return ",".join(dict.fromkeys(p for p in parts if p))


def _clean_question(data: QuestionInput) -> dict[str, object]:
    if data.kind not in QuestionKind.values:
        raise invalid({"kind": _("请选择题型。")})
    text = sm.clean_text(data.text, "text", _("题干"), required=True, limit=2000)
    if data.kind == QuestionKind.TRUE_FALSE:
        options = list(TRUE_FALSE_OPTIONS)
    else:
        options = [
            sm.clean_text(o, "options", _("选项"), required=False, limit=OPTION_MAX) for o in data.options
        ]
        options = [o for o in options if o]
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
            raise invalid(
                {"options": _("选择题须有 %(a)s 到 %(b)s 个选项。") % {"a": OPTIONS_MIN, "b": OPTIONS_MAX}}
            )
        if len(set(options)) != len(options):
            raise invalid({"options": _("选项不能重复。")})
    answer = sorted(set(data.answer))
    if not answer or any(not 0 <= i < len(options) for i in answer):
        raise invalid({"answer": _("请选择正确答案。")})
    if data.kind != QuestionKind.MULTIPLE and len(answer) != 1:
        raise invalid({"answer": _("单选题和判断题只有一个正确答案。")})
    if data.kind == QuestionKind.MULTIPLE and len(answer) < 2:
        raise invalid({"answer": _("多选题至少有两个正确答案。")})
    tags = normalise_tags(sm.clean_text(data.tags, "tags", _("标签"), required=False, limit=TAGS_MAX))
    return {
        "kind": data.kind,
        "text": text,
        "options": options,
        "answer": answer,
        "explanation": sm.clean_text(data.explanation, "explanation", _("解析"), required=False, limit=5000),
        "tags": tags[:TAGS_MAX],
    }


@transaction.atomic(durable=True)
def create_question(actor: User, conference: Conference, data: QuestionInput) -> Question:
    """Staff add a question to their conference's bank."""
    _require_staff(actor, conference.pk)
    question = Question.objects.create(conference=conference, created_by=actor, **_clean_question(data))
    record(actor, "create", question, summary=_("新增题目"))
    return question


@transaction.atomic(durable=True)
def update_question(actor: User, question: Question, data: QuestionInput) -> Question:
    """Staff correct a question nobody has answered yet; an answered one is retired and rewritten."""
    _require_staff(actor, question.conference_id)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if QuizAnswer.objects.filter(question=question).exists():
        raise AppError(ErrorCode.INVALID_STATE, _("该题已有人作答，不能修改；请停用后另出新题。"))
    fields = _clean_question(data)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=[*fields, "updated_at"])
    record(actor, "edit", question, summary=_("修改题目"))
    return question


@transaction.atomic(durable=True)
def set_question_active(actor: User, question: Question, *, active: bool) -> Question:
    """Staff retire a question (no longer offered in new quizzes or draws) or bring it back."""
    _require_staff(actor, question.conference_id)
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.is_active = active
    question.save(update_fields=["is_active", "updated_at"])
    record(
        actor, "restore" if active else "retire", question, summary=_("启用题目") if active else _("停用题目")
    )
    return question


# ---------------------------------------------------------------------------- quizzes


@dataclass
class QuizInput:
    """What staff enter for a quiz; `question_ids` is the fixed list or the pool of a random quiz."""

    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    mode: str = QuizMode.FIXED
    draw_count: int = 0
    pass_mark: int = 60
    attempts_allowed: int = 1
    plan_id: int | None = None
    description: str = ""
    question_ids: Sequence[int] = field(default_factory=tuple)


def _clean_quiz(conference: Conference, data: QuizInput) -> tuple[dict[str, object], list[Question]]:
    errors: dict[str, str] = {}
    if data.mode not in QuizMode.values:
        errors["mode"] = _("请选择组卷方式。")
    if not data.opens_at or not data.closes_at:
        errors["closes_at"] = _("请填写开始和截止时间。")
    elif data.closes_at <= data.opens_at:
        errors["closes_at"] = _("截止时间须晚于开始时间。")
    if not 0 <= (data.pass_mark if data.pass_mark is not None else -1) <= 100:
        errors["pass_mark"] = _("合格分须在 0 到 100 之间。")
    if not 1 <= (data.attempts_allowed or 0) <= ATTEMPTS_MAX:
        errors["attempts_allowed"] = _("允许作答次数须在 1 到 %(n)s 之间。") % {"n": ATTEMPTS_MAX}
    plan = None
    if data.plan_id:
        plan = StudyPlan.objects.filter(pk=data.plan_id, conference=conference).first()
        if plan is None:
            errors["plan"] = _("学习计划不属于本级政协。")
    wanted = list(dict.fromkeys(int(i) for i in data.question_ids))
    found = {q.pk: q for q in Question.objects.filter(pk__in=wanted, conference=conference, is_active=True)}
    if len(found) != len(wanted):
        errors["questions"] = _("只能选择本级政协题库中可用的题目。")
    elif len(wanted) > QUIZ_QUESTIONS_MAX:
        errors["questions"] = _("每份测验最多 %(n)s 道题。") % {"n": QUIZ_QUESTIONS_MAX}
    draw = data.draw_count or 0
    if data.mode == QuizMode.RANDOM and not errors.get("questions"):
        if draw < 1:
            errors["draw_count"] = _("随机抽题须填写每次抽题数。")
        elif wanted and draw > len(wanted):
            errors["draw_count"] = _("抽题数不能多于题目池的 %(n)s 道题。") % {"n": len(wanted)}
    if errors:
        raise invalid(errors)
    fields: dict[str, object] = {
        "title": sm.clean_text(data.title, "title", _("测验名称"), required=True, limit=TITLE_MAX),
        "description": sm.clean_text(data.description, "description", _("说明"), required=False, limit=5000),
        "plan": plan,
        "mode": data.mode,
        "draw_count": draw if data.mode == QuizMode.RANDOM else 0,
        "opens_at": data.opens_at,
        "closes_at": data.closes_at,
        "pass_mark": data.pass_mark,
        "attempts_allowed": data.attempts_allowed,
    }
    return fields, [found[i] for i in wanted]


def _set_questions(quiz: Quiz, questions: list[Question]) -> None:
    QuizQuestion.objects.filter(quiz=quiz).delete()
    QuizQuestion.objects.bulk_create(
        [QuizQuestion(quiz=quiz, question=q, position=n) for n, q in enumerate(questions, start=1)]
    )


@transaction.atomic(durable=True)
def create_quiz(actor: User, conference: Conference, data: QuizInput) -> Quiz:
    """Staff build a draft quiz from their conference's bank."""
    _require_staff(actor, conference.pk)
    fields, questions = _clean_quiz(conference, data)
    quiz = Quiz.objects.create(conference=conference, created_by=actor, **fields)
    _set_questions(quiz, questions)
    record(actor, "create", quiz, to_state=quiz.state, summary=_("新建测验"))
    return quiz


@transaction.atomic(durable=True)
def update_quiz(actor: User, quiz: Quiz, data: QuizInput, *, version: int | None = None) -> Quiz:
    """Staff change a quiz; once somebody has started it only the window and description may change."""
    _require_staff(actor, quiz.conference_id)
    quiz = sm.lock(quiz, version, "conference")
    fields, questions = _clean_quiz(quiz.conference, data)
    if QuizAttempt.objects.filter(quiz=quiz).exists():
        frozen = {"mode", "draw_count", "pass_mark", "plan"}
        if any(getattr(quiz, k) != fields[k] for k in frozen) or [q.pk for q in questions] != list(
            QuizQuestion.objects.filter(quiz=quiz).values_list("question_id", flat=True)
        ):
            raise AppError(
                ErrorCode.INVALID_STATE, _("已有委员作答，只能修改名称、说明、时间和允许作答次数。")
            )
    else:
        _set_questions(quiz, questions)
    for name, value in fields.items():
        setattr(quiz, name, value)
    sm.touch(actor, quiz, "edit", label=_("修改测验"), fields=list(fields))  # type: ignore[arg-type]
    return quiz


QUIZ_TRANSITIONS: dict[str, sm.Transition] = {
    "publish": sm.transition(
        str(gettext_lazy("发布")),
        {QuizState.DRAFT, QuizState.WITHDRAWN},
        {"staff"},
        {QuizState.PUBLISHED},
        "notify learners",
    ),
    "withdraw": sm.transition(
        str(gettext_lazy("撤回")), {QuizState.PUBLISHED}, {"staff"}, {QuizState.WITHDRAWN}
    ),
}


def _learners(quiz: Quiz) -> list[User]:
    """Everyone the quiz is addressed to, in a fixed number of queries (see rules.in_audience)."""
    plan = quiz.plan
    if plan is not None and plan.audience == Audience.PARTY_GROUP:
        return list(users_with_role(quiz.conference_id, [RoleKind.LEADER]))
    members = User.objects.filter(memberships__conference_id=quiz.conference_id)
    if plan is not None and plan.audience == Audience.STANDING_COMMITTEE:
        members = members.filter(memberships__is_standing=True)
    elif plan is not None and plan.audience == Audience.COMMITTEE:
        members = members.filter(memberships__committee_id=plan.committee_id or 0)
    learners = users_with_role(quiz.conference_id, [RoleKind.MEMBER, RoleKind.LEADER])
    if plan is not None and plan.audience != Audience.MEMBERS:
        learners = learners.filter(pk__in=members.values("pk"))
    return list(learners)


def quiz_url(quiz: Quiz) -> str:
    return reverse("research:study_quiz", args=[quiz.pk])


@transaction.atomic(durable=True)
def publish_quiz(actor: User, quiz: Quiz, *, version: int | None = None) -> Quiz:
    """Staff open a quiz to its learners; it needs questions (enough for a random draw)."""
    quiz = sm.lock(quiz, version, "plan")
    roles = {"staff"} if rules.is_study_staff(actor, quiz.conference_id) else set()
    row = QUIZ_TRANSITIONS["publish"]
    sm.check(row, roles, quiz, _("该测验"))  # type: ignore[arg-type]
    pool = QuizQuestion.objects.filter(quiz=quiz).count()
    if pool == 0:
        raise AppError(ErrorCode.INVALID_STATE, _("测验还没有题目，不能发布。"))
    if quiz.mode == QuizMode.RANDOM and quiz.draw_count > pool:
        raise AppError(ErrorCode.INVALID_STATE, _("抽题数多于题目池，不能发布。"))
    first = quiz.state == QuizState.DRAFT
    sm.move(actor, quiz, "publish", row, QuizState.PUBLISHED)  # type: ignore[arg-type]
    if first:
        notify_on_commit(
            _learners(quiz),
            verb="study_quiz_published",
            title=_("新的学习测验：%(t)s") % {"t": quiz.title},
            url=quiz_url(quiz),
            conference_id=quiz.conference_id,
        )
    return quiz


@transaction.atomic(durable=True)
def withdraw_quiz(actor: User, quiz: Quiz, *, version: int | None = None) -> Quiz:
    """Staff take a published quiz away from members; attempts and points already given stay."""
    quiz = sm.lock(quiz, version)
    roles = {"staff"} if rules.is_study_staff(actor, quiz.conference_id) else set()
    row = QUIZ_TRANSITIONS["withdraw"]
    sm.check(row, roles, quiz, _("该测验"))  # type: ignore[arg-type]
    sm.move(actor, quiz, "withdraw", row, QuizState.WITHDRAWN)  # type: ignore[arg-type]
    return quiz


# An attempt started in time may still be handed in this long after the close: the page hands it in
# by itself at the closing second, and a phone's request may take a while to arrive.
SUBMIT_GRACE = dt.timedelta(minutes=2)


def _check_window(quiz: Quiz, now: dt.datetime, grace: dt.timedelta = dt.timedelta(0)) -> None:
    if quiz.state != QuizState.PUBLISHED:
        raise AppError(ErrorCode.INVALID_STATE, _("该测验未发布或已撤回。"))
    if now < quiz.opens_at:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("测验尚未开始。"))
    if now > quiz.closes_at + grace:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("测验已截止。"))


@transaction.atomic(durable=True)
def start_attempt(actor: User, quiz: Quiz, *, rng: random.Random | None = None) -> QuizAttempt:
    """A member opens a quiz inside its window: the unfinished attempt if there is one (same questions),
    otherwise a new one with its questions drawn now, while attempts remain."""
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if not rules.can_take_quiz(actor, quiz):
        raise denied(_("该测验不面向您。"))
    _check_window(quiz, timezone.now())
    open_attempt = QuizAttempt.objects.filter(quiz=quiz, user=actor, submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    used = QuizAttempt.objects.filter(quiz=quiz, user=actor).count()
    if used >= quiz.attempts_allowed:
        raise AppError(
            ErrorCode.INVALID_STATE,
            _("本测验最多可作答 %(n)s 次，您已用完。") % {"n": quiz.attempts_allowed},
        )
    pool = list(QuizQuestion.objects.filter(quiz=quiz).values_list("question_id", flat=True))
    if quiz.mode == QuizMode.RANDOM:
        chosen = (rng or random.SystemRandom()).sample(pool, min(quiz.draw_count, len(pool)))
    else:
        chosen = pool
    attempt = QuizAttempt.objects.create(
        quiz=quiz,
        user=actor,
        conference_id=quiz.conference_id,
        number=used + 1,
        question_ids=chosen,
        total=len(chosen),
    )
    record(actor, "start", attempt, summary=_("开始测验：%(t)s") % {"t": quiz.title})
    return attempt


def is_correct(question: Question, chosen: Sequence[int]) -> bool:
    """All or nothing: exactly the correct options, no more and no fewer."""
    return sorted(set(chosen)) == sorted(question.answer)


def score_of(correct: int, total: int) -> int:
    """The share answered correctly, out of 100, rounded half up."""
    return (correct * 200 + total) // (2 * total) if total else 0


@transaction.atomic(durable=True)
def submit_attempt(actor: User, attempt: QuizAttempt, answers: Mapping[int, Sequence[int]]) -> QuizAttempt:
    """The member hands in an attempt before the quiz closes (or within SUBMIT_GRACE of it): every
    question of the attempt is marked (unanswered is wrong), and a pass gives the duty point once per
    quiz, however many passes."""
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if attempt.user_id != actor.pk:
        raise AppError(ErrorCode.NOT_FOUND)
    if attempt.is_submitted:
        raise AppError(ErrorCode.INVALID_STATE, _("该答卷已提交。"))
    quiz = attempt.quiz
    now = timezone.now()
    _check_window(quiz, now, SUBMIT_GRACE)
    questions = Question.objects.in_bulk(attempt.question_ids)
    rows = []
    unknown = {int(k) for k in answers} - set(attempt.question_ids)
    if unknown:
        raise invalid({"answers": _("答卷中有不属于本次测验的题目。")})
    for position, qid in enumerate(attempt.question_ids, start=1):
        question = questions[qid]
        chosen = [int(i) for i in answers.get(qid, ())]
        if any(not 0 <= i < len(question.options) for i in chosen):
            raise invalid({"answers": _("第 %(n)s 题的选项无效。") % {"n": position}})
        if question.kind != QuestionKind.MULTIPLE and len(set(chosen)) > 1:
            raise invalid({"answers": _("第 %(n)s 题只能选一个答案。") % {"n": position}})
        chosen = sorted(set(chosen))
        rows.append(
            QuizAnswer(
                attempt=attempt,
                question=question,
                position=position,
                chosen=chosen,
                is_correct=is_correct(question, chosen),
            )
        )
    QuizAnswer.objects.bulk_create(rows)
    attempt.correct_count = sum(r.is_correct for r in rows)
    attempt.total = len(rows)
    attempt.score = score_of(attempt.correct_count, attempt.total)
    attempt.passed = attempt.score >= quiz.pass_mark
    attempt.submitted_at = now
    attempt.save(update_fields=["correct_count", "total", "score", "passed", "submitted_at"])
    record(
        actor,
        "submit",
        attempt,
        summary=_("提交测验，得分 %(s)s") % {"s": attempt.score},
        data={"score": attempt.score, "passed": attempt.passed},
    )
    if attempt.passed:
        duty.record_event(
            conference_id=quiz.conference_id,
            user_id=actor.pk,
            kind=EventKind.STUDY_QUIZ_PASSED,
            occurred_on=timezone.localdate(now),
            source_type=SOURCE_QUIZ,
            source_id=quiz.pk,
            title=quiz.title,
        )
    return attempt


# ---------------------------------------------------------------------------- study papers


@dataclass
class PaperInput:
    """What a member writes: a title and a body, or a file instead of the body."""

    title: str
    body: str = ""
    plan_id: int | None = None


def _clean_paper(conference_id: int, data: PaperInput) -> dict[str, object]:
    title = sm.clean_text(data.title, "title", _("论文题目"), required=True, limit=TITLE_MAX)
    body = sm.clean_text(data.body, "body", _("正文"), required=False, limit=TEXT_MAX)
    plan = None
    if data.plan_id:
        plan = StudyPlan.objects.filter(pk=data.plan_id, conference_id=conference_id).first()
        if plan is None:
            raise invalid({"plan": _("学习计划不属于本级政协。")})
    return {"title": title, "body": body, "plan": plan}


def _attach_paper(paper: StudyPaper, upload: UploadedFile | None) -> list[str]:
    if upload is None:
        return []
    original = _checked(upload, PAPER_TYPES)
    paper.original_name = original
    paper.size = upload.size or 0
    paper.file.save(original, upload, save=False)
    return ["file", "original_name", "size"]


def _office_users(conference_id: int) -> list[User]:
    return list(users_with_role(conference_id, [RoleKind.STAFF]))


def paper_url(paper: StudyPaper) -> str:
    return reverse("research:study_paper", args=[paper.pk])


@transaction.atomic(durable=True)
def submit_paper(
    actor: User, conference: Conference, data: PaperInput, *, upload: UploadedFile | None = None
) -> StudyPaper:
    """A member (or leader) of the conference hands in a study paper: a body, a file, or both."""
    if not rules.is_learner(actor, conference.pk):
        raise denied(_("只有本级政协委员可以提交学习论文。"))
    fields = _clean_paper(conference.pk, data)
    if not fields["body"] and upload is None:
        raise invalid({"body": _("请填写正文或上传论文文件。")})
    paper = StudyPaper(conference=conference, author=actor, **fields)
    _attach_paper(paper, upload)
    paper.save()
    record(actor, "submit", paper, to_state=paper.state, summary=_("提交学习论文"))
    notify_on_commit(
        _office_users(conference.pk),
        verb="study_paper_submitted",
        title=_("新的学习论文：%(t)s") % {"t": paper.title},
        url=paper_url(paper),
        conference_id=conference.pk,
    )
    return paper


def _paper_step(
    actor: User, paper: StudyPaper, action: str, version: int | None
) -> tuple[StudyPaper, sm.Transition]:
    paper = sm.lock(paper, version)
    row = rules.PAPER_TRANSITIONS[action]
    sm.check(row, rules.paper_roles(actor, paper), paper, _("该论文"))  # type: ignore[arg-type]
    return paper, row


@transaction.atomic(durable=True)
def resubmit_paper(
    actor: User,
    paper: StudyPaper,
    data: PaperInput,
    *,
    upload: UploadedFile | None = None,
    version: int | None = None,
) -> StudyPaper:
    """The author revises a returned paper and hands it in again."""
    paper, row = _paper_step(actor, paper, "resubmit", version)
    fields = _clean_paper(paper.conference_id, data)
    if not fields["body"] and upload is None and not paper.file:
        raise invalid({"body": _("请填写正文或上传论文文件。")})
    for name, value in fields.items():
        setattr(paper, name, value)
    changed = [*fields, *_attach_paper(paper, upload)]
    paper.save(update_fields=changed)
    sm.move(actor, paper, "resubmit", row, PaperState.SUBMITTED)  # type: ignore[arg-type]
    notify_on_commit(
        _office_users(paper.conference_id),
        verb="study_paper_submitted",
        title=_("学习论文已重新提交：%(t)s") % {"t": paper.title},
        url=paper_url(paper),
        conference_id=paper.conference_id,
    )
    return paper


REVIEW_TARGETS = {"accept": PaperState.ACCEPTED, "return": PaperState.RETURNED, "reject": PaperState.REJECTED}


@transaction.atomic(durable=True)
def review_paper(
    actor: User, paper: StudyPaper, action: str, *, reason: str = "", version: int | None = None
) -> StudyPaper:
    """Staff (never the author) accept a paper, or return or reject it with the reason the author reads;
    an accepted paper gives its author the duty point once."""
    if action not in REVIEW_TARGETS:
        raise invalid({"action": _("未知的审阅操作。")})
    paper, row = _paper_step(actor, paper, action, version)
    reason = sm.clean_text(reason, "reason", _("理由"), required=action != "accept", limit=2000)
    paper.reason = reason
    paper.reviewed_by = actor
    paper.reviewed_at = timezone.now()
    paper.save(update_fields=["reason", "reviewed_by", "reviewed_at"])
    sm.move(actor, paper, action, row, REVIEW_TARGETS[action], data={"reason": reason})  # type: ignore[arg-type]
    if action == "accept":
        duty.record_event(
            conference_id=paper.conference_id,
            user_id=paper.author_id,
            kind=EventKind.STUDY_PAPER_ACCEPTED,
            occurred_on=timezone.localdate(paper.reviewed_at),
            source_type=SOURCE_PAPER,
            source_id=paper.pk,
            title=paper.title,
        )
    notify_on_commit(
        [paper.author],
        verb=f"study_paper_{action}",
        title=_("您的学习论文《%(t)s》：%(a)s") % {"t": paper.title, "a": row.label},
        body=reason,
        url=paper_url(paper),
        conference_id=paper.conference_id,
    )
    return paper
