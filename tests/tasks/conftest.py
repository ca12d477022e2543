"""Unit names as a speech writes them: the city's bureaus and the county government."""

from __future__ import annotations

import pytest

from xieshang.conferences.models import HandlingUnit


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    """The shared world, with the registry names a real city uses."""
    names = {
        world.city.unit: "示范市发展和改革局",
        world.city.unit2: "示范市教育局",
        world.county.unit: "示范县发展和改革局",
        world.county.unit2: "示范县教育局",
    }
    for unit, name in names.items():
        unit.name = name
        unit.save(update_fields=["name"])
    world.county_government = HandlingUnit.objects.create(name="示范县人民政府", short_name="示范县政府")
    world.county_government.conferences.add(world.city.conference, world.county.conference)
    return world
