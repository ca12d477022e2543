"""Proposal pages: thin adapters over services and selectors (parse, call, render).

Every write is a POST to one action URL; a refused write (AppError) re-renders the page with the
message beside the form, or, for a bare button, shows it as a message after a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role, unit_ids, users_with_role

from . import exports, forms, intel, selectors, services
from .models import Assignment, AssignmentRole, Proposal, Reply
from .rules import actor_roles

# ---------------------------------------------------------------------------- helpers


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _auto_id(key: str) -> str:
    return f"id_{key}_%s"


def _bound_version(form: djforms.Form, version: int) -> None:
    """After a conflict, let the re-rendered form carry the current version so a second try may pass."""
    if form.is_bound and "version" in form.fields:
        data = form.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(version)
        form.data = data


# ---------------------------------------------------------------------------- member: list, write, edit


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own proposals (the 提案 tab)."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, *(k for k in RoleKind.values if k != RoleKind.FRIEND)):  # type: ignore[arg-type]
        raise PermissionDenied  # a friend of the conference (政协之友) has no proposals
    proposals = selectors.my_proposals(request.user, conference_id)
    return render(request, "proposals/mine.html", {"proposals": proposals, "tab": "proposals"})


def _proposal_form(request: HttpRequest, proposal: Proposal | None, conference_id: int) -> forms.ProposalForm:
    kwargs: dict[str, Any] = {
        "categories": selectors.categories(conference_id),
        "members": selectors.cosigner_candidates(request.user, conference_id, proposal),
    }
    if proposal is not None:
        kwargs["initial"] = {
            "title": proposal.title,
            "analysis": proposal.analysis,
            "recommendations": proposal.recommendations,
            "category": proposal.category_id,
            "kind": proposal.kind,
            "collective_name": proposal.collective_name,
            "version": proposal.version,
        }
    if request.method == "POST":
        return forms.ProposalForm(request.POST, request.FILES, **kwargs)
    return forms.ProposalForm(**kwargs)


def _input(cd: dict[str, Any]) -> services.ProposalInput:
    return services.ProposalInput(
        title=cd["title"],
        analysis=cd["analysis"],
        recommendations=cd["recommendations"],
        category_id=cd["category"].pk if cd.get("category") else None,
        kind=cd["kind"],
        collective_name=cd["collective_name"],
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """A member writes a new draft."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.MEMBER):  # type: ignore[arg-type]
        raise PermissionDenied
    form = _proposal_form(request, None, conference_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            proposal = services.create_proposal(
                request.user,  # type: ignore[arg-type]
                request.conference,  # type: ignore[attr-defined]
                _input(cd),
                cosigner_ids=[u.pk for u in cd.get("cosigners") or []],
                uploads=cd.get("attachments") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="attachments")
        else:
            messages.success(request, _("草稿已保存。确认无误后请点击“提交”。"))
            return redirect("proposals:detail", proposal.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "proposals/form.html", {"form": form, "tab": "proposals"}, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposer edits a draft or a returned proposal."""
    proposal = selectors.get_proposal(request.user, pk)
    if "edit" not in selectors.available_actions(request.user, proposal):
        raise PermissionDenied
    form = _proposal_form(request, proposal, proposal.conference_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.update_proposal(
                request.user,  # type: ignore[arg-type]
                proposal,
                _input(cd),
                version=cd.get("version"),
                cosigner_ids=[u.pk for u in cd.get("cosigners") or []],
                uploads=cd.get("attachments") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="attachments")
            _bound_version(form, selectors.get_proposal(request.user, pk).version)
        else:
            messages.success(request, _("已保存。"))
            return redirect("proposals:detail", proposal.pk)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "proposal": proposal, "tab": "proposals"}
    return render(request, "proposals/form.html", context, status=status)


@login_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposer removes an attachment from a draft."""
    attachment = selectors.get_attachment(request.user, pk)
    try:
        services.remove_attachment(request.user, attachment)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("proposals:edit", attachment.proposal_id)


# ---------------------------------------------------------------------------- detail and its forms

BUTTON_ACTIONS = {"submit", "respond_cosign", "publish"}
PROPOSAL_ACTIONS = {
    "submit",
    "respond_cosign",
    "accept",
    "reject",
    "return",
    "convert",
    "merge",
    "assign",
    "mark_key",
    "publish",
    "award",
    "close",
}
ASSIGNMENT_ACTIONS = {
    "request_reassignment",
    "request_extension",
    "record_consultation",
    "submit_co_opinion",
    "reply",
    "remind",
}


def _proposal_action_form(
    action: str, user: Any, proposal: Proposal, data: Any = None, files: Any = None
) -> djforms.Form:
    """The form of one proposal-level action, bound to `data` when given."""
    conference_id = proposal.conference_id
    kw: dict[str, Any] = {"auto_id": _auto_id(action), "initial": {"version": proposal.version}}
    if action == "accept":
        kw["initial"]["category"] = proposal.category_id
        return forms.AcceptForm(data, categories=selectors.categories(conference_id), **kw)
    if action in {"reject", "return", "convert"}:
        return forms.ReasonForm(data, **kw)
    if action == "merge":
        return forms.MergeForm(data, targets=selectors.merge_targets(user, proposal), **kw)
    if action == "assign":
        return forms.AssignForm(data, units=selectors.handling_units(conference_id), **kw)
    if action == "mark_key":
        kw["initial"].update({"is_key": "0" if proposal.is_key else "1", "leader": proposal.key_leader_id})
        leaders = users_with_role(conference_id, [RoleKind.LEADER]).order_by("display_name", "username")
        return forms.MarkKeyForm(data, leaders=leaders, **kw)
    if action == "publish":
        kw["initial"]["published"] = "0" if proposal.is_published else "1"
        return forms.PublishForm(data, **kw)
    if action == "close":
        return forms.NoteForm(data, **kw)
    if action == "award":
        kw["initial"]["award"] = proposal.award or _("优秀提案")
        return forms.AwardForm(data, **kw)
    if action == "respond_cosign":
        return forms.RespondCosignForm(data, auto_id=_auto_id(action))
    if action == "submit":
        return forms.VersionForm(data, **kw)
    raise Http404


def _assignment_action_form(
    action: str, assignment: Assignment, version: int, data: Any = None, files: Any = None
) -> djforms.Form:
    """The form of one action on an assignment (unit actions and the staff's reminder)."""
    kw: dict[str, Any] = {"auto_id": _auto_id(f"{action}_{assignment.pk}"), "initial": {"version": version}}
    conference_id = assignment.conference_id
    if action == "request_reassignment":
        units = selectors.handling_units(conference_id).exclude(pk=assignment.unit_id)
        return forms.ReassignmentRequestForm(data, units=units, **kw)
    if action == "request_extension":
        return forms.ExtensionRequestForm(data, **kw)
    if action == "record_consultation":
        kw["initial"]["held_on"] = today()
        return forms.ConsultationForm(data, **kw)
    if action == "submit_co_opinion":
        return forms.CoOpinionForm(data, **kw)
    if action == "reply":
        return forms.ReplyForm(data, files, **kw)
    if action == "remind":
        return forms.NoteForm(data, **kw)
    raise Http404


def _unit_forms_for(assignment: Assignment) -> list[str]:
    """The unit's forms on its own active assignment, by its role."""
    names = []
    if selectors.reassignment_window_open(assignment):
        names.append("request_reassignment")
    names.append("request_extension")
    if assignment.role == AssignmentRole.CO:
        names.append("submit_co_opinion")
    else:
        names += ["record_consultation", "reply"]
    return names


def _detail_context(
    request: HttpRequest, proposal: Proposal, bound: dict[tuple[Any, ...], djforms.Form] | None = None
) -> dict[str, Any]:
    """Everything the detail page shows; `bound` replaces the blank form of the action that failed."""
    user = request.user
    bound = bound or {}
    actions = selectors.available_actions(user, proposal)
    roles = actor_roles(user, proposal)
    is_office = bool(roles & {"staff"})
    action_forms = {
        a: bound.get(("proposal", a)) or _proposal_action_form(a, user, proposal)
        for a in actions
        if a in PROPOSAL_ACTIONS
    }
    assignments = selectors.proposal_assignments(proposal)
    mine = unit_ids(user, proposal.conference_id)  # type: ignore[arg-type]
    rows: list[dict[str, Any]] = []
    for a in assignments:
        names: list[str] = []
        if a.state == Assignment.State.ACTIVE:
            if a.unit_id in mine and set(actions) & selectors.UNIT_ACTIONS:
                names = _unit_forms_for(a)
            if "remind" in actions:
                names.append("remind")
        row_forms = {
            n: bound.get(("assignment", a.pk, n)) or _assignment_action_form(n, a, proposal.version)
            for n in names
        }
        pending: list[tuple[str, Any, djforms.Form]] = []
        if is_office and "reassign" in actions:
            for rr in a.reassignment_requests.all():
                if rr.state == "pending":
                    form = bound.get(("rreq", rr.pk)) or forms.ReassignmentDecisionForm(
                        units=selectors.handling_units(proposal.conference_id),
                        auto_id=_auto_id(f"rreq_{rr.pk}"),
                        initial={"new_unit": rr.suggested_unit_id},
                    )
                    pending.append(("reassignment", rr, form))
        if is_office and "decide_extension" in actions:
            for er in a.extension_requests.all():
                if er.state == "pending":
                    form = bound.get(("ereq", er.pk)) or forms.DecisionForm(auto_id=_auto_id(f"ereq_{er.pk}"))
                    pending.append(("extension", er, form))
        rows.append({"a": a, "mine": a.unit_id in mine, "forms": row_forms, "pending": pending})
    replies = selectors.replies_for(user, proposal)
    by_id = {a.pk: a for a in assignments}
    evaluate_forms = []
    if "evaluate" in actions:
        for r in replies:
            owner = by_id.get(r.assignment_id)
            if (
                r.kind == Reply.Kind.LETTER
                and owner is not None
                and owner.state != Assignment.State.WITHDRAWN
                and r.round == owner.round
                and getattr(r, "evaluation", None) is None
            ):
                form = bound.get(("reply", r.pk)) or forms.EvaluateForm(
                    auto_id=_auto_id(f"evaluate_{r.pk}"), initial={"version": proposal.version}
                )
                evaluate_forms.append((r, form))
    return {
        "proposal": proposal,
        "actions": actions,
        "action_forms": action_forms,
        "roles": roles,
        "is_office": is_office,
        "can_see_office_notes": bool(roles & {"staff", "leader", "proposer"}),
        "assignment_rows": rows,
        "replies": replies,
        "evaluate_forms": evaluate_forms,
        "events": timeline("proposal", proposal.pk),
        "cosigners": proposal.cosigners.select_related("user"),
        "attachments": proposal.attachments.all(),
        "merged": proposal.merged_proposals.select_related("proposer"),
        "tab": "proposals",
        **_intelligence(proposal, actions, roles, replies),
    }


def _intelligence(
    proposal: Proposal, actions: list[str], roles: set[str], replies: list[Reply]
) -> dict[str, Any]:
    """What the text intelligence adds for the office: similar proposals, suggested category and
    units, and the quality of each reply letter."""
    if not roles & {"staff", "leader"}:
        return {}
    text = intel.text_of(proposal.title, proposal.analysis, proposal.recommendations)
    for r in replies:
        if r.kind == Reply.Kind.LETTER:
            r.quality = intel.reply_quality(r)  # type: ignore[attr-defined]
    found: dict[str, Any] = {}
    if proposal.state in intel.MERGEABLE or proposal.state == "assigned":
        found["similar"] = intel.similar_proposals(proposal.conference_id, text, exclude_id=proposal.pk)
    if "accept" in actions:
        found["category_suggestions"] = intel.suggest_categories(proposal.conference_id, text)
    if "assign" in actions:
        found["unit_suggestions"] = intel.suggest_units(proposal.conference_id, text)
    return found


@login_required
def similar(request: HttpRequest) -> HttpResponse:
    """While a member writes: proposals of the conference that already look like the draft (htmx)."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.MEMBER, RoleKind.STAFF):  # type: ignore[arg-type]
        raise PermissionDenied
    get = request.GET
    text = intel.text_of(get.get("title", "")[:200], get.get("analysis", ""), get.get("recommendations", ""))
    exclude = get.get("exclude", "")
    hits = intel.similar_proposals(
        conference_id, text, exclude_id=int(exclude) if exclude.isdigit() else None
    )
    return render(request, "proposals/_similar.html", {"hits": hits})


@login_required
def merge_suggestions(request: HttpRequest) -> HttpResponse:
    """Staff: pairs of a session's proposals that read like one issue (并案建议)."""
    conference_id = _office(request)
    sessions = selectors.sessions(conference_id)
    chosen = request.GET.get("session", "")
    session = next((x for x in sessions if str(x.pk) == chosen), sessions[0] if sessions else None)
    raw = request.GET.get("threshold", "0.5")
    threshold = float(raw) if raw.replace(".", "", 1).isdigit() and 0.2 <= float(raw) <= 0.95 else 0.5
    pairs = intel.merge_candidates(conference_id, session.pk, threshold) if session else []
    context = {
        "menu": work_menu(selectors.work_lists(conference_id)),
        "name": "merge",
        "sessions": sessions,
        "session": session,
        "threshold": threshold,
        "pairs": pairs,
    }
    return render(request, "proposals/merge_suggestions.html", context)


@login_required
def hot_topics(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: the hottest issues among recent proposals, with the proposals behind each."""
    conference_id = _office(request)
    raw = request.GET.get("days", "365")
    days = int(raw) if raw.isdigit() and 7 <= int(raw) <= 3650 else 365
    context = {
        "menu": work_menu(selectors.work_lists(conference_id)),
        "name": "topics",
        "days": days,
        "topics": intel.hot_topics(conference_id, days=days),
    }
    return render(request, "proposals/hot_topics.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal: the record, its allowed actions, assignments, replies and timeline."""
    proposal = selectors.get_proposal(request.user, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _rerender(
    request: HttpRequest, pk: int, key: tuple[Any, ...], form: djforms.Form, status: int, message: str
) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    _bound_version(form, proposal.version)
    context = _detail_context(request, proposal, {key: form})
    context["failed"] = "-".join(str(k) for k in key)
    context["error_message"] = message
    return render(request, "proposals/detail.html", context, status=status)


def _finish(
    request: HttpRequest,
    proposal_id: int,
    key: tuple[Any, ...],
    form: djforms.Form,
    run: Callable[[dict[str, Any]], str],
    *,
    button: bool = False,
) -> HttpResponse:
    """Validate the form, run the service, then redirect (success) or show why not."""
    status = 400
    message = _("提交的内容有误，请检查后重试。")
    if form.is_valid():
        try:
            done = run(form.cleaned_data)
        except AppError as error:
            if button:
                messages.error(request, error.message)
                return redirect("proposals:detail", proposal_id)
            status = apply_error(form, error)
            message = error.message
        else:
            messages.success(request, done)
            return redirect("proposals:detail", proposal_id)
    elif button:
        messages.error(request, message)
        return redirect("proposals:detail", proposal_id)
    return _rerender(request, proposal_id, key, form, status, message)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one proposal-level workflow action."""
    if action not in PROPOSAL_ACTIONS:
        raise Http404
    user: Any = request.user
    proposal = selectors.get_proposal(user, pk)
    form = _proposal_action_form(action, user, proposal, request.POST)

    def run(cd: dict[str, Any]) -> str:
        version = cd.get("version")
        if action == "submit":
            p = services.submit_proposal(user, proposal, version=version)
            return (
                _("提案已提交，等待联名人确认。") if p.state == "submitted" else _("提案已提交，等待审查。")
            )
        if action == "respond_cosign":
            accept = cd["decision"] == "confirm"
            services.respond_to_cosign(user, proposal, accept=accept, version=version)
            return _("已确认联名。") if accept else _("已谢绝联名。")
        if action == "accept":
            category = cd.get("category")
            p = services.accept_proposal(
                user,
                proposal,
                version=version,
                category_id=category.pk if category else None,
                note=cd["note"],
            )
            return _("已立案，案号 %(no)s。") % {"no": p.number_label}
        if action == "reject":
            services.reject_proposal(user, proposal, note=cd["note"], version=version)
            return _("已作不予立案处理。")
        if action == "return":
            services.return_proposal(user, proposal, note=cd["note"], version=version)
            return _("已退回提案人修改。")
        if action == "convert":
            services.convert_proposal(user, proposal, note=cd["note"], version=version)
            return _("已转为社情民意信息。")
        if action == "merge":
            services.merge_proposals(
                user,
                cd["target"],
                [proposal],
                note=cd["note"],
                versions={proposal.pk: version} if version else None,
            )
            return _("已并入《%(t)s》。") % {"t": cd["target"].title}
        if action == "assign":
            plan = [services.UnitPlan(u, r, d) for u, r, d in form.plan()]  # type: ignore[attr-defined]
            services.assign_proposal(user, proposal, plan, version=version)
            return _("已交办。")
        if action == "mark_key":
            leader = cd.get("leader")
            is_key = cd["is_key"] == "1"
            services.mark_key(
                user, proposal, is_key=is_key, leader_id=leader.pk if leader else None, version=version
            )
            return _("已设为重点提案。") if is_key else _("已取消重点提案。")
        if action == "publish":
            published = cd["published"] == "1"
            services.set_published(user, proposal, published=published, version=version)
            return _("已在门户网站公开。") if published else _("已撤销公开。")
        if action == "award":
            p = services.award_proposal(user, proposal, award=cd["award"], version=version)
            return _("已评为%(a)s。") % {"a": p.award} if p.award else _("已撤销表彰。")
        if action == "close":
            services.close_proposal(user, proposal, version=version, note=cd["note"])
            return _("已办结。")
        raise Http404

    return _finish(request, pk, ("proposal", action), form, run, button=action in BUTTON_ACTIONS)


@login_required
@require_POST
def assignment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action on an assignment: the unit's requests, consultation, opinion and reply; a reminder."""
    if action not in ASSIGNMENT_ACTIONS:
        raise Http404
    user: Any = request.user
    assignment = selectors.get_assignment(user, pk)
    proposal = assignment.proposal
    form = _assignment_action_form(action, assignment, proposal.version, request.POST, request.FILES)

    def run(cd: dict[str, Any]) -> str:
        version = cd.get("version")
        if action == "request_reassignment":
            unit = cd.get("suggested_unit")
            services.request_reassignment(
                user,
                assignment,
                reason=cd["reason"],
                suggested_unit_id=unit.pk if unit else None,
                version=version,
            )
            return _("调整承办单位申请已提交，等待审批。")
        if action == "request_extension":
            services.request_extension(
                user,
                assignment,
                requested_due_on=cd["requested_due_on"],
                reason=cd["reason"],
                version=version,
            )
            return _("延期申请已提交，等待审批。")
        if action == "record_consultation":
            services.record_consultation(
                user, assignment, held_on=cd["held_on"], form=cd["form"], agreed=cd["agreed"], version=version
            )
            return _("办前面商情况已记录。")
        if action == "submit_co_opinion":
            services.submit_co_opinion(user, assignment, body=cd["body"], version=version)
            return _("会办意见已送主办单位。")
        if action == "reply":
            data = services.ReplyInput(
                body=cd["body"],
                outcome=cd["outcome"],
                signed_by=cd["signed_by"],
                contact_person=cd["contact_person"],
                contact_phone=cd["contact_phone"],
            )
            services.submit_reply(user, assignment, data, cd.get("letter"), version=version)
            return _("答复函已提交。")
        if action == "remind":
            services.send_reminder(user, assignment, note=cd["note"], version=version)
            return _("已催办%(u)s。") % {"u": assignment.unit}
        raise Http404

    return _finish(request, proposal.pk, ("assignment", assignment.pk, action), form, run)


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposer evaluates one reply letter."""
    user: Any = request.user
    reply = selectors.get_reply(user, pk)
    form = forms.EvaluateForm(request.POST, auto_id=_auto_id(f"evaluate_{reply.pk}"))

    def run(cd: dict[str, Any]) -> str:
        services.evaluate_reply(
            user, reply, verdict=cd["verdict"], comment=cd["comment"], version=cd.get("version")
        )
        return _("评价已提交，谢谢！")

    return _finish(request, reply.proposal_id, ("reply", reply.pk), form, run)


@login_required
@require_POST
def decide_reassignment(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff approve or refuse a unit's reassignment request."""
    user: Any = request.user
    req = selectors.get_reassignment_request(user, pk)
    conference_id = req.assignment.conference_id
    form = forms.ReassignmentDecisionForm(
        request.POST, units=selectors.handling_units(conference_id), auto_id=_auto_id(f"rreq_{req.pk}")
    )

    def run(cd: dict[str, Any]) -> str:
        approve = cd["decision"] == "approve"
        unit = cd.get("new_unit")
        services.decide_reassignment(
            user, req, approve=approve, new_unit_id=unit.pk if unit else None, note=cd["note"]
        )
        return _("已同意调整承办单位。") if approve else _("已不同意调整申请。")

    return _finish(request, req.assignment.proposal_id, ("rreq", req.pk), form, run)


@login_required
@require_POST
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff approve or refuse a unit's extension request."""
    user: Any = request.user
    req = selectors.get_extension_request(user, pk)
    form = forms.DecisionForm(request.POST, auto_id=_auto_id(f"ereq_{req.pk}"))

    def run(cd: dict[str, Any]) -> str:
        approve = cd["decision"] == "approve"
        services.decide_extension(user, req, approve=approve, note=cd["note"])
        return _("已同意延期。") if approve else _("已不同意延期。")

    return _finish(request, req.assignment.proposal_id, ("ereq", req.pk), form, run)


# ---------------------------------------------------------------------------- protected files


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, for whoever may see its proposal."""
    attachment = selectors.get_attachment(request.user, pk)
    return _file(attachment.file, attachment.original_name)


@login_required
def letter_file(request: HttpRequest, pk: int) -> FileResponse:
    """The signed letter of a reply, for whoever may read that reply."""
    reply = selectors.get_reply(request.user, pk)
    if not reply.letter_file or reply not in selectors.replies_for(request.user, reply.proposal):
        raise Http404
    return _file(reply.letter_file, (reply.letter_file.name or "letter").rsplit("/", 1)[-1])


def _file(field: Any, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    inline = name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png"))
    return FileResponse(handle, as_attachment=not inline, filename=name)


# ---------------------------------------------------------------------------- unit inbox


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    """The handling unit's assignments: what is active, due soon and late."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.UNIT):  # type: ignore[arg-type]
        raise PermissionDenied
    day = today()
    soon = request.conference.due_soon_days  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = []
    for a in selectors.unit_assignments(request.user, conference_id):
        late = a.state == Assignment.State.ACTIVE and a.due_on < day
        due_soon = a.state == Assignment.State.ACTIVE and not late and (a.due_on - day).days <= soon
        rows.append({"a": a, "late": late, "due_soon": due_soon, "days_left": (a.due_on - day).days})
    counts = {
        "active": sum(1 for r in rows if r["a"].state == Assignment.State.ACTIVE),
        "due_soon": sum(1 for r in rows if r["due_soon"]),
        "late": sum(1 for r in rows if r["late"]),
    }
    return render(request, "proposals/unit_inbox.html", {"rows": rows, "counts": counts})


# ---------------------------------------------------------------------------- office: work lists and exports

WORK_LISTS = [
    ("to_review", gettext_lazy("待审查")),
    ("to_assign", gettext_lazy("待交办")),
    ("due_soon", gettext_lazy("7日内到期")),
    ("overdue", gettext_lazy("已逾期")),
    ("to_evaluate", gettext_lazy("待评价")),
    ("to_close", gettext_lazy("待办结")),
    ("requests", gettext_lazy("申请待审批")),
    ("key", gettext_lazy("重点提案")),
]
PAGE_SIZE = 25


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.STAFF, RoleKind.LEADER):  # type: ignore[arg-type]
        raise PermissionDenied
    return conference_id


def _filtered(
    request: HttpRequest, conference_id: int, name: str
) -> tuple[forms.ListFilterForm, QuerySet[Proposal], dict[str, QuerySet[Proposal]]]:
    """The named list (or every visible proposal for `all`) narrowed by the filters in the query string."""
    lists = selectors.work_lists(conference_id)
    if name == "all":
        base = selectors.visible_proposals(request.user, conference_id)
    elif name in lists:
        base = lists[name]
    else:
        raise Http404
    form = forms.ListFilterForm(
        request.GET,
        categories=selectors.categories(conference_id),
        units=selectors.handling_units(conference_id),
    )
    cd = form.cleaned_data if form.is_valid() else {}
    category, unit = cd.get("category"), cd.get("unit")
    qs = selectors.filter_proposals(
        base,
        q=cd.get("q") or "",
        category_id=category.pk if category else None,
        state=cd.get("state") or "",
        unit_id=unit.pk if unit else None,
        key=cd.get("key") or "",
        year=cd.get("year"),
        sort=cd.get("sort") or "",
    )
    return form, qs, lists


def work_menu(lists: dict[str, QuerySet[Proposal]]) -> list[tuple[str, str, int]]:
    """The left menu: each work list with its count."""
    return [(key, str(label), lists[key].count()) for key, label in WORK_LISTS]


@login_required
def worklist(request: HttpRequest, name: str = "to_review") -> HttpResponse:
    """One work list of the office: filter, search, sort, page, export."""
    conference_id = _office(request)
    form, qs, lists = _filtered(request, conference_id, name)
    page = Paginator(qs.prefetch_related("assignments__unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(WORK_LISTS)
    context = {
        "form": form,
        "page": page,
        "name": name,
        "title": labels.get(name, gettext_lazy("全部提案")),
        "menu": work_menu(lists),
        "sorts": selectors.SORTS,
    }
    return render(request, "proposals/worklist.html", context)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def export_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    """The filtered work list as an Excel file."""
    conference_id = _office(request)
    _form, qs, _lists = _filtered(request, conference_id, name)
    return _download(exports.proposals_xlsx(qs), f"提案清单-{name}.xlsx", XLSX)


@login_required
def reply_form_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The official reply form of one proposal (.docx), for the office and the proposer."""
    proposal = selectors.get_proposal(request.user, pk)
    if not actor_roles(request.user, proposal) & {"staff", "leader", "proposer"}:
        raise PermissionDenied
    label = proposal.number_label or str(proposal.pk)
    return _download(exports.reply_form_docx(proposal), f"提案答复表-{label}.docx", DOCX)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """The conference's sessions, each with its compilation of accepted proposals."""
    conference_id = _office(request)
    lists = selectors.work_lists(conference_id)
    context = {"sessions": selectors.sessions(conference_id), "menu": work_menu(lists), "name": "sessions"}
    return render(request, "proposals/sessions.html", context)


@login_required
def compilation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's accepted proposals as one document (提案汇编)."""
    conference_id = _office(request)
    session = selectors.get_session(conference_id, pk)
    content = exports.compilation_docx(session, selectors.session_proposals(request.user, session))
    return _download(content, f"提案汇编-{session}.docx", DOCX)
