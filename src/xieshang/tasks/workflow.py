"""The deployed-task state table: (action) → from-states, who may do it, possible next states.

Actor roles: `staff` (office staff of the task's conference), `unit` (a contact of one of the task's
units), `leader` (reads the ledger and the dashboard, never writes). Overdue is not a state: it is a
task still open after its deadline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import TaskState as S

OPEN: set[str] = {S.ASSIGNED, S.IN_PROGRESS}

TRANSITIONS: dict[str, Transition] = {
    "report": _t(
        str(_("报送进展")),
        OPEN,
        {"unit"},
        {S.IN_PROGRESS, S.REPORTED_DONE},
        "a progress report; reporting done moves to reported_done; notify staff",
    ),
    "remind": _t(str(_("催办")), OPEN, {"staff"}, set(OPEN), "notify the units' contacts"),
    "extend": _t(
        str(_("延期")), OPEN | {S.REPORTED_DONE}, {"staff"}, OPEN | {S.REPORTED_DONE}, "new deadline"
    ),
    "close": _t(str(_("核实销号")), {S.REPORTED_DONE}, {"staff"}, {S.VERIFIED_CLOSED}, "notify the units"),
    "send_back": _t(
        str(_("退回继续办理")), {S.REPORTED_DONE}, {"staff"}, {S.IN_PROGRESS}, "reason; notify the units"
    ),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources
