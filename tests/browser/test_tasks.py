"""Deployed tasks walked through the pages in headless Chromium: staff paste a speech, see the proposed
ledger with its evidence highlighted, drop one line and confirm; the unit reports the task done with
evidence; staff verify and close it (销号)."""

from __future__ import annotations

from typing import Any

from xieshang.tasks.models import Task, TaskState

from ..factories import PASSWORD
from .conftest import shot

SPEECH = (
    "同志们，今年要重点抓好三件事。"
    "一是市发展和改革局牵头，6月底前完成重点项目年度投资计划，全年完成投资120亿元。"
    "二是市教育局要在9月1日前建成5所公办幼儿园。"
    "三是各县（市、区）要在年底前完成农村公路改造。"
)


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_from_a_speech_to_a_closed_task(pages, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = pages.base_url
    city = world.city
    for unit, name in [(city.unit, "示范市发展和改革局"), (city.unit2, "示范市教育局")]:
        unit.name = name
        unit.save(update_fields=["name"])

    # --- staff paste the speech and read the proposed ledger
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/tasks/")
    click_and_wait(staff, "[data-testid=menu-tasks]")
    click_and_wait(staff, "[data-testid=new-source]")
    staff.fill("[name=title]", "全市重点工作推进会讲话")
    staff.fill("[name=speaker]", "市长")
    staff.fill("[name=date]", "2026-03-02")
    staff.fill("[name=text]", SPEECH)
    click_and_wait(staff, "[data-testid=source-submit]")
    assert "建成5所公办幼儿园" in staff.inner_text("[data-testid=evidence-2]")
    lines = staff.inner_text("[data-testid=ledger-form]")
    assert "完成重点项目年度投资计划" in lines and "建成5所公办幼儿园" in lines
    shot(staff, "tasks-proposed-ledger")

    # --- they drop the line whose units the registry does not have, and confirm the others
    staff.check("[data-testid=line-3] input[value=drop]")
    click_and_wait(staff, "[data-testid=confirm-ledger]")
    assert "完成重点项目年度投资计划" in staff.inner_text("[data-testid=ledger]")
    assert Task.objects.count() == 2
    task = Task.objects.get(units=city.unit)

    # --- the unit reports the task done, with evidence
    unit = pages.as_user(city.unit_user.username, PASSWORD)
    unit.goto(f"{base}/tasks/inbox/")
    click_and_wait(unit, f"[data-testid=task-row-{task.pk}] a")
    unit.fill("[data-testid=form-report] [name=text]", "年度投资计划已经市政府常务会议审议通过并印发。")
    unit.check("[data-testid=form-report] [name=done]")
    evidence = tmp_path / "印发通知.txt"
    evidence.write_text("关于印发2026年重点项目年度投资计划的通知", encoding="utf-8")
    unit.set_input_files("[data-testid=form-report] [name=attachment]", str(evidence))
    click_and_wait(unit, "[data-testid=submit-report]")
    assert Task.objects.get(pk=task.pk).state == TaskState.REPORTED_DONE
    shot(unit, "tasks-unit-reported")

    # --- staff verify and close
    staff.goto(f"{base}/tasks/{task.pk}/")
    assert "印发通知.txt" in staff.inner_text("[data-testid=progress-reports]")
    staff.fill("[data-testid=form-close] [name=note]", "经核实，计划已印发。")
    click_and_wait(staff, "[data-testid=submit-close]")
    assert Task.objects.get(pk=task.pk).state == TaskState.VERIFIED_CLOSED
    assert "已销号" in staff.inner_text("[data-testid=task-detail]")
