"""The proposal state table: (action) → from-states, who may do it, possible next states.

Read it as the rule book; services.py looks every transition up here before it writes anything.
Actor roles: `proposer` (the proposal's author), `cosigner` (an invited co-signer), `staff`
(proposal office of the proposal's conference), `unit` (a contact of a unit assigned to it),
`leader` (a leader of the conference).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import ProposalState as S

EDITABLE: set[str] = {S.DRAFT, S.RETURNED}
IN_HANDLING: set[str] = {S.ASSIGNED, S.REPLIED}
AFTER_ACCEPTANCE: set[str] = {S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED}

TRANSITIONS: dict[str, Transition] = {
    "edit": _t(str(_("修改")), EDITABLE, {"proposer"}, EDITABLE),
    "invite_cosigners": _t(str(_("邀请联名")), EDITABLE, {"proposer"}, EDITABLE, "notify invitees"),
    "submit": _t(
        str(_("提交")),
        EDITABLE,
        {"proposer"},
        {S.SUBMITTED, S.UNDER_REVIEW},
        "to under_review when no co-signer is pending; notify co-signers or staff",
    ),
    "respond_cosign": _t(
        str(_("联名确认")),
        {S.SUBMITTED},
        {"cosigner"},
        {S.SUBMITTED, S.UNDER_REVIEW},
        "to under_review when the last co-signer answers; notify proposer and staff",
    ),
    "accept": _t(
        str(_("立案")), {S.UNDER_REVIEW}, {"staff"}, {S.ACCEPTED}, "number per session; notify proposer"
    ),
    "reject": _t(
        str(_("不予立案")), {S.UNDER_REVIEW}, {"staff"}, {S.REJECTED}, "reason required; notify proposer"
    ),
    "return": _t(
        str(_("退回修改")), {S.UNDER_REVIEW}, {"staff"}, {S.RETURNED}, "reason required; notify proposer"
    ),
    "convert": _t(str(_("转社情民意")), {S.UNDER_REVIEW}, {"staff"}, {S.CONVERTED}, "notify proposer"),
    "merge": _t(
        str(_("并案")),
        {S.UNDER_REVIEW, S.ACCEPTED},
        {"staff"},
        {S.MERGED},
        "source follows target; notify source proposer",
    ),
    "assign": _t(
        str(_("交办")), {S.ACCEPTED}, {"staff"}, {S.ASSIGNED}, "due dates from the conference; notify units"
    ),
    "reassign": _t(
        str(_("调整承办单位")),
        {S.ASSIGNED},
        {"staff"},
        {S.ASSIGNED},
        "approves a unit's request; notify units",
    ),
    "request_reassignment": _t(
        str(_("申请调整承办单位")),
        {S.ASSIGNED},
        {"unit"},
        {S.ASSIGNED},
        "only within the window; notify staff",
    ),
    "request_extension": _t(str(_("申请延期")), {S.ASSIGNED}, {"unit"}, {S.ASSIGNED}, "notify staff"),
    "decide_extension": _t(str(_("审批延期")), {S.ASSIGNED}, {"staff"}, {S.ASSIGNED}, "notify unit"),
    "record_consultation": _t(str(_("记录办前面商")), {S.ASSIGNED}, {"unit"}, {S.ASSIGNED}),
    "submit_co_opinion": _t(str(_("提交会办意见")), {S.ASSIGNED}, {"unit"}, {S.ASSIGNED}, "notify lead unit"),
    "reply": _t(
        str(_("答复")),
        {S.ASSIGNED},
        {"unit"},
        {S.ASSIGNED, S.REPLIED},
        "to replied when every lead and separate unit answered; notify proposer",
    ),
    "evaluate": _t(
        str(_("评价")),
        {S.REPLIED},
        {"proposer"},
        {S.EVALUATED, S.REPLIED, S.ASSIGNED},
        "stays replied while other letters await a verdict; unsatisfied sends that unit into a new round "
        "(back to assigned); notify units and staff",
    ),
    "remind": _t(str(_("催办")), {S.ASSIGNED}, {"staff"}, {S.ASSIGNED}, "notify unit"),
    "mark_key": _t(
        str(_("设为重点提案")), AFTER_ACCEPTANCE - {S.CLOSED}, {"staff"}, AFTER_ACCEPTANCE - {S.CLOSED}
    ),
    "publish": _t(str(_("公开")), AFTER_ACCEPTANCE, {"staff"}, AFTER_ACCEPTANCE),
    "award": _t(
        str(_("评为优秀提案")),
        {S.REPLIED, S.EVALUATED, S.CLOSED},
        {"staff"},
        {S.REPLIED, S.EVALUATED, S.CLOSED},
        "the year's outstanding proposals; duty points for the authors (withdrawn when the award is)",
    ),
    "close": _t(str(_("办结")), {S.REPLIED, S.EVALUATED}, {"staff"}, {S.CLOSED}, "notify proposer"),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources


ROLE_LABELS = {
    "proposer": "提案人",
    "cosigner": "联名人",
    "staff": "提案委工作人员",
    "unit": "承办单位",
    "leader": "领导",
}


def as_markdown() -> str:
    """The state table as a Markdown table (docs/proposal-workflow.md is generated from it)."""
    from .models import ProposalState

    def states(values: frozenset[str]) -> str:
        return "、".join(str(ProposalState(v).label) for v in ProposalState.values if v in values)

    lines = [
        "# 提案办理流程（由 `src/xieshang/proposals/workflow.py` 生成）",
        "",
        "| 操作 | code | 起始状态 | 谁可以做 | 结果状态 | side effects |",
        "|---|---|---|---|---|---|",
    ]
    for action, row in TRANSITIONS.items():
        roles = "、".join(ROLE_LABELS[r] for r in sorted(row.roles))
        cells = [row.label, f"`{action}`", states(row.sources), roles, states(row.targets), row.side_effects]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"
