"""The shared test world: two conferences (a city and one of its counties) and their people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from xieshang.conferences.models import Conference, HandlingUnit, Session
from xieshang.people.models import RoleKind, User

from .factories import (
    CategoryFactory,
    ConferenceFactory,
    HandlingUnitFactory,
    SessionFactory,
    TermFactory,
    UserFactory,
    give_role,
)


@dataclass
class Side:
    """One conference and one user per role."""

    conference: Conference
    session: Session
    member: User
    member2: User
    staff: User
    leader: User
    admin: User
    unit_user: User
    unit2_user: User
    unit: HandlingUnit
    unit2: HandlingUnit


@dataclass
class World:
    city: Side
    county: Side
    outsider: User


def _side(conference: Conference, prefix: str, shared_unit: HandlingUnit | None = None) -> Side:
    session = SessionFactory(term=TermFactory(conference=conference))
    unit = HandlingUnitFactory(name=f"{prefix}发展和改革局", conferences=[conference])
    unit2 = shared_unit or HandlingUnitFactory(name=f"{prefix}教育局", conferences=[conference])
    unit2.conferences.add(conference)
    CategoryFactory(conference=conference, name="经济建设")
    CategoryFactory(conference=conference, name="社会事业")
    users = {
        name: UserFactory(username=f"{prefix}_{name}", display_name=f"{prefix}{label}")
        for name, label in [
            ("member", "委员甲"),
            ("member2", "委员乙"),
            ("staff", "提案委干部"),
            ("leader", "主席"),
            ("admin", "管理员"),
            ("unit_user", "发改局联系人"),
            ("unit2_user", "教育局联系人"),
        ]
    }
    give_role(users["member"], conference, RoleKind.MEMBER)
    give_role(users["member2"], conference, RoleKind.MEMBER)
    give_role(users["staff"], conference, RoleKind.STAFF)
    give_role(users["leader"], conference, RoleKind.LEADER)
    give_role(users["admin"], conference, RoleKind.ADMIN)
    give_role(users["unit_user"], conference, RoleKind.UNIT, unit)
    give_role(users["unit2_user"], conference, RoleKind.UNIT, unit2)
    return Side(conference=conference, session=session, unit=unit, unit2=unit2, **users)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests hash dozens of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    """A city conference guiding a county conference, each with every role; one unit serves both."""
    city = ConferenceFactory(name="示范市政协", short_name="示范市", code="city", level="city")
    county = ConferenceFactory(
        name="示范县政协", short_name="示范县", code="county", level="county", parent=city
    )
    city_side = _side(city, "city")
    county_side = _side(county, "county")
    return World(city=city_side, county=county_side, outsider=UserFactory(username="outsider"))
