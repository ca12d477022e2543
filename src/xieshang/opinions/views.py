"""Public-opinion report pages: thin adapters over services and selectors (parse, call, render).

Every write is a POST to one action URL; a refused write (AppError) re-renders the detail page with
the message beside the form that failed.
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from . import exports, forms, selectors, services
from .models import OpinionReport
from .rules import actor_roles, can_manage_journal

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 25
WORK_LISTS = [
    ("to_edit", gettext_lazy("待编辑")),
    ("editing", gettext_lazy("编辑中")),
    ("adopted", gettext_lazy("已采用")),
    ("not_adopted", gettext_lazy("未采用")),
]

# ---------------------------------------------------------------------------- helpers


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.STAFF, RoleKind.LEADER):  # type: ignore[arg-type]
        raise PermissionDenied
    return conference_id


def _office_context(request: HttpRequest, conference_id: int, name: str) -> dict[str, Any]:
    """The office layout's menu stays the proposal office's; opinions have their own tabs."""
    lists = selectors.work_lists(request.user, conference_id)
    tabs = [(key, str(label), lists[key].count()) for key, label in WORK_LISTS]
    return {"menu": [], "name": "opinions", "tabs": tabs, "tab_name": name}


# ---------------------------------------------------------------------------- member: list, write, edit


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own reports (the 社情民意 tab)."""
    conference_id = _conference_id(request)
    context = {
        "reports": selectors.my_reports(request.user, conference_id),
        "can_write": has_role(request.user, conference_id, RoleKind.MEMBER),  # type: ignore[arg-type]
        "is_office": has_role(request.user, conference_id, RoleKind.STAFF, RoleKind.LEADER),  # type: ignore[arg-type]
        "tab": "opinions",
    }
    return render(request, "opinions/mine.html", context)


def _report_form(request: HttpRequest, report: OpinionReport | None) -> forms.ReportForm:
    initial: dict[str, Any] = {}
    if report is not None:
        initial = {
            name: getattr(report, name)
            for name in [
                "title",
                "on_behalf_kind",
                "on_behalf_name",
                "category",
                "facts",
                "analysis",
                "suggestions",
            ]
        }
        initial["version"] = report.version
    if request.method == "POST":
        return forms.ReportForm(request.POST, request.FILES, initial=initial)
    return forms.ReportForm(initial=initial)


def _input(cd: dict[str, Any]) -> services.ReportInput:
    return services.ReportInput(
        title=cd["title"],
        facts=cd["facts"],
        analysis=cd["analysis"],
        suggestions=cd["suggestions"],
        category=cd["category"],
        on_behalf_kind=cd["on_behalf_kind"],
        on_behalf_name=cd["on_behalf_name"],
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """A member writes a new draft."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.MEMBER):  # type: ignore[arg-type]
        raise PermissionDenied
    form = _report_form(request, None)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            report = services.create_report(
                request.user,  # type: ignore[arg-type]
                request.conference,  # type: ignore[attr-defined]
                _input(cd),
                uploads=cd.get("attachments") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="attachments")
        else:
            messages.success(request, _("草稿已保存。确认无误后请点击“报送”。"))
            return redirect("opinions:detail", report.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "opinions/form.html", {"form": form, "tab": "opinions"}, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitter edits a draft."""
    report = selectors.get_report(request.user, pk)
    if "edit" not in selectors.available_actions(request.user, report):
        raise PermissionDenied
    form = _report_form(request, report)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.update_report(
                request.user,  # type: ignore[arg-type]
                report,
                _input(cd),
                version=cd.get("version"),
                uploads=cd.get("attachments") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="attachments")
        else:
            messages.success(request, _("已保存。"))
            return redirect("opinions:detail", report.pk)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "report": report, "tab": "opinions"}
    return render(request, "opinions/form.html", context, status=status)


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download an attachment of a report the user may see."""
    attachment = selectors.get_attachment(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# ---------------------------------------------------------------------------- detail and its actions

FORM_ACTIONS = {"revise", "adopt", "decline", "forward", "record_instruction"}


def _action_form(action: str, report: OpinionReport, data: Any = None) -> djforms.Form:
    kw: dict[str, Any] = {"auto_id": f"id_{action}_%s", "initial": {"version": report.version}}
    if action == "revise":
        kw["initial"].update({n: getattr(report, n) for n in services.TEXT_FIELDS})
        return forms.ReviseForm(data, **kw)
    if action == "adopt":
        kw["initial"]["year"] = today().year
        return forms.AdoptForm(data, issues=selectors.draft_issues(report.conference_id), **kw)
    if action == "decline":
        return forms.ReasonForm(data, **kw)
    if action == "forward":
        return forms.ForwardForm(data, **kw)
    if action == "record_instruction":
        return forms.InstructionForm(data, **kw)
    if action in {"submit", "claim"}:
        return forms.VersionForm(data, **kw)
    raise Http404


def _detail_context(
    request: HttpRequest, report: OpinionReport, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = selectors.available_actions(request.user, report)
    roles = actor_roles(request.user, report)
    feedback_forms = []
    if "record_feedback" in actions:
        for instruction in selectors.instructions(report):
            key = f"feedback_{instruction.pk}"
            form = bound.get(key) or forms.FeedbackForm(
                auto_id=f"id_{key}_%s",
                initial={"version": report.version, "feedback": instruction.feedback},
            )
            feedback_forms.append((instruction, form))
    return {
        "report": report,
        "actions": actions,
        "action_forms": {a: bound.get(a) or _action_form(a, report) for a in actions if a in FORM_ACTIONS},
        "feedback_forms": dict((i.pk, f) for i, f in feedback_forms),
        "revisions": selectors.revisions_with_diff(report),
        "instructions": selectors.instructions(report),
        "forwardings": report.forwardings.all(),
        "attachments": report.attachments.all(),
        "is_office": bool(roles & {"staff", "leader"}),
        "events": timeline("opinionreport", report.pk) if roles & {"staff", "submitter"} else [],
        "tab": "opinions",
    }


def _template(report: OpinionReport, request: HttpRequest) -> str:
    roles = actor_roles(request.user, report)
    return "opinions/detail_office.html" if roles & {"staff", "leader"} else "opinions/detail.html"


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report: its text, state, the editor's tracked changes, adoption, instructions, actions."""
    report = selectors.get_report(request.user, pk)
    context = _detail_context(request, report)
    if context["is_office"]:
        context.update(_office_context(request, report.conference_id, ""))
    return render(request, _template(report, request), context)


def _run(action: str, request: HttpRequest, report: OpinionReport, form: djforms.Form) -> str:
    """Call the service of `action` with the form's data; returns the success message."""
    user: Any = request.user
    cd = form.cleaned_data
    version = cd.get("version")
    if action == "submit":
        services.submit_report(user, report, version=version)
        return _("已报送，请等待编辑。")
    if action == "claim":
        services.claim_report(user, report, version=version)
        return _("已开始编辑。")
    if action == "revise":
        edit_input = services.EditInput(
            title=cd["title"],
            facts=cd["facts"],
            analysis=cd["analysis"],
            suggestions=cd["suggestions"],
            note=cd["note"],
        )
        revision = services.revise_report(user, report, edit_input, version=version)
        return _("修改已保存。") if revision else _("内容没有变化。")
    if action == "adopt":
        issue = cd.get("issue")
        services.adopt_report(
            user, report, issue_id=issue.pk if issue else None, new_issue_year=cd.get("year"), version=version
        )
        return _("已采用。")
    if action == "decline":
        services.decline_report(user, report, reason=cd["reason"], version=version)
        return _("已作不予采用处理。")
    if action == "forward":
        services.forward_report(
            user,
            report,
            services.ForwardInput(
                cd["recipient_kind"], cd["recipient_name"], cd.get("forwarded_on"), cd["note"]
            ),
            version=version,
        )
        return _("报送已登记。")
    if action == "record_instruction":
        services.record_instruction(
            user,
            report,
            services.InstructionInput(cd["leader_name"], cd["level"], cd["text"], cd.get("given_on")),
            version=version,
        )
        return _("批示已登记。")
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action from the detail page."""
    report = selectors.get_report(request.user, pk)
    if action not in selectors.available_actions(request.user, report):
        raise PermissionDenied
    form = _action_form(action, report, request.POST)
    status = 400
    if form.is_valid():
        try:
            message = _run(action, request, report, form)
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, message)
            return redirect("opinions:detail", report.pk)
    report = selectors.get_report(request.user, pk)
    context = _detail_context(request, report, {action: form})
    if context["is_office"]:
        context.update(_office_context(request, report.conference_id, ""))
    return render(request, _template(report, request), context, status=status)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the feedback on one instruction."""
    instruction = selectors.get_instruction(request.user, pk)
    report = selectors.get_report(request.user, instruction.report_id)
    if "record_feedback" not in selectors.available_actions(request.user, report):
        raise PermissionDenied
    key = f"feedback_{instruction.pk}"
    form = forms.FeedbackForm(request.POST, auto_id=f"id_{key}_%s")
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.record_feedback(
                request.user,  # type: ignore[arg-type]
                instruction,
                feedback=cd["feedback"],
                feedback_on=cd.get("feedback_on"),
                version=cd.get("version"),
            )
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("落实反馈已登记。"))
            return redirect("opinions:detail", report.pk)
    context = _detail_context(request, report, {key: form})
    context.update(_office_context(request, report.conference_id, ""))
    return render(request, _template(report, request), context, status=status)


# ---------------------------------------------------------------------------- office: work lists


@login_required
def worklist(request: HttpRequest, name: str = "") -> HttpResponse:
    """One work list of the office (leaders see the adopted reports): search, filter, sort, page."""
    conference_id = _office(request)
    lists = selectors.work_lists(request.user, conference_id)
    if not name:
        name = "to_edit" if has_role(request.user, conference_id, RoleKind.STAFF) else "adopted"  # type: ignore[arg-type]
    if name not in lists:
        raise Http404
    form = forms.ListFilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_reports(
        lists[name],
        q=cd.get("q") or "",
        on_behalf_kind=cd.get("on_behalf_kind") or "",
        category=cd.get("category") or "",
        year=cd.get("year"),
        sort=cd.get("sort") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "title": dict(WORK_LISTS)[name],
        **_office_context(request, conference_id, name),
    }
    return render(request, "opinions/worklist.html", context)


# ---------------------------------------------------------------------------- office: journal issues


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    """The conference's journal issues; staff open a new one."""
    conference_id = _office(request)
    can_manage = can_manage_journal(request.user, conference_id)
    form = forms.IssueForm(request.POST or None, initial={"year": today().year})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                issue = services.create_issue(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已新建%(label)s。") % {"label": issue.label})
                return redirect("opinions:issue", issue.pk)
    context = {
        "issues": selectors.issues(request.user, conference_id),
        "form": form,
        "can_manage": can_manage,
        **_office_context(request, conference_id, "issues"),
    }
    return render(request, "opinions/issues.html", context, status=status)


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue with its reports in order; staff publish it and record where it was sent."""
    issue = selectors.get_issue(request.user, pk)
    can_manage = can_manage_journal(request.user, issue.conference_id)
    forward_form = forms.ForwardForm(request.POST or None, auto_id="id_forward_%s")
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "publish":
                services.publish_issue(request.user, issue)  # type: ignore[arg-type]
                messages.success(request, _("已编发。"))
                return redirect("opinions:issue", issue.pk)
            status = 400
            if forward_form.is_valid():
                cd = forward_form.cleaned_data
                data = services.ForwardInput(
                    cd["recipient_kind"], cd["recipient_name"], cd.get("forwarded_on"), cd["note"]
                )
                services.forward_issue(request.user, issue, data)  # type: ignore[arg-type]
                messages.success(request, _("报送已登记。"))
                return redirect("opinions:issue", issue.pk)
        except AppError as error:
            status = apply_error(forward_form, error)
    issue = selectors.get_issue(request.user, pk)
    context = {
        "issue": issue,
        "reports": selectors.issue_reports(issue),
        "forwardings": issue.forwardings.all(),
        "forward_form": forward_form,
        "can_manage": can_manage,
        **_office_context(request, issue.conference_id, "issues"),
    }
    return render(request, "opinions/issue.html", context, status=status)


@login_required
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue in the journal's layout (.docx)."""
    issue = selectors.get_issue(request.user, pk)
    content = exports.issue_docx(issue, list(selectors.issue_reports(issue)))
    response = HttpResponse(content, content_type=DOCX)
    filename = f"社情民意-{issue.year}年第{issue.number}期.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
