"""Voice pages: the public's submission, tracking and answers list (no sign-in, phone first), the
staff's triage board, the unit's inbox and the member's leads. Thin adapters over services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from . import captcha, forms, intel, selectors, services, throttle, workflow
from .models import MessageAttachment, MessageState, PublicMessage
from .rules import actor_roles, can_read_board

T = TypeVar("T")

PAGE_SIZE = 25
LAST_CODE = "voice_last_code"
WRONG_CODE = "查询码不正确或不存在，请核对后重新输入（查询码为 10 位字母和数字）。"
WRONG_CAPTCHA = "验证码不正确，请重新计算图中的算式。"

# ---------------------------------------------------------------------------- the public


def submit(request: HttpRequest, code: str) -> HttpResponse:
    """The public leave a suggestion: subject, detail, place, category, attachments, captcha."""
    conference = selectors.public_conference(code)
    form = forms.SubmitForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        client = throttle.client_hash(request)
        if not captcha.check(request.session, cd.get("captcha")):
            form.add_error("captcha", _(WRONG_CAPTCHA))
            status = 400
        else:
            data = services.MessageInput(
                subject=cd["subject"],
                detail=cd["detail"],
                place=cd["place"],
                category=cd["category"],
                contact_name=cd["contact_name"],
                contact_phone=cd["contact_phone"],
                contact_email=cd["contact_email"],
            )
            try:
                message = services.submit_message(conference, data, uploads=cd["attachments"], client=client)
            except AppError as error:
                status = apply_error(form, error)
                if not error.fields:
                    status = 429 if "频繁" in error.message else status
            else:
                request.session[LAST_CODE] = message.tracking_code
                return redirect("voice:submitted", conference.code)
    elif request.method == "POST":
        status = 400
    context = {
        "conference": conference,
        "form": form,
        "captcha_svg": captcha.new_challenge(request.session),
        "categories": selectors.categories_in_use(conference.pk),
    }
    return render(request, "voice/public_new.html", context, status=status)


def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """After a submission: the tracking code, shown once to the one who submitted."""
    conference = selectors.public_conference(code)
    tracking_code = request.session.get(LAST_CODE)
    if not tracking_code:
        return redirect("voice:new", conference.code)
    return render(
        request, "voice/public_done.html", {"conference": conference, "tracking_code": tracking_code}
    )


def track(request: HttpRequest) -> HttpResponse:
    """Look a message up by its tracking code: only that message's public fields."""
    form = forms.TrackForm(request.POST or None)
    message: PublicMessage | None = None
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        client = throttle.client_hash(request)
        if throttle.exceeded("track", client, throttle.track_limit()):
            error, status = _("查询过于频繁，请一小时后再试。"), 429
        else:
            throttle.count("track", client)
            message = selectors.track(form.cleaned_data["code"])
            if message is None:
                error = _(WRONG_CODE)
    context: dict[str, Any] = {"form": form, "message": message, "error": error}
    if message is not None:
        context["reply_from"] = selectors.public_reply_of(message)
        context["adoption"] = selectors.public_adoption(message)
    return render(request, "voice/public_track.html", context, status=status)


def answers(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's published answers to the public's messages."""
    conference = selectors.public_conference(code)
    page = Paginator(selectors.published_answers(conference).select_related("reply_unit"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "voice/public_answers.html", {"conference": conference, "page": page})


# ---------------------------------------------------------------------------- the office


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office_context(conference_id: int, tab: str) -> dict[str, Any]:
    return {"menu": [], "name": "voice", "tab_name": tab, "counts": selectors.state_counts(conference_id)}


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The triage board: messages with their routing suggestion; filter, search, sort, page."""
    conference_id = _conference_id(request)
    if not can_read_board(request.user, conference_id):
        raise PermissionDenied
    form = forms.FilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_messages(
        selectors.visible_messages(request.user, conference_id),
        q=cd.get("q") or "",
        state=cd.get("state") or "",
        category=cd.get("category") or "",
        overdue=bool(cd.get("overdue")),
        sort=cd.get("sort") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    texts = [intel.text_of(m.subject, m.detail) if m.state in workflow.OPEN else "" for m in rows]
    pending: list[bool] = []
    units = _or_pending(pending, [[] for _ in rows], intel.suggest_units_batch, conference_id, texts, k=1)
    categories = _or_pending(
        pending, [[] for _ in rows], intel.suggest_categories_batch, conference_id, texts, k=1
    )
    fits = _or_pending(
        pending,
        [intel.Suits([], []) for _ in rows],
        intel.suggest_fits_batch,
        conference_id,
        texts,
        members=1,
    )
    context = {
        "intel_pending": any(pending),
        "form": form,
        "page": page,
        "rows": list(zip(rows, units, categories, fits, strict=True)),
        "states": MessageState.choices,
        "categories": selectors.categories_in_use(conference_id),
        "state": cd.get("state") or "",
        **_office_context(conference_id, "overdue" if cd.get("overdue") else (cd.get("state") or "open")),
    }
    return render(request, "voice/board.html", context)


def _or_pending(pending: list[bool], empty: Any, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)`, or `empty` (noted in `pending`) while the worker builds what it needs for
    the first time: each suggestion asks the worker for its own objects, so one pass builds them all."""
    try:
        return fn(*args, **kwargs)
    except intel.Pending:
        pending.append(True)
        return empty


def _action_form(action: str, message: PublicMessage, data: Any = None) -> djforms.Form:
    initial: dict[str, Any] = {"version": message.version}
    kwargs: dict[str, Any] = {}
    if action == "triage":
        form_class: type[djforms.Form] = forms.TriageForm
        initial.update(category=message.category, place=message.place)
    elif action == "merge":
        form_class = forms.MergeForm
    elif action == "answer":
        form_class = forms.AnswerForm
    elif action == "forward":
        form_class = forms.ForwardForm
        kwargs["units"] = selectors.conference_units(message.conference_id)
    elif action == "unit_answer":
        form_class = forms.UnitAnswerForm
    elif action == "publish":
        form_class = forms.PublishForm
        initial["published"] = not message.published
    elif action == "mark_lead":
        form_class = forms.LeadForm
        kwargs["committees"] = selectors.committees(message.conference_id)
        kwargs["members"] = selectors.members(message.conference_id)
    elif action == "close":
        form_class = forms.CloseForm
    else:
        raise Http404
    return form_class(data, auto_id=f"id_{action}_%s", initial=initial, **kwargs)


FORM_ACTIONS = ["triage", "forward", "answer", "unit_answer", "publish", "mark_lead", "merge", "close"]


def _detail_context(
    request: HttpRequest, message: PublicMessage, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = selectors.available_actions(request.user, message)
    roles = actor_roles(request.user, message)
    is_office = bool(roles & {"staff", "leader"})
    text = intel.text_of(message.subject, message.detail)
    context: dict[str, Any] = {
        "message": message,
        "today": today(),
        "actions": actions,
        "action_forms": [
            (a, workflow.transition(a).label, bound.get(a) or _action_form(a, message))
            for a in actions
            if a in FORM_ACTIONS
        ],
        "lead": selectors.lead_of(message),
        "forwardings": list(selectors.forwardings(message)),
        "attachments": list(message.attachments.all()),
        "is_office": is_office,
        "adoption": selectors.public_adoption(message),
    }
    if is_office:
        context.update(
            {
                "events": timeline("publicmessage", message.pk),
                "categories": selectors.categories_in_use(message.conference_id),
                **_office_context(message.conference_id, ""),
            }
        )
        pending: list[bool] = []
        cid = message.conference_id
        context.update(
            {
                "suggested_units": _or_pending(pending, [], intel.suggest_units, cid, text),
                "suggested_categories": _or_pending(pending, [], intel.suggest_categories, cid, text),
                "suits": _or_pending(pending, intel.Suits([], []), intel.suggest_fits, cid, text),
                "similar_messages": _or_pending(
                    pending, [], intel.similar_messages, cid, text, exclude_id=message.pk
                ),
                "similar_proposals": intel.similar_proposals(cid, text),
                "intel_pending": any(pending),
            }
        )
    return context


def _template(context: dict[str, Any]) -> str:
    return "voice/detail_office.html" if context["is_office"] else "voice/detail.html"


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One message with its suggestions, similar records, forwardings, actions and timeline."""
    message = selectors.get_message(request.user, pk)
    context = _detail_context(request, message)
    return render(request, _template(context), context)


def _run(action: str, request: HttpRequest, message: PublicMessage, form: djforms.Form) -> str:
    user: Any = request.user
    cd = form.cleaned_data
    version = cd.get("version")
    if action == "triage":
        services.triage_message(user, message, category=cd["category"], place=cd["place"], version=version)
        return _("已分拣。")
    if action == "merge":
        services.merge_message(user, message, cd["target"], version=version)
        return _("已合并。")
    if action == "answer":
        services.answer_message(user, message, reply=cd["reply"], publish=cd["publish"], version=version)
        return _("已答复。")
    if action == "forward":
        services.forward_message(
            user, message, unit_id=cd["unit"].pk, due_on=cd["due_on"], note=cd["note"], version=version
        )
        return _("已转办。")
    if action == "unit_answer":
        services.unit_answer(user, message, answer=cd["answer"], version=version)
        return _("答复已提交。")
    if action == "publish":
        services.publish_answer(user, message, published=cd["published"], version=version)
        return _("已公开答复。") if cd["published"] else _("已撤回公开。")
    if action == "mark_lead":
        committee, member = cd.get("committee"), cd.get("member")
        services.mark_lead(
            user,
            message,
            committee_id=committee.pk if committee else None,
            member_id=member.pk if member else None,
            note=cd["note"],
            version=version,
        )
        return _("已标记为提案线索。")
    if action == "close":
        services.close_message(user, message, reason=cd["reason"], version=version)
        return _("已办结。")
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action from the message page."""
    message = selectors.get_message(request.user, pk)
    if action not in FORM_ACTIONS or action not in selectors.available_actions(request.user, message):
        raise PermissionDenied
    form = _action_form(action, message, request.POST)
    status = 400
    if form.is_valid():
        try:
            text = _run(action, request, message, form)
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, text)
            return redirect("voice:detail", message.pk)
    message = selectors.get_message(request.user, pk)
    context = _detail_context(request, message, {action: form})
    return render(request, _template(context), context, status=status)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Download a message's attachment (office, forwarded unit or lead member only)."""
    found = MessageAttachment.objects.filter(pk=pk).first()
    if found is None or not selectors.visible_messages(request.user).filter(pk=found.message_id).exists():
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """A unit's forwarded messages: unanswered first, by due date."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.UNIT):  # type: ignore[arg-type]
        raise PermissionDenied
    page = Paginator(selectors.unit_inbox(request.user, conference_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "voice/inbox.html", {"page": page, "today": today()})


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    """A member's proposal leads (for them or their committee), with one-click adoption."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.MEMBER):  # type: ignore[arg-type]
        raise PermissionDenied
    page = Paginator(selectors.my_leads(request.user, conference_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "voice/leads.html", {"page": page, "tab": "proposals"})


@login_required
@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """A member adopts a lead into a proposal draft and goes on editing it."""
    lead = selectors.get_lead(request.user, pk)
    try:
        proposal = services.adopt_lead(request.user, lead)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
        return redirect("voice:leads")
    messages.success(request, _("已根据线索生成提案草稿，请完善后提交。"))
    return redirect("proposals:edit", proposal.pk)


@login_required
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """A member turns a lead into an opinion report draft."""
    lead = selectors.get_lead(request.user, pk)
    try:
        report = services.convert_lead(request.user, lead)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
        return redirect("voice:leads")
    messages.success(request, _("已根据线索生成社情民意信息草稿，请完善后报送。"))
    return redirect("opinions:edit", report.pk)


@login_required
def hot_topics(request: HttpRequest) -> HttpResponse:
    """Leaders and staff: the hottest issues over public messages, proposals and opinion reports."""
    conference_id = _conference_id(request)
    if not can_read_board(request.user, conference_id):
        raise PermissionDenied
    raw = request.GET.get("days", "90")
    days = int(raw) if raw.isdigit() and 7 <= int(raw) <= 3650 else 90
    place = request.GET.get("place", "").strip()[:30]
    try:
        found, pending = intel.leader_topics(conference_id, days=days, place=place), False
    except intel.Pending:  # the worker is computing this period's topics for the first time
        found, pending = [], True
    context = {
        "topics": found,
        "pending": pending,
        "days": days,
        "place": place,
        **_office_context(conference_id, "topics"),
    }
    return render(request, "voice/hot_topics.html", context)
