"""The research-topic state table: (action) → from-states, who may do it, possible next states.

Actor roles: `staff` (office staff of the topic's conference: register, plan, draft, submit, transmit,
follow up, close), `leader` (a leader of the conference: selects topics for the year's plan or declines
them, and gives instructions on the report; otherwise reads).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import TopicState as S

PLANNING = {S.PROPOSED, S.SELECTED, S.RESEARCHING, S.DRAFTED}
WORKING = {S.SELECTED, S.RESEARCHING, S.DRAFTED}
REPORTED = {S.SUBMITTED, S.TRANSMITTED}

TRANSITIONS: dict[str, Transition] = {
    "edit": _t(str(_("修改")), PLANNING, {"staff"}, PLANNING),
    "select": _t(
        str(_("列入年度计划")), {S.PROPOSED}, {"staff", "leader"}, {S.SELECTED}, "notify the group lead"
    ),
    "decline": _t(str(_("不予立项")), {S.PROPOSED}, {"staff", "leader"}, {S.DECLINED}, "reason required"),
    "plan": _t(
        str(_("调整课题组、合作单位和进度")),
        WORKING,
        {"staff"},
        WORKING,
        "group members, experts from the talent pool, partners, milestones linked to activities",
    ),
    "start": _t(str(_("启动调研")), {S.SELECTED}, {"staff"}, {S.RESEARCHING}, "needs a group lead"),
    "add_draft": _t(
        str(_("上传报告稿")),
        {S.RESEARCHING, S.DRAFTED},
        {"staff"},
        {S.DRAFTED},
        "a new numbered version: text and/or a checked upload",
    ),
    "submit_report": _t(
        str(_("提交成果报告")),
        {S.DRAFTED},
        {"staff"},
        {S.SUBMITTED},
        "the latest draft becomes the report; duty points research_report for the group (once)",
    ),
    "withdraw_report": _t(
        str(_("撤回成果报告")),
        {S.SUBMITTED},
        {"staff"},
        {S.DRAFTED},
        "reason required; the group's research_report points are retracted",
    ),
    "transmit": _t(
        str(_("报送党委政府")),
        REPORTED,
        {"staff"},
        {S.TRANSMITTED},
        "recipient and date recorded; may be repeated for each recipient",
    ),
    "record_instruction": _t(
        str(_("登记领导批示")), {S.TRANSMITTED}, {"staff", "leader"}, {S.TRANSMITTED}, "notify staff"
    ),
    "create_task": _t(
        str(_("转督办事项")),
        REPORTED,
        {"staff"},
        REPORTED,
        "a task for handling units through the tasks app, from the report or an instruction",
    ),
    "close": _t(str(_("结题")), {S.TRANSMITTED}, {"staff"}, {S.CLOSED}),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources
