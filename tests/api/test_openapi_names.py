"""Every schema of the API has a name of its own: django-ninja files each schema of the OpenAPI
document under its class name, so two apps' `StatusOut` would silently describe one another's
responses (schemathesis found a leave decision documented with the task status's fields)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from xieshang.api.api import api


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    api.get_openapi_schema()  # imports every router and its schemas
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("xieshang."):
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}
    assert clashes == {}
