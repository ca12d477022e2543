"""The audit trail is append-only: no admin page or action, no URL and no API operation edits or deletes
an event, and the model itself refuses to rewrite or delete a saved one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from xieshang.api.api import api
from xieshang.audit import services as audit
from xieshang.audit.models import AuditEvent
from xieshang.people.services import issue_token

from ..factories import UserFactory
from ..proposals import walk
from . import urlmap

pytestmark = pytest.mark.security


def _rows() -> list[dict[str, Any]]:
    return list(AuditEvent.objects.order_by("pk").values())


@pytest.fixture
def trail(world: Any) -> list[dict[str, Any]]:
    """A proposal taken to assignment: a handful of audit events of the city."""
    walk.assigned(world.city)
    rows = _rows()
    assert len(rows) >= 3
    return rows


@pytest.fixture
def superuser(db: None) -> Any:
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_a_saved_event_cannot_be_saved_again_or_deleted(trail) -> None:  # type: ignore[no-untyped-def]
    event = AuditEvent.objects.get(pk=trail[0]["id"])
    event.summary = "改写"

    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()

    assert _rows() == trail


def test_new_events_are_still_written(world, trail) -> None:  # type: ignore[no-untyped-def]
    audit.record(world.city.staff, "note", world.city.conference, summary="追加一条")

    assert len(_rows()) == len(trail) + 1


def test_the_admin_gives_nobody_a_change_or_delete_permission_nor_a_delete_action(superuser) -> None:  # type: ignore[no-untyped-def]
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = superuser

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_a_superuser_posting_to_the_audit_admin_changes_nothing(superuser, trail) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser)
    pk = trail[0]["id"]
    attempts = [
        (f"/admin/audit/auditevent/{pk}/change/", {"summary": "改写", "verb": "x"}),
        (f"/admin/audit/auditevent/{pk}/delete/", {"post": "yes"}),
        ("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}),
        ("/admin/audit/auditevent/add/", {"verb": "x", "target_type": "x", "target_id": 1}),
    ]

    statuses = [client.post(url, data).status_code for url, data in attempts]

    assert all(status in (403, 302, 200) for status in statuses), statuses
    assert _rows() == trail


def test_no_url_or_api_operation_writes_the_audit_trail(world, superuser, trail) -> None:  # type: ignore[no-untyped-def]
    """Every pattern that names the audit trail, with every writing method, as the city's own admin and
    as a superuser; and the API has no operation on it at all."""
    audit_routes = [r for r in urlmap.all_routes() if "audit" in r.route or "audit" in r.name]
    operations = [path for path in api.get_openapi_schema()["paths"] if "audit" in path]
    assert operations == []
    assert {r.name for r in audit_routes} >= {"admin:audit_auditevent_changelist"}
    pk = trail[0]["id"]
    objects = {"object_id": pk}

    for user in (world.city.admin, superuser):
        client = Client()
        client.force_login(user)
        token = issue_token(user, "audit")
        for route in audit_routes:
            path = route.route
            for name in route.kwargs:
                value = objects.get(name, urlmap.DEFAULTS["admin"].get(name, urlmap.Fixed("1")))
                fixed = value.value if isinstance(value, urlmap.Fixed) else value
                path = urlmap.substitute(path, name, str(fixed)).replace("^", "").removesuffix("$")
            for method in ("post", "put", "patch", "delete"):
                response = getattr(client, method)(path, headers={"Authorization": f"Bearer {token}"})
                assert response.status_code < 500, (method, path)

    assert _rows() == trail
