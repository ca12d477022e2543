"""Demo data: culture projects and awards, through the services like the rest of the demo."""

from __future__ import annotations

import random
from collections.abc import Sequence

from xieshang.activities.models import Activity, ActivityKind
from xieshang.conferences.models import Conference
from xieshang.core.dates import today
from xieshang.people.models import User

from . import culture, friends
from .models import Award, CultureProject, Friend

FRIEND_PHONE = "13900001111"
FIRST_YEAR = 2019
PER_YEAR = {2019: 16, 2020: 12, 2021: 21, 2022: 24, 2023: 27, 2024: 30, 2025: 33}
THIS_YEAR_SO_FAR = 26
MIN_MEMBERS = 17  # jurors, nominees and nominators are picked by position among the members
PLACES = ["市文化馆", "市图书馆", "市博物馆", "老城区文化广场", "东关历史街区", "市政协文史馆", "各县区乡镇"]
THEMES = {
    "exhibition": ["“委员风采”书画摄影展", "老城记忆图片展", "乡村振兴成果展", "非遗技艺展"],
    "lecture": ["地方历史文化讲座", "“委员讲堂”传统文化专题", "红色文化宣讲", "家风家训讲座"],
    "calligraphy": ["“翰墨迎春”送春联下乡", "委员书画笔会", "书法公益课堂", "青少年书画辅导"],
    "heritage": ["非遗剪纸进社区", "传统戏曲传承保护调研", "老字号技艺口述记录", "古村落保护志愿行动"],
    "performance": ["“文化惠民”送戏下乡", "委员之家文艺汇演", "地方戏曲专场", "合唱展演"],
    "reading": ["“书香政协”读书分享会", "委员荐书活动", "农家书屋捐书", "读书沙龙"],
}


def _friend(conference: Conference, staff: User) -> Friend:
    """A friend of the conference (a calligrapher) who signs in with the demo password."""
    existing = Friend.objects.filter(conference=conference, phone=FRIEND_PHONE).first()
    if existing is not None:
        return existing
    friend, _password = friends.create_friend(
        staff,
        conference,
        friends.FriendInput(
            "林书远", FRIEND_PHONE, "书法、篆刻", "市书法家协会理事，常年义务开设书法公益课。"
        ),
    )
    # Every demo account shares one password: copy the staff account's hash.
    friend.user.password = staff.password
    friend.user.save(update_fields=["password"])
    return friend


def _projects(
    conference: Conference, staff: User, members: Sequence[User], friend: User, rng: random.Random
) -> list[CultureProject]:
    """Projects since 2019, most shown on the portal; this year's include the friend's."""
    year_now = today().year
    plan = {**{y: n for y, n in PER_YEAR.items() if y < year_now}, year_now: THIS_YEAR_SO_FAR}
    cultural = Activity.objects.filter(conference=conference, kind=ActivityKind.CULTURAL).first()
    made: list[CultureProject] = []
    pool = list(members[:40])
    for year, count in plan.items():
        for index in range(count):
            kind = rng.choice(list(THEMES))
            title = f"{rng.choice(THEMES[kind])}（{year}年第{index + 1}期）"
            people = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
            if year == year_now and index < 3:
                people.append(friend)
            data = culture.ProjectInput(
                title=title,
                kind=kind,
                year=year,
                place=rng.choice(PLACES),
                description="由市政协文化文史和学习委员会组织，委员和政协之友共同参与，面向基层群众开展。",
                activity_id=cultural.pk if cultural and year == year_now and index == 0 else None,
            )
            project = culture.create_project(staff, conference, data, people)
            if rng.random() < 0.85:
                project = culture.set_project_public(staff, project, public=True)
            made.append(project)
    return made


def _award(
    conference: Conference,
    staff: User,
    year: int,
    projects: Sequence[CultureProject],
    people: Sequence[User],
    jurors: Sequence[User],
    nominator: User,
    rng: random.Random,
) -> Award:
    """An award of `year` with project and person nominations and the jury named."""
    award = culture.create_award(
        staff,
        conference,
        culture.AwardInput(
            name="文化公益奖",
            year=year,
            description="表彰在文化惠民、非遗保护和文史工作中作出突出贡献的文化项目和个人。",
            top_n=3,
        ),
    )
    for project in projects:
        culture.nominate(staff, award, project=project, reason="项目覆盖面广、群众反响好，坚持常态化开展。")
    for person in people:
        culture.nominate(nominator, award, person=person, reason="长期热心文化公益，带动身边群众参与。")
    culture.set_jurors(staff, award, jurors)
    return culture.open_scoring(staff, award)


def _score_all(award: Award, jurors: Sequence[User], rng: random.Random, *, skip: User | None = None) -> None:
    for nomination in award.nominations.select_related("project"):
        for juror in jurors:
            if juror == skip or culture.is_own_nomination(juror, nomination):
                continue
            culture.score_nomination(juror, nomination, rng.randint(72, 98), "")


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """Culture projects of the year, a culture award (nominations, jury, results), friends."""
    if len(members) < MIN_MEMBERS or CultureProject.objects.filter(conference=conference).exists():
        return
    rng = random.Random(2026)
    friend = _friend(conference, staff)
    projects = _projects(conference, staff, members, friend.user, rng)
    year_now = today().year

    # Last year's award: scored, decided and published on the portal (duty points for winning members).
    last = [p for p in projects if p.year == year_now - 1 and p.is_public][:5]
    jury = [leader, members[10], members[11]]
    people = [members[12], friend.user]
    past = _award(conference, staff, year_now - 1, last, people, jury, members[13], rng)
    _score_all(past, jury, rng)
    past = culture.decide_results(staff, past)
    culture.publish_results(staff, past)

    # This year's award: the jury sits; the demo member is a juror with scores still to give.
    current = [p for p in projects if p.year == year_now][:4]
    jury_now = [members[0], leader, members[14]]
    now = _award(conference, staff, year_now, current, [members[15]], jury_now, members[16], rng)
    _score_all(now, jury_now, rng, skip=members[0])
