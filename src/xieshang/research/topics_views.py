"""Pages of research topics and forums: thin adapters over topics_services and topics_selectors.

Staff work every step; leaders read, select or decline topics and give instructions. Every write is a
POST; a refused write (AppError) re-renders the page with the message beside the form that failed.
"""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.conferences.models import Committee, Department, Party
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error

from . import topics_exports as exports
from . import topics_forms as forms
from . import topics_selectors as selectors
from . import topics_services as services
from .models import Forum, ResearchTopic, TopicState
from .topics_rules import can_register_topics, can_use_topics

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 25
CANDIDATES_MAX = 200

# ---------------------------------------------------------------------------- helpers


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference = getattr(request, "conference", None)
    if conference is None or not can_use_topics(request.user, conference.pk):
        raise PermissionDenied
    return int(conference.pk)


def _tabs(request: HttpRequest, conference_id: int, tab: str) -> dict[str, Any]:
    counts = selectors.state_counts(request.user, conference_id)
    tabs = [(state, label, counts[state]) for state, label in TopicState.choices]
    return {"menu": [], "name": "research", "tabs": tabs, "tab_name": tab}


# ---------------------------------------------------------------------------- topics


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The conference's topics: search, filter by state, kind and year, page."""
    conference_id = _office(request)
    form = forms.TopicFilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_topics(
        selectors.office_topics(request.user, conference_id),
        q=cd.get("q") or "",
        state=cd.get("state") or "",
        kind=cd.get("kind") or "",
        year=cd.get("year"),
    )
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_write": can_register_topics(request.user, conference_id),
        **_tabs(request, conference_id, cd.get("state") or "all"),
    }
    return render(request, "research/topics/list.html", context)


def _input(cd: dict[str, Any]) -> services.TopicInput:
    committee = cd.get("lead_committee")
    return services.TopicInput(
        title=cd["title"],
        kind=cd["kind"],
        proposer_kind=cd["proposer_kind"],
        proposer_name=cd["proposer_name"],
        background=cd["background"],
        lead_committee_id=committee.pk if committee else None,
        year=cd.get("year"),
        origin_proposal_id=cd.get("origin_proposal"),
    )


def _committees(conference_id: int) -> Any:
    return Committee.objects.filter(conference_id=conference_id).order_by("name")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Staff register a proposed topic; `?proposal=<id>` starts it from a proposal."""
    conference_id = _office(request)
    if not can_register_topics(request.user, conference_id):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    proposal = None
    proposal_id = request.GET.get("proposal") or request.POST.get("origin_proposal")
    if proposal_id:
        if not str(proposal_id).isdigit():
            raise Http404
        proposal = selectors.get_proposal(request.user, conference_id, int(proposal_id))
        prefill = services.topic_input_from_proposal(proposal)
        initial = {
            "title": prefill.title,
            "kind": prefill.kind,
            "proposer_kind": prefill.proposer_kind,
            "proposer_name": prefill.proposer_name,
            "background": prefill.background,
            "origin_proposal": proposal.pk,
        }
    form = forms.TopicForm(request.POST or None, initial=initial, committees=_committees(conference_id))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                topic = services.create_topic(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    _input(form.cleaned_data),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("课题已登记。"))
                return redirect("research:topic", topic.pk)
    proposal_q = (request.GET.get("proposal_q") or "").strip()[:100]
    found = selectors.search_proposals(conference_id, proposal_q) if proposal_q and proposal is None else []
    context = {
        "form": form,
        "proposal": proposal,
        "proposal_q": proposal_q,
        "found_proposals": found,
        **_tabs(request, conference_id, ""),
    }
    return render(request, "research/topics/form.html", context, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff correct a topic before its report is submitted."""
    topic = selectors.get_topic(request.user, pk)
    if "edit" not in selectors.available_actions(request.user, topic):
        raise PermissionDenied
    initial = {
        "title": topic.title,
        "kind": topic.kind,
        "proposer_kind": topic.proposer_kind,
        "proposer_name": topic.proposer_name,
        "lead_committee": topic.lead_committee_id,
        "year": topic.year,
        "background": topic.background,
        "origin_proposal": topic.origin_proposal_id,
        "version": topic.version,
    }
    form = forms.TopicForm(request.POST or None, initial=initial, committees=_committees(topic.conference_id))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_topic(
                    request.user,  # type: ignore[arg-type]
                    topic,
                    _input(form.cleaned_data),
                    version=form.cleaned_data.get("version"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("research:topic", topic.pk)
    context = {"form": form, "topic": topic, **_tabs(request, topic.conference_id, "")}
    return render(request, "research/topics/form.html", context, status=status)


# Which workflow action each form on the detail page needs.
FORM_ACTIONS = {
    "select": "select",
    "decline": "decline",
    "start": "start",
    "add_member": "plan",
    "remove_member": "plan",
    "add_partner": "plan",
    "remove_partner": "plan",
    "add_milestone": "plan",
    "complete_milestone": "plan",
    "add_draft": "add_draft",
    "submit_report": "submit_report",
    "withdraw_report": "withdraw_report",
    "transmit": "transmit",
    "record_instruction": "record_instruction",
    "create_task": "create_task",
    "close": "close",
}
PANELS = [
    "add_member",
    "add_partner",
    "add_milestone",
    "add_draft",
    "decline",
    "withdraw_report",
    "transmit",
    "record_instruction",
    "create_task",
]


def _candidates(topic: ResearchTopic, q: str) -> list[tuple[int, str]]:
    pool = selectors.group_candidates(topic.conference_id, q)[:CANDIDATES_MAX]
    return [(m.user_id, " · ".join(x for x in [str(m.user), m.expertise, m.workplace] if x)) for m in pool]


def _form(
    request: HttpRequest, name: str, topic: ResearchTopic, data: Any = None, files: Any = None
) -> djforms.Form:
    kw: dict[str, Any] = {"auto_id": f"id_{name}_%s", "initial": {"version": topic.version}}
    c = topic.conference_id
    if name == "add_member":
        return forms.GroupMemberForm(
            data, candidates=_candidates(topic, request.GET.get("expert_q", "")), **kw
        )
    if name in {"remove_member", "remove_partner"}:
        return forms.RemoveForm(data, **kw)
    if name == "add_partner":
        return forms.PartnerForm(
            data,
            parties=Party.objects.filter(conference_id=c).order_by("name"),
            departments=Department.objects.filter(conference_id=c).order_by("name"),
            **kw,
        )
    if name == "add_milestone":
        return forms.MilestoneForm(data, activities=selectors.activity_choices(c), **kw)
    if name == "complete_milestone":
        return forms.CompleteForm(data, **kw)
    if name == "add_draft":
        return forms.DraftForm(data, files, **kw)
    if name in {"decline", "withdraw_report"}:
        return forms.ReasonForm(data, **kw)
    if name == "transmit":
        return forms.TransmitForm(data, **kw)
    if name == "record_instruction":
        return forms.InstructionForm(data, **kw)
    if name == "create_task":
        return forms.FollowUpForm(
            data, units=selectors.unit_choices(c), instructions=topic.instructions.all(), **kw
        )
    return forms.VersionForm(data, **kw)


def _allowed(request: HttpRequest, topic: ResearchTopic) -> list[str]:
    actions = selectors.available_actions(request.user, topic)
    return [name for name, action in FORM_ACTIONS.items() if action in actions]


def _detail_context(
    request: HttpRequest, topic: ResearchTopic, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    allowed = _allowed(request, topic)
    return {
        "topic": topic,
        "actions": selectors.available_actions(request.user, topic),
        "allowed": allowed,
        "panels": {
            name: bound.get(name) or _form(request, name, topic) for name in PANELS if name in allowed
        },
        "events": timeline("researchtopic", topic.pk),
        "expert_q": request.GET.get("expert_q", ""),
        **selectors.topic_parts(topic),
        **_tabs(request, topic.conference_id, ""),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One topic: its plan, group, drafts, report, transmissions, instructions, tasks and timeline."""
    topic = selectors.get_topic(request.user, pk)
    return render(request, "research/topics/detail.html", _detail_context(request, topic))


def _run(name: str, request: HttpRequest, topic: ResearchTopic, form: djforms.Form) -> str:
    """Call the service behind form `name`; returns the success message."""
    user: Any = request.user
    cd = form.cleaned_data
    version = cd.get("version")
    if name == "select":
        services.select_topic(user, topic, version=version)
        return _("已列入年度课题计划。")
    if name == "decline":
        services.decline_topic(user, topic, reason=cd["reason"], version=version)
        return _("已不予立项。")
    if name == "start":
        services.start_research(user, topic, version=version)
        return _("调研已启动。")
    if name == "add_member":
        services.add_group_member(user, topic, user_id=cd["user"], role=cd["role"], version=version)
        return _("已加入课题组。")
    if name == "remove_member":
        services.remove_group_member(user, topic, entry_id=cd["item"], version=version)
        return _("已移出课题组。")
    if name == "add_partner":
        party, department = cd.get("party"), cd.get("department")
        services.add_partner(
            user,
            topic,
            services.PartnerInput(
                kind=cd["kind"],
                name=cd["name"],
                party_id=party.pk if party else None,
                department_id=department.pk if department else None,
            ),
            version=version,
        )
        return _("合作单位已添加。")
    if name == "remove_partner":
        services.remove_partner(user, topic, partner_id=cd["item"], version=version)
        return _("合作单位已移除。")
    if name == "add_milestone":
        activity = cd.get("activity")
        services.add_milestone(
            user,
            topic,
            services.MilestoneInput(cd["title"], cd.get("due_on"), activity.pk if activity else None),
            version=version,
        )
        return _("进度安排已添加。")
    if name == "complete_milestone":
        milestone = topic.milestones.filter(pk=cd["item"]).first()
        if milestone is None:
            raise Http404
        services.complete_milestone(user, milestone, done_on=cd.get("done_on"), version=version)
        return _("已标记完成。")
    if name == "add_draft":
        services.add_draft(
            user,
            topic,
            services.DraftInput(title=cd["title"], text=cd["text"], note=cd["note"]),
            upload=cd.get("file"),
            version=version,
        )
        return _("报告稿已保存。")
    if name == "submit_report":
        services.submit_report(user, topic, version=version)
        return _("成果报告已提交。")
    if name == "withdraw_report":
        services.withdraw_report(user, topic, reason=cd["reason"], version=version)
        return _("成果报告已撤回。")
    if name == "transmit":
        services.transmit_report(
            user,
            topic,
            services.TransmitInput(cd["recipient_kind"], cd["recipient_name"], cd.get("sent_on"), cd["note"]),
            version=version,
        )
        return _("报送已登记。")
    if name == "record_instruction":
        services.record_instruction(
            user,
            topic,
            services.InstructionInput(
                text=cd["text"], level=cd["level"], leader_name=cd["leader_name"], given_on=cd.get("given_on")
            ),
            version=version,
        )
        return _("批示已登记。")
    if name == "create_task":
        instruction = cd.get("instruction")
        link = services.create_follow_up_task(
            user,
            topic,
            services.FollowUpInput(
                action=cd["action"],
                lead_unit_ids=[u.pk for u in cd.get("lead_units") or []],
                coop_unit_ids=[u.pk for u in cd.get("coop_units") or []],
                due_on=cd.get("due_on"),
                instruction_id=instruction.pk if instruction else None,
            ),
        )
        return _("已转为督办事项：%(t)s") % {"t": link.task.title}
    services.close_topic(user, topic, version=version)
    return _("课题已结题。")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one action from the detail page."""
    topic = selectors.get_topic(request.user, pk)
    if name not in FORM_ACTIONS:
        raise Http404
    if name not in _allowed(request, topic):
        raise PermissionDenied
    form = _form(request, name, topic, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message = _run(name, request, topic, form)
        except AppError as error:
            status = apply_error(form, error)
            if name not in PANELS:
                messages.error(request, error.message)
        else:
            messages.success(request, message)
            return redirect("research:topic", topic.pk)
    topic = selectors.get_topic(request.user, pk)
    return render(
        request, "research/topics/detail.html", _detail_context(request, topic, {name: form}), status=status
    )


@login_required
def draft_file(request: HttpRequest, pk: int, draft_id: int) -> FileResponse:
    """A draft's uploaded file, served as an attachment."""
    draft = selectors.get_draft_file(request.user, pk, draft_id)
    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=draft.original_name)


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The topic's report (or latest draft) as a .docx."""
    topic = selectors.get_topic(request.user, pk)
    response = HttpResponse(exports.report_docx(topic), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{topic.title}.docx")
    return response


# ---------------------------------------------------------------------------- forums


@login_required
def forum_list(request: HttpRequest) -> HttpResponse:
    """Forums the conference hosts or is invited to; staff open a new one."""
    conference_id = _office(request)
    can_write = can_register_topics(request.user, conference_id)
    form = forms.ForumForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                forum = services.create_forum(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    services.ForumInput(cd["theme"], cd.get("held_on"), cd["place"]),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("论坛已创建，请邀请参加的政协。"))
                return redirect("research:forum", forum.pk)
    qs = selectors.forums(request.user, conference_id)
    context = {
        "form": form,
        "can_write": can_write,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "conference_id": conference_id,
        **_tabs(request, conference_id, "forums"),
    }
    return render(request, "research/topics/forums.html", context, status=status)


def _forum_forms(request: HttpRequest, forum: Forum, bound: dict[str, djforms.Form]) -> dict[str, Any]:
    conferences = selectors.submitting_conferences(request.user, forum)
    topics = [
        (t.pk, f"{t.conference.short_name} · {t.title}")
        for c in conferences
        for t in selectors.reportable_topics(c.pk).select_related("conference")
    ]
    return {
        "invite": bound.get("invite")
        or forms.InviteForm(
            initial={"version": forum.version}, conferences=selectors.invitable_conferences(forum)
        ),
        "submit": bound.get("submit")
        or forms.SubmissionForm(conferences=[(c.pk, c.name) for c in conferences], topics=topics),
    }


def _forum_context(
    request: HttpRequest, forum: Forum, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    host = selectors.is_host(request.user, forum)
    return {
        "forum": forum,
        "is_host": host,
        "can_host": selectors.can_compile(request.user, forum),
        "can_submit": bool(selectors.submitting_conferences(request.user, forum)) and forum.state == "open",
        "invitations": list(forum.invitations.select_related("conference")) if host else [],
        "submissions": list(selectors.visible_submissions(request.user, forum)),
        "forms": _forum_forms(request, forum, bound or {}),
        "events": timeline("forum", forum.pk) if host else [],
        **_tabs(request, _current_or(request, forum.conference_id), "forums"),
    }


def _current_or(request: HttpRequest, fallback: int) -> int:
    conference = getattr(request, "conference", None)
    return int(conference.pk) if conference is not None else fallback


@login_required
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum: the host sees every invitation and submission; an invited conference its own."""
    forum = selectors.get_forum(request.user, pk)
    return render(request, "research/topics/forum.html", _forum_context(request, forum))


@login_required
@require_POST
def forum_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Invite conferences, submit a report, or close the collection."""
    forum = selectors.get_forum(request.user, pk)
    user: Any = request.user
    form: djforms.Form
    status = 400
    if name == "invite":
        form = forms.InviteForm(request.POST, conferences=selectors.invitable_conferences(forum))
    elif name == "submit":
        conferences = selectors.submitting_conferences(request.user, forum)
        topics = [(t.pk, t.title) for c in conferences for t in selectors.reportable_topics(c.pk)]
        form = forms.SubmissionForm(
            request.POST, request.FILES, conferences=[(c.pk, c.name) for c in conferences], topics=topics
        )
    elif name == "close":
        form = forms.VersionForm(request.POST)
    else:
        raise Http404
    if form.is_valid():
        cd = form.cleaned_data
        try:
            if name == "invite":
                created = services.invite_conferences(
                    user, forum, [c.pk for c in cd["conferences"]], version=cd.get("version")
                )
                message = _("已邀请 %(n)s 个政协。") % {"n": len(created)}
            elif name == "submit":
                conference = next(
                    c for c in selectors.submitting_conferences(user, forum) if c.pk == cd["conference"]
                )
                services.submit_to_forum(
                    user,
                    forum,
                    conference,
                    services.SubmissionInput(topic_id=cd.get("topic"), title=cd["title"], text=cd["text"]),
                    upload=cd.get("file"),
                )
                message = _("交流报告已报送。")
            else:
                services.close_forum(user, forum, version=cd.get("version"))
                message = _("已结束征集，可以导出论坛成果汇编。")
        except AppError as error:
            status = apply_error(form, error)
            if name == "close":
                messages.error(request, error.message)
        else:
            messages.success(request, message)
            return redirect("research:forum", forum.pk)
    forum = selectors.get_forum(request.user, pk)
    return render(
        request, "research/topics/forum.html", _forum_context(request, forum, {name: form}), status=status
    )


def _proceedings_name(forum: Forum, ext: str) -> str:
    return f"{forum.theme}-论坛成果汇编.{ext}"


@login_required
def forum_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's staff export the proceedings (.docx)."""
    forum = selectors.get_forum(request.user, pk)
    if not selectors.can_compile(request.user, forum):
        raise PermissionDenied
    response = HttpResponse(
        exports.proceedings_docx(forum, list(selectors.proceedings(forum))), content_type=DOCX
    )
    response["Content-Disposition"] = content_disposition_header(True, _proceedings_name(forum, "docx"))
    return response


@login_required
def forum_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's staff export the proceedings (.pdf, Chinese font embedded)."""
    forum = selectors.get_forum(request.user, pk)
    if not selectors.can_compile(request.user, forum):
        raise PermissionDenied
    response = HttpResponse(
        exports.proceedings_pdf(forum, list(selectors.proceedings(forum))), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(True, _proceedings_name(forum, "pdf"))
    return response


@login_required
def forum_file(request: HttpRequest, pk: int, submission_id: int) -> FileResponse:
    """A submission's uploaded report, for the host or the submitting conference."""
    submission = selectors.get_submission_file(request.user, pk, submission_id)
    return FileResponse(submission.file.open("rb"), as_attachment=True, filename=submission.original_name)
