"""Questionnaire pages: staff build, publish, close and read the results (office pages); members and
panel members answer once (phone first); the public answer on the portal under /public/<code>/surveys/
with a captcha and a per-address limit. Thin adapters over survey.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.errors import AppError, ErrorCode
from xieshang.core.formerrors import apply_error, status_of
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from . import captcha, selectors, throttle
from . import survey as svc
from .models import QuestionKind, Survey, SurveyQuestion, SurveyState
from .survey_exports import survey_xlsx
from .survey_forms import PublicCaptchaForm, QuestionForm, SurveyForm, answers_from_post

WRONG_CAPTCHA = gettext_lazy("验证码不正确，请重新计算图中的算式。")
PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------- the office


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(conference_id: int) -> dict[str, Any]:
    return {
        "menu": [],
        "name": "voice",
        "tab_name": "surveys",
        "counts": selectors.state_counts(conference_id),
    }


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: the conference's questionnaires (search, pages); members and panel members:
    the questionnaires open to them."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.STAFF, RoleKind.LEADER):  # type: ignore[arg-type]
        mine = list(svc.my_surveys(request.user))
        done = svc.answered_ids(request.user, mine)
        return render(request, "voice/survey/mine.html", {"rows": [(s, s.pk in done) for s in mine]})
    rows = svc.office_surveys(request.user, conference_id)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = rows.filter(title__icontains=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "can_create": has_role(request.user, conference_id, RoleKind.STAFF),  # type: ignore[arg-type]
    }
    return render(request, "voice/survey/office_list.html", {**context, **_office(conference_id)})


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    """Staff set up a questionnaire (as a draft); `?panel_q=` searches the talent pool."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.STAFF):  # type: ignore[arg-type]
        raise PermissionDenied
    panel_q = request.GET.get("panel_q", "").strip()[:50]
    form = SurveyForm(request.POST or None, conference_id=conference_id, panel_q=panel_q)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                found = svc.create_survey(request.user, request.conference, form.to_input())  # type: ignore[arg-type, attr-defined]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("问卷已创建，请添加题目后发布。"))
                return redirect("voice:survey_manage", found.pk)
    context = {"form": form, "panel_q": panel_q, **_office(conference_id)}
    return render(request, "voice/survey/create.html", context, status=status)


def _staff_survey(request: HttpRequest, pk: int) -> Survey:
    found = svc.get_office_survey(request.user, pk)
    if not svc.is_staff(request.user, found):
        raise Http404
    return found


def _manage(
    request: HttpRequest,
    found: Survey,
    *,
    question_form: QuestionForm | None = None,
    survey_form: SurveyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = svc.questions_of(found)
    later = {
        q.pk: [(o.pk, f"{o.position}. {o.text[:20]}") for o in questions if o.position > q.position]
        for q in questions
    }
    initial = {
        "title": found.title,
        "intro": found.intro,
        "opens_at": found.opens_at,
        "closes_at": found.closes_at,
        "for_members": found.for_members,
        "for_public": found.for_public,
        "panel": list(found.panel.all()),
        "deliberation": found.deliberation_id,
        "activity_id": found.activity_id,
    }
    context = {
        "survey": found,
        "questions": [(q, later[q.pk]) for q in questions],
        "is_draft": found.state == SurveyState.DRAFT,
        "question_form": question_form or QuestionForm(),
        "survey_form": survey_form or SurveyForm(initial=initial, conference_id=found.conference_id),
        "actions": [(a, row.label) for a, row in svc.TRANSITIONS.items() if found.state in row.sources],
        "events": timeline("survey", found.pk),
        "panel": list(found.panel.all()),
        "public_url": reverse("public:survey", args=[found.conference.code, found.pk])
        if found.for_public
        else "",
        "end": svc.END,
        **_office(found.conference_id),
    }
    return render(request, "voice/survey/manage.html", context, status=status)


@login_required
def survey_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the questionnaire, its questions and skip rules (editable in draft), actions, timeline."""
    return _manage(request, _staff_survey(request, pk))


@login_required
@require_POST
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a draft's settings."""
    found = _staff_survey(request, pk)
    form = SurveyForm(request.POST, conference_id=found.conference_id)
    if not form.is_valid():
        return _manage(request, found, survey_form=form, status=400)
    raw = request.POST.get("version", "")
    try:
        svc.update_survey(request.user, found, form.to_input(), version=int(raw) if raw.isdigit() else None)  # type: ignore[arg-type]
    except AppError as error:
        return _manage(request, found, survey_form=form, status=apply_error(form, error))
    messages.success(request, _("问卷设置已保存。"))
    return redirect("voice:survey_manage", found.pk)


@login_required
@require_POST
def survey_question_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff append a question to a draft."""
    found = _staff_survey(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _manage(request, found, question_form=form, status=400)
    try:
        svc.add_question(request.user, found, form.to_input())  # type: ignore[arg-type]
    except AppError as error:
        return _manage(request, found, question_form=form, status=apply_error(form, error, "text"))
    messages.success(request, _("题目已添加。"))
    return redirect(reverse("voice:survey_manage", args=[found.pk]) + "#add-question")


def _staff_question(request: HttpRequest, pk: int) -> SurveyQuestion:
    question = get_object_or_404(SurveyQuestion.objects.select_related("survey"), pk=pk)
    _staff_survey(request, question.survey_id)
    return question


@login_required
@require_POST
def survey_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff delete a question of a draft."""
    question = _staff_question(request, pk)
    try:
        svc.delete_question(request.user, question)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("题目已删除。"))
    return redirect("voice:survey_manage", question.survey_id)


@login_required
@require_POST
def survey_jumps(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff set where the options of a single choice question lead."""
    question = _staff_question(request, pk)
    jumps = {
        int(key[5:]): value
        for key, value in request.POST.items()
        if key.startswith("jump_") and key[5:].isdigit() and len(key) < 20
    }
    try:
        svc.set_jumps(request.user, question, jumps)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, "；".join(error.fields.values()) or error.message)
    else:
        messages.success(request, _("跳题设置已保存。"))
    return redirect(reverse("voice:survey_manage", args=[question.survey_id]) + f"#question-{question.pk}")


@login_required
@require_POST
def survey_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff publish or close a questionnaire."""
    found = _staff_survey(request, pk)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        if action == "open":
            svc.open_survey(request.user, found, version=version)  # type: ignore[arg-type]
            messages.success(request, _("问卷已发布，已通知作答对象。"))
        elif action == "close":
            svc.close_survey(request.user, found, version=version)  # type: ignore[arg-type]
            messages.success(request, _("问卷已结束。"))
        else:
            raise Http404
    except AppError as error:
        messages.error(request, error.message)
    return redirect("voice:survey_manage", found.pk)


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff and leaders: live counts as charts and tables, scale means, free texts by theme."""
    found = svc.get_office_survey(request.user, pk)
    results = svc.results(found)
    context = {
        "survey": found,
        "results": results,
        "charts": results.charts(),
        **_office(found.conference_id),
    }
    return render(request, "voice/survey/results.html", context)


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The results as .xlsx: raw answers and summaries."""
    found = svc.get_office_survey(request.user, pk)
    response = HttpResponse(survey_xlsx(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{found.pk}.xlsx"'
    return response


# ---------------------------------------------------------------------------- answering


def _sheet(
    questions: list[SurveyQuestion], given: dict[int, svc.AnswerInput], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """The questions as the answer sheet shows them, with what was typed and the errors."""
    items = []
    for q in questions:
        answer = given.get(q.pk) or svc.AnswerInput()
        chosen = set(answer.choice_ids)
        items.append(
            {
                "q": q,
                "name": f"q{q.pk}",
                "choices": [
                    (c, c.pk in chosen, "end" if c.jump_end else (c.jump_to_id or ""))
                    for c in q.choices.all()
                ],
                "scale": [(v, v == answer.scale) for v in range(1, (q.scale_max or 5) + 1)]
                if q.kind == QuestionKind.SCALE
                else [],
                "text": answer.text,
                "error": errors.get(f"q{q.pk}", ""),
            }
        )
    return items


def _sheet_context(
    found: Survey, given: dict[int, svc.AnswerInput] | None = None, error: AppError | None = None
) -> dict[str, Any]:
    return {
        "survey": found,
        "sheet": _sheet(svc.questions_of(found), given or {}, error.fields if error else {}),
        "error": error.message if error else "",
        "taking": svc.in_window(found),
    }


@login_required
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member or panel member answers, once."""
    found = svc.get_answerable(request.user, pk)
    done = bool(svc.answered_ids(request.user, [found]))
    context: dict[str, Any] = {"done": done, "action": reverse("voice:survey_answer", args=[pk])}
    status = 200
    if request.method == "POST" and not done:
        given = answers_from_post(request.POST, svc.questions_of(found))
        try:
            svc.submit_response(request.user, found, given)
        except AppError as error:
            status = status_of(error)
            return render(
                request,
                "voice/survey/answer.html",
                {**context, **_sheet_context(found, given, error)},
                status=status,
            )
        messages.success(request, _("提交成功，感谢您参与问卷调查。"))
        return redirect("voice:survey_answer", pk)
    return render(request, "voice/survey/answer.html", {**context, **_sheet_context(found)}, status=status)


# ---------------------------------------------------------------------------- the public (portal)


def public_survey_list(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's questionnaires open to the public now."""
    conference = selectors.public_conference(code)
    rows = svc.public_surveys(conference)
    return render(request, "voice/survey/public_list.html", {"conference": conference, "rows": rows})


def public_survey(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The public answer sheet: captcha for those not signed in, a limit per address."""
    conference = selectors.public_conference(code)
    found = svc.get_public_survey(conference, pk)
    # Bound on every POST, even an empty one: an error is added to it when the captcha is wrong.
    form = PublicCaptchaForm(request.POST if request.method == "POST" else None)
    given: dict[int, svc.AnswerInput] = {}
    failure: AppError | None = None
    status = 200
    anonymous = not request.user.is_authenticated
    if request.method == "POST":
        given = answers_from_post(request.POST, svc.questions_of(found))
        client = throttle.client_hash(request)
        if anonymous and throttle.exceeded("survey", client, svc.public_limit()):
            failure, status = AppError(ErrorCode.INVALID_INPUT, str(svc.TOO_OFTEN)), 429
        elif (
            anonymous
            and svc.in_window(found)
            and not captcha.check(request.session, form.data.get("captcha"))
        ):
            form.add_error("captcha", str(WRONG_CAPTCHA))
            status = 400
        else:
            try:
                svc.submit_response(request.user, found, given, client=client)
            except AppError as error:
                failure, status = error, status_of(error)
            else:
                return redirect("public:survey_done", conference.code, found.pk)
    context = {
        "conference": conference,
        "form": form,
        "anonymous": anonymous,
        "action": reverse("public:survey", args=[conference.code, found.pk]),
        **_sheet_context(found, given, failure),
    }
    if anonymous and context["taking"]:
        context["captcha_svg"] = captcha.new_challenge(request.session)
    return render(request, "voice/survey/public_answer.html", context, status=status)


def public_survey_done(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Thanks, after a public answer."""
    conference = selectors.public_conference(code)
    found = svc.get_public_survey(conference, pk)
    return render(request, "voice/survey/public_done.html", {"conference": conference, "survey": found})


# Wired under /public/ (namespace `public`) by xieshang.web.portal.
public_urlpatterns = [
    path("<slug:code>/surveys/", public_survey_list, name="surveys"),
    path("<slug:code>/surveys/<int:pk>/", public_survey, name="survey"),
    path("<slug:code>/surveys/<int:pk>/done/", public_survey_done, name="survey_done"),
]
