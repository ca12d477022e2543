"""The voice API: the public submit with captcha and track by code; staff's board is limited to staff."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from . import walk


def test_the_public_submits_and_tracks_through_the_api(world):
    client = Client()
    assert "<svg" in client.get("/api/v1/voice/public/captcha").json()["svg"]
    body = {"subject": "路灯坏了", "detail": "电话13812341234", "captcha": "42"}
    response = client.post("/api/v1/voice/public/city/messages", body, content_type="application/json")
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    again = client.post("/api/v1/voice/public/city/messages", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["fields"]["captcha"]
    found = client.post("/api/v1/voice/public/track", {"code": code}, content_type="application/json").json()
    assert found["detail"] == "电话138****1234" and "contact_phone" not in found
    wrong = client.post("/api/v1/voice/public/track", {"code": "XXXXXXXXXX"}, content_type="application/json")
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"


def test_staff_forward_through_the_api_and_others_are_refused(world):
    message = walk.submit(world.city)
    staff = Client()
    staff.force_login(world.city.staff)
    board = staff.get("/api/v1/voice/messages", {"conference_id": world.city.conference.pk}).json()
    assert [m["id"] for m in board["items"]] == [message.pk]
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    response = staff.post(
        f"/api/v1/voice/messages/{message.pk}/forward",
        {"unit_id": world.city.unit.pk, "due_on": due},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "forwarded"
    county = Client()
    county.force_login(world.county.staff)
    assert (
        county.get("/api/v1/voice/messages", {"conference_id": world.city.conference.pk}).status_code == 403
    )
    assert county.get(f"/api/v1/voice/messages/{message.pk}").status_code == 404
