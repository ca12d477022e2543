"""The permission matrix: every role × every action endpoint × own or other conference.

Exactly the allowed (role, conference) pairs succeed; every other call is refused with a JSON error,
and a refused call writes nothing. County users act on a city proposal for the other-conference half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import HandlingUnitFactory
from tests.proposals import walk
from xieshang.audit.models import AuditEvent
from xieshang.core.dates import today
from xieshang.proposals import services
from xieshang.proposals.models import Attachment, Proposal, Reply
from xieshang.proposals.services import UnitPlan

from .conftest import refused

ROLES = ["member", "member2", "staff", "leader", "admin", "unit_user", "unit2_user"]
# (role, side): "own" is the city conference of the proposal, "other" the county conference.
COMBOS = [(role, side) for side in ("own", "other") for role in ROLES] + [("outsider", "none")]


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] | None = None


@dataclass
class Action:
    """An endpoint, how to reach the state it acts on, and who may call it."""

    setup: Callable[[Any], dict[str, Any]]
    call: Callable[[Any, dict[str, Any]], Call]
    allowed: set[str]
    status: int = 200


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("说明材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")


# ---------------------------------------------------------------------------- states to act on


def drafted(w: Any) -> dict[str, Any]:
    return {"p": walk.draft(w.city)}


def with_attachment(w: Any) -> dict[str, Any]:
    p = walk.draft(w.city)
    return {"p": p, "attachment": services.add_attachment(w.city.member, p, pdf())}


def submitted(w: Any) -> dict[str, Any]:
    p = walk.draft(w.city)
    services.invite_cosigners(w.city.member, p, [w.city.member2.pk], version=None)
    return {"p": services.submit_proposal(w.city.member, p)}


def under_review(w: Any) -> dict[str, Any]:
    return {"p": walk.under_review(w.city)}


def two_under_review(w: Any) -> dict[str, Any]:
    return {
        "p": walk.under_review(w.city),
        "source": walk.under_review(w.city, title="关于老旧小区改造的建议"),
    }


def accepted(w: Any) -> dict[str, Any]:
    return {"p": walk.accepted(w.city)}


def assigned(w: Any) -> dict[str, Any]:
    # Only the lead unit is assigned here: unit2's contact plays the unassigned unit.
    p = walk.assigned(w.city, co=False)
    return {"p": p, "a": walk.lead_assignment(p)}


def assigned_as_co(w: Any) -> dict[str, Any]:
    # unit_user's unit is the co-handling unit; the lead is a third unit without a contact here.
    p = walk.accepted(w.city)
    third = HandlingUnitFactory(name="示范市住房和城乡建设局", conferences=[w.city.conference])
    services.assign_proposal(w.city.staff, p, [UnitPlan(third.pk, "lead"), UnitPlan(w.city.unit.pk, "co")])
    return {"p": p, "a": p.assignments.get(unit=w.city.unit)}


def consulted(w: Any) -> dict[str, Any]:
    ctx = assigned(w)
    services.record_consultation(
        w.city.unit_user, ctx["a"], held_on=today(), form="phone", agreed="电话沟通，达成一致。"
    )
    return ctx


def reassignment_pending(w: Any) -> dict[str, Any]:
    ctx = assigned(w)
    ctx["r"] = services.request_reassignment(w.city.unit_user, ctx["a"], reason="不属于我局职责。")
    return ctx


def extension_pending(w: Any) -> dict[str, Any]:
    ctx = assigned(w)
    due = ctx["a"].due_on + dt.timedelta(days=30)
    ctx["r"] = services.request_extension(
        w.city.unit_user, ctx["a"], requested_due_on=due, reason="需实地调研。"
    )
    return ctx


def replied(w: Any) -> dict[str, Any]:
    p = walk.assigned(w.city, co=False)
    return {"p": p, "reply": walk.reply_as_lead(w.city, p)}


def evaluated(w: Any) -> dict[str, Any]:
    return {"p": walk.evaluated(w.city, co=False)}


PROPOSAL_TEXT = {"title": "关于优化营商环境的建议", "analysis": "现状分析。", "recommendations": "具体建议。"}

ACTIONS: dict[str, Action] = {
    "create": Action(
        lambda w: {},
        lambda w, c: Call("POST", "/proposals", {"conference_id": w.city.conference.pk, **PROPOSAL_TEXT}),
        {"member", "member2"},
        201,
    ),
    "edit": Action(
        drafted,
        lambda w, c: Call(
            "PATCH", f"/proposals/{c['p'].pk}", {"title": "新的案由", "version": c["p"].version}
        ),
        {"member"},
    ),
    "attach": Action(
        drafted,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/attachments", files={"file": pdf()}),
        {"member"},
        201,
    ),
    "detach": Action(
        with_attachment,
        lambda w, c: Call("DELETE", f"/proposals/{c['p'].pk}/attachments/{c['attachment'].pk}"),
        {"member"},
    ),
    "invite_cosigners": Action(
        drafted,
        lambda w, c: Call(
            "POST", f"/proposals/{c['p'].pk}/cosigners", {"user_ids": [w.city.member2.pk], "version": 1}
        ),
        {"member"},
    ),
    "submit": Action(drafted, lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/submit"), {"member"}),
    "cosign": Action(
        submitted, lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/cosign", {"accept": True}), {"member2"}
    ),
    "accept": Action(under_review, lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/accept"), {"staff"}),
    "reject": Action(
        under_review,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/reject", {"note": "不属于提案范围。"}),
        {"staff"},
    ),
    "return": Action(
        under_review,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/return", {"note": "请补充数据。"}),
        {"staff"},
    ),
    "convert": Action(
        under_review,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/convert", {"note": "转社情民意。"}),
        {"staff"},
    ),
    "merge": Action(
        two_under_review,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/merge", {"source_ids": [c["source"].pk]}),
        {"staff"},
    ),
    "assign": Action(
        accepted,
        lambda w, c: Call(
            "POST",
            f"/proposals/{c['p'].pk}/assign",
            {"units": [{"unit_id": w.city.unit.pk, "role": "lead"}], "version": c["p"].version},
        ),
        {"staff"},
    ),
    "request_reassignment": Action(
        assigned,
        lambda w, c: Call(
            "POST", f"/assignments/{c['a'].pk}/reassignment-requests", {"reason": "职责不符。"}
        ),
        {"unit_user"},
        201,
    ),
    "decide_reassignment": Action(
        reassignment_pending,
        lambda w, c: Call(
            "POST",
            f"/reassignment-requests/{c['r'].pk}/decision",
            {"approve": True, "new_unit_id": w.city.unit2.pk},
        ),
        {"staff"},
    ),
    "request_extension": Action(
        assigned,
        lambda w, c: Call(
            "POST",
            f"/assignments/{c['a'].pk}/extension-requests",
            {"requested_due_on": (c["a"].due_on + dt.timedelta(days=20)).isoformat(), "reason": "需调研。"},
        ),
        {"unit_user"},
        201,
    ),
    "decide_extension": Action(
        extension_pending,
        lambda w, c: Call("POST", f"/extension-requests/{c['r'].pk}/decision", {"approve": True}),
        {"staff"},
    ),
    "consultation": Action(
        assigned,
        lambda w, c: Call(
            "POST",
            f"/assignments/{c['a'].pk}/consultations",
            {"held_on": today().isoformat(), "form": "meeting", "agreed": "达成一致。"},
        ),
        {"unit_user"},
        201,
    ),
    "co_opinion": Action(
        assigned_as_co,
        lambda w, c: Call("POST", f"/assignments/{c['a'].pk}/co-opinion", {"body": "同意。"}),
        {"unit_user"},
        201,
    ),
    "reply": Action(
        consulted,
        lambda w, c: Call(
            "POST",
            f"/assignments/{c['a'].pk}/reply",
            {"body": "已办理。", "outcome": "A", "signed_by": "李局长"},
        ),
        {"unit_user"},
        201,
    ),
    "evaluate": Action(
        replied,
        lambda w, c: Call("POST", f"/replies/{c['reply'].pk}/evaluation", {"verdict": "satisfied"}),
        {"member"},
        201,
    ),
    "key": Action(
        accepted,
        lambda w, c: Call(
            "POST", f"/proposals/{c['p'].pk}/key", {"is_key": True, "leader_id": w.city.leader.pk}
        ),
        {"staff"},
    ),
    "publish": Action(
        accepted, lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/publish", {"published": True}), {"staff"}
    ),
    "remind": Action(
        assigned,
        lambda w, c: Call("POST", f"/assignments/{c['a'].pk}/remind", {"note": "请抓紧办理。"}),
        {"staff"},
        201,
    ),
    "award": Action(
        evaluated,
        lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/award", {"award": "优秀提案"}),
        {"staff"},
    ),
    "close": Action(evaluated, lambda w, c: Call("POST", f"/proposals/{c['p'].pk}/close"), {"staff"}),
}


def user_for(w: Any, role: str, side: str) -> Any:
    if role == "outsider":
        return w.outsider
    return getattr(w.city if side == "own" else w.county, role)


def snapshot() -> tuple[Any, ...]:
    """What a refused call must leave untouched."""
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "state", "version", "is_key", "is_published")),
        AuditEvent.objects.count(),
        Attachment.objects.count(),
        Reply.objects.count(),
    )


def send(api: Any, user: Any, call: Call) -> Any:
    files = {k: v for k, v in (call.files or {}).items()} if call.files else None
    return api.call(call.method, call.path, user, call.body, files=files)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_only_the_allowed_roles_of_the_proposals_own_conference_may_act(name, world, api, subtests):
    action = ACTIONS[name]
    ctx = action.setup(world)
    allowed = [(role, "own") for role in sorted(action.allowed)]
    denied = [combo for combo in COMBOS if combo not in allowed]

    for role, side in denied:
        with subtests.test(role=role, side=side):
            before = snapshot()
            response = send(api, user_for(world, role, side), action.call(world, ctx))
            # Another conference's proposal does not exist for the caller; in its own, a refusal.
            expected = (404,) if side != "own" and name != "create" else (403, 404)
            body = refused(response, *expected)
            assert body["code"] in {"not_found", "permission_denied"}
            assert snapshot() == before, "a refused call must write nothing"

    for role, side in allowed:
        with subtests.test(role=role, side=side, allowed=True):
            before = snapshot()
            if ctx.get("p"):
                ctx["p"] = Proposal.objects.get(pk=ctx["p"].pk)
            response = send(api, user_for(world, role, side), action.call(world, ctx))
            assert response.status_code == action.status, response.content[:1000]
            assert snapshot() != before
