"""A page number past any real list is refused with 422, not a database overflow (a 500)."""

from __future__ import annotations

from django.test import Client


def test_a_page_beyond_the_bounds_is_refused_not_a_server_error(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.city.staff)
    for url in ("/api/v1/voice/deliberations", "/api/v1/proposals", "/api/v1/voice/messages"):
        huge = client.get(url, {"conference_id": world.city.conference.pk, "page": 10**40})
        assert huge.status_code == 422, (url, huge.status_code)
        assert client.get(url, {"conference_id": world.city.conference.pk, "page": 2}).status_code == 200, url
