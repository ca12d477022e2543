"""Pages of the study part of research: the office's (plans, bank, quizzes, results, paper review) and the
members' (plans to read, quizzes to take on the phone, papers, their study record). Thin adapters over
study_services and study_selectors: parse, call, render; a refused write shows its Chinese message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error

from . import study_exports as exports
from . import study_forms as f
from . import study_rules as rules
from . import study_selectors as sel
from . import study_services as services
from .models import PaperState, QuestionKind, QuizMode, QuizState

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_FRAME = "research/study/_office_frame.html"
MEMBER_FRAME = "research/study/_member_frame.html"


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference_id = _conference_id(request)
    if conference_id not in sel.office_conference_ids(request.user):
        raise PermissionDenied
    return conference_id


def _staff(request: HttpRequest) -> int:
    """The current conference, for its staff only (they write)."""
    conference_id = _conference_id(request)
    if not rules.is_study_staff(request.user, conference_id):
        raise PermissionDenied
    return conference_id


def _frame(request: HttpRequest, conference_id: int) -> dict[str, Any]:
    """The office frame (with the staff menu) for the office, the phone frame for members."""
    office = conference_id in sel.office_conference_ids(request.user)
    return {
        "frame": OFFICE_FRAME if office else MEMBER_FRAME,
        "is_office": office,
        "is_staff": rules.is_study_staff(request.user, conference_id),
        "menu": [],
        "name": "study",
        "tab": "me",
    }


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _version(request: HttpRequest) -> int | None:
    form = f.VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


def _download(row: Model) -> FileResponse:
    file = getattr(row, "file", None)
    if not file:
        raise Http404
    # Always a download under the checked original name: the browser never renders it as a page.
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=getattr(row, "original_name", "") or "file"
    )


# ---------------------------------------------------------------------------- home and plans


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The office's study plans (search, year); members land on their own study page."""
    conference_id = _conference_id(request)
    if conference_id not in sel.office_conference_ids(request.user):
        return redirect("research:study_me")
    q = request.GET.get("q", "").strip()[:100]
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    qs = sel.office_plans(request.user, conference_id, q=q, year=year)
    context = {"page": _page(request, qs), "q": q, "year": year or "", "section": "plans"}
    return render(request, "research/study/home.html", context | _frame(request, conference_id))


def _plan_input(cd: dict[str, Any]) -> services.PlanInput:
    committee = cd.get("committee")
    return services.PlanInput(
        title=cd["title"],
        year=cd["year"],
        audience=cd["audience"],
        committee_id=committee.pk if committee else None,
        description=cd["description"],
    )


def _form_page(
    request: HttpRequest, conference_id: int, form: Any, title: str, status: int, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "section": extra.pop("section", "plans"), **extra}
    return render(
        request, "research/study/form.html", context | _frame(request, conference_id), status=status
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """Staff write a study plan."""
    conference_id = _staff(request)
    form = f.PlanForm(
        request.POST or None, conference_id=conference_id, initial={"year": timezone.localdate().year}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = services.create_plan(request.user, request.conference, _plan_input(form.cleaned_data))  # type: ignore[arg-type, attr-defined]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("学习计划已创建。"))
                return redirect("research:study_plan", plan.pk)
    return _form_page(request, conference_id, form, _("新建学习计划"), status)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a plan."""
    plan = sel.get_office_plan(request.user, pk)
    if not rules.is_study_staff(request.user, plan.conference_id):
        raise PermissionDenied
    initial = {
        "title": plan.title,
        "year": plan.year,
        "audience": plan.audience,
        "committee": plan.committee_id,
        "description": plan.description,
    }
    form = f.PlanForm(request.POST or None, conference_id=plan.conference_id, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_plan(request.user, plan, _plan_input(form.cleaned_data))  # type: ignore[arg-type]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("学习计划已保存。"))
                return redirect("research:study_plan", plan.pk)
    return _form_page(request, plan.conference_id, form, _("修改学习计划"), status)


def _plan_context(request: HttpRequest, plan: Any, **forms: Any) -> dict[str, Any]:
    material_form = forms.get("material_form") or f.MaterialForm()
    session_form = forms.get("session_form") or f.SessionForm()
    field: Any = session_form.fields["activity"]
    field.queryset = sel.linkable_activities(plan)
    office = rules.can_use_study_office(request.user, plan.conference_id)
    published = plan.quizzes.filter(state=QuizState.PUBLISHED)
    return {
        "plan": plan,
        "materials": sel.materials(plan),
        "sessions": sel.sessions(plan),
        "quizzes": [] if office else [sel.my_quiz(request.user, q) for q in published],
        "office_quizzes": plan.quizzes.all() if office else [],
        "material_form": material_form,
        "session_form": session_form,
        "section": "plans",
        **_frame(request, plan.conference_id),
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its materials, its sessions (activities), its quizzes; staff add and remove here."""
    plan = sel.get_plan(request.user, pk)
    return render(request, "research/study/plan.html", _plan_context(request, plan))


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff add a document or a reading to a plan."""
    plan = sel.get_office_plan(request.user, pk)
    form = f.MaterialForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.add_material(
                request.user,  # type: ignore[arg-type]
                plan,
                title=cd["title"],
                text=cd["text"],
                link=cd["link"],
                upload=cd.get("file"),
            )
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("学习资料已添加。"))
            return redirect("research:study_plan", plan.pk)
    return render(
        request, "research/study/plan.html", _plan_context(request, plan, material_form=form), status=status
    )


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download a material's document (whoever may read its plan)."""
    return _download(sel.get_material(request.user, pk))


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff remove a material."""
    material = sel.get_material(request.user, pk)
    try:
        services.remove_material(request.user, material)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("学习资料已删除。"))
    return redirect("research:study_plan", material.plan_id)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff link a study-session activity to a plan."""
    plan = sel.get_office_plan(request.user, pk)
    form = f.SessionForm(request.POST)
    field: Any = form.fields["activity"]
    field.queryset = sel.linkable_activities(plan)
    status = 400
    if form.is_valid():
        try:
            services.link_session(request.user, plan, form.cleaned_data["activity"].pk)  # type: ignore[arg-type]
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("学习活动已关联。"))
            return redirect("research:study_plan", plan.pk)
    return render(
        request, "research/study/plan.html", _plan_context(request, plan, session_form=form), status=status
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff take a session off a plan."""
    session = sel.get_session(request.user, pk)
    try:
        services.unlink_session(request.user, session)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    return redirect("research:study_plan", session.plan_id)


# ---------------------------------------------------------------------------- the question bank


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    """The conference's question bank: search, tag, kind, retired."""
    conference_id = _office(request)
    q = request.GET.get("q", "").strip()[:100]
    tag = request.GET.get("tag", "").strip()[:50]
    kind = request.GET.get("kind", "")
    kind = kind if kind in QuestionKind.values else ""
    retired = request.GET.get("retired") == "1"
    qs = sel.bank(request.user, conference_id, q=q, tag=tag, kind=kind, active=not retired)
    context = {
        "page": _page(request, qs),
        "q": q,
        "tag": tag,
        "kind": kind,
        "retired": retired,
        "kinds": QuestionKind.choices,
        "tags": sel.bank_tags(conference_id),
        "section": "questions",
    }
    return render(request, "research/study/questions.html", context | _frame(request, conference_id))


def _question_input(form: f.QuestionForm) -> services.QuestionInput:
    cd = form.cleaned_data
    return services.QuestionInput(
        kind=cd["kind"],
        text=cd["text"],
        options=form.option_list(),
        answer=cd["answer"],
        explanation=cd["explanation"],
        tags=cd["tags"],
    )


@login_required
def question_new(request: HttpRequest) -> HttpResponse:
    """Staff add a question to the bank."""
    conference_id = _staff(request)
    form = f.QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.create_question(request.user, request.conference, _question_input(form))  # type: ignore[arg-type, attr-defined]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("题目已加入题库。"))
                return redirect("research:study_questions")
    return _form_page(request, conference_id, form, _("新增题目"), status, section="questions")


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff correct a question nobody has answered yet."""
    question = sel.get_question(request.user, pk)
    if not rules.is_study_staff(request.user, question.conference_id):
        raise PermissionDenied
    form = f.QuestionForm(request.POST or None, initial=f.QuestionForm.initial_for(question))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_question(request.user, question, _question_input(form))  # type: ignore[arg-type]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("题目已保存。"))
                return redirect("research:study_questions")
    return _form_page(request, question.conference_id, form, _("修改题目"), status, section="questions")


@login_required
@require_POST
def question_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff retire a question or bring it back."""
    question = sel.get_question(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_question_active(request.user, question, active=active)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("题目已启用。") if active else _("题目已停用。"))
    return redirect("research:study_questions")


# ---------------------------------------------------------------------------- quizzes (office)


@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    """The conference's quizzes with takers and passes."""
    conference_id = _office(request)
    q = request.GET.get("q", "").strip()[:100]
    qs = sel.office_quizzes(request.user, conference_id, q=q)
    context = {"page": _page(request, qs), "q": q, "section": "quizzes"}
    return render(request, "research/study/quizzes.html", context | _frame(request, conference_id))


def _quiz_input(form: f.QuizForm) -> services.QuizInput:
    cd = form.cleaned_data
    plan = cd.get("plan")
    return services.QuizInput(
        title=cd["title"],
        description=cd["description"],
        plan_id=plan.pk if plan else None,
        mode=cd["mode"],
        draw_count=cd.get("draw_count") or 0,
        opens_at=cd["opens_at"],
        closes_at=cd["closes_at"],
        pass_mark=cd["pass_mark"],
        attempts_allowed=cd["attempts_allowed"],
        question_ids=form.question_ids(),
    )


@login_required
def quiz_new(request: HttpRequest) -> HttpResponse:
    """Staff build a quiz from the bank."""
    conference_id = _staff(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "mode": QuizMode.FIXED,
        "pass_mark": 60,
        "attempts_allowed": 1,
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=14),
        "plan": request.GET.get("plan"),
    }
    form = f.QuizForm(
        request.POST or None, conference_id=conference_id, tags=sel.bank_tags(conference_id), initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                quiz = services.create_quiz(request.user, request.conference, _quiz_input(form))  # type: ignore[arg-type, attr-defined]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("测验已创建，发布后委员即可作答。"))
                return redirect("research:study_quiz", quiz.pk)
    return _form_page(request, conference_id, form, _("新建测验"), status, section="quizzes")


@login_required
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a quiz (only window and wording once somebody has started it)."""
    quiz = sel.get_office_quiz(request.user, pk)
    if not rules.is_study_staff(request.user, quiz.conference_id):
        raise PermissionDenied
    initial = {
        "title": quiz.title,
        "description": quiz.description,
        "plan": quiz.plan_id,
        "mode": quiz.mode,
        "draw_count": quiz.draw_count or None,
        "opens_at": timezone.localtime(quiz.opens_at),
        "closes_at": timezone.localtime(quiz.closes_at),
        "pass_mark": quiz.pass_mark,
        "attempts_allowed": quiz.attempts_allowed,
        "questions": [q.pk for q in sel.quiz_questions(quiz)],
        "version": quiz.version,
    }
    form = f.QuizForm(
        request.POST or None,
        conference_id=quiz.conference_id,
        tags=sel.bank_tags(quiz.conference_id),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_quiz(
                    request.user,  # type: ignore[arg-type]
                    quiz,
                    _quiz_input(form),
                    version=form.cleaned_data.get("version"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("测验已保存。"))
                return redirect("research:study_quiz", quiz.pk)
    return _form_page(request, quiz.conference_id, form, _("修改测验"), status, section="quizzes")


@login_required
@require_POST
def quiz_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff publish or withdraw a quiz."""
    quiz = sel.get_office_quiz(request.user, pk)
    service = {"publish": services.publish_quiz, "withdraw": services.withdraw_quiz}.get(action)
    if service is None:
        raise Http404
    try:
        service(request.user, quiz, version=_version(request))  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(a)s。") % {"a": services.QUIZ_TRANSITIONS[action].label})
    return redirect("research:study_quiz", quiz.pk)


@login_required
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's view of a quiz (settings, questions, actions); for a member, the quiz's start page."""
    quiz = sel.get_quiz(request.user, pk)
    mine = sel.my_quiz(request.user, quiz) if rules.can_take_quiz(request.user, quiz) else None
    context = {"quiz": quiz, "mine": mine, **_frame(request, quiz.conference_id), "section": "quizzes"}
    if context["is_office"]:
        context["questions"] = sel.quiz_questions(quiz)
        context["actions"] = [
            (name, row.label)
            for name, row in services.QUIZ_TRANSITIONS.items()
            if quiz.state in row.sources and context["is_staff"]
        ]
        context["events"] = timeline("quiz", quiz.pk)
        return render(request, "research/study/quiz.html", context)
    return render(request, "research/study/quiz_start.html", context)


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A member starts (or resumes) an attempt and goes to its questions."""
    quiz = sel.get_quiz(request.user, pk)
    try:
        attempt = services.start_attempt(request.user, quiz)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
        return redirect("research:study_quiz", quiz.pk)
    return redirect("research:study_attempt", attempt.pk)


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt's questions to answer (the member's own, unsubmitted), or its mark and per-question
    feedback once submitted."""
    attempt = sel.get_attempt(request.user, pk)
    status = 200
    if request.method == "POST":
        answers = {
            qid: [int(v) for v in request.POST.getlist(f"q{qid}") if v.isdigit() and len(v) < 3]
            for qid in attempt.question_ids
        }
        try:
            attempt = services.submit_attempt(request.user, attempt, answers)  # type: ignore[arg-type]
        except AppError as error:
            messages.error(request, error.message)
            status = 400 if error.http_status == 400 else 409
        else:
            return redirect("research:study_attempt", attempt.pk)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": sel.attempt_items(attempt),
        "own": attempt.user_id == request.user.pk,
        **_frame(request, attempt.conference_id),
        "section": "quizzes",
    }
    return render(request, "research/study/attempt.html", context, status=status)


@login_required
def quiz_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Results of a quiz for the office: each taker's best mark, the pass rate, each question's rate."""
    quiz = sel.get_office_quiz(request.user, pk)
    results = sel.quiz_results(quiz)
    chart = {
        "labels": [f"第{n}题" for n, _row in enumerate(results.per_question, start=1)],
        "rates": [round(100 * ok / n, 1) if n else 0 for _q, n, ok in results.per_question],
    }
    context = {
        "quiz": quiz,
        "results": results,
        "chart": chart,
        "per_question": [
            (n, q, answered, ok, round(100 * ok / answered, 1) if answered else 0)
            for n, (q, answered, ok) in enumerate(results.per_question, start=1)
        ],
        **_frame(request, quiz.conference_id),
        "section": "quizzes",
    }
    return render(request, "research/study/results.html", context)


@login_required
def quiz_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The results as a spreadsheet: takers, then the per-question rates."""
    quiz = sel.get_office_quiz(request.user, pk)
    response = HttpResponse(exports.results_xlsx(quiz, sel.quiz_results(quiz)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{quiz.title}成绩.xlsx")
    return response


# ---------------------------------------------------------------------------- papers


@login_required
def paper_list(request: HttpRequest) -> HttpResponse:
    """The conference's papers by state, for the office."""
    conference_id = _office(request)
    state = request.GET.get("state", "")
    state = state if state in PaperState.values else ""
    q = request.GET.get("q", "").strip()[:100]
    qs = sel.office_papers(request.user, conference_id, state=state, q=q)
    context = {
        "page": _page(request, qs),
        "state": state,
        "states": PaperState.choices,
        "q": q,
        "section": "papers",
    }
    return render(request, "research/study/papers.html", context | _frame(request, conference_id))


def _paper_input(cd: dict[str, Any]) -> services.PaperInput:
    plan = cd.get("plan")
    return services.PaperInput(title=cd["title"], body=cd["body"], plan_id=plan.pk if plan else None)


@login_required
def paper_new(request: HttpRequest) -> HttpResponse:
    """A member hands in a study paper."""
    conference_id = _conference_id(request)
    if not rules.is_learner(request.user, conference_id):
        raise PermissionDenied
    plans = sel.plans_for(request.user, conference_id)
    form = f.PaperForm(request.POST or None, request.FILES or None, plans=plans)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                paper = services.submit_paper(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    _paper_input(form.cleaned_data),
                    upload=form.cleaned_data.get("file"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("学习论文已提交，等待审阅。"))
                return redirect("research:study_paper", paper.pk)
    context = {"form": form, "title": _("提交学习论文"), "multipart": True, **_frame(request, conference_id)}
    context["frame"] = MEMBER_FRAME
    return render(request, "research/study/form.html", context, status=status)


@login_required
def paper_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author revises a returned paper and hands it in again."""
    paper = sel.get_paper(request.user, pk)
    if paper.author_id != request.user.pk or paper.state != PaperState.RETURNED:
        raise PermissionDenied
    plans = sel.plans_for(request.user, paper.conference_id)
    initial = {"title": paper.title, "body": paper.body, "plan": paper.plan_id, "version": paper.version}
    form = f.PaperForm(request.POST or None, request.FILES or None, plans=plans, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.resubmit_paper(
                    request.user,  # type: ignore[arg-type]
                    paper,
                    _paper_input(form.cleaned_data),
                    upload=form.cleaned_data.get("file"),
                    version=form.cleaned_data.get("version"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("学习论文已重新提交。"))
                return redirect("research:study_paper", paper.pk)
    context = {
        "form": form,
        "title": _("修改学习论文"),
        "multipart": True,
        **_frame(request, paper.conference_id),
    }
    context["frame"] = MEMBER_FRAME
    return render(request, "research/study/form.html", context, status=status)


@login_required
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper with its review: the author reads it, the office reviews it."""
    paper = sel.get_paper(request.user, pk)
    actions = sel.paper_actions(request.user, paper)
    context = {
        "paper": paper,
        "review_actions": [
            (a, rules.PAPER_TRANSITIONS[a].label) for a in actions if a in rules.REVIEW_ACTIONS
        ],
        "can_resubmit": "resubmit" in actions,
        "review_form": f.ReviewForm(initial={"version": paper.version}),
        "events": timeline("studypaper", paper.pk),
        **_frame(request, paper.conference_id),
        "section": "papers",
    }
    return render(request, "research/study/paper.html", context)


@login_required
@require_POST
def paper_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff accept, return or reject a paper."""
    paper = sel.get_paper(request.user, pk)
    if action not in rules.REVIEW_ACTIONS:
        raise Http404
    form = f.ReviewForm(request.POST)
    cd = form.cleaned_data if form.is_valid() else {}
    try:
        services.review_paper(
            request.user,  # type: ignore[arg-type]
            paper,
            action,
            reason=cd.get("reason", ""),
            version=cd.get("version"),
        )
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(a)s。") % {"a": rules.PAPER_TRANSITIONS[action].label})
    return redirect("research:study_paper", paper.pk)


@login_required
def paper_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download a paper's file (the author and the office)."""
    return _download(sel.get_paper(request.user, pk))


# ---------------------------------------------------------------------------- the member's side


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The member's study page: plans addressed to them, quizzes to take, papers, their study record."""
    conference_id = _conference_id(request)
    record = sel.study_record(request.user, conference_id)  # type: ignore[arg-type]
    context = {
        "record": record,
        "plans": sel.plans_for(request.user, conference_id),
        "open_quizzes": [m for m in sel.quizzes_for(request.user, conference_id) if m.is_open],
        "can_write": rules.is_learner(request.user, conference_id),
        "own": True,
        **_frame(request, conference_id),
    }
    context["frame"] = MEMBER_FRAME
    return render(request, "research/study/record.html", context)


@login_required
def member_record(request: HttpRequest, user_id: int) -> HttpResponse:
    """The office reads one member's study record."""
    conference_id = _office(request)
    member = sel.get_member_for_record(request.user, conference_id, user_id)
    context = {
        "record": sel.study_record(member, conference_id),
        "own": False,
        **_frame(request, conference_id),
    }
    return render(request, "research/study/record.html", context)
