"""The public-message state table: (action) → from-states, who may do it, possible next states.

Actor roles: `staff` (office staff of the message's conference), `unit` (a contact of the unit the
message is currently forwarded to), `member` (the member a lead is for, or a member of its
committee), `leader` (reads the board, never writes). Overdue is not a state: it is a forwarding
still unanswered after its due date.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import MessageState as S

OPEN: set[str] = {S.RECEIVED, S.TRIAGED}

TRANSITIONS: dict[str, Transition] = {
    "triage": _t(str(_("分拣")), {S.RECEIVED, S.TRIAGED}, {"staff"}, {S.TRIAGED}, "category and place"),
    "merge": _t(str(_("合并重复留言")), OPEN, {"staff"}, {S.MERGED}, "follows its target's reply"),
    "answer": _t(
        str(_("直接答复")),
        OPEN | {S.FORWARDED},
        {"staff"},
        {S.ANSWERED},
        "public reply; withdraws a forwarding",
    ),
    "forward": _t(
        str(_("转办")), OPEN | {S.FORWARDED}, {"staff"}, {S.FORWARDED}, "to a unit with a due date; notify it"
    ),
    "unit_answer": _t(str(_("单位答复")), {S.FORWARDED}, {"unit"}, {S.ANSWERED}, "notify staff"),
    "publish": _t(
        str(_("公开或撤回答复")), {S.ANSWERED}, {"staff"}, {S.ANSWERED}, "the answers list shows it or not"
    ),
    "mark_lead": _t(
        str(_("标记为提案线索")), OPEN, {"staff"}, {S.LEAD}, "for a committee or member; notify them"
    ),
    "adopt": _t(str(_("转化为提案")), {S.LEAD}, {"member"}, {S.LEAD}, "a proposal draft linked both ways"),
    "convert": _t(str(_("转为社情民意信息")), {S.LEAD}, {"member"}, {S.CONVERTED}, "an opinion report draft"),
    "close": _t(str(_("办结")), OPEN | {S.FORWARDED, S.ANSWERED, S.LEAD}, {"staff"}, {S.CLOSED}, "reason"),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources
