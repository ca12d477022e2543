"""The opinions API: the happy path from writing to an instruction, and the denials."""

from __future__ import annotations

import io

from docx import Document

from ..api.conftest import Api
from . import walk


def test_the_api_happy_path(world):
    api = Api()
    side = world.city
    body = {
        "conference_id": side.conference.pk,
        "title": "关于治理电动车飞线充电的建议",
        "facts": "老旧小区飞线充电普遍。",
        "suggestions": "建设集中充电棚。",
        "submit": True,
    }
    created = api.post("/opinions", side.member, body)
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["state"] == "submitted"
    assert api.post(f"/opinions/{rid}/claim", side.staff, {}).json()["state"] == "editing"
    edited = api.post(
        f"/opinions/{rid}/edit", side.staff, {"title": "关于治理飞线充电的建议", "suggestions": "建棚。"}
    )
    assert edited.status_code == 200 and edited.json()["created_id"]
    adopted = api.post(f"/opinions/{rid}/adopt", side.staff, {"version": edited.json()["version"]})
    assert adopted.json()["state"] == "adopted"
    forwarded = api.post(
        f"/opinions/{rid}/forward", side.staff, {"recipient_kind": "government", "recipient_name": "市政府"}
    )
    assert forwarded.status_code == 201
    instruction = api.post(
        f"/opinions/{rid}/instructions", side.staff, {"leader_name": "市长", "level": "city", "text": "阅。"}
    )
    assert instruction.status_code == 201
    iid = instruction.json()["created_id"]
    assert (
        api.post(f"/opinions/instructions/{iid}/feedback", side.staff, {"feedback": "已办。"}).status_code
        == 200
    )
    detail = api.get(f"/opinions/{rid}", side.member).json()
    assert detail["instructions"][0]["feedback"] == "已办。"
    assert detail["issue_label"].endswith("第1期")
    issues = api.get("/opinions/issues", side.staff, conference_id=side.conference.pk).json()
    assert issues[0]["number"] == 1
    docx = api.get(f"/opinions/issues/{issues[0]['id']}/docx", side.leader)
    assert docx.status_code == 200
    assert any("第1期" in p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    listed = api.get("/opinions", side.leader).json()
    assert [item["id"] for item in listed["items"]] == [rid]


def test_the_api_denials(world):
    api = Api()
    report = walk.editing(world.city)
    # the submitter sees the report but may not adopt it; another member does not see it at all
    member_try = api.post(f"/opinions/{report.pk}/adopt", world.city.member, {})
    assert member_try.status_code == 403 and member_try.json()["code"] == "permission_denied"
    assert api.post(f"/opinions/{report.pk}/adopt", world.city.member2, {}).status_code == 404
    assert api.get(f"/opinions/{report.pk}", world.county.staff).status_code == 404
    assert api.post(f"/opinions/{report.pk}/adopt", world.city.leader, {}).status_code == 404
    stale = api.post(f"/opinions/{report.pk}/adopt", world.city.staff, {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    empty = api.post(
        "/opinions", world.city.member, {"conference_id": world.city.conference.pk, "title": " "}
    )
    assert empty.status_code == 400 and "标题不能为空" in empty.json()["fields"]["title"]
    foreign = api.post(
        "/opinions", world.city.member, {"conference_id": world.county.conference.pk, "title": "x"}
    )
    assert foreign.status_code == 403
    assert (
        api.get("/opinions/issues", world.city.member, conference_id=world.city.conference.pk).status_code
        == 403
    )
