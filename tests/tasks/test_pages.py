"""The task pages: upload → proposed ledger → confirm, the unit's inbox and progress report, staff's
verification, the ledger views and export, and what others may not reach."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.tasks import services
from xieshang.tasks.models import LedgerLine, SourceDocument, Task, TaskState

from . import walk


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def extraction(monkeypatch):  # type: ignore[no-untyped-def]
    """The extractor's answer on the test speech (textintel is measured on its own)."""
    monkeypatch.setattr(services, "extract_items", lambda text, conference: walk.speech_items(text))


def _line_post(document: SourceDocument, **changes) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {}
    for line in document.lines.all():
        p = f"line-{line.pk}"
        data.update(
            {
                f"{p}-decision": "confirm",
                f"{p}-action": line.action,
                f"{p}-lead_units": [u.pk for u in line.units.all()],
                f"{p}-due_on": line.due_on.isoformat() if line.due_on else "",
                f"{p}-target": line.target,
            }
        )
    data.update(changes)
    return data


def test_staff_paste_a_speech_see_the_highlighted_ledger_and_confirm_it(world, extraction):
    client = _client(world.city.staff)
    # given staff paste a speech
    response = client.post(
        reverse("tasks:source_new"),
        {
            "kind": "speech",
            "title": "全市重点工作推进会讲话",
            "date": "2026-03-02",
            "speaker": "市长",
            "text": walk.SPEECH,
        },
    )
    document = SourceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:source", args=[document.pk])
    # then the text shows with each evidence marked and the lines as forms
    page = client.get(reverse("tasks:source", args=[document.pk])).content.decode()
    assert 'id="evidence-1"' in page and 'id="evidence-3"' in page
    assert 'name="line-' in page
    # when they edit line 1, drop line 3 and confirm
    first, _second, third = document.lines.all()
    data = _line_post(
        document,
        **{
            f"line-{first.pk}-action": "编制重点项目年度投资计划（修改）",
            f"line-{third.pk}-decision": "drop",
        },
    )
    response = client.post(reverse("tasks:source", args=[document.pk]), data)
    assert response.status_code == 302
    # then two tasks exist, the edit kept and the dropped line dropped
    assert Task.objects.count() == 2
    assert Task.objects.filter(action="编制重点项目年度投资计划（修改）").exists()
    assert LedgerLine.objects.get(pk=third.pk).status == LedgerLine.Status.DROPPED
    ledger = client.get(reverse("tasks:ledger") + f"?document={document.pk}").content.decode()
    assert "编制重点项目年度投资计划（修改）" in ledger


def test_a_line_without_unit_is_shown_beside_its_form(world, extraction):
    client = _client(world.city.staff)
    client.post(reverse("tasks:source_new"), {"kind": "speech", "title": "讲话", "text": walk.SPEECH})
    document = SourceDocument.objects.get()
    first = document.lines.first()
    response = client.post(
        reverse("tasks:source", args=[document.pk]),
        _line_post(document, **{f"line-{first.pk}-lead_units": []}),
    )
    assert response.status_code == 400
    assert "请至少选择一个责任单位" in response.content.decode()
    assert not Task.objects.exists()


def test_a_scanned_pdf_upload_shows_the_message_beside_the_file(world):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    out.name = "扫描件.pdf"
    response = _client(world.city.staff).post(
        reverse("tasks:source_new"), {"kind": "speech", "title": "讲话", "file": out}
    )
    assert response.status_code == 400
    assert "扫描件" in response.content.decode()


def test_the_unit_reports_progress_and_staff_verify_and_close(world):
    task = walk.assigned(world.city)
    unit = _client(world.city.unit_user)
    inbox = unit.get(reverse("tasks:inbox")).content.decode()
    assert f"task-row-{task.pk}" in inbox
    response = unit.post(
        reverse("tasks:act", args=[task.pk, "report"]),
        {"version": task.version, "text": "计划已印发", "percent": 100, "done": "on"},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).state == TaskState.REPORTED_DONE
    staff = _client(world.city.staff)
    page = staff.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "计划已印发" in page and 'data-testid="form-close"' in page
    response = staff.post(
        reverse("tasks:act", args=[task.pk, "close"]), {"version": task.version + 1, "note": "已核实"}
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).state == TaskState.VERIFIED_CLOSED


def test_a_stale_form_is_refused_with_a_message(world):
    task = walk.assigned(world.city)
    response = _client(world.city.staff).post(
        reverse("tasks:act", args=[task.pk, "remind"]), {"version": task.version + 5}
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()


def test_county_staff_get_404_on_a_city_task_page(world):
    task = walk.assigned(world.city)
    client = _client(world.county.staff)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("tasks:act", args=[task.pk, "remind"]), {}).status_code == 404


def test_another_unit_cannot_open_or_report_on_a_task(world):
    task = walk.assigned(world.city)
    client = _client(world.city.unit2_user)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    assert f"task-row-{task.pk}" not in client.get(reverse("tasks:inbox")).content.decode()


def test_units_and_members_cannot_open_the_ledger(world):
    assert _client(world.city.unit_user).get(reverse("tasks:ledger")).status_code == 403
    assert _client(world.city.member).get(reverse("tasks:source_new")).status_code == 403
    assert _client(world.city.leader).get(reverse("tasks:source_new")).status_code == 403


def test_the_ledger_views_filter_and_the_leader_sees_overdue_by_unit(world):
    late = walk.assigned(world.city)
    Task.objects.filter(pk=late.pk).update(due_on=dt.date.today() - dt.timedelta(days=2))
    walk.assigned(world.city, coop=True)
    client = _client(world.city.leader)
    overdue = client.get(reverse("tasks:ledger") + "?overdue=on").content.decode()
    assert f"task-row-{late.pk}" in overdue and overdue.count("task-row-") == 1
    assert "示范市教育局" in client.get(reverse("tasks:by_unit")).content.decode()
    board = client.get(reverse("tasks:dashboard")).content.decode()
    assert "vendor/echarts/echarts.min.js" in board
    assert "示范市发展和改革局" in board.split('data-testid="overdue-by-unit"')[1]
    found = client.get(reverse("tasks:ledger") + "?q=投资&sort=-due").content.decode()
    assert found.count("task-row-") == 2


def test_the_ledger_page_uses_a_fixed_number_of_queries(world):
    client = _client(world.city.staff)
    walk.assigned(world.city)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tasks:ledger"))
    for _ in range(5):
        walk.assigned(world.city, coop=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tasks:ledger"))
    assert len(many) == len(few)


def test_the_ledger_exports_to_xlsx_in_the_usual_layout(world):
    task = walk.assigned(world.city, coop=True)
    services.report_progress(
        world.city.unit_user, task, services.ProgressInput(text="已完成项目梳理", percent=30)
    )
    response = _client(world.city.staff).get(reverse("tasks:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("序号", "工作任务", "责任单位", "配合单位", "完成时限", "目标", "进展情况", "状态")
    assert rows[2][:4] == (1, "完成重点项目年度投资计划", "示范市发展和改革局", "示范市教育局")
    assert rows[2][6] == "已完成项目梳理"
    assert rows[2][7] == "推进中"
