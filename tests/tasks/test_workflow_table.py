"""Every row of the task state table, for every state and every role: allowed exactly where the table says."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.core.errors import AppError, ErrorCode
from xieshang.tasks import services, workflow
from xieshang.tasks.models import Task, TaskState
from xieshang.tasks.services import ProgressInput

from . import walk

ROLES = ["staff", "unit_user", "unit2_user", "leader", "member"]
ROLE_OF = {"staff": "staff", "unit_user": "unit", "unit2_user": None, "leader": "leader", "member": None}


def run(action, user, task):
    later = (task.due_on or dt.date.today()) + dt.timedelta(days=30)
    if action == "report":
        return services.report_progress(user, task, ProgressInput(text="进展", percent=50))
    if action == "remind":
        return services.remind_task(user, task, note="请加快")
    if action == "extend":
        return services.extend_task(user, task, due_on=later, reason="客观原因")
    if action == "close":
        return services.close_task(user, task)
    if action == "send_back":
        return services.send_back_task(user, task, reason="材料不全")
    raise AssertionError(action)


@pytest.mark.parametrize("state", list(TaskState.values))
def test_every_action_obeys_the_table(world, subtests, state):
    for action, row in workflow.TRANSITIONS.items():
        for who in ROLES:
            with subtests.test(action=action, who=who):
                # given a task in `state` (the lead unit is world.city.unit)
                task = walk.build(world.city, state)
                user = getattr(world.city, who)
                allowed = ROLE_OF[who] in row.roles and state in row.sources
                # when the user tries the action
                if allowed:
                    run(action, user, task)
                    # then it moves to one of the table's targets
                    assert Task.objects.get(pk=task.pk).state in row.targets
                else:
                    with pytest.raises(AppError) as caught:
                        run(action, user, task)
                    expected = (
                        ErrorCode.PERMISSION_DENIED
                        if ROLE_OF[who] not in row.roles
                        else ErrorCode.INVALID_STATE
                    )
                    assert caught.value.code == expected
