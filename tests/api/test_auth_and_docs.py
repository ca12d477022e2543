"""Token and session authentication, and the OpenAPI document and docs page."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import PASSWORD
from xieshang.people.models import ApiToken, hash_token

from .conftest import ok, refused


def test_a_password_gets_a_token_of_which_only_the_digest_is_stored(world, api):
    token = ok(
        api.post("/auth/token", body={"username": "city_member", "password": PASSWORD, "name": "手机"})
    )["token"]
    stored = ApiToken.objects.get(user=world.city.member)
    assert stored.digest == hash_token(token) != token
    assert stored.name == "手机"
    assert not ApiToken.objects.filter(digest=token).exists()
    me = ok(api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}))
    assert me["username"] == "city_member"
    assert me["roles"] == [
        {
            "conference_id": world.city.conference.pk,
            "conference": "示范市政协",
            "short_name": "示范市",
            "roles": ["member"],
            "unit_ids": [],
        }
    ]


def test_wrong_credentials_are_a_json_401(world, api):
    for username, password in [("city_member", "wrong-password"), ("nobody", PASSWORD)]:
        body = refused(api.post("/auth/token", body={"username": username, "password": password}), 401)
        assert body == {"code": "invalid_credentials", "message": "用户名或密码错误。", "fields": {}}
    assert not ApiToken.objects.exists()


def test_calls_without_a_valid_token_are_a_json_401(world, api):
    for headers in [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}]:
        response = api.client.get("/api/v1/proposals", headers=headers)
        assert refused(response, 401)["code"] == "not_authenticated"
        response = api.client.post(
            "/api/v1/proposals", data={}, content_type="application/json", headers=headers
        )
        assert refused(response, 401)["code"] == "not_authenticated"


def test_a_revoked_token_no_longer_works(world, api):
    token = api.token(world.city.staff)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert refused(api.client.get("/api/v1/me", headers=headers), 401)["code"] == "not_authenticated"
    assert not ApiToken.objects.exists()


def test_an_inactive_users_token_stops_working(world, api):
    token = api.token(world.city.staff)
    world.city.staff.is_active = False
    world.city.staff.save(update_fields=["is_active"])
    refused(api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.city.member)
    assert ok(browser.get("/api/v1/me"))["username"] == "city_member"
    data = {"conference_id": world.city.conference.pk, "title": "关于夜间经济的建议"}
    body = refused(browser.post("/api/v1/proposals", data=data, content_type="application/json"), 403)
    assert body["code"] == "csrf_failed"
    browser.get("/api/v1/docs")  # any page that sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    created = browser.post(
        "/api/v1/proposals", data=data, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert ok(created, 201)["title"] == "关于夜间经济的建议"


def test_the_openapi_document_lists_every_endpoint(client):
    doc = ok(client.get("/api/v1/openapi.json"))
    assert doc["info"]["title"] == "协商 Xieshang API"
    paths = set(doc["paths"])
    for path in [
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/proposals",
        "/api/v1/proposals/{proposal_id}",
        "/api/v1/proposals/{proposal_id}/assign",
        "/api/v1/assignments/{assignment_id}/reply",
        "/api/v1/assignments/{assignment_id}/reply-with-letter",
        "/api/v1/replies/{reply_id}/evaluation",
        "/api/v1/reassignment-requests/{request_id}/decision",
        "/api/v1/extension-requests/{request_id}/decision",
        "/api/v1/units/inbox",
        "/api/v1/worklists",
        "/api/v1/notifications",
        "/api/v1/stats/dashboard",
        "/api/v1/stats/annual-report",
        "/api/v1/public/proposals",
    ]:
        assert path in paths, path
    schemes = doc["components"]["securitySchemes"]
    assert {"scheme": "bearer", "type": "http"}.items() <= schemes["TokenAuth"].items()


def test_the_docs_page_loads_its_assets_locally(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html and "//unpkg" not in html
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_an_unknown_endpoint_is_a_json_404(world, api):
    for path in ["/nothing-here", "/proposals/1/fly", "/public/nothing"]:
        body = refused(api.get(path, world.city.staff), 404)
        assert body["code"] == "not_found"
    assert refused(api.client.get("/api/v1/nothing-here"), 404)["code"] == "not_found"


def test_too_many_wrong_passwords_lock_the_account_with_a_json_answer(world, api, settings):
    settings.AXES_FAILURE_LIMIT = 3
    wrong = {"username": "city_member", "password": "wrong-password"}
    assert [api.post("/auth/token", body=wrong).status_code for _ in range(2)] == [401, 401]
    body = refused(api.post("/auth/token", body=wrong), 429)
    assert body["code"] == "locked_out"
    right = {"username": "city_member", "password": PASSWORD}
    assert refused(api.post("/auth/token", body=right), 429)["code"] == "locked_out"
    assert not ApiToken.objects.exists()
