"""factory_boy factories for the shared test world."""

from __future__ import annotations

import datetime as dt

import factory

from xieshang.conferences.models import Conference, HandlingUnit, Session, Term
from xieshang.people.models import Member, Role, RoleKind, User
from xieshang.proposals.models import Category

PASSWORD = "xieshang-test-pw"


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    name = factory.Sequence(lambda n: f"测试市第{n}政协委员会")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    code = factory.Sequence(lambda n: f"conf-{n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    conference = factory.SubFactory(ConferenceFactory)
    number = 14
    start_year = 2022
    end_year = 2027


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    conference = factory.SelfAttribute("term.conference")
    number = 5
    year = 2026
    opens_on = dt.date(2026, 1, 10)
    is_current = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"市第{n}局")

    @factory.post_generation
    def conferences(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.conferences.add(*extracted)


def give_role(user: User, conference: Conference, kind: str, unit: HandlingUnit | None = None) -> User:
    """Grant a role (and a Member row for members)."""
    Role.objects.create(user=user, conference=conference, kind=kind, handling_unit=unit)
    if kind == RoleKind.MEMBER:
        Member.objects.get_or_create(user=user, conference=conference)
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"类别{n}")
