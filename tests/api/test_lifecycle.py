"""The whole proposal lifecycle, driven through the REST API only."""

from __future__ import annotations

import datetime as dt

from tests.factories import PASSWORD

from .conftest import ok


def test_a_proposal_walks_from_draft_to_closed_through_the_api(
    world, api, django_capture_on_commit_callbacks
):
    city = world.city
    conf = city.conference.pk

    # given a member who signs in with a password and gets a token
    token = ok(api.post("/auth/token", body={"username": city.member.username, "password": PASSWORD}))
    assert token["token"]
    me = ok(api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"}))
    assert me["roles"][0]["roles"] == ["member"]

    with django_capture_on_commit_callbacks(execute=True):
        # when the member writes a draft, invites a co-signer and submits
        draft = ok(
            api.post(
                "/proposals",
                city.member,
                {
                    "conference_id": conf,
                    "title": "关于加快老旧小区加装电梯的建议",
                    "analysis": "我市老旧小区多建于上世纪九十年代，老年住户上下楼困难。",
                    "recommendations": "一、简化审批流程；二、设立财政补贴。",
                },
            ),
            201,
        )
        pid = draft["id"]
        assert draft["state"] == "draft" and draft["available_actions"]
        step = ok(
            api.post(
                f"/proposals/{pid}/cosigners",
                city.member,
                {"user_ids": [city.member2.pk], "version": draft["version"]},
            )
        )
        step = ok(api.post(f"/proposals/{pid}/submit", city.member, {"version": step["version"]}))
        assert step["state"] == "submitted"

        # the co-signer confirms, and the proposal goes to review
        assert "respond_cosign" in ok(api.get(f"/proposals/{pid}", city.member2))["available_actions"]
        step = ok(api.post(f"/proposals/{pid}/cosign", city.member2, {"accept": True}))
        assert step["state"] == "under_review"

        # staff accept and assign a lead and a co-handling unit
        step = ok(api.post(f"/proposals/{pid}/accept", city.staff, {"version": step["version"]}))
        assert (step["state"], step["number_label"]) == ("accepted", "第0001号")
        step = ok(
            api.post(
                f"/proposals/{pid}/assign",
                city.staff,
                {
                    "units": [
                        {"unit_id": city.unit.pk, "role": "lead"},
                        {"unit_id": city.unit2.pk, "role": "co"},
                    ],
                    "version": step["version"],
                },
            )
        )
        assert step["state"] == "assigned"

        # the co-handling unit finds it in its inbox and sends its opinion
        inbox = ok(api.get("/units/inbox", city.unit2_user, conference_id=conf))
        assert [i["proposal_id"] for i in inbox["items"]] == [pid]
        co_id = inbox["items"][0]["assignment_id"]
        ok(api.post(f"/assignments/{co_id}/co-opinion", city.unit2_user, {"body": "同意主办单位意见。"}), 201)

        # the lead unit consults the proposer and replies class B
        lead_id = ok(api.get("/units/inbox", city.unit_user, conference_id=conf))["items"][0]["assignment_id"]
        ok(
            api.post(
                f"/assignments/{lead_id}/consultations",
                city.unit_user,
                {"held_on": dt.date.today().isoformat(), "form": "meeting", "agreed": "逐条沟通，达成一致。"},
            ),
            201,
        )
        reply = {"body": "已纳入年度计划。", "outcome": "B", "signed_by": "张局长"}
        step = ok(api.post(f"/assignments/{lead_id}/reply", city.unit_user, reply), 201)
        assert step["state"] == "replied"

        # the member reads the letter (not the co-handling opinion) and is unsatisfied
        detail = ok(api.get(f"/proposals/{pid}", city.member))
        assert [r["kind"] for r in detail["replies"]] == ["letter"]
        assert "co_opinion" in [r["kind"] for r in ok(api.get(f"/proposals/{pid}", city.staff))["replies"]]
        letter = detail["replies"][0]
        assert (letter["outcome"], letter["outcome_label"]) == ("B", "B类：正在解决或列入计划")
        step = ok(
            api.post(
                f"/replies/{letter['id']}/evaluation",
                city.member,
                {"verdict": "unsatisfied", "comment": "补贴标准不明确。"},
            ),
            201,
        )
        assert step["state"] == "assigned"
        lead = next(
            a for a in ok(api.get(f"/proposals/{pid}", city.unit_user))["assignments"] if a["role"] == "lead"
        )
        assert (lead["round"], lead["state"]) == (2, "active")

        # the unit re-handles, and the member is satisfied
        step = ok(api.post(f"/assignments/{lead_id}/reply", city.unit_user, {**reply, "outcome": "A"}), 201)
        assert step["state"] == "replied"
        second = ok(api.get(f"/proposals/{pid}", city.member))["replies"][-1]
        assert second["round"] == 2
        step = ok(api.post(f"/replies/{second['id']}/evaluation", city.member, {"verdict": "satisfied"}), 201)
        assert step["state"] == "evaluated"

        # then staff close it, and everyone can follow the whole story
        step = ok(api.post(f"/proposals/{pid}/close", city.staff, {"version": step["version"]}))
        assert (step["state"], step["state_label"]) == ("closed", "已办结")
        detail = ok(api.get(f"/proposals/{pid}", city.member))
        verbs = [e["verb"] for e in detail["timeline"]]
        assert verbs[0] == "create" and verbs[-1] == "close" and verbs.count("reply") == 2
        assert [e["verdict"] for e in detail["evaluations"]] == ["unsatisfied", "satisfied"]

    notes = ok(api.get("/notifications", city.member))
    assert notes["count"] >= 5
    assert ok(api.post("/notifications/read", city.member, {}))["marked"] == notes["count"]
    assert ok(api.get("/notifications", city.member, unread="true"))["count"] == 0
