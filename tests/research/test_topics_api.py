"""The research-topic API: the workflow through /api/v1/research/topics, denials and isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.core.dates import today
from xieshang.research.models import ResearchTopic, TopicTask

from ..api.conftest import Api
from ..factories import ConferenceFactory, UserFactory, give_role
from . import topics_walk as walk

BASE = "/research/topics"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_staff_take_a_topic_from_registration_to_a_task_through_the_api(world):
    api = Api()
    side = world.city
    created = api.post(
        BASE,
        side.staff,
        {
            "conference_id": side.conference.pk,
            "title": "接口登记的课题",
            "kind": "standing",
            "proposer_kind": "chairs",
        },
    )
    assert created.status_code == 201, created.content
    tid = created.json()["id"]
    assert api.post(f"{BASE}/{tid}/select", side.leader, {}).json()["state"] == "selected"
    assert (
        api.post(f"{BASE}/{tid}/members", side.staff, {"user_id": side.member.pk, "role": "lead"}).status_code
        == 200
    )
    assert api.post(f"{BASE}/{tid}/start", side.staff, {}).json()["state"] == "researching"
    assert (
        api.post(f"{BASE}/{tid}/drafts", side.staff, {"title": "报告", "text": "正文。"}).json()["state"]
        == "drafted"
    )
    assert api.post(f"{BASE}/{tid}/submit-report", side.staff, {}).json()["state"] == "submitted"
    sent = api.post(
        f"{BASE}/{tid}/transmissions",
        side.staff,
        {"recipient_kind": "party_committee", "recipient_name": "市委"},
    )
    assert sent.json()["state"] == "transmitted"
    instruction = api.post(f"{BASE}/{tid}/instructions", side.leader, {"text": "同意。", "level": "city"})
    assert instruction.status_code == 200 and instruction.json()["created_id"]
    task = api.post(
        f"{BASE}/{tid}/tasks",
        side.staff,
        {
            "action": "落实课题建议",
            "lead_unit_ids": [side.unit.pk],
            "due_on": (today() + dt.timedelta(days=30)).isoformat(),
            "instruction_id": instruction.json()["created_id"],
        },
    )
    assert task.status_code == 200, task.content
    assert TopicTask.objects.get(topic_id=tid).task_id == task.json()["created_id"]
    detail = api.get(f"{BASE}/{tid}", side.leader).json()
    assert detail["actions"] == ["record_instruction"]
    assert detail["follow_ups"][0]["task_id"] == task.json()["created_id"]
    assert detail["group"][0]["role"] == "lead" and detail["instructions"][0]["text"] == "同意。"
    listed = api.get(BASE, side.staff, conference_id=side.conference.pk, state="transmitted")
    assert [t["id"] for t in listed.json()["items"]] == [tid]


def test_the_api_refuses_other_conferences_roles_and_bad_input(world):
    api = Api()
    topic = walk.proposed(world.city)
    assert api.get(f"{BASE}/{topic.pk}", world.county.staff).status_code == 404
    assert api.post(f"{BASE}/{topic.pk}/select", world.county.leader, {}).status_code == 404
    assert api.get(BASE, world.county.staff, conference_id=world.city.conference.pk).status_code == 403
    assert api.get(f"{BASE}/{topic.pk}").status_code == 401
    refused = api.post(f"{BASE}/{topic.pk}/start", world.city.leader, {})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    wrong_state = api.post(f"{BASE}/{topic.pk}/close", world.city.staff, {})
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "invalid_state"
    stale = api.post(f"{BASE}/{topic.pk}/select", world.city.staff, {"version": 99})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    bad = api.post(
        BASE,
        world.city.staff,
        {
            "conference_id": world.city.conference.pk,
            "title": "",
            "kind": "standing",
            "proposer_kind": "chairs",
        },
    )
    assert bad.status_code == 400 and "title" in bad.json()["fields"]
    assert ResearchTopic.objects.count() == 1


def test_forums_through_the_api_keep_each_invited_conference_to_its_own_submission(world):
    api = Api()
    city, county = world.city, world.county
    neighbour = ConferenceFactory(name="邻市政协", short_name="邻市", code="neighbour", level="city")
    neighbour_staff = give_role(UserFactory(username="neighbour_staff"), neighbour, "staff")
    stranger = ConferenceFactory(name="远方市政协", short_name="远方", code="far", level="city")
    stranger_staff = give_role(UserFactory(username="far_staff"), stranger, "staff")
    created = api.post(
        f"{BASE}/forums",
        city.staff,
        {"conference_id": city.conference.pk, "theme": "接口论坛", "held_on": today().isoformat()},
    )
    assert created.status_code == 201, created.content
    fid = created.json()["id"]
    invited = api.post(
        f"{BASE}/forums/{fid}/invitations",
        city.staff,
        {"conference_ids": [county.conference.pk, neighbour.pk]},
    )
    assert sorted(invited.json()["invited_conference_ids"]) == sorted([county.conference.pk, neighbour.pk])
    for user, conference in [(county.staff, county.conference), (neighbour_staff, neighbour)]:
        sent = api.post(
            f"{BASE}/forums/{fid}/submissions",
            user,
            {"conference_id": conference.pk, "title": f"{conference.short_name}报告", "text": "正文"},
        )
        assert sent.status_code == 201, sent.content
    county_view = api.get(f"{BASE}/forums/{fid}", county.staff).json()
    assert [s["title"] for s in county_view["submissions"]] == ["示范县报告"]
    assert county_view["invited_conference_ids"] == []
    host_view = api.get(f"{BASE}/forums/{fid}", city.leader).json()
    assert {s["title"] for s in host_view["submissions"]} == {"示范县报告", "邻市报告"}
    assert api.get(f"{BASE}/forums/{fid}", stranger_staff).status_code == 404
    assert [
        f["id"]
        for f in api.get(f"{BASE}/forums", county.staff, conference_id=county.conference.pk).json()["items"]
    ] == [fid]
    assert api.get(f"{BASE}/forums", stranger_staff, conference_id=stranger.pk).json()["items"] == []
    assert api.post(f"{BASE}/forums/{fid}/close", county.staff, {}).status_code == 403
    assert api.post(f"{BASE}/forums/{fid}/close", city.staff, {}).json()["state"] == "closed"
