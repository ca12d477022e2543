"""Unit names as speeches write them, resolved against the conference's registry; deadlines as dates."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.tasks.models import UnitAlias
from xieshang.tasks.resolution import parse_deadline, resolve_units, split_names


def test_exact_and_short_names_resolve(world):
    world.city.unit2.short_name = "市教育局"
    world.city.unit2.save(update_fields=["short_name"])
    units, unresolved = resolve_units(world.city.conference, ["示范市发展和改革局", "市教育局"])
    assert units == [world.city.unit, world.city.unit2]
    assert unresolved == []


def test_the_city_prefix_may_be_shortened_to_its_level(world):
    units, _ = resolve_units(world.city.conference, ["市发展和改革局"])
    assert units == [world.city.unit]


def test_several_units_in_one_phrase(world):
    units, unresolved = resolve_units(world.city.conference, ["市发展和改革局、市教育局和市商务局"])
    assert units == [world.city.unit, world.city.unit2]
    assert unresolved == ["市商务局"]


def test_all_counties_expand_to_the_county_level_units(world):
    units, unresolved = resolve_units(world.city.conference, ["各县（市、区）"])
    assert units == [world.county_government]
    assert unresolved == []
    assert resolve_units(world.city.conference, ["各县市区"])[0] == [world.county_government]


def test_a_configured_alias_expands_to_its_units(world):
    resolve_units(world.city.conference, [])  # the defaults are created on first use
    alias = UnitAlias.objects.create(conference=world.city.conference, alias="三区")
    alias.units.set([world.city.unit, world.city.unit2])
    units, _ = resolve_units(world.city.conference, ["三区"])
    assert {u.pk for u in units} == {world.city.unit.pk, world.city.unit2.pk}


def test_units_of_another_conference_do_not_resolve(world):
    units, unresolved = resolve_units(world.county.conference, ["示范市发展和改革局"])
    assert units == []
    assert unresolved == ["示范市发展和改革局"]


def test_names_split_on_punctuation_but_not_inside_a_name():
    assert split_names("市发展和改革局、各县（市、区）") == ["市发展和改革局", "各县（市、区）"]
    assert split_names("市商务局和市教育局") == ["市商务局", "市教育局"]


BASE = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前", dt.date(2026, 6, 30)),
        ("9月1日前", dt.date(2026, 9, 1)),
        ("2027年3月31日前", dt.date(2027, 3, 31)),
        ("年底前", dt.date(2026, 12, 31)),
        ("三季度末", dt.date(2026, 9, 30)),
        ("上半年", dt.date(2026, 6, 30)),
        ("十一月底", dt.date(2026, 11, 30)),
        ("2026-06-30", dt.date(2026, 6, 30)),  # as the extraction normalises full dates
        ("2026-02-30", None),
        ("尽快", None),
        (None, None),
    ],
)
def test_deadlines_become_dates(text, expected):
    assert parse_deadline(text, BASE) == expected
