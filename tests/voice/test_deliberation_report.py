"""Deliberation reports to leaders: staff send a finished report to chosen leaders (recorded, audited,
notified after commit); a recipient reads it (first reading recorded) and records an instruction;
nobody else may, and nothing crosses conferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import give_role
from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.people.models import RoleKind
from xieshang.people.selectors import forget_roles
from xieshang.tasks.models import SourceType, Task
from xieshang.voice import deliberation as svc
from xieshang.voice import reports
from xieshang.voice.models import Deliberation, ReportDelivery, ReportInstruction


def _reported(world: Any, side: str = "city") -> Deliberation:
    s = getattr(world, side)
    now = timezone.now()
    topic = svc.create_deliberation(
        s.staff,
        s.conference,
        svc.DeliberationInput(
            title="老旧小区加装电梯",
            question="如何推进？",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
        ),
    )
    topic = svc.open_deliberation(s.staff, topic)
    svc.post_opinion(s.member, topic, body="建议财政补贴加装电梯费用的三成。")
    topic = svc.close_deliberation(s.staff, topic)
    return svc.save_report(s.staff, topic, summary="报告正文：建议财政补贴。", final=True)


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_send_the_report_to_a_leader_who_is_told_after_commit(
    world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    with django_capture_on_commit_callbacks(execute=True):
        sent = reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk], note="请审阅")
    assert [d.leader for d in sent] == [world.city.leader]
    assert sent[0].sent_by == world.city.staff and sent[0].sent_at is not None
    assert AuditEvent.objects.filter(verb="send_report", target_id=topic.pk).count() == 1
    note = Notification.objects.get(user=world.city.leader, verb="deliberation_report")
    assert note.url == reverse("voice:deliberation_report", args=[topic.pk])


def test_sending_twice_to_the_same_leader_is_refused_and_changes_nothing(world):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    with pytest.raises(AppError) as caught:
        reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    assert caught.value.code == ErrorCode.DUPLICATE
    assert ReportDelivery.objects.count() == 1


def test_only_staff_send_only_finished_reports_only_to_their_leaders(world):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    for who in (world.city.member, world.city.leader, world.county.staff):
        with pytest.raises(AppError) as caught:
            reports.send_report(who, topic, leader_ids=[world.city.leader.pk])
        assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError) as caught:  # a leader of another conference
        reports.send_report(world.city.staff, topic, leader_ids=[world.county.leader.pk])
    assert "本级政协的领导" in caught.value.fields["leaders"]
    with pytest.raises(AppError):  # a member is not a leader
        reports.send_report(world.city.staff, topic, leader_ids=[world.city.member.pk])
    with pytest.raises(AppError):  # nobody chosen
        reports.send_report(world.city.staff, topic, leader_ids=[])
    assert ReportDelivery.objects.count() == 0
    # a closed topic whose report is not final yet cannot be sent
    topic.state = "closed"
    topic.save()
    with pytest.raises(AppError) as caught:
        reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    assert caught.value.code == ErrorCode.INVALID_STATE


def test_the_leader_reads_it_once_recorded_and_records_an_instruction(
    world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    leader = _login(world.city.leader)
    page = leader.get(reverse("voice:deliberation_report", args=[topic.pk]))
    assert page.status_code == 200 and "报告正文：建议财政补贴。" in page.content.decode()
    delivery = ReportDelivery.objects.get()
    assert delivery.read_at is not None
    leader.get(reverse("voice:deliberation_report", args=[topic.pk]))
    assert AuditEvent.objects.filter(verb="read_report", target_id=topic.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(
            reverse("voice:deliberation_report_instruct", args=[topic.pk]),
            {"level": "city", "given_on": timezone.localdate().isoformat(), "text": "请市住建局研究落实。"},
        )
    assert response.status_code == 302
    instruction = ReportInstruction.objects.get()
    assert (instruction.leader, instruction.level, instruction.text) == (
        world.city.leader,
        "city",
        "请市住建局研究落实。",
    )
    assert instruction.conference_id == topic.conference_id
    assert AuditEvent.objects.filter(verb="record_instruction", target_id=topic.pk).exists()
    assert Notification.objects.filter(user=world.city.staff, verb="deliberation_instruction").exists()
    # staff see the instruction on the manage page
    manage = _login(world.city.staff).get(reverse("voice:deliberation_manage", args=[topic.pk]))
    assert "请市住建局研究落实。" in manage.content.decode()


def test_bad_instructions_are_refused_in_chinese_and_change_nothing(world):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    leader = _login(world.city.leader)
    url = reverse("voice:deliberation_report_instruct", args=[topic.pk])
    empty = leader.post(url, {"level": "city", "text": "   "})
    assert empty.status_code == 400
    bad_level = leader.post(url, {"level": "galactic", "text": "同意"})
    assert bad_level.status_code == 400
    future = leader.post(
        url,
        {
            "level": "city",
            "text": "同意",
            "given_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    assert ReportInstruction.objects.count() == 0


def test_who_may_read_and_instruct(world):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    url = reverse("voice:deliberation_report", args=[topic.pk])
    instruct = reverse("voice:deliberation_report_instruct", args=[topic.pk])
    # before sending: a leader sees no report, staff do
    assert _login(world.city.leader).get(url).status_code == 404
    assert _login(world.city.staff).get(url).status_code == 200
    reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    for who in (world.city.member, world.county.leader, world.county.staff, world.outsider):
        assert _login(who).get(url).status_code == 404, who
        assert _login(who).post(instruct, {"level": "city", "text": "x"}).status_code == 404, who
    # staff read but do not instruct in a leader's name
    assert _login(world.city.staff).post(instruct, {"level": "city", "text": "x"}).status_code == 403
    with pytest.raises(AppError):
        reports.record_instruction(world.city.staff, topic, reports.InstructionInput(level="city", text="x"))
    # a second leader of the conference who was not sent the report
    other = type(world.city.leader).objects.create_user(username="vice", password="x-pass-12345")
    give_role(other, world.city.conference, RoleKind.LEADER)
    forget_roles(other)
    assert _login(other).get(url).status_code == 404
    assert ReportInstruction.objects.count() == 0
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page


def test_the_send_page_flow_and_the_leader_inbox(world):  # type: ignore[no-untyped-def]
    topic = _reported(world)
    staff = _login(world.city.staff)
    manage = staff.get(reverse("voice:deliberation_manage", args=[topic.pk]))
    assert 'data-testid="send-form"' in manage.content.decode()
    response = staff.post(
        reverse("voice:deliberation_report_send", args=[topic.pk]), {"leaders": [world.city.leader.pk]}
    )
    assert response.status_code == 302
    assert ReportDelivery.objects.filter(leader=world.city.leader).exists()
    # a member cannot send
    assert (
        _login(world.city.member)
        .post(reverse("voice:deliberation_report_send", args=[topic.pk]), {"leaders": [world.city.leader.pk]})
        .status_code
        == 404
    )
    inbox = _login(world.city.leader).get(reverse("voice:deliberation_reports"))
    assert topic.title in inbox.content.decode()
    assert (
        topic.title
        not in _login(world.county.leader).get(reverse("voice:deliberation_reports")).content.decode()
    )


def _instructed(world: Any) -> ReportInstruction:
    topic = _reported(world)
    reports.send_report(world.city.staff, topic, leader_ids=[world.city.leader.pk])
    return reports.record_instruction(
        world.city.leader, topic, reports.InstructionInput(level="city", text="请市住建局研究加装电梯补贴。")
    )


def test_staff_turn_an_instruction_into_one_task_for_a_unit(world):  # type: ignore[no-untyped-def]
    # Given a leader's instruction on a report
    instruction = _instructed(world)
    # When staff turn it into a task through the report page
    client = _login(world.city.staff)
    url = reverse("voice:deliberation_instruction_task", args=[instruction.deliberation_id, instruction.pk])
    response = client.post(url, {"lead_units": [world.city.unit.pk], "due_on": "2026-12-31"})
    assert response.status_code == 302
    # Then one task goes to the unit, linked both ways, and the step is audited
    instruction.refresh_from_db()
    task = Task.objects.get(pk=instruction.task_id)
    assert task.source_type == SourceType.DELIBERATION and task.source_id == instruction.pk
    assert list(task.units.all()) == [world.city.unit] and task.due_on == dt.date(2026, 12, 31)
    assert "加装电梯补贴" in task.action
    assert AuditEvent.objects.filter(verb="instruction_task", target_id=instruction.deliberation_id).exists()
    page = client.get(reverse("voice:deliberation_manage", args=[instruction.deliberation_id]))
    assert f'data-testid="instruction-task-{instruction.pk}"' in page.content.decode()
    # and a second time is refused, with no second task
    with pytest.raises(AppError) as caught:
        reports.create_task_from_instruction(
            world.city.staff, instruction, lead_unit_ids=[world.city.unit.pk]
        )
    assert caught.value.code == ErrorCode.INVALID_STATE
    assert Task.objects.count() == 1


def test_only_the_conferences_staff_turn_instructions_into_tasks(world):  # type: ignore[no-untyped-def]
    instruction = _instructed(world)
    for actor in (world.city.leader, world.city.member, world.county.staff):
        with pytest.raises(AppError):
            reports.create_task_from_instruction(actor, instruction, lead_unit_ids=[world.city.unit.pk])
    url = reverse("voice:deliberation_instruction_task", args=[instruction.deliberation_id, instruction.pk])
    assert _login(world.county.staff).post(url, {"lead_units": [world.county.unit.pk]}).status_code == 404
    assert _login(world.city.leader).post(url, {"lead_units": [world.city.unit.pk]}).status_code == 404
    # a unit of another conference is refused, and no unit at all too
    with pytest.raises(AppError):
        reports.create_task_from_instruction(
            world.city.staff, instruction, lead_unit_ids=[world.county.unit.pk]
        )
    response = _login(world.city.staff).post(url, {"due_on": "2026-12-31"})
    assert response.status_code == 302
    assert not Task.objects.exists()
    instruction.refresh_from_db()
    assert instruction.task_id is None
