"""Deployed-task pages: thin adapters over services and selectors (parse, call, render)."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from . import exports, forms, selectors, services
from .models import LedgerLine, SourceDocument, Task, TaskState
from .rules import actor_roles

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25

# ---------------------------------------------------------------------------- helpers


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(request: HttpRequest, *kinds: str) -> int:
    """The current conference, for its staff and leaders (or `kinds`) only."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, *(kinds or (RoleKind.STAFF, RoleKind.LEADER))):  # type: ignore[arg-type]
        raise PermissionDenied
    return conference_id


def _context(request: HttpRequest, conference_id: int, tab: str) -> dict[str, Any]:
    counts = selectors.state_counts(conference_id)
    return {
        "menu": [],
        "name": "tasks",
        "tab_name": tab,
        "overdue_count": counts.get("overdue", 0),
        "is_staff": has_role(request.user, conference_id, RoleKind.STAFF),  # type: ignore[arg-type]
    }


# ---------------------------------------------------------------------------- the ledger


def _filtered(request: HttpRequest, conference_id: int) -> tuple[forms.LedgerFilterForm, Any]:
    form = forms.LedgerFilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_tasks(
        selectors.visible_tasks(request.user, conference_id),
        q=cd.get("q") or "",
        unit_id=cd.get("unit"),
        document_id=cd.get("document"),
        state=cd.get("state") or "",
        overdue=bool(cd.get("overdue")),
        sort=cd.get("sort") or "",
    )
    return form, qs


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger (督办台账): search, filter by unit, source, state or overdue, sort by deadline, page."""
    conference_id = _office(request)
    form, qs = _filtered(request, conference_id)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    tab = "overdue" if request.GET.get("overdue") else ("due" if request.GET.get("sort") == "due" else "all")
    context = {
        "form": form,
        "page": page,
        "today": today(),
        "units": selectors.conference_units(conference_id),
        "documents": selectors.documents(request.user, conference_id),
        "states": TaskState.choices,
        **_context(request, conference_id, tab),
    }
    return render(request, "tasks/ledger.html", context)


@login_required
def by_unit(request: HttpRequest) -> HttpResponse:
    """The ledger by unit: how many tasks each unit has, open, done, closed and overdue."""
    conference_id = _office(request)
    context = {"rows": selectors.ledger_units(conference_id), **_context(request, conference_id, "units")}
    return render(request, "tasks/by_unit.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The (filtered) ledger as .xlsx in the 台账 layout."""
    conference_id = _office(request)
    _form, qs = _filtered(request, conference_id)
    conference = request.conference  # type: ignore[attr-defined]
    title = _("%(c)s督办事项台账") % {"c": conference.short_name}
    response = HttpResponse(exports.ledger_xlsx(title, qs, today()), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"督办台账-{today():%Y%m%d}.xlsx")
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The leader's view: tasks by state and overdue tasks by unit, as charts and a table."""
    conference_id = _office(request)
    counts = selectors.state_counts(conference_id)
    overdue = selectors.overdue_by_unit(conference_id)
    charts = {
        "by_state": [[str(label), counts.get(value, 0)] for value, label in TaskState.choices],
        "overdue_by_unit": overdue,
    }
    context = {
        "charts": charts,
        "overdue": overdue,
        "counts": counts,
        **_context(request, conference_id, "dashboard"),
    }
    return render(request, "tasks/dashboard.html", context)


# ---------------------------------------------------------------------------- sources and confirmation


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    """The conference's source documents (the ledger by source document)."""
    conference_id = _office(request)
    page = Paginator(selectors.documents(request.user, conference_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "tasks/sources.html", {"page": page, **_context(request, conference_id, "sources")}
    )


@login_required
def source_new(request: HttpRequest) -> HttpResponse:
    """Staff upload a speech or minutes, or paste its text."""
    conference_id = _office(request, RoleKind.STAFF)
    form = forms.SourceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        data = services.SourceInput(
            title=cd["title"], kind=cd["kind"], date=cd.get("date"), speaker=cd["speaker"], text=cd["text"]
        )
        try:
            document = services.create_source(
                request.user,  # type: ignore[arg-type]
                request.conference,  # type: ignore[attr-defined]
                data,
                upload=cd.get("file"),
            )
        except AppError as error:
            status = apply_error(form, error, default_field="file")
        else:
            messages.success(request, _("已读取全文，请逐条确认建议的台账。"))
            return redirect("tasks:source", document.pk)
    elif request.method == "POST":
        status = 400
    context = {"form": form, **_context(request, conference_id, "sources")}
    return render(request, "tasks/source_form.html", context, status=status)


def _line_forms(document: SourceDocument, lines: list[LedgerLine], data: Any = None) -> list[forms.LineForm]:
    units = selectors.conference_units(document.conference_id)
    return [forms.LineForm(data, line=line, units=units, others=lines) for line in lines]


def _decisions(line_forms: list[forms.LineForm]) -> list[services.LineDecision]:
    out = []
    for f in line_forms:
        cd = f.cleaned_data
        out.append(
            services.LineDecision(
                line_id=f.line.pk,
                decision=cd["decision"],
                action=cd["action"],
                lead_unit_ids=[u.pk for u in cd["lead_units"]],
                coop_unit_ids=[u.pk for u in cd["coop_units"]],
                due_on=cd.get("due_on"),
                target=cd["target"],
                merge_into=cd.get("merge_into"),
            )
        )
    return out


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's text with the evidence highlighted and its proposed ledger as an editable form set;
    POST confirms it (each line confirmed, edited, merged or dropped)."""
    document = selectors.get_document(request.user, pk)
    conference_id = _office(request)
    if document.conference_id != conference_id:
        raise Http404
    can_confirm = has_role(request.user, conference_id, RoleKind.STAFF)  # type: ignore[arg-type]
    lines = list(selectors.proposed_lines(document))
    status = 200
    if request.method == "POST":
        if not can_confirm:
            raise PermissionDenied
        line_forms = _line_forms(document, lines, request.POST)
        if all(f.is_valid() for f in line_forms) and line_forms:
            try:
                created = services.confirm_ledger(request.user, document, _decisions(line_forms))  # type: ignore[arg-type]
            except AppError as error:
                status = 400 if error.fields else 409
                by_line = {f"line_{f.line.pk}": f for f in line_forms}
                for key, message in error.fields.items():
                    target = by_line.get(key)
                    if target is not None:
                        target.add_error(None, message)
                if not any(k in by_line for k in error.fields):
                    messages.error(request, error.message)
            else:
                messages.success(
                    request, _("台账已确认，生成督办事项 %(n)s 项并已通知责任单位。") % {"n": len(created)}
                )
                return redirect(f"{reverse('tasks:ledger')}?document={document.pk}")
        else:
            status = 400
    else:
        line_forms = _line_forms(document, lines)
    context = {
        "document": document,
        "text": selectors.highlighted(document.text, list(selectors.all_lines(document))),
        "line_forms": line_forms,
        "done_lines": [
            line for line in selectors.all_lines(document) if line.status != LedgerLine.Status.PROPOSED
        ],
        "can_confirm": can_confirm,
        **_context(request, conference_id, "sources"),
    }
    return render(request, "tasks/source_detail.html", context, status=status)


# ---------------------------------------------------------------------------- one task and its actions

ACTION_FORMS: dict[str, type[djforms.Form]] = {
    "report": forms.ProgressForm,
    "remind": forms.RemindForm,
    "extend": forms.ExtendForm,
    "close": forms.CloseForm,
    "send_back": forms.SendBackForm,
}


def _action_form(action: str, task: Task, data: Any = None, files: Any = None) -> djforms.Form:
    if action not in ACTION_FORMS:
        raise Http404
    initial: dict[str, Any] = {"version": task.version}
    if action == "report":
        initial["percent"] = task.progress
    return ACTION_FORMS[action](data, files, auto_id=f"id_{action}_%s", initial=initial)


def _detail_context(
    request: HttpRequest, task: Task, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = selectors.available_actions(request.user, task)
    roles = actor_roles(request.user, task)
    context = {
        "task": task,
        "today": today(),
        "overdue": task.is_overdue_on(today()),
        "actions": actions,
        "action_forms": {a: bound.get(a) or _action_form(a, task) for a in actions},
        "reports": selectors.reports(task),
        "events": timeline("task", task.pk) if roles & {"staff", "leader"} else [],
        "is_office": bool(roles & {"staff", "leader"}),
    }
    if context["is_office"]:
        context.update(_context(request, task.conference_id, ""))
    return context


def _template(context: dict[str, Any]) -> str:
    return "tasks/detail_office.html" if context["is_office"] else "tasks/detail.html"


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: what, who, by when, the progress reports, and the actions the user may take."""
    task = selectors.get_task(request.user, pk)
    context = _detail_context(request, task)
    return render(request, _template(context), context)


def _run(action: str, request: HttpRequest, task: Task, form: djforms.Form) -> str:
    user: Any = request.user
    cd = form.cleaned_data
    version = cd.get("version")
    if action == "report":
        services.report_progress(
            user,
            task,
            services.ProgressInput(text=cd["text"], percent=cd["percent"], done=cd["done"]),
            upload=cd.get("attachment"),
            version=version,
        )
        return _("进展已报送，等待核实销号。") if cd["done"] else _("进展已报送。")
    if action == "remind":
        services.remind_task(user, task, note=cd["note"], version=version)
        return _("已催办。")
    if action == "extend":
        services.extend_task(user, task, due_on=cd["due_on"], reason=cd["reason"], version=version)
        return _("已延期。")
    if action == "close":
        services.close_task(user, task, note=cd["note"], version=version)
        return _("已核实销号。")
    if action == "send_back":
        services.send_back_task(user, task, reason=cd["reason"], version=version)
        return _("已退回继续办理。")
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action from the task page."""
    task = selectors.get_task(request.user, pk)
    if action not in selectors.available_actions(request.user, task):
        raise PermissionDenied
    form = _action_form(action, task, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message = _run(action, request, task, form)
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, message)
            return redirect("tasks:detail", task.pk)
    task = selectors.get_task(request.user, pk)
    context = _detail_context(request, task, {action: form})
    return render(request, _template(context), context, status=status)


@login_required
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download the evidence of a progress report on a task the user may see."""
    report = selectors.get_report(request.user, pk)
    if not report.attachment:
        raise Http404
    return FileResponse(report.attachment.open("rb"), as_attachment=True, filename=report.original_name)


# ---------------------------------------------------------------------------- units


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """A unit's tasks (督办件), open ones first by deadline."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.UNIT):  # type: ignore[arg-type]
        raise PermissionDenied
    page = Paginator(selectors.unit_inbox(request.user, conference_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "tasks/inbox.html", {"page": page, "today": today()})


# ---------------------------------------------------------------------------- the three lists


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    """The year's three lists (找差距、学先进、争示范) with their progress; staff open a new one."""
    conference_id = _office(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today().year
    form = forms.ChecklistForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                checklist = services.create_checklist(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    kind=form.cleaned_data["kind"],
                    year=year,
                    title=form.cleaned_data["title"],
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                return redirect("tasks:checklist", checklist.pk)
        else:
            status = 400
    context = {
        "rows": selectors.checklists(request.user, conference_id, year),
        "year": year,
        "form": form,
        **_context(request, conference_id, "checklists"),
    }
    return render(request, "tasks/checklists.html", context, status=status)


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """One list and its items; staff add items (each a task sent to its units)."""
    item = selectors.get_checklist(request.user, pk)
    units = selectors.conference_units(item.conference_id)
    form = forms.ChecklistItemForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            data = services.TaskInput(
                action=cd["action"],
                lead_unit_ids=[u.pk for u in cd["lead_units"]],
                coop_unit_ids=[u.pk for u in cd["coop_units"]],
                due_on=cd["due_on"],
                target=cd["target"],
            )
            try:
                services.add_checklist_item(request.user, item, data)  # type: ignore[arg-type]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已加入清单并交办。"))
                return redirect("tasks:checklist", item.pk)
        else:
            status = 400
    context = {
        "checklist": item,
        "items": selectors.checklist_items(item),
        "form": form,
        "today": today(),
        **_context(request, item.conference_id, "checklists"),
    }
    return render(request, "tasks/checklist.html", context, status=status)
