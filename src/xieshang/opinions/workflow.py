"""The public-opinion report state table: (action) → from-states, who may do it, possible next states.

Read it as the rule book; services.py looks every transition up here before it writes anything.
Actor roles: `submitter` (who wrote the report), `staff` (office staff of the report's conference),
`leader` (a leader of the conference: reads adopted reports and instructions, never writes).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import OpinionState as S

TRANSITIONS: dict[str, Transition] = {
    "edit": _t(str(_("修改")), {S.DRAFT}, {"submitter"}, {S.DRAFT}),
    "submit": _t(str(_("报送")), {S.DRAFT}, {"submitter"}, {S.SUBMITTED}, "notify staff"),
    "claim": _t(str(_("开始编辑")), {S.SUBMITTED}, {"staff"}, {S.EDITING}, "the actor becomes the editor"),
    "revise": _t(
        str(_("编辑修改")), {S.EDITING}, {"staff"}, {S.EDITING}, "a revision keeps before and after"
    ),
    "adopt": _t(
        str(_("采用")),
        {S.EDITING},
        {"staff"},
        {S.ADOPTED},
        "placed in a draft journal issue (a new one is numbered per conference-year); duty points; "
        "notify submitter",
    ),
    "decline": _t(
        str(_("不予采用")),
        {S.SUBMITTED, S.EDITING},
        {"staff"},
        {S.NOT_ADOPTED},
        "reason required; notify submitter",
    ),
    "forward": _t(str(_("报送")), {S.ADOPTED}, {"staff"}, {S.ADOPTED}, "recipient recorded"),
    "record_instruction": _t(
        str(_("登记领导批示")),
        {S.ADOPTED},
        {"staff"},
        {S.ADOPTED},
        "duty points by level; notify submitter",
    ),
    "record_feedback": _t(str(_("登记落实反馈")), {S.ADOPTED}, {"staff"}, {S.ADOPTED}, "notify submitter"),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources
