"""The article state table: (action) → from-states, who may do it, possible next states.

Actor roles: `staff` (office staff of the article's conference: write, submit, take down),
`reviewer` (a staff member or a leader of the conference who is not the article's author: approves or
returns it — nobody publishes their own article), `leader` (a leader of the conference).
A published article is visible on the portal from its `publish_at` on; taking it down is immediate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.statemachine import Transition
from xieshang.core.statemachine import transition as _t

from .models import ArticleState as S

DELETED = "deleted"


TRANSITIONS: dict[str, Transition] = {
    "edit": _t(
        str(_("修改")),
        {S.DRAFT, S.REVIEW},
        {"staff"},
        {S.DRAFT, S.REVIEW},
        "a revision keeps before and after",
    ),
    "set_cover": _t(
        str(_("上传题图")), {S.DRAFT, S.REVIEW}, {"staff"}, {S.DRAFT, S.REVIEW}, "resized, metadata stripped"
    ),
    "submit": _t(str(_("提交审核")), {S.DRAFT}, {"staff"}, {S.REVIEW}, "notify reviewers"),
    "return": _t(str(_("退回修改")), {S.REVIEW}, {"reviewer"}, {S.DRAFT}, "notify author"),
    "publish": _t(
        str(_("审核发布")),
        {S.REVIEW},
        {"reviewer"},
        {S.PUBLISHED},
        "visible from publish_at (now when not given); notify author",
    ),
    "archive": _t(
        str(_("撤下")), {S.PUBLISHED}, {"staff", "leader"}, {S.ARCHIVED}, "gone from the portal at once"
    ),
    "reopen": _t(str(_("重新编辑")), {S.ARCHIVED}, {"staff"}, {S.DRAFT}),
    "delete": _t(
        str(_("删除")), {S.DRAFT, S.ARCHIVED}, {"staff"}, {DELETED}, "refused while an issue prints it"
    ),
}


def transition(action: str) -> Transition:
    """The row for `action`; KeyError on an unknown action is a programming error."""
    return TRANSITIONS[action]


def allowed_from(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in TRANSITIONS[action].sources
