"""Deployed tasks over the REST API: the tasks the caller may see, confirming a source's ledger, a
unit's progress report, and staff's verification (销号) or sending back. Errors go through the API's
AppError handler."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text

from . import selectors, services
from .models import LedgerLine, Task

router = Router(tags=["tasks"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}


class OwnerOut(Schema):
    unit_id: int
    unit_name: str
    role: str

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)


class TaskItemOut(Schema):
    id: int
    conference_id: int
    title: str
    action: str
    state: str
    state_label: str
    due_on: dt.date | None
    overdue: bool
    target: str
    progress: int
    source_type: str
    source_id: int | None
    source_document_id: int | None
    owners: list[OwnerOut]
    version: int

    @staticmethod
    def resolve_state_label(obj: Task) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return obj.is_overdue_on(dt.date.today())

    @staticmethod
    def resolve_owners(obj: Task) -> list[Any]:
        return list(obj.owners.all())


class TaskReportOut(Schema):
    id: int
    unit_id: int
    text: str
    percent: int
    is_done: bool
    created_at: dt.datetime


class TaskDetailOut(TaskItemOut):
    evidence: str
    latest_progress: str
    actions: list[str]
    reports: list[TaskReportOut]

    @staticmethod
    def resolve_reports(obj: Task) -> list[Any]:
        return list(getattr(obj, "reports_list", []))


class TaskFilter(Schema):
    conference_id: Id | None = None
    state: Text | None = None
    overdue: bool = False
    unit_id: Id | None = None
    document_id: Id | None = None
    q: Text | None = None


class TaskVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class ProgressIn(TaskVersionIn):
    text: Text = Field(description="进展情况")
    percent: int = Field(0, ge=0, le=100)
    done: bool = Field(False, description="Report the task done and ask staff to verify it.")


class TaskNoteIn(TaskVersionIn):
    note: Text = ""


class TaskReasonIn(TaskVersionIn):
    reason: Text


class LineIn(Schema):
    line_id: Id
    decision: Text = Field(description="confirm / merge / drop")
    action: Text | None = Field(None, description="The task's wording; the proposed one when omitted.")
    lead_unit_ids: list[Id] | None = Field(None, description="The resolved units when omitted.")
    coop_unit_ids: list[Id] | None = Field(None, description="The resolved cooperating units when omitted.")
    due_on: dt.date | None = None
    target: Text | None = None
    merge_into: Id | None = None


class ConfirmIn(Schema):
    lines: list[LineIn] = Field(max_length=500)


class TaskStatusOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    created_id: int | None = None


class ConfirmOut(Schema):
    task_ids: list[int]


def _status(task: Task, created_id: int | None = None) -> dict[str, Any]:
    task.refresh_from_db(fields=["state", "version"])
    return {
        "id": task.pk,
        "state": task.state,
        "state_label": str(task.get_state_display()),
        "version": task.version,
        "created_id": created_id,
    }


@router.get("", response=list[TaskItemOut])
@paginate(Pages, page_size=20, max_page_size=100)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> QuerySet[Task]:
    """Tasks the caller may see (staff and leaders: their conference's; units: their own)."""
    user = actor(request)
    if filters.conference_id is not None:
        access.conference(user, filters.conference_id)
    return selectors.filter_tasks(
        selectors.visible_tasks(user, filters.conference_id),
        q=(filters.q or "").strip(),
        unit_id=filters.unit_id,
        document_id=filters.document_id,
        state=filters.state or "",
        overdue=filters.overdue,
    )


@router.get("/{task_id}", response={200: TaskDetailOut, **ERRORS})
def get_task(request: HttpRequest, task_id: Id) -> Task:
    """One task with its progress reports and the actions the caller may take now."""
    user = actor(request)
    task = selectors.get_task(user, task_id)
    task.actions = selectors.available_actions(user, task)  # type: ignore[attr-defined]
    task.reports_list = list(selectors.reports(task))  # type: ignore[attr-defined]
    return task


@router.post("/sources/{document_id}/confirm", response={201: ConfirmOut, **ERRORS})
def confirm_ledger(request: HttpRequest, document_id: Id, payload: ConfirmIn) -> Status[dict[str, Any]]:
    """Staff confirm a source's proposed ledger: each line confirmed (as proposed or edited), merged
    or dropped; confirmed lines become tasks."""
    user = actor(request)
    document = selectors.get_document(user, document_id)
    proposed = {line.pk: line for line in selectors.proposed_lines(document)}
    decisions = []
    for item in payload.lines:
        line: LedgerLine | None = proposed.get(item.line_id)
        decisions.append(
            services.LineDecision(
                line_id=item.line_id,
                decision=item.decision,
                action=item.action if item.action is not None else (line.action if line else ""),
                lead_unit_ids=item.lead_unit_ids
                if item.lead_unit_ids is not None
                else ([u.pk for u in line.units.all()] if line else []),
                coop_unit_ids=item.coop_unit_ids
                if item.coop_unit_ids is not None
                else ([u.pk for u in line.coop_units.all()] if line else []),
                due_on=item.due_on if item.due_on is not None else (line.due_on if line else None),
                target=item.target if item.target is not None else (line.target if line else ""),
                merge_into=item.merge_into,
            )
        )
    tasks = services.confirm_ledger(user, document, decisions)
    return Status(201, {"task_ids": [t.pk for t in tasks]})


@router.post("/{task_id}/progress", response={201: TaskStatusOut, **ERRORS})
def report_progress(request: HttpRequest, task_id: Id, payload: ProgressIn) -> Status[dict[str, Any]]:
    """A unit's contact reports progress (done: asks staff to verify and close)."""
    user = actor(request)
    task = selectors.get_task(user, task_id)
    data = services.ProgressInput(text=payload.text, percent=payload.percent, done=payload.done)
    report = services.report_progress(user, task, data, version=payload.version)
    return Status(201, _status(task, report.pk))


@router.post("/{task_id}/close", response={200: TaskStatusOut, **ERRORS})
def close(request: HttpRequest, task_id: Id, payload: TaskNoteIn) -> dict[str, Any]:
    """Staff verify the reported result and close the task (销号)."""
    user = actor(request)
    task = selectors.get_task(user, task_id)
    return _status(services.close_task(user, task, note=payload.note, version=payload.version))


@router.post("/{task_id}/send-back", response={200: TaskStatusOut, **ERRORS})
def send_back(request: HttpRequest, task_id: Id, payload: TaskReasonIn) -> dict[str, Any]:
    """Staff send a reported task back to the units, with the reason."""
    user = actor(request)
    task = selectors.get_task(user, task_id)
    return _status(services.send_back_task(user, task, reason=payload.reason, version=payload.version))


@router.post("/{task_id}/remind", response={200: TaskStatusOut, **ERRORS})
def remind(request: HttpRequest, task_id: Id, payload: TaskNoteIn) -> dict[str, Any]:
    """Staff remind the task's units (催办)."""
    user = actor(request)
    task = selectors.get_task(user, task_id)
    reminder = services.remind_task(user, task, note=payload.note, version=payload.version)
    return _status(task, reminder.pk)
