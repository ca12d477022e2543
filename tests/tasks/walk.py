"""Build tasks through the real services, in any state a test needs."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from xieshang.tasks import services
from xieshang.tasks.models import Task, TaskState
from xieshang.tasks.services import ProgressInput, TaskInput

from ..conftest import Side

S = TaskState
SPEECH = (
    "同志们，今年要重点抓好三件事。"
    "一是市发展和改革局牵头，6月底前完成重点项目年度投资计划，全年完成投资120亿元。"
    "二是市教育局要在9月1日前建成5所公办幼儿园。"
    "三是各县（市、区）要在年底前完成农村公路改造。"
)


def item(
    text: str,
    evidence: str,
    units: list[str],
    action: str,
    deadline: str | None = None,
    target: str | None = None,
) -> Any:
    """A TaskItem as textintel.extract yields it (duck-typed)."""
    start = text.index(evidence)
    return SimpleNamespace(
        units=units,
        action=action,
        deadline=deadline,
        target=target,
        evidence=evidence,
        start=start,
        end=start + len(evidence),
    )


def speech_items(text: str = SPEECH) -> list[Any]:
    return [
        item(
            text,
            "市发展和改革局牵头，6月底前完成重点项目年度投资计划，全年完成投资120亿元。",
            ["市发展和改革局"],
            "完成重点项目年度投资计划",
            "6月底前",
            "120亿元",
        ),
        item(
            text,
            "市教育局要在9月1日前建成5所公办幼儿园。",
            ["市教育局"],
            "建成5所公办幼儿园",
            "9月1日前",
            "5所",
        ),
        item(
            text,
            "各县（市、区）要在年底前完成农村公路改造。",
            ["各县（市、区）"],
            "完成农村公路改造",
            "年底前",
        ),
    ]


def assigned(side: Side, *, due_on: dt.date | None = None, coop: bool = False) -> Task:
    data = TaskInput(
        action="完成重点项目年度投资计划",
        lead_unit_ids=[side.unit.pk],
        coop_unit_ids=[side.unit2.pk] if coop else [],
        due_on=due_on or dt.date.today() + dt.timedelta(days=60),
        target="120亿元",
    )
    return services.create_task(side.staff, side.conference, data)


def in_progress(side: Side, **kw: Any) -> Task:
    task = assigned(side, **kw)
    services.report_progress(side.unit_user, task, ProgressInput(text="已完成项目梳理", percent=30))
    return Task.objects.get(pk=task.pk)


def reported_done(side: Side, **kw: Any) -> Task:
    task = in_progress(side, **kw)
    services.report_progress(side.unit_user, task, ProgressInput(text="计划已印发", done=True))
    return Task.objects.get(pk=task.pk)


def verified_closed(side: Side, **kw: Any) -> Task:
    task = reported_done(side, **kw)
    services.close_task(side.staff, task)
    return Task.objects.get(pk=task.pk)


def build(side: Side, state: str) -> Task:
    makers = {
        S.ASSIGNED: assigned,
        S.IN_PROGRESS: in_progress,
        S.REPORTED_DONE: reported_done,
        S.VERIFIED_CLOSED: verified_closed,
    }
    return makers[S(state)](side)
