"""What the detail shows to whom, and the side flows: merge, reassignment, extension, key, publish."""

from __future__ import annotations

import datetime as dt

from tests.proposals import walk
from xieshang.core.dates import today
from xieshang.proposals import services

from .conftest import ok


def cosigned_and_assigned(side):
    p = walk.draft(side)
    services.invite_cosigners(side.member, p, [side.member2.pk], version=None)
    services.submit_proposal(side.member, p)
    services.respond_to_cosign(side.member2, p, accept=True)
    services.accept_proposal(side.staff, p)
    plan = [services.UnitPlan(side.unit.pk, "lead"), services.UnitPlan(side.unit2.pk, "co")]
    services.assign_proposal(side.staff, p, plan)
    return p


def test_co_handling_opinions_and_requests_are_shown_to_the_office_and_units_only(world, api):
    side = world.city
    p = cosigned_and_assigned(side)
    co = p.assignments.get(role="co")
    services.submit_co_opinion(side.unit2_user, co, body="建议同步改造无障碍设施。")
    services.request_extension(
        side.unit_user,
        p.assignments.get(role="lead"),
        requested_due_on=today() + dt.timedelta(days=120),
        reason="需调研。",
    )
    for role in ("staff", "leader", "unit_user", "unit2_user"):
        detail = ok(api.get(f"/proposals/{p.pk}", getattr(side, role)))
        assert [r["kind"] for r in detail["replies"]] == ["co_opinion"], role
        lead = next(a for a in detail["assignments"] if a["role"] == "lead")
        assert [r["kind"] for r in lead["requests"]] == ["extension"], role
    for role in ("member", "member2"):
        detail = ok(api.get(f"/proposals/{p.pk}", getattr(side, role)))
        assert detail["replies"] == [], role
        assert all(a["requests"] == [] for a in detail["assignments"]), role
        assert {(a["role"], a["round"]) for a in detail["assignments"]} == {("lead", 1), ("co", 1)}
        assert detail["cosigners"][0]["state"] == "confirmed"


def test_staff_see_the_review_buttons_and_the_member_sees_none(world, api):
    p = walk.under_review(world.city)
    staff_actions = ok(api.get(f"/proposals/{p.pk}", world.city.staff))["available_actions"]
    assert {"accept", "reject", "return", "convert", "merge"} <= set(staff_actions)
    assert ok(api.get(f"/proposals/{p.pk}", world.city.member))["available_actions"] == []
    assert ok(api.get(f"/proposals/{p.pk}", world.city.leader))["available_actions"] == []


def test_a_partial_edit_keeps_the_other_fields(world, api):
    p = walk.draft(world.city)
    category = world.city.conference.category_set.first()
    detail = ok(
        api.patch(f"/proposals/{p.pk}", world.city.member, {"version": p.version, "category_id": category.pk})
    )
    assert detail["category"] == category.name
    assert (detail["title"], detail["analysis"]) == (p.title, p.analysis)
    detail = ok(
        api.patch(
            f"/proposals/{p.pk}", world.city.member, {"version": detail["version"], "category_id": None}
        )
    )
    assert detail["category"] is None


def test_a_returned_proposal_is_revised_and_resubmitted(world, api):
    p = walk.under_review(world.city)
    step = ok(api.post(f"/proposals/{p.pk}/return", world.city.staff, {"note": "请补充数据。"}))
    assert step["state"] == "returned"
    detail = ok(api.get(f"/proposals/{p.pk}", world.city.member))
    assert detail["review_note"] == "请补充数据。" and "edit" in detail["available_actions"]
    detail = ok(
        api.patch(
            f"/proposals/{p.pk}",
            world.city.member,
            {"version": detail["version"], "analysis": "补充了数据。"},
        )
    )
    assert ok(api.post(f"/proposals/{p.pk}/submit", world.city.member, {}))["state"] == "under_review"


def test_merged_proposals_follow_the_target(world, api):
    side = world.city
    target = walk.under_review(side)
    source = walk.under_review(side, title="关于老旧小区改造的建议")
    step = ok(api.post(f"/proposals/{target.pk}/merge", side.staff, {"source_ids": [source.pk, source.pk]}))
    assert step["id"] == target.pk
    assert ok(api.get(f"/proposals/{source.pk}", side.staff))["merged_into_id"] == target.pk
    assert ok(api.get(f"/proposals/{source.pk}", side.staff))["state"] == "merged"


def test_a_unit_asks_for_reassignment_and_staff_pass_the_proposal_on(world, api):
    side = world.city
    p = walk.assigned(side, co=False)
    lead = walk.lead_assignment(p)
    asked = ok(
        api.post(
            f"/assignments/{lead.pk}/reassignment-requests", side.unit_user, {"reason": "不属于我局职责。"}
        ),
        201,
    )
    request_id = asked["created_id"]
    shown = ok(api.get(f"/proposals/{p.pk}", side.staff))["assignments"][0]["requests"]
    assert [(r["id"], r["kind"], r["state"]) for r in shown] == [(request_id, "reassignment", "pending")]
    assert ok(api.get("/worklists", side.staff, conference_id=side.conference.pk))["counts"]["requests"] == 1
    ok(
        api.post(
            f"/reassignment-requests/{request_id}/decision",
            side.staff,
            {"approve": True, "new_unit_id": side.unit2.pk},
        )
    )
    inbox = ok(api.get("/units/inbox", side.unit2_user, conference_id=side.conference.pk))["items"]
    assert [(i["proposal_id"], i["role"], i["state"]) for i in inbox] == [(p.pk, "lead", "active")]
    assert ok(api.get("/units/inbox", side.unit_user, conference_id=side.conference.pk))["items"] == []


def test_an_extension_moves_the_due_date(world, api):
    side = world.city
    p = walk.assigned(side, co=False)
    lead = walk.lead_assignment(p)
    later = lead.due_on + dt.timedelta(days=30)
    asked = ok(
        api.post(
            f"/assignments/{lead.pk}/extension-requests",
            side.unit_user,
            {"requested_due_on": later.isoformat(), "reason": "需实地调研。"},
        ),
        201,
    )
    ok(api.post(f"/extension-requests/{asked['created_id']}/decision", side.staff, {"approve": True}))
    assignment = ok(api.get(f"/proposals/{p.pk}", side.unit_user))["assignments"][0]
    assert assignment["due_on"] == later.isoformat()


def test_staff_mark_a_key_proposal_publish_it_and_remind_the_unit(
    world, api, django_capture_on_commit_callbacks
):
    side = world.city
    p = walk.assigned(side, co=False)
    with django_capture_on_commit_callbacks(execute=True):
        ok(api.post(f"/proposals/{p.pk}/key", side.staff, {"is_key": True, "leader_id": side.leader.pk}))
        ok(api.post(f"/proposals/{p.pk}/publish", side.staff, {"published": True}))
        ok(
            api.post(f"/assignments/{walk.lead_assignment(p).pk}/remind", side.staff, {"note": "请抓紧。"}),
            201,
        )
    assert [i["id"] for i in ok(api.get("/proposals", side.leader, key="true"))["items"]] == [p.pk]
    assert [i["id"] for i in ok(api.get("/public/proposals"))["items"]] == [p.pk]
    assert "催办" in ok(api.get("/notifications", side.unit_user))["items"][0]["title"]
    assert "督办" in ok(api.get("/notifications", side.leader))["items"][0]["title"]


def test_the_directory_gives_the_ids_a_client_needs(world, api):
    side = world.city
    directory = ok(api.get(f"/conferences/{side.conference.pk}/directory", side.member))
    assert {c["name"] for c in directory["categories"]} == {"经济建设", "社会事业"}
    assert {u["id"] for u in directory["units"]} == {side.unit.pk, side.unit2.pk}
    assert [m["id"] for m in directory["members"]] == [side.member.pk, side.member2.pk]
    assert [m["id"] for m in directory["leaders"]] == [side.leader.pk]
    assert api.get(f"/conferences/{side.conference.pk}/directory", world.county.member).status_code == 403
