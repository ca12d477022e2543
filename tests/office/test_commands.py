"""The demo seed and the reminder, worker and import commands."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from xieshang.conferences.models import Conference
from xieshang.people.models import Role, User
from xieshang.proposals.models import Assignment, Proposal, ProposalState, Reminder
from xieshang.web.management.commands.seed_demo import DEMO_LOGINS, login_lines

LOGIN_LINE = re.compile(r"^(?P<role>[a-z ]+): (?P<username>\S+) / (?P<password>\S+)$")


def _seed(n: int = 30) -> str:
    out = io.StringIO()
    call_command("seed_demo", proposals=n, verbosity=0, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seed_demo_reaches_every_state_and_prints_working_logins(db):
    output = _seed()

    assert set(Proposal.objects.values_list("state", flat=True)) == set(ProposalState.values)
    assert Proposal.objects.count() == 30
    city = Conference.objects.get(code="jiangzhou")
    assert sorted(city.children.values_list("name", flat=True)) == ["临江县政协", "青山县政协"]
    assert Proposal.objects.filter(session__year=2025).exists()
    assert Proposal.objects.filter(is_key=True, key_leader__isnull=False).exists()
    assert Assignment.objects.filter(round=2).exists()
    assert Proposal.objects.filter(state=ProposalState.MERGED, merged_into__isnull=False).exists()
    logins = [m.groupdict() for line in output.splitlines() if (m := LOGIN_LINE.match(line))]
    assert {login["role"] for login in logins} >= {
        "member",
        "staff",
        "unit",
        "leader",
        "admin",
        "county member",
        "county staff",
    }
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert user.check_password(login["password"])
    by_name = {login["role"]: login["username"] for login in logins}
    assert Role.objects.filter(user__username=by_name["unit"], conference=city, kind="unit").exists()
    assert Role.objects.filter(
        user__username=by_name["county staff"], conference__parent=city, kind="staff"
    ).exists()
    admin = User.objects.get(username=by_name["admin"])
    assert admin.is_superuser and admin.is_staff


def test_seed_demo_does_nothing_the_second_time(db):
    _seed(16)
    count = Proposal.objects.count()

    output = _seed(16)

    assert "演示数据已存在" in output
    assert Proposal.objects.count() == count


def test_demo_login_lines_have_the_documented_shape():
    assert len(login_lines()) == len(DEMO_LOGINS)
    assert all(LOGIN_LINE.match(line) for line in login_lines())


def test_remind_command_counts_and_is_idempotent_within_a_day(db):
    _seed(16)
    out = io.StringIO()

    call_command("remind", stdout=out)
    call_command("remind", stdout=out)

    first, first_tasks, _first_messages, second, second_tasks, second_messages = out.getvalue().splitlines()
    overdue = Reminder.objects.filter(kind="overdue").count()
    assert overdue >= 1
    assert first.endswith(f"逾期催办 {overdue} 件。")
    assert first_tasks.startswith("督办事项：临期提醒 ")
    assert second == "提案：临期提醒 0 件；逾期催办 0 件。"
    assert second_tasks == "督办事项：临期提醒 0 件；逾期催办 0 件。"
    assert second_messages == "群众建言转办：逾期催办 0 件。"


@pytest.mark.django_db(transaction=True)
def test_worker_schedules_the_reminder_job_and_runs_it():
    # The worker closes and reopens database connections, so it needs real commits.
    _seed(16)

    call_command("worker", batch=True, verbosity=0)

    assert Reminder.objects.filter(kind="overdue").exists()
