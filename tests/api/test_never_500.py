"""Whatever a client sends to any endpoint, the answer is JSON with a code, never a server error."""

from __future__ import annotations

import re

import pytest

from tests.proposals import walk

HUGE = 10**30
JUNK_BODIES = [
    "",
    "{not json",
    "[]",
    '"text"',
    "null",
    "{}",
    f'{{"version": {HUGE}, "conference_id": {HUGE}, "user_ids": [{HUGE}], "source_ids": [0, -1]}}',
    '{"title": "a\\u0000b", "conference_id": 1, "body": "\\u0000", "reason": "\\u0000", "note": "\\u0000"}',
    '{"username": "city_member\\u0000", "password": "\\u0000", "name": "\\u0000"}',
    '{"units": [{"unit_id": 99999999999999999999, "role": "lead"}], "version": 1}',
    '{"held_on": "0000-00-00", "requested_due_on": "9999-99-99", "form": "meeting", "agreed": "x"}',
    '{"approve": "perhaps", "accept": [], "is_key": {}, "published": null, "verdict": 3}',
    '{"user_ids": ' + str(list(range(1, 2000))) + ', "version": 1}',
]
QUERIES = [
    "",
    f"?conference_id={HUGE}",
    "?conference_id=abc&page=-1&page_size=0",
    f"?year={HUGE}&conference_id=1",
]


@pytest.fixture
def operations(client):
    doc = client.get("/api/v1/openapi.json").json()
    return [(path, method.upper()) for path, item in doc["paths"].items() for method in item]


def test_junk_never_gets_a_server_error(world, api, operations, subtests):
    p = walk.replied(world.city)
    real = str(p.pk)
    for path, method in operations:
        for ident in (real, "abc", str(HUGE), "0"):
            url = re.sub(r"\{\w+\}", ident, path)
            for user in (world.city.staff, world.city.member):
                headers = {"Authorization": f"Bearer {api.token(user)}"}
                if method == "GET":
                    attempts = [api.client.get(url + q, headers=headers) for q in QUERIES]
                else:
                    send = getattr(api.client, method.lower())
                    attempts = [
                        send(url, data=b, content_type="application/json", headers=headers)
                        for b in JUNK_BODIES
                    ]
                for n, response in enumerate(attempts):
                    with subtests.test(method=method, url=url, attempt=n, user=user.username):
                        assert response.status_code < 500, response.content[:500]
                        if response.status_code >= 400:
                            assert response["Content-Type"].startswith("application/json")
                            assert response.json()["code"]
