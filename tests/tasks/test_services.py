"""Rules of the task services: isolation, instructions, the ledger, reminders and notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.opinions import services as opinion_services
from xieshang.tasks import selectors, services
from xieshang.tasks.forms import LineForm
from xieshang.tasks.models import LedgerLine, SourceType, Task, TaskReminder, TaskState
from xieshang.tasks.services import LineDecision, ProgressInput, SourceInput

from ..opinions import walk as opinion_walk
from . import walk


def test_county_staff_get_404_on_a_city_task_and_cannot_act(world):
    task = walk.assigned(world.city)
    with pytest.raises(Http404):
        selectors.get_task(world.county.staff, task.pk)
    with pytest.raises(AppError) as caught:
        services.remind_task(world.county.staff, task)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_a_unit_sees_only_its_own_tasks(world):
    mine = walk.assigned(world.city)
    other = services.create_task(
        world.city.staff,
        world.city.conference,
        services.TaskInput(action="建幼儿园", lead_unit_ids=[world.city.unit2.pk]),
    )
    assert list(selectors.visible_tasks(world.city.unit_user)) == [mine]
    with pytest.raises(Http404):
        selectors.get_task(world.city.unit_user, other.pk)
    assert list(selectors.unit_inbox(world.city.unit2_user, world.city.conference.pk)) == [other]


def test_a_shared_unit_sees_a_task_only_in_the_conference_it_serves_there(world):
    # unit2 of the county is city.unit2? no: each side has its own units; the county contact of a
    # unit never sees the city's tasks
    task = walk.assigned(world.city)
    assert not selectors.visible_tasks(world.county.unit_user).filter(pk=task.pk).exists()


def test_cooperating_unit_may_report_and_is_notified(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = walk.assigned(world.city, coop=True)
    assert Notification.objects.filter(user=world.city.unit2_user, verb="task_assigned").exists()
    services.report_progress(world.city.unit2_user, task, ProgressInput(text="已配合提供数据", percent=10))
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_stale_version_is_refused(world):
    task = walk.assigned(world.city)
    with pytest.raises(AppError) as caught:
        services.remind_task(world.city.staff, task, version=task.version + 1)
    assert caught.value.code == ErrorCode.STALE_VERSION


def test_send_back_needs_a_reason_and_reopens(world):
    task = walk.reported_done(world.city)
    with pytest.raises(AppError):
        services.send_back_task(world.city.staff, task, reason=" ")
    services.send_back_task(world.city.staff, task, reason="佐证材料不全")
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_extension_keeps_the_first_deadline(world):
    task = walk.assigned(world.city)
    first = task.due_on
    services.extend_task(world.city.staff, task, due_on=first + dt.timedelta(days=30), reason="汛期停工")
    task.refresh_from_db()
    assert task.due_on == first + dt.timedelta(days=30)
    assert task.original_due_on == first
    with pytest.raises(AppError):
        services.extend_task(world.city.staff, task, due_on=first)


def test_an_instruction_creates_a_task_once(world, django_capture_on_commit_callbacks):
    # given an adopted report with a leader's instruction
    report = opinion_walk.adopted(world.city)
    instruction = opinion_services.record_instruction(world.city.staff, report, opinion_walk.INSTRUCTION)
    # when staff create a task from it
    due = dt.date.today() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        task = services.create_task_from_instruction(world.city.staff, instruction, [world.city.unit], due)
    # then the unit owns it, it points at the instruction, and a second call returns it
    assert task.source_type == SourceType.INSTRUCTION and task.source_id == instruction.pk
    assert list(task.units.all()) == [world.city.unit]
    assert Notification.objects.filter(user=world.city.unit_user, verb="task_assigned").exists()
    again = services.create_task_from_instruction(world.city.staff, instruction, [world.city.unit], due)
    assert again.pk == task.pk


def test_county_staff_cannot_create_a_task_from_a_city_instruction(world):
    report = opinion_walk.adopted(world.city)
    instruction = opinion_services.record_instruction(world.city.staff, report, opinion_walk.INSTRUCTION)
    with pytest.raises(AppError):
        services.create_task_from_instruction(world.county.staff, instruction, [world.county.unit], None)


def test_a_task_may_not_go_to_a_unit_of_another_conference(world):
    with pytest.raises(AppError) as caught:
        services.create_task(
            world.city.staff,
            world.city.conference,
            services.TaskInput(action="事项", lead_unit_ids=[world.county.unit.pk]),
        )
    assert "units" in caught.value.fields


def source(side, **kw):
    return services.create_source(
        side.staff,
        side.conference,
        SourceInput(title="全市重点工作推进会讲话", text=walk.SPEECH, date=dt.date(2026, 3, 2)),
        items=walk.speech_items(),
        **kw,
    )


def test_a_speech_proposes_a_ledger_with_units_deadlines_and_evidence(world):
    document = source(world.city)
    lines = list(selectors.all_lines(document))
    assert [line.position for line in lines] == [1, 2, 3]
    assert list(lines[0].units.all()) == [world.city.unit]
    assert lines[0].due_on == dt.date(2026, 6, 30)
    assert lines[1].due_on == dt.date(2026, 9, 1)
    assert lines[0].target == "120亿元"
    assert walk.SPEECH[lines[1].start : lines[1].end] == lines[1].evidence


def test_only_staff_upload_sources(world):
    with pytest.raises(AppError):
        source(world.city.__class__(**{**world.city.__dict__, "staff": world.city.leader}))


def test_confirming_the_ledger_with_an_edited_a_dropped_and_a_merged_line(
    world, django_capture_on_commit_callbacks
):
    document = source(world.city)
    first, second, third = selectors.all_lines(document)
    decisions = [
        LineDecision(
            first.pk,
            "confirm",
            action="编制并印发重点项目年度投资计划（已修改）",
            lead_unit_ids=[world.city.unit.pk],
            due_on=dt.date(2026, 6, 30),
            target="120亿元",
        ),
        LineDecision(second.pk, "merge", lead_unit_ids=[world.city.unit2.pk], merge_into=first.pk),
        LineDecision(third.pk, "drop"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        tasks = services.confirm_ledger(world.city.staff, document, decisions)
    assert len(tasks) == 1
    task = tasks[0]
    assert task.action.endswith("（已修改）")
    assert {u.pk for u in task.units.all()} == {world.city.unit.pk, world.city.unit2.pk}
    assert task.source_document_id == document.pk
    statuses = dict(LedgerLine.objects.filter(document=document).values_list("position", "status"))
    assert statuses == {1: "confirmed", 2: "merged", 3: "dropped"}
    assert Notification.objects.filter(user=world.city.unit_user, verb="task_assigned").count() == 1
    assert AuditEvent.objects.filter(verb="confirm_ledger").exists()
    # and the confirmed lines cannot be confirmed twice
    with pytest.raises(AppError):
        services.confirm_ledger(world.city.staff, document, decisions)


def test_a_confirmed_line_without_a_unit_refuses_the_whole_ledger(world):
    document = source(world.city)
    first, second, _third = selectors.all_lines(document)
    decisions = [
        LineDecision(first.pk, "confirm", action="投资计划", lead_unit_ids=[world.city.unit.pk]),
        LineDecision(second.pk, "confirm", action="幼儿园", lead_unit_ids=[]),
    ]
    with pytest.raises(AppError) as caught:
        services.confirm_ledger(world.city.staff, document, decisions)
    assert f"line_{second.pk}" in caught.value.fields
    assert not Task.objects.exists()


def test_daily_reminders_are_sent_once_a_day(world, django_capture_on_commit_callbacks):
    overdue = walk.assigned(world.city, due_on=dt.date.today() + dt.timedelta(days=60))
    Task.objects.filter(pk=overdue.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    soon = walk.assigned(world.county, due_on=dt.date.today() + dt.timedelta(days=2))
    walk.assigned(world.city)  # far away: nothing
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.send_task_reminders()
    assert counts == {"due_soon": 1, "overdue": 1}
    assert services.send_task_reminders() == {"due_soon": 0, "overdue": 0}
    assert TaskReminder.objects.filter(task=soon, kind="due_soon").count() == 1
    assert Notification.objects.filter(user=world.city.unit_user, verb="task_reminder_overdue").exists()


def test_overdue_is_derived_and_counted_by_unit(world):
    task = walk.assigned(world.city)
    Task.objects.filter(pk=task.pk).update(due_on=dt.date.today() - dt.timedelta(days=3))
    assert selectors.overdue_by_unit(world.city.conference.pk) == [(world.city.unit.name, 1)]
    assert selectors.state_counts(world.city.conference.pk)["overdue"] == 1


def test_highlighting_escapes_the_text(world):
    text = "<script>alert(1)</script>市教育局要建成幼儿园。"
    line = LedgerLine(position=1, start=text.index("市"), end=len(text), action="x")
    html = selectors.highlighted(text, [line])
    assert "<script>" not in html
    assert '<mark id="evidence-1"' in html


def test_the_real_extractor_proposes_the_ledger_of_a_pasted_speech(world):
    # given a speech pasted with no pre-computed items, textintel reads it
    document = services.create_source(
        world.city.staff,
        world.city.conference,
        SourceInput(title="讲话", text=walk.SPEECH, date=dt.date(2026, 3, 2)),
    )
    lines = list(selectors.all_lines(document))
    # then each deployed task is a line, its units resolved and its evidence located in the text
    assert [list(line.units.all()) for line in lines[:2]] == [[world.city.unit], [world.city.unit2]]
    assert list(lines[2].units.all()) == [world.county_government]
    assert all(walk.SPEECH[line.start : line.end] == line.evidence for line in lines)


def test_the_reminder_job_runs_the_daily_reminders(world):
    from xieshang.tasks.tasks import remind_due_tasks

    task = walk.assigned(world.city)
    Task.objects.filter(pk=task.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    assert remind_due_tasks.call() == {"due_soon": 0, "overdue": 1}


def test_cooperating_units_of_a_proposed_line_become_cooperating_owners(world):
    # Given a ledger line whose extraction named a lead and a cooperating unit (…牵头，…配合)
    text = walk.SPEECH
    line_item = walk.item(text, walk.speech_items()[0].evidence, ["市发展和改革局"], "完成投资计划")
    line_item.coop_units = ["市教育局", "市发展和改革局", "不存在的单位"]
    document = services.create_source(
        world.city.staff,
        world.city.conference,
        SourceInput(title="推进会讲话", text=text, date=dt.date(2026, 3, 2)),
        items=[line_item],
    )
    (line,) = selectors.all_lines(document)
    # Then the cooperating unit is proposed apart from the lead (a unit named twice stays a lead)
    assert list(line.coop_units.all()) == [world.city.unit2]
    assert line.coop_units_text == "市教育局、市发展和改革局、不存在的单位"
    assert "不存在的单位" in line.unresolved
    # When staff confirm the line as proposed (the form's initial values)
    form = LineForm(line=line, units=selectors.conference_units(world.city.conference.pk), others=[line])
    decision = LineDecision(
        line.pk,
        "confirm",
        action=form.initial["action"],
        lead_unit_ids=form.initial["lead_units"],
        coop_unit_ids=form.initial["coop_units"],
    )
    (task,) = services.confirm_ledger(world.city.staff, document, [decision])
    # Then the task has the lead as 牵头单位 and the cooperating unit as 配合单位
    roles = {o.unit_id: o.role for o in task.owners.all()}
    assert roles == {world.city.unit.pk: "lead", world.city.unit2.pk: "coop"}
