"""Every write to deployed tasks: check the rule, then change state in one transaction, audit, notify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference, HandlingUnit
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.notify.services import notify_atomically, notify_on_commit
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import unit_contacts, unit_ids, users_with_role

from . import workflow
from .documents import TEXT_MAX, read_text
from .models import (
    Checklist,
    ChecklistKind,
    LedgerLine,
    OwnerRole,
    ProgressReport,
    SourceDocument,
    SourceKind,
    SourceType,
    Task,
    TaskOwner,
    TaskReminder,
    TaskState,
)
from .resolution import parse_deadline, resolve_units
from .rules import actor_roles, can_manage_tasks

TITLE_MAX = 200
ACTION_MAX = 5000
TARGET_MAX = 300
NOTE_MAX = 2000
TITLE_FROM_ACTION = 60

# ---------------------------------------------------------------------------- helpers


def _url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])


_text = sm.clean_text


def _lock(task: Task, version: int | None) -> Task:
    """Re-read the task under a row lock and refuse a stale version."""
    return sm.lock(task, version, "conference")


def _check(actor: Any, task: Task, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the task is in an allowed state."""
    sm.check(workflow.transition(action), actor_roles(actor, task), task, _("该事项"))


def _save(
    actor: Any,
    task: Task,
    action: str,
    *,
    to_state: str | None = None,
    fields: Sequence[str] = (),
    summary: str = "",
    **data: Any,
) -> None:
    """Save the changed fields (and the state when it moves), bump the version and audit."""
    row = workflow.transition(action)
    from_state = task.state
    names = [*fields, "version", "updated_at"]
    if to_state is not None:
        if to_state not in row.targets:
            raise AssertionError(f"{action} may not lead to {to_state}")
        task.state = to_state
        names.append("state")
    task.version += 1
    task.save(update_fields=names)
    record(
        actor,
        action,
        task,
        from_state=from_state,
        to_state=task.state,
        summary=summary or row.label,
        data=data,
    )


def _contacts(task: Task) -> list[User]:
    users: dict[int, User] = {}
    for owner in task.owners.all():
        for user in unit_contacts(task.conference_id, owner.unit_id):
            users.setdefault(user.pk, user)
    return list(users.values())


def _notify_units(task: Task, verb: str, title: str, body: str = "") -> None:
    notify_on_commit(
        _contacts(task), verb=verb, title=title, body=body, url=_url(task), conference_id=task.conference_id
    )


def _notify_staff(task: Task, verb: str, title: str) -> None:
    notify_on_commit(
        users_with_role(task.conference_id, [RoleKind.STAFF]),
        verb=verb,
        title=title,
        url=_url(task),
        conference_id=task.conference_id,
    )


def _units_of(conference_id: int, ids: Iterable[int]) -> list[HandlingUnit]:
    wanted = list(dict.fromkeys(ids))
    units = {u.pk: u for u in HandlingUnit.objects.filter(pk__in=wanted, conferences__id=conference_id)}
    if len(units) != len(wanted):
        raise invalid({"units": _("所选单位不属于本级政协。")})
    return [units[i] for i in wanted]


# ---------------------------------------------------------------------------- tasks, from any origin


@dataclass
class TaskInput:
    """What a task says: the action, its lead and cooperating units, deadline and target."""

    action: str
    lead_unit_ids: Sequence[int]
    coop_unit_ids: Sequence[int] = ()
    due_on: dt.date | None = None
    target: str = ""
    evidence: str = ""
    title: str = ""


def _create_task(
    actor: Any,
    conference_id: int,
    data: TaskInput,
    *,
    source_type: str,
    source_id: int | None = None,
    document: SourceDocument | None = None,
) -> Task:
    """Write one task with its owners, audit it and notify its units' contacts."""
    action = _text(data.action, "action", _("工作任务"), required=True, limit=ACTION_MAX)
    leads = _units_of(conference_id, data.lead_unit_ids)
    if not leads:
        raise invalid({"lead_units": _("请至少选择一个责任单位。")})
    coops = [u for u in _units_of(conference_id, data.coop_unit_ids) if u not in leads]
    title = (
        _text(data.title, "title", _("标题"), required=False, limit=TITLE_MAX) or action[:TITLE_FROM_ACTION]
    )
    task = Task.objects.create(
        conference_id=conference_id,
        source_document=document,
        source_type=source_type,
        source_id=source_id,
        title=title,
        action=action,
        due_on=data.due_on,
        original_due_on=data.due_on,
        target=_text(data.target, "target", _("目标"), required=False, limit=TARGET_MAX),
        evidence=(data.evidence or "").replace("\x00", "")[:ACTION_MAX],
        created_by=actor,
    )
    TaskOwner.objects.bulk_create(
        [TaskOwner(task=task, unit=u, role=OwnerRole.LEAD) for u in leads]
        + [TaskOwner(task=task, unit=u, role=OwnerRole.COOP) for u in coops]
    )
    record(actor, "create", task, to_state=task.state, summary=_("交办：%(t)s") % {"t": task.title})
    due = _("，请于 %(d)s 前完成") % {"d": task.due_on} if task.due_on else ""
    _notify_units(task, "task_assigned", _("新督办事项：%(t)s%(due)s") % {"t": task.title, "due": due})
    return task


@transaction.atomic(durable=True)
def create_task(
    actor: User,
    conference: Conference,
    data: TaskInput,
    *,
    source_type: str = SourceType.MANUAL,
    source_id: int | None = None,
) -> Task:
    """Staff register a task by hand (or from an activity outcome or key proposal named by id)."""
    return add_task(actor, conference, data, source_type=source_type, source_id=source_id)


@transaction.atomic
def add_task(
    actor: User,
    conference: Conference,
    data: TaskInput,
    *,
    source_type: str = SourceType.MANUAL,
    source_id: int | None = None,
) -> Task:
    """create_task inside the caller's transaction: another app's service (a research topic's follow-up)
    writes its task and its own link to it all or nothing."""
    if not can_manage_tasks(actor, conference.pk):
        raise denied()
    if source_type not in SourceType.values or source_type == SourceType.DOCUMENT:
        raise invalid({"source_type": _("来源类型无效。")})
    return _create_task(actor, conference.pk, data, source_type=source_type, source_id=source_id)


@transaction.atomic
def create_task_from_instruction(
    actor: User, instruction: Any, units: Sequence[HandlingUnit], due_on: dt.date | None
) -> Task:
    """A task for the units named by a leader's instruction (批示); its result is the feedback.

    Not durable, so that it may run inside the caller's transaction. `instruction` is taken duck-typed
    (pk, conference_id, leader_name, text) so that tasks never import opinions. Calling it twice
    returns the first task.
    """
    if not can_manage_tasks(actor, instruction.conference_id):
        raise denied()
    existing = Task.objects.filter(
        conference_id=instruction.conference_id, source_type=SourceType.INSTRUCTION, source_id=instruction.pk
    ).first()
    if existing is not None:
        return existing
    data = TaskInput(
        action=str(instruction.text),
        lead_unit_ids=[u.pk for u in units],
        due_on=due_on,
        title=_("落实%(leader)s批示") % {"leader": instruction.leader_name},
        evidence=str(instruction.text),
    )
    return _create_task(
        actor, instruction.conference_id, data, source_type=SourceType.INSTRUCTION, source_id=instruction.pk
    )


# ---------------------------------------------------------------------------- sources and the ledger


@dataclass
class SourceInput:
    """A source document as staff describe it; `text` is used when no file is uploaded."""

    title: str
    kind: str = SourceKind.SPEECH
    date: dt.date | None = None
    speaker: str = ""
    text: str = ""


def extract_items(text: str, conference: Conference) -> list[Any]:
    """Tasks and indicator figures found in the text by textintel (empty when it is not installed)."""
    try:
        from xieshang.textintel.extract import extract
    except ImportError:
        return []
    names = [name for u in conference.handling_units.all() for name in (u.name, u.short_name) if name]
    return list(extract(text, units=names, region=conference.short_name.removesuffix("政协") or None))


def _is_task_item(item: Any) -> bool:
    return hasattr(item, "action") and hasattr(item, "units")


def _store_lines(document: SourceDocument, items: Iterable[Any]) -> list[LedgerLine]:
    """One proposed line per task item, its unit names resolved against the registry."""
    base = document.date or today()
    lines = []
    for position, item in enumerate((i for i in items if _is_task_item(i)), start=1):
        written = [str(u) for u in (item.units or [])]
        units, unresolved = resolve_units(document.conference, written)
        # Older extraction results carry no cooperating units (配合单位); a unit named as both stays a lead.
        coop_written = [str(u) for u in (getattr(item, "coop_units", None) or [])]
        coops, coop_unresolved = resolve_units(document.conference, coop_written)
        coops = [u for u in coops if u not in units]
        line = LedgerLine.objects.create(
            document=document,
            position=position,
            units_text="、".join(written)[:300],
            coop_units_text="、".join(coop_written)[:300],
            unresolved="、".join(unresolved + coop_unresolved)[:300],
            action=str(item.action)[:ACTION_MAX],
            deadline_text=(item.deadline or "")[:100],
            due_on=parse_deadline(item.deadline, base),
            target=(item.target or "")[:TARGET_MAX],
            evidence=str(item.evidence or "")[:ACTION_MAX],
            start=max(int(item.start or 0), 0),
            end=max(int(item.end or 0), 0),
        )
        line.units.set(units)
        line.coop_units.set(coops)
        lines.append(line)
    return lines


@transaction.atomic(durable=True)
def create_source(
    actor: User,
    conference: Conference,
    data: SourceInput,
    *,
    upload: UploadedFile | None = None,
    items: Iterable[Any] | None = None,
) -> SourceDocument:
    """Staff upload or paste a speech or minutes; the proposed ledger lines are stored with it.

    `items` replaces the extraction (tests, or a caller that already extracted).
    """
    if not can_manage_tasks(actor, conference.pk):
        raise denied(_("只有本级政协机关工作人员可以上传督办来源文件。"))
    if data.kind not in SourceKind.values:
        raise invalid({"kind": _("文件类型无效。")})
    title = _text(data.title, "title", _("标题"), required=True, limit=TITLE_MAX)
    speaker = _text(data.speaker, "speaker", _("讲话人"), required=False, limit=100)
    name = ""
    if upload is not None:
        name, text = read_text(upload)
    else:
        text = _text(data.text, "text", _("正文"), required=True, limit=TEXT_MAX)
    document = SourceDocument.objects.create(
        conference=conference,
        kind=data.kind,
        title=title,
        date=data.date,
        speaker=speaker,
        text=text,
        original_name=name,
        uploaded_by=actor,
    )
    if upload is not None:
        document.file.save(name, upload, save=True)
    found = list(items) if items is not None else extract_items(text, conference)
    lines = _store_lines(document, found)
    record(
        actor,
        "upload_source",
        document,
        summary=_("上传来源文件《%(t)s》，建议台账 %(n)s 条") % {"t": title, "n": len(lines)},
    )
    return document


@dataclass
class LineDecision:
    """What staff decided on one proposed line: confirm (maybe edited), drop, or merge into another."""

    line_id: int
    decision: str  # "confirm" | "drop" | "merge"
    action: str = ""
    lead_unit_ids: Sequence[int] = ()
    coop_unit_ids: Sequence[int] = ()
    due_on: dt.date | None = None
    target: str = ""
    merge_into: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


DECISIONS = {"confirm", "drop", "merge"}


@transaction.atomic(durable=True)
def confirm_ledger(actor: User, document: SourceDocument, decisions: Sequence[LineDecision]) -> list[Task]:
    """Staff confirm the ledger: confirmed lines become tasks (merged lines join their target's units
    and evidence), dropped lines are kept as dropped. All or nothing."""
    if not can_manage_tasks(actor, document.conference_id):
        raise denied()
    document = SourceDocument.objects.select_for_update().get(pk=document.pk)
    lines = {line.pk: line for line in document.lines.filter(status=LedgerLine.Status.PROPOSED)}
    by_id = {d.line_id: d for d in decisions}
    if not by_id or any(i not in lines for i in by_id):
        raise AppError(ErrorCode.INVALID_STATE, _("台账条目已处理或不存在，请刷新页面后重试。"))
    errors: dict[str, str] = {}
    for d in by_id.values():
        if d.decision not in DECISIONS:
            errors[f"line_{d.line_id}"] = _("请选择确认、合并或删除。")
        elif d.decision == "merge":
            target = by_id.get(d.merge_into or 0)
            if target is None or target.decision != "confirm" or target.line_id == d.line_id:
                errors[f"line_{d.line_id}"] = _("第 %(n)s 条只能合并到一条已确认的条目。") % {
                    "n": lines[d.line_id].position
                }
    if errors:
        raise invalid(errors)
    merged: dict[int, list[LineDecision]] = {}
    for d in by_id.values():
        if d.decision == "merge" and d.merge_into is not None:
            merged.setdefault(d.merge_into, []).append(d)
    tasks = []
    for d in by_id.values():
        line = lines[d.line_id]
        if d.decision == "drop":
            line.status = LedgerLine.Status.DROPPED
            line.save(update_fields=["status"])
            continue
        if d.decision != "confirm":
            continue
        lead_ids = list(d.lead_unit_ids)
        evidence = [line.evidence]
        for m in merged.get(d.line_id, []):
            lead_ids += [i for i in m.lead_unit_ids if i not in lead_ids]
            evidence.append(lines[m.line_id].evidence)
        data = TaskInput(
            action=d.action,
            lead_unit_ids=lead_ids,
            coop_unit_ids=d.coop_unit_ids,
            due_on=d.due_on,
            target=d.target,
            evidence="\n".join(e for e in evidence if e),
        )
        try:
            task = _create_task(
                actor,
                document.conference_id,
                data,
                source_type=SourceType.DOCUMENT,
                source_id=document.pk,
                document=document,
            )
        except AppError as error:
            reason = next(iter(error.fields.values()), error.message)
            raise invalid({f"line_{d.line_id}": f"第 {line.position} 条：{reason}"}) from error
        line.status, line.task = LedgerLine.Status.CONFIRMED, task
        line.save(update_fields=["status", "task"])
        for m in merged.get(d.line_id, []):
            other = lines[m.line_id]
            other.status, other.task = LedgerLine.Status.MERGED, task
            other.save(update_fields=["status", "task"])
        tasks.append(task)
    document.confirmed_at = timezone.now()
    document.save(update_fields=["confirmed_at"])
    record(
        actor,
        "confirm_ledger",
        document,
        summary=_("确认台账：生成督办事项 %(n)s 项") % {"n": len(tasks)},
        data={"tasks": [t.pk for t in tasks]},
    )
    return tasks


# ---------------------------------------------------------------------------- units report progress


@dataclass
class ProgressInput:
    """A unit's progress report."""

    text: str
    percent: int = 0
    done: bool = False


@transaction.atomic(durable=True)
def report_progress(
    actor: User,
    task: Task,
    data: ProgressInput,
    *,
    upload: UploadedFile | None = None,
    version: int | None = None,
) -> ProgressReport:
    """A unit's contact reports progress (with evidence); reporting done asks staff to verify."""
    task = _lock(task, version)
    _check(actor, task, "report")
    text = _text(data.text, "text", _("进展情况"), required=True, limit=NOTE_MAX)
    if not 0 <= data.percent <= 100:
        raise invalid({"percent": _("完成进度应在 0 到 100 之间。")})
    name = check_upload(upload, DOCUMENT_TYPES) if upload is not None else ""
    mine = unit_ids(actor, task.conference_id)
    owner = task.owners.filter(unit_id__in=mine).order_by("role", "id").first()
    if owner is None:
        raise denied()
    percent = 100 if data.done else data.percent
    report = ProgressReport.objects.create(
        task=task,
        unit_id=owner.unit_id,
        text=text,
        percent=percent,
        is_done=data.done,
        original_name=name,
        reported_by=actor,
    )
    if upload is not None:
        report.attachment.save(name, upload, save=True)
    task.progress = percent
    task.latest_progress = text
    to_state = TaskState.REPORTED_DONE if data.done else TaskState.IN_PROGRESS
    _save(
        actor,
        task,
        "report",
        to_state=to_state,
        fields=["progress", "latest_progress"],
        summary=_("%(u)s报送进展（%(p)s%%）") % {"u": owner.unit, "p": percent},
        report=report.pk,
    )
    if data.done:
        _notify_staff(
            task, "task_reported_done", _("督办事项已报完成，待核实销号：%(t)s") % {"t": task.title}
        )
    return report


# ---------------------------------------------------------------------------- staff supervise


@transaction.atomic(durable=True)
def remind_task(actor: User, task: Task, *, note: str = "", version: int | None = None) -> TaskReminder:
    """Staff remind the task's units (催办)."""
    task = _lock(task, version)
    _check(actor, task, "remind")
    reminder = TaskReminder.objects.create(
        task=task,
        kind=TaskReminder.Kind.MANUAL,
        sent_by=actor,
        sent_on=today(),
        note=_text(note, "note", _("说明"), required=False, limit=300),
    )
    _save(actor, task, "remind", summary=_("催办"), reminder=reminder.pk)
    _notify_units(task, "task_reminder", _("催办：%(t)s") % {"t": task.title}, reminder.note)
    return reminder


@transaction.atomic(durable=True)
def extend_task(
    actor: User, task: Task, *, due_on: dt.date, reason: str = "", version: int | None = None
) -> Task:
    """Staff set a later deadline (延期); the first deadline is kept."""
    task = _lock(task, version)
    _check(actor, task, "extend")
    if due_on is None or due_on < today() or (task.due_on and due_on <= task.due_on):
        raise invalid({"due_on": _("新的完成时限应晚于原时限且不早于今天。")})
    reason = _text(reason, "reason", _("延期理由"), required=False, limit=NOTE_MAX)
    before = task.due_on
    task.due_on = due_on
    _save(
        actor,
        task,
        "extend",
        fields=["due_on"],
        summary=_("延期至 %(d)s") % {"d": due_on},
        before=str(before or ""),
        reason=reason,
    )
    _notify_units(task, "task_extended", _("督办事项延期至 %(d)s：%(t)s") % {"d": due_on, "t": task.title})
    return task


@transaction.atomic(durable=True)
def close_task(actor: User, task: Task, *, note: str = "", version: int | None = None) -> Task:
    """Staff verify the reported result and close the task (销号)."""
    task = _lock(task, version)
    _check(actor, task, "close")
    note = _text(note, "note", _("核实意见"), required=False, limit=NOTE_MAX)
    task.closed_at = timezone.now()
    _save(
        actor,
        task,
        "close",
        to_state=TaskState.VERIFIED_CLOSED,
        fields=["closed_at"],
        summary=_("核实销号") + (f"：{note}" if note else ""),
    )
    _notify_units(task, "task_closed", _("督办事项已销号：%(t)s") % {"t": task.title})
    return task


@transaction.atomic(durable=True)
def send_back_task(actor: User, task: Task, *, reason: str, version: int | None = None) -> Task:
    """Staff find the reported result short of the task and send it back to the units."""
    task = _lock(task, version)
    _check(actor, task, "send_back")
    reason = _text(reason, "reason", _("退回理由"), required=True, limit=NOTE_MAX)
    _save(
        actor,
        task,
        "send_back",
        to_state=TaskState.IN_PROGRESS,
        summary=_("退回继续办理：%(r)s") % {"r": reason},
    )
    _notify_units(task, "task_sent_back", _("督办事项被退回继续办理：%(t)s") % {"t": task.title}, reason)
    return task


def send_task_reminders(on: dt.date | None = None) -> dict[str, int]:
    """The daily job: remind units of open tasks due within the conference's window and of overdue ones.

    Each task gets at most one automatic reminder of each kind a day, so reruns are harmless.
    """
    day = on or today()
    counts = {"due_soon": 0, "overdue": 0}
    live = Task.objects.filter(state__in=workflow.OPEN, due_on__isnull=False)
    for task in live.select_related("conference").iterator():
        assert task.due_on is not None
        if task.due_on < day:
            kind = TaskReminder.Kind.OVERDUE
            title = _("督办事项已逾期：%(t)s（时限 %(d)s）") % {"t": task.title, "d": task.due_on}
        elif (task.due_on - day).days <= task.conference.due_soon_days:
            kind = TaskReminder.Kind.DUE_SOON
            title = _("督办事项临期：%(t)s 须于 %(d)s 前完成") % {"t": task.title, "d": task.due_on}
        else:
            continue
        with transaction.atomic():
            created = TaskReminder.objects.get_or_create(task=task, kind=kind, sent_on=day)[1]
            if not created:
                continue
            record(None, "auto_remind", task, summary=str(TaskReminder.Kind(kind).label))
            notify_atomically(
                _contacts(task),
                verb=f"task_reminder_{kind}",
                title=title,
                url=_url(task),
                conference_id=task.conference_id,
            )
        counts[kind] += 1
    return counts


# ---------------------------------------------------------------------------- the three lists


@transaction.atomic(durable=True)
def create_checklist(actor: User, conference: Conference, *, kind: str, year: int, title: str) -> Checklist:
    """Staff open one of the year's three lists (找差距、学先进、争示范)."""
    if not can_manage_tasks(actor, conference.pk):
        raise denied()
    if kind not in ChecklistKind.values:
        raise invalid({"kind": _("请选择清单类型。")})
    if not 2000 <= year <= 2100:
        raise invalid({"year": _("年度无效。")})
    checklist = Checklist.objects.create(
        conference=conference,
        kind=kind,
        year=year,
        title=_text(title, "title", _("名称"), required=True, limit=TITLE_MAX),
        created_by=actor,
    )
    record(actor, "create", checklist, summary=str(checklist))
    return checklist


@transaction.atomic(durable=True)
def add_checklist_item(actor: User, checklist: Checklist, data: TaskInput) -> Task:
    """Staff add an item to a list: it is a task like any other (owners, deadline, progress, 销号)."""
    if not can_manage_tasks(actor, checklist.conference_id):
        raise denied()
    return _create_task(
        actor, checklist.conference_id, data, source_type=SourceType.CHECKLIST, source_id=checklist.pk
    )
