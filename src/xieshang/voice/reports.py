"""Deliberation reports to leaders: staff send a finished report (议政报告) to chosen leaders of the
topic's conference; a leader reads it and records an instruction (批示) on it.

The instruction has the fields of an opinion report's (opinions.Instruction: leader, level, date,
text) but is kept here, since that model belongs to opinion reports. Staff may then turn an
instruction into a deployed task through the tasks app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.notify.services import notify_on_commit
from xieshang.opinions.models import InstructionLevel
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import has_role, users_with_role
from xieshang.tasks import services as task_services
from xieshang.tasks.models import SourceType, Task

from .deliberation import get_deliberation, is_staff
from .models import Deliberation, ReportDelivery, ReportInstruction
from .models import DeliberationState as S

NOTE_MAX = 300
TEXT_MAX = 5000
_text = sm.clean_text


def report_url(deliberation: Deliberation) -> str:
    """Where a leader reads the report."""
    return reverse("voice:deliberation_report", args=[deliberation.pk])


# ---------------------------------------------------------------------------- reads


def leader_candidates(conference_id: int) -> QuerySet[User]:
    """The leaders of the conference a report may be sent to."""
    return users_with_role(conference_id, [RoleKind.LEADER]).order_by("username")


def deliveries(deliberation: Deliberation) -> list[ReportDelivery]:
    """To whom the report went, when, and when they read it."""
    return list(deliberation.deliveries.select_related("leader", "sent_by"))


def instructions(deliberation: Deliberation) -> list[ReportInstruction]:
    """The leaders' instructions on the report, oldest first."""
    return list(deliberation.instructions.all())


def is_recipient(user: Any, deliberation: Deliberation) -> bool:
    """A leader of the topic's conference the report was sent to."""
    return bool(
        user.is_authenticated
        and has_role(user, deliberation.conference_id, RoleKind.LEADER)
        and ReportDelivery.objects.filter(deliberation=deliberation, leader=user).exists()
    )


def can_read_report(user: Any, deliberation: Deliberation) -> bool:
    """Staff of the conference and the leaders it was sent to read a finished report."""
    return deliberation.state == S.REPORTED and (
        is_staff(user, deliberation) or is_recipient(user, deliberation)
    )


def get_report(user: Any, pk: int) -> Deliberation:
    """A finished report the user may read, or 404."""
    found = get_deliberation(user, pk)
    if not can_read_report(user, found):
        raise Http404
    return found


def my_reports(user: Any) -> QuerySet[ReportDelivery]:
    """The reports sent to a leader, newest first (only in conferences where they still lead)."""
    if not user.is_authenticated:
        return ReportDelivery.objects.none()
    return (
        ReportDelivery.objects.filter(leader=user, deliberation__state=S.REPORTED)
        .select_related("deliberation", "deliberation__conference")
        .order_by("-sent_at", "-id")
    )


# ---------------------------------------------------------------------------- writes


@transaction.atomic(durable=True)
def send_report(
    actor: User, deliberation: Deliberation, *, leader_ids: Sequence[int], note: str = ""
) -> list[ReportDelivery]:
    """Staff send a finished report to leaders of its conference; a leader it already went to is
    skipped. Each new recipient is told after commit."""
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if not is_staff(actor, locked):
        raise denied()
    if locked.state != S.REPORTED:
        raise AppError(ErrorCode.INVALID_STATE, _("议政报告定稿后才能报送领导。"))
    wanted = list(dict.fromkeys(int(i) for i in leader_ids))
    if not wanted:
        raise invalid({"leaders": _("请至少选择一位领导。")})
    leaders = list(leader_candidates(locked.conference_id).filter(pk__in=wanted))
    if len(leaders) != len(wanted):
        raise invalid({"leaders": _("只能报送本级政协的领导。")})
    text = _text(note, "note", _("报送说明"), required=False, limit=NOTE_MAX)
    already = set(locked.deliveries.values_list("leader_id", flat=True))
    new = [leader for leader in leaders if leader.pk not in already]
    if not new:
        raise AppError(ErrorCode.DUPLICATE, _("所选领导均已收到该报告。"))
    now = timezone.now()
    created = [
        ReportDelivery.objects.create(
            deliberation=locked, leader=leader, sent_by=actor, sent_at=now, note=text
        )
        for leader in new
    ]
    names = "、".join(str(getattr(u, "display_name", "") or u.username) for u in new)
    record(
        actor,
        "send_report",
        locked,
        summary=_("报送议政报告：%(n)s") % {"n": names},
        data={"leaders": [u.pk for u in new], "note": text},
    )
    notify_on_commit(
        new,
        verb="deliberation_report",
        title=_("议政报告：%(t)s") % {"t": locked.title},
        body=text,
        url=report_url(locked),
        conference_id=locked.conference_id,
    )
    return created


@transaction.atomic(durable=True)
def mark_read(actor: User, deliberation: Deliberation) -> bool:
    """A recipient opened the report: the first reading is recorded (and audited) once."""
    delivery = (
        ReportDelivery.objects.select_for_update()
        .filter(deliberation=deliberation, leader=actor, read_at__isnull=True)
        .first()
    )
    if delivery is None:
        return False
    delivery.read_at = timezone.now()
    delivery.save(update_fields=["read_at"])
    record(actor, "read_report", deliberation, summary=_("阅读议政报告"))
    return True


@dataclass
class InstructionInput:
    """What a leader writes: the level of the instruction, its date and its text."""

    level: str
    text: str
    given_on: dt.date | None = None


@transaction.atomic(durable=True)
def record_instruction(actor: User, deliberation: Deliberation, data: InstructionInput) -> ReportInstruction:
    """A leader the report was sent to records an instruction on it; staff are told after commit."""
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if locked.state != S.REPORTED or not is_recipient(actor, locked):
        raise denied(_("只有收到该报告的领导可以批示。"))
    if data.level not in InstructionLevel.values:
        raise invalid({"level": _("批示层级无效。")})
    given_on = data.given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise invalid({"given_on": _("批示日期不能晚于今天。")})
    name = str(getattr(actor, "display_name", "") or actor.username)[:100]
    instruction = ReportInstruction.objects.create(
        conference_id=locked.conference_id,
        deliberation=locked,
        leader=actor,
        leader_name=name,
        level=data.level,
        given_on=given_on,
        text=_text(data.text, "text", _("批示内容"), required=True, limit=TEXT_MAX),
    )
    record(
        actor,
        "record_instruction",
        locked,
        summary=_("%(leader)s批示（%(level)s）")
        % {"leader": name, "level": InstructionLevel(data.level).label},
        data={"instruction": instruction.pk},
    )
    notify_on_commit(
        users_with_role(locked.conference_id, [RoleKind.STAFF]),
        verb="deliberation_instruction",
        title=_("议政报告《%(t)s》获%(leader)s批示") % {"t": locked.title, "leader": name},
        url=reverse("voice:deliberation_manage", args=[locked.pk]),
        conference_id=locked.conference_id,
    )
    return instruction


@transaction.atomic(durable=True)
def create_task_from_instruction(
    actor: User,
    instruction: ReportInstruction,
    *,
    lead_unit_ids: Sequence[int],
    coop_unit_ids: Sequence[int] = (),
    due_on: dt.date | None = None,
) -> Task:
    """Staff turn a leader's instruction on the report into a deployed task for handling units; the
    task and its link are written together, and an instruction gets at most one task."""
    locked = (
        ReportInstruction.objects.select_for_update().select_related("deliberation").get(pk=instruction.pk)
    )
    if not is_staff(actor, locked.deliberation):
        raise denied(_("只有本级政协机关工作人员可以将批示转为督办事项。"))
    if locked.task_id is not None:
        raise AppError(ErrorCode.INVALID_STATE, _("该批示已转为督办事项。"))
    task = task_services.add_task(
        actor,
        locked.deliberation.conference,
        task_services.TaskInput(
            action=locked.text,
            lead_unit_ids=list(lead_unit_ids),
            coop_unit_ids=list(coop_unit_ids),
            due_on=due_on,
            title=_("落实%(leader)s对议政报告《%(t)s》的批示")
            % {"leader": locked.leader_name, "t": locked.deliberation.title},
            evidence=locked.text,
        ),
        source_type=SourceType.DELIBERATION,
        source_id=locked.pk,
    )
    locked.task_id = task.pk
    locked.save(update_fields=["task_id"])
    record(
        actor,
        "instruction_task",
        locked.deliberation,
        summary=_("批示转督办事项：%(t)s") % {"t": task.title},
        data={"instruction": locked.pk, "task": task.pk},
    )
    return task
