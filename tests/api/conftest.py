"""API test helpers: a client that calls /api/v1 as a given user with a bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from xieshang.people.models import User
from xieshang.people.services import issue_token

BASE = "/api/v1"


class Api:
    """Calls the API as one user or another; tokens are issued once per user."""

    def __init__(self) -> None:
        self.client = Client()
        self.tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = issue_token(user, "test")
        return self.tokens[user.pk]

    def call(
        self,
        method: str,
        path: str,
        user: User | None = None,
        body: Any = None,
        *,
        files: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        url = BASE + path
        send = getattr(self.client, method.lower())
        if files is not None:
            return send(url, data={**(body or {}), **files}, content_type=MULTIPART_CONTENT, headers=headers)
        if method.upper() == "GET":
            return send(url, data=query or {}, headers=headers)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return send(
            url, data=body if body is not None else {}, content_type="application/json", headers=headers
        )

    def get(self, path: str, user: User | None = None, **query: Any) -> Any:
        return self.call("GET", path, user, query=query)

    def post(self, path: str, user: User | None = None, body: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, user, body, **kw)

    def patch(self, path: str, user: User | None = None, body: Any = None) -> Any:
        return self.call("PATCH", path, user, body)

    def delete(self, path: str, user: User | None = None) -> Any:
        return self.call("DELETE", path, user)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Argon2 is slow on purpose; the API tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api() -> Api:
    return Api()


def ok(response: Any, status: int = 200) -> Any:
    """The JSON body of a response that must have `status`."""
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json()


def refused(response: Any, *statuses: int) -> dict[str, Any]:
    """The JSON error body of a refused call: a stable code and a Chinese message."""
    assert response.status_code in (statuses or (400, 403, 404, 409, 422)), (
        response.status_code,
        response.content[:2000],
    )
    body = response.json()
    assert isinstance(body["code"], str) and body["code"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    return body
