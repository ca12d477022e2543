"""Duty test helpers: background tasks run at once, and a JSON API client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.people.models import User
from xieshang.people.services import issue_token

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Tasks enqueued on commit run synchronously."""
    settings.TASKS = IMMEDIATE


class Api:
    """Calls /api/v1 as a user with a bearer token."""

    def __init__(self) -> None:
        self.client = Client()

    def get(self, path: str, user: User, **query: Any) -> Any:
        headers = {"Authorization": f"Bearer {issue_token(user, 'test')}"}
        return self.client.get(f"/api/v1{path}", query, headers=headers)

    def post(self, path: str, user: User, body: dict[str, Any]) -> Any:
        headers = {"Authorization": f"Bearer {issue_token(user, 'test')}"}
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )


@pytest.fixture
def api() -> Api:
    return Api()
