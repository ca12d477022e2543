"""The attack world: the shared two conferences, with the city's side filled with objects."""

from __future__ import annotations

from typing import Any

import pytest

from . import fixtures


@pytest.fixture
def city(world: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """The city's objects (name → pk); the county admin is `is_staff`, as the demo's admins are."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"
    world.county.admin.is_staff = True
    world.county.admin.save(update_fields=["is_staff"])
    return fixtures.build_city(world)
