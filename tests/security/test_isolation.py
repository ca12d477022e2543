"""Conference isolation: every URL pattern and every API operation, requested as every role of the
county conference, as a signed-in stranger and anonymously, against the city conference's objects.

The patterns come from the URLconf and the operations from the OpenAPI document (tests/security/
urlmap.py), so a new page or endpoint is attacked without editing this file; one whose arguments the
registry cannot fill fails here. The only successes allowed are the public pages; everything else is
a denial (the login page for the anonymous, 403/404 for a signed-in user of another conference), and
nothing ever answers 5xx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.api.api import api
from xieshang.people.services import issue_token

from . import fixtures, urlmap
from .fixtures import SECRET

pytestmark = pytest.mark.security

COUNTY_ROLES = ["member", "member2", "staff", "leader", "admin", "unit_user", "unit2_user"]

# Pages anyone may open, signed in or not (they still must not show a city secret).
PUBLIC_PAGES = {
    "login",
    "logout",
    "voice:new",  # the public's suggestion form of a conference
    "voice:submitted",
    "voice:answers",  # answers the conference chose to publish
    "voice:track",  # tracking by code: the code is the secret, the page itself is public
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
}
PUBLIC_NAMESPACES = {"public"}  # the portal: published proposals, articles, journals, archive, culture

# Pages of the signed-in user themself (their own conference, or their own account): any non-error
# answer is fine as long as no city secret is on it. Listed because they take an argument that looks
# like an object: the year of the user's own duty record.
OWN_PAGES = {"duty:card", "duty:card_docx", "duty:card_pdf"}

# A county user may reach these city objects by a rule: pattern or operation → who, and the rule.
OFFICE = {"county staff", "county leader"}
SHARED_BY_RULE: dict[str, set[str]] = {
    # research/topics_selectors.get_forum: a multi-city forum is open to the staff and leaders of
    # every conference it invited (the city's demo forum invites its guided county).
    "research:forum": OFFICE,
    "GET /api/v1/research/topics/forums/{forum_id}": OFFICE,
}

# voice/deliberation.visible_deliberations: a topic open to the public is read without signing in,
# so these pages do not send the anonymous to the login page; a members-only topic is 404 to them.
ANONYMOUS_NOT_FOUND = {"voice:deliberation", "voice:deliberation_post"}

# people/admin_import.importable_conferences: a conference admin imports the rosters of their own
# conferences only (the form offers no other); the page itself is theirs.
ADMIN_OWN_PAGES = {
    "admin:index",
    "admin:password_change",
    "admin:password_change_done",
    "admin:people_member_import",
    "admin:people_member_import_template",
    "admin:conferences_handlingunit_import",
    "admin:conferences_handlingunit_import_template",
}

# The request budget (the folder runs twice in CI, in under two minutes each):
# - a page of a city object: GET and POST as all nine identities;
# - a page of the user's own conference (lists, forms) or a public page: GET as all nine, POST as
#   the anonymous, the stranger and the county staff (an empty form is refused the same way for all);
# - the admin: its gate is `is_staff`, which in production only the conference admin has (the demo
#   seeds admins that way, and so does this test); every other signed-in user is sent to the admin's
#   login by the same gate, whatever the method (proven on the admin's index for all of them). So:
#   GET and POST as the county admin, GET as the anonymous.
# - member2 and unit2_user hold the same roles as member and unit_user and have no tie to the city:
#   they GET everything (the denial does not depend on the person) and leave the writes to the others.
POST_ON_OWN_PAGES = {"anonymous", "outsider", "county staff"}
READ_ONLY = {"county member2", "county unit2_user"}
# The admin pages that write on POST (the others only show or redirect).
ADMIN_WRITES = ("_add", "_change", "_delete", "_changelist", "_import", "password_change")
ADMIN_GET = {"anonymous", "county admin"}
ADMIN_POST = {"county admin"}


def _methods(route: urlmap.Route, identity: str, points_at_object: bool) -> list[str]:
    """Which methods `identity` tries on `route` (see the request budget above)."""
    if route.name == "admin:index":
        return ["get", "post"]
    if route.namespace == "admin":
        writes = route.name.endswith(ADMIN_WRITES)
        return [
            m for m, who in (("get", ADMIN_GET), ("post", ADMIN_POST if writes else ())) if identity in who
        ]
    if points_at_object and route.namespace not in PUBLIC_NAMESPACES:
        return ["get"] if identity in READ_ONLY else ["get", "post"]
    return ["get", "post"] if identity in POST_ON_OWN_PAGES else ["get"]


@dataclass
class Tally:
    requests: int = 0


def _login_redirect(response: Any, admin: bool) -> bool:
    target = "/admin/login/" if admin else reverse("login")
    return response.status_code == 302 and response["Location"].startswith(target)


def _problem(identity: str, route: urlmap.Route, points_at_object: bool, response: Any) -> str | None:
    """What is wrong with `response` to `identity` on `route`, or None."""
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    body = b"" if getattr(response, "streaming", False) else response.content
    if status == 200 and SECRET.encode() in body:
        return "shows a city secret"
    if route.name in PUBLIC_PAGES or route.namespace in PUBLIC_NAMESPACES:
        return None
    admin = route.namespace == "admin"
    if identity == "anonymous":
        # 405: the method guard answers before the login guard; it says nothing about any object.
        if _login_redirect(response, admin) or status == 405:
            return None
        if status == 404 and route.name in ANONYMOUS_NOT_FOUND:
            return None
        return f"anonymous got {status} instead of the login page"
    if admin:
        # A signed-in user without is_staff is sent to the admin's login; the conference admin has
        # no model permission (403, or a redirect to the admin's index), only their own pages.
        if status in (403, 404, 405) or (status == 302 and response["Location"].startswith("/admin/")):
            return None
        if status == 200 and route.name in ADMIN_OWN_PAGES:
            return None
        return f"got {status} on an admin page"
    if identity in SHARED_BY_RULE.get(route.name, set()):
        return None
    if points_at_object and route.name not in OWN_PAGES:
        if status in (403, 404, 405):
            return None
        return f"got {status} on a city object"
    # The user's own conference's lists and forms: anything but an error, without city secrets.
    return None


def _identities(world: Any) -> Iterator[tuple[str, Client]]:
    yield "anonymous", Client()
    outsider = Client()
    outsider.force_login(world.outsider)
    yield "outsider", outsider
    for role in COUNTY_ROLES:
        client = Client()
        client.force_login(getattr(world.county, role))
        yield f"county {role}", client


def test_every_url_pattern_can_be_filled_from_the_registry() -> None:
    unfilled = []
    for route in urlmap.all_routes():
        if route.namespace == "api":
            continue
        try:
            urlmap.arguments(route)
        except urlmap.Unfilled as missing:
            unfilled.append(str(missing))
    assert unfilled == []


def test_the_registry_names_only_existing_patterns() -> None:
    names = {route.name for route in urlmap.all_routes()}
    assert sorted(set(urlmap.REGISTRY) - names) == []


def test_every_api_pattern_is_an_operation_of_the_openapi_document() -> None:
    documented = {path for path in api.get_openapi_schema()["paths"]}
    hidden = {"/api/v1/<path:rest>", "/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"}
    for route in urlmap.all_routes():
        if route.namespace != "api" or route.route in hidden:
            continue
        as_documented = route.route
        for name in route.kwargs:
            as_documented = as_documented.replace(f"<{name}>", "{" + name + "}")
        assert as_documented in documented, route


def test_no_page_and_no_api_operation_serves_the_city_to_the_county_or_to_strangers(  # type: ignore[no-untyped-def]
    world, city, subtests
) -> None:
    """One world for both sweeps (building it is the dearest part of the setup)."""
    sweep_pages(world, city, subtests)
    sweep_api(world, city, subtests)


def sweep_pages(world: Any, city: dict[str, Any], subtests: Any) -> None:
    tally = Tally()
    routes = [r for r in urlmap.all_routes() if r.namespace != "api"]
    identities = list(_identities(world))
    for route in routes:
        with subtests.test(msg=route.name):
            path, points_at_object = urlmap.fill(route, city)
            problems = []
            for identity, client in identities:
                for method in _methods(route, identity, points_at_object):
                    response = getattr(client, method)(path)
                    tally.requests += 1
                    problem = _problem(identity, route, points_at_object, response)
                    if problem:
                        problems.append(f"{method.upper()} {path} as {identity}: {problem}")
                if route.name in {"logout", "admin:logout"} and identity != "anonymous":
                    client.force_login(_user_of(world, identity))
            assert problems == []
    print(f"\n[isolation] {len(routes)} URL patterns, {tally.requests} page requests")


def _user_of(world: Any, identity: str) -> Any:
    return world.outsider if identity == "outsider" else getattr(world.county, identity.split(" ", 1)[1])


# ---------------------------------------------------------------------------- the API

# Path parameters of the API by name; a path prefix picks the right kind where a name is shared.
API_PARAMETERS: dict[str, urlmap.Obj | urlmap.Fixed] = {
    "conference_id": urlmap.Obj("conference"),
    "proposal_id": urlmap.Obj("proposal"),
    "attachment_id": urlmap.Obj("proposal_attachment"),
    "assignment_id": urlmap.Obj("assignment"),
    "reply_id": urlmap.Obj("reply"),
    "activity_id": urlmap.Obj("activity"),
    "leave_id": urlmap.Obj("leave"),
    "report_id": urlmap.Obj("report"),
    "issue_id": urlmap.Obj("opinion_issue"),
    "instruction_id": urlmap.Obj("instruction"),
    "code": urlmap.Fixed("city"),
    "article_id": urlmap.Obj("article"),
    "award_id": urlmap.Obj("award"),
    "task_id": urlmap.Obj("task"),
    "document_id": urlmap.Obj("source"),
    "indicator_id": urlmap.Obj("indicator"),
    "message_id": urlmap.Obj("message"),
    "lead_id": urlmap.Obj("lead"),
    "post_id": urlmap.Obj("post"),
    "survey_id": urlmap.Obj("survey"),
    "quiz_id": urlmap.Obj("quiz"),
    "attempt_id": urlmap.Obj("attempt"),
    "paper_id": urlmap.Obj("paper"),
    "forum_id": urlmap.Obj("forum"),
}
API_PARAMETERS_BY_PATH: dict[tuple[str, str], urlmap.Obj | urlmap.Fixed] = {
    ("/api/v1/voice/deliberations/", "topic_id"): urlmap.Obj("deliberation"),
    ("/api/v1/research/topics/", "topic_id"): urlmap.Obj("topic"),
    ("/api/v1/reassignment-requests/", "request_id"): urlmap.Obj("reassignment"),
    ("/api/v1/extension-requests/", "request_id"): urlmap.Obj("extension"),
    ("/api/v1/publishing/awards/", "action"): urlmap.Fixed("decide"),
    ("/api/v1/research/study/papers/", "action"): urlmap.Fixed("accept"),
    ("/api/v1/public/proposals/", "proposal_id"): urlmap.Obj("published_proposal"),
}


def _api_argument(path: str, name: str) -> urlmap.Obj | urlmap.Fixed:
    for (prefix, param), value in API_PARAMETERS_BY_PATH.items():
        if param == name and path.startswith(prefix):
            return value
    if name not in API_PARAMETERS:
        raise urlmap.Unfilled(f"{path}: add its parameter {name!r} to API_PARAMETERS in {__name__}")
    return API_PARAMETERS[name]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as documented, with {name} placeholders
    public: bool
    body: dict[str, Any] | None
    multipart: bool


def api_operations() -> list[Operation]:
    """Every operation of the OpenAPI document, with a minimal valid-looking body where it takes one."""
    schema = api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {})
            media = next(iter(content), None)
            body = _example(content[media]["schema"], schema) if media else None
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    public="security" not in op,
                    body=body if isinstance(body, dict) else None,
                    multipart=media == "multipart/form-data",
                )
            )
    return found


def _example(node: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A small value of the schema `node`: required properties only, the first enum value."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _example(schema["components"]["schemas"][name], schema, depth + 1)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return _example(node[key][0], schema, depth + 1)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type", "object")
    if kind == "object":
        props = node.get("properties", {})
        return {k: _example(props[k], schema, depth + 1) for k in node.get("required", []) if k in props}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if node.get("format") == "binary":
        return fixtures.pdf()
    if node.get("format") == "date":
        return "2026-06-30"
    if node.get("format") == "date-time":
        return "2026-06-30T09:00:00+08:00"
    return "协商"


def fill_operation(op: Operation, objects: dict[str, Any]) -> tuple[str, bool]:
    """The concrete path of `op` and whether it points at an object of the city."""
    path, points_at_object = op.path, False
    while "{" in path:
        name = path[path.index("{") + 1 : path.index("}")]
        value = _api_argument(op.path, name)
        points_at_object |= isinstance(value, urlmap.Obj)
        text = str(objects[value.key]) if isinstance(value, urlmap.Obj) else str(value.value)
        path = path.replace("{" + name + "}", text, 1)
    return path, points_at_object


def _send(client: Client, op: Operation, path: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    call = getattr(client, op.method.lower())
    if op.method == "GET":
        return call(path, headers=headers)
    if op.multipart:
        return call(path, data=op.body or {}, headers=headers)
    return call(path, json.dumps(op.body or {}), content_type="application/json", headers=headers)


def _api_problem(
    identity: str, op: Operation, points_at_object: bool, response: Any, nowhere: Any
) -> str | None:
    """What is wrong with `response`; `nowhere` answers the same call for an id that does not exist."""
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    if status == 200 and SECRET.encode() in response.content:
        return "shows a city secret"
    if op.public or identity in SHARED_BY_RULE.get(f"{op.method} {op.path}", set()):
        return None
    if identity == "anonymous":
        return None if status == 401 else f"anonymous got {status} instead of 401"
    if not points_at_object or status in (403, 404):
        return None
    # A body refused before the object is looked up (a stranger to every conference) says nothing
    # about the object, provided a made-up id gets exactly the same answer.
    if status in (400, 422) and nowhere is not None:
        same = (nowhere.status_code, nowhere.content) == (status, response.content)
        return None if same else f"got {status}, but {nowhere.status_code} for an id that does not exist"
    return f"got {status} on a city object"


class _Nowhere(dict[str, Any]):
    """Every object key maps to an id no row has."""

    def __missing__(self, key: str) -> int:
        return 987654321


NOWHERE = _Nowhere()


def test_every_api_operation_can_be_filled() -> None:
    unfilled = []
    for op in api_operations():
        try:
            fill_operation(op, NOWHERE)
        except urlmap.Unfilled as missing:
            unfilled.append(str(missing))
    assert unfilled == []


def sweep_api(world: Any, city: dict[str, Any], subtests: Any) -> None:
    tally = Tally()
    operations = api_operations()
    tokens: dict[str, str | None] = {"anonymous": None, "outsider": issue_token(world.outsider, "attack")}
    for role in COUNTY_ROLES:
        tokens[f"county {role}"] = issue_token(getattr(world.county, role), "attack")
    client = Client()
    for op in operations:
        with subtests.test(msg=f"{op.method} {op.path}"):
            path, points_at_object = fill_operation(op, city)
            problems = []
            for identity, token in tokens.items():
                if op.method == "DELETE" and op.path == "/api/v1/auth/token":
                    continue  # revoking one's own token: proven by tests/api, and it would end the run
                if identity in READ_ONLY and op.method != "GET":
                    continue
                response = _send(client, op, path, token)
                tally.requests += 1
                nowhere = None
                if response.status_code in (400, 422) and points_at_object:
                    nowhere = _send(client, op, fill_operation(op, NOWHERE)[0], token)
                    tally.requests += 1
                problem = _api_problem(identity, op, points_at_object, response, nowhere)
                if problem:
                    problems.append(f"{op.method} {path} as {identity}: {problem} {response.content[:200]!r}")
            assert problems == []
    print(f"\n[isolation] {len(operations)} API operations, {tally.requests} API requests")
