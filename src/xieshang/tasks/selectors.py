"""Reads of deployed tasks and source documents, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xieshang.conferences.models import HandlingUnit
from xieshang.core.dates import today
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids, has_role, roles_of

from . import workflow
from .models import (
    OPEN_STATES,
    Checklist,
    LedgerLine,
    ProgressReport,
    SourceDocument,
    SourceType,
    Task,
    TaskOwner,
    TaskState,
)
from .rules import actor_roles


def _unit_pairs(user: Any) -> list[tuple[int, int]]:
    """(conference, unit) pairs the user answers for."""
    return [
        (r.conference_id, r.handling_unit_id)
        for r in roles_of(user)
        if r.kind == RoleKind.UNIT and r.handling_unit_id
    ]


def _with_owners(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.select_related("conference", "source_document").prefetch_related(
        Prefetch("owners", queryset=TaskOwner.objects.select_related("unit").order_by("role", "id"))
    )


def visible_tasks(user: Any, conference_id: int | None = None) -> QuerySet[Task]:
    """Tasks the user may see: staff and leaders all of their conference; a unit's contact the tasks
    its unit owns in the conference where the contact serves."""
    if not user.is_authenticated:
        return Task.objects.none()
    condition = Q(conference_id__in=conference_ids(user, RoleKind.STAFF, RoleKind.LEADER))
    for conf_id, unit_id in _unit_pairs(user):
        owned = TaskOwner.objects.filter(task=OuterRef("pk"), unit_id=unit_id)
        condition |= Q(conference_id=conf_id) & Q(Exists(owned))
    qs = Task.objects.filter(condition)
    if conference_id is not None:
        qs = qs.filter(conference_id=conference_id)
    return _with_owners(qs)


def get_task(user: Any, task_id: int) -> Task:
    """One task the user may see, or 404 (never telling whether it exists)."""
    task = visible_tasks(user).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def unit_inbox(user: Any, conference_id: int) -> QuerySet[Task]:
    """The tasks of the user's units in the conference, open ones first by deadline."""
    units = [u for c, u in _unit_pairs(user) if c == conference_id]
    qs = Task.objects.filter(conference_id=conference_id, owners__unit_id__in=units).distinct()
    return _with_owners(qs).order_by("state", "due_on", "id")


def available_actions(user: Any, task: Task) -> list[str]:
    """Workflow actions the user may start on the task now (the buttons to show)."""
    roles = actor_roles(user, task)
    return [
        name for name, row in workflow.TRANSITIONS.items() if task.state in row.sources and row.roles & roles
    ]


def reports(task: Task) -> QuerySet[ProgressReport]:
    """A task's progress reports, oldest first."""
    return task.reports.select_related("unit", "reported_by")


def get_report(user: Any, report_id: int) -> ProgressReport:
    """A progress report of a task the user may see, or 404."""
    report = ProgressReport.objects.filter(pk=report_id).first()
    if report is None or not visible_tasks(user).filter(pk=report.task_id).exists():
        raise Http404
    return report


# ---------------------------------------------------------------------------- the ledger

SORTS = {
    "due": ("due_on", "id"),
    "-due": ("-due_on", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}


def overdue_q(day: dt.date | None = None) -> Q:
    """Open tasks past their deadline."""
    return Q(state__in=OPEN_STATES, due_on__lt=day or today())


def filter_tasks(
    qs: QuerySet[Task],
    *,
    q: str = "",
    unit_id: int | None = None,
    document_id: int | None = None,
    state: str = "",
    overdue: bool = False,
    sort: str = "",
) -> QuerySet[Task]:
    """Narrow the ledger by search, unit, source document, state or overdue, and order it."""
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(action__icontains=word) | Q(owners__unit__name__icontains=word)
        )
    if unit_id:
        qs = qs.filter(owners__unit_id=unit_id)
    if document_id:
        qs = qs.filter(source_document_id=document_id)
    if state in TaskState.values:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs.distinct().order_by(*SORTS.get(sort, ("due_on", "id")))


def ledger_units(conference_id: int) -> list[dict[str, Any]]:
    """Per unit: tasks owned, open, reported done, closed and overdue (the ledger by unit)."""
    day = today()
    rows = (
        TaskOwner.objects.filter(task__conference_id=conference_id)
        .values("unit_id", "unit__name")
        .annotate(
            total=Count("task", distinct=True),
            open=Count("task", filter=Q(task__state__in=OPEN_STATES), distinct=True),
            done=Count("task", filter=Q(task__state=TaskState.REPORTED_DONE), distinct=True),
            closed=Count("task", filter=Q(task__state=TaskState.VERIFIED_CLOSED), distinct=True),
            overdue=Count("task", filter=Q(task__state__in=OPEN_STATES, task__due_on__lt=day), distinct=True),
        )
        .order_by("-overdue", "unit__name")
    )
    return [{"unit_id": r["unit_id"], "unit": r["unit__name"], **_counts(r)} for r in rows]


def _counts(row: Any) -> dict[str, int]:
    return {k: int(row[k]) for k in ("total", "open", "done", "closed", "overdue")}


def overdue_by_unit(conference_id: int) -> list[tuple[str, int]]:
    """Units with overdue tasks, most first (the leader's view)."""
    return [(r["unit"], r["overdue"]) for r in ledger_units(conference_id) if r["overdue"]]


def state_counts(conference_id: int) -> dict[str, int]:
    """How many tasks of the conference are in each state, and how many are overdue."""
    qs = Task.objects.filter(conference_id=conference_id)
    counts = {row["state"]: row["n"] for row in qs.values("state").annotate(n=Count("id"))}
    counts["overdue"] = qs.filter(overdue_q()).count()
    return counts


def conference_units(conference_id: int) -> QuerySet[HandlingUnit]:
    """The units a task of the conference may be given to."""
    return HandlingUnit.objects.filter(conferences__id=conference_id, is_active=True).order_by("name")


# ---------------------------------------------------------------------------- source documents


def documents(user: Any, conference_id: int) -> QuerySet[SourceDocument]:
    """The conference's source documents for its staff and leaders (otherwise none), newest first."""
    if conference_id not in conference_ids(user, RoleKind.STAFF, RoleKind.LEADER):
        return SourceDocument.objects.none()
    return (
        SourceDocument.objects.filter(conference_id=conference_id)
        .annotate(n_tasks=Count("tasks", distinct=True))
        .order_by("-created_at", "-id")
    )


def get_document(user: Any, document_id: int) -> SourceDocument:
    """A source document of a conference where the user is staff or leader, or 404."""
    ids = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER) if user.is_authenticated else set()
    document = (
        SourceDocument.objects.filter(pk=document_id, conference_id__in=ids)
        .select_related("conference")
        .first()
    )
    if document is None:
        raise Http404
    return document


def proposed_lines(document: SourceDocument) -> QuerySet[LedgerLine]:
    """The document's lines still waiting for a decision."""
    return document.lines.filter(status=LedgerLine.Status.PROPOSED).prefetch_related("units", "coop_units")


def all_lines(document: SourceDocument) -> QuerySet[LedgerLine]:
    """Every line of the document with what became of it."""
    return document.lines.prefetch_related("units", "coop_units").select_related("task")


def highlighted(text: str, lines: list[LedgerLine]) -> SafeString:
    """The text, escaped, with each line's evidence span marked (<mark id=evidence-N>)."""
    spans = sorted(
        (line.start, line.end, line.position) for line in lines if 0 <= line.start < line.end <= len(text)
    )
    out: list[str] = []
    cursor = 0
    for start, end, position in spans:
        if start < cursor:
            continue
        out.append(escape(text[cursor:start]))
        out.append(
            f'<mark id="evidence-{position}" data-testid="evidence-{position}" title="第{position}条">'
            f"{escape(text[start:end])}</mark>"
        )
        cursor = end
    out.append(escape(text[cursor:]))
    # Every piece of the text above is escaped; only the <mark> tags are ours.
    return mark_safe("".join(out))


def checklists(user: Any, conference_id: int, year: int) -> list[dict[str, Any]]:
    """The year's lists of the conference with each one's item counts by state (staff and leaders)."""
    if not has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER):
        raise Http404
    lists = list(Checklist.objects.filter(conference_id=conference_id, year=year))
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in lists}
    rows = (
        Task.objects.filter(source_type=SourceType.CHECKLIST, source_id__in=list(counts))
        .values("source_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["source_id"] is not None:  # always set: the query filters by source_id__in
            counts[row["source_id"]][row["state"]] = row["n"]
    return [
        {
            "checklist": c,
            "total": sum(counts[c.pk].values()),
            "closed": counts[c.pk].get(TaskState.VERIFIED_CLOSED, 0),
        }
        for c in lists
    ]


def get_checklist(user: Any, checklist_id: int) -> Checklist:
    """A list of a conference where the user is staff or a leader, or 404."""
    checklist = Checklist.objects.filter(pk=checklist_id).first()
    if checklist is None or not has_role(user, checklist.conference_id, RoleKind.STAFF, RoleKind.LEADER):
        raise Http404
    return checklist


def checklist_items(checklist: Checklist) -> QuerySet[Task]:
    """The list's items (tasks), by deadline."""
    return _with_owners(
        Task.objects.filter(source_type=SourceType.CHECKLIST, source_id=checklist.pk).order_by("due_on", "pk")
    )
