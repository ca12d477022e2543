"""The talent pool (人才库): members of a conference and the conferences it guides, found by their
profiles in Chinese, never another city's."""

from __future__ import annotations

from xieshang.people.models import Member
from xieshang.people.selectors import guided_conference_ids, talent_pool


def profile(side, user, **fields):
    member = Member.objects.get(user=user, conference=side.conference)
    for name, value in fields.items():
        setattr(member, name, value)
    member.save()
    return member


def test_a_phrase_finds_profiles_that_hold_its_words(world):
    # Given a member whose expertise is written differently from the query
    teacher = profile(
        world.city, world.city.member, expertise="基础教育、课程改革", workplace="市第一中学校长"
    )
    profile(world.city, world.city.member2, expertise="心血管内科", workplace="市人民医院")
    # When staff search for "教育专家", or for two words at once
    found = list(talent_pool([world.city.conference.pk], q="教育专家"))
    both = list(talent_pool([world.city.conference.pk], q="教育 中学"))
    none = list(talent_pool([world.city.conference.pk], q="教育 医院"))
    # Then the teacher is found, and every whitespace-separated word must match
    assert teacher in found and all(m.user != world.city.member2 for m in found)
    assert both == [teacher]
    assert none == []


def test_the_pool_of_a_city_holds_its_counties_but_not_the_reverse(world):
    city, county = world.city.conference, world.county.conference
    assert county.pk in guided_conference_ids(city.pk)
    assert city.pk not in guided_conference_ids(county.pk)
    county_pool = talent_pool(guided_conference_ids(county.pk))
    assert all(m.conference_id == county.pk for m in county_pool)
