"""Culture projects and awards: the award state table by role and conference, the jury's scoring rules,
the results computation, duty points for winning members (once), and the portal showing results only
after publication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import EventKind, PointEvent
from xieshang.people.models import RoleKind
from xieshang.publishing import culture, friends
from xieshang.publishing.models import (
    Award,
    AwardState,
    CultureProject,
    Friend,
    Nomination,
    Score,
    WinnerRule,
)

from ..conftest import Side
from ..factories import PASSWORD, UserFactory, give_role

S = AwardState


def _project(side: Side, title: str = "非遗剪纸进社区", year: int = 2026, **kw: object) -> CultureProject:
    participants = kw.pop("participants", [side.member])
    data = culture.ProjectInput(title=title, kind=str(kw.pop("kind", "heritage")), year=year)
    return culture.create_project(side.staff, side.conference, data, participants)  # type: ignore[arg-type]


def _award(side: Side, **kw: object) -> Award:
    data = culture.AwardInput(name=str(kw.pop("name", "文化公益奖")), year=2026, **kw)  # type: ignore[arg-type]
    return culture.create_award(side.staff, side.conference, data)


def _juror(side: Side, name: str) -> object:
    user = UserFactory(username=f"{side.conference.code}_{name}", display_name=name)
    return give_role(user, side.conference, RoleKind.MEMBER)


def _scoring(side: Side) -> tuple[Award, Nomination, Nomination, list]:  # type: ignore[type-arg]
    """An award with a project nomination and a person nomination, two jurors, scoring open."""
    award = _award(side)
    project = _project(side, participants=[side.member])
    by_project = culture.nominate(side.staff, award, project=project, reason="三年坚持开展非遗进社区。")
    by_person = culture.nominate(side.member, award, person=side.member2, reason="自费举办书画公益展。")
    jurors = [_juror(side, "评委甲"), _juror(side, "评委乙")]
    culture.set_jurors(side.staff, award, jurors)  # type: ignore[arg-type]
    award = culture.open_scoring(side.staff, award)
    return award, by_project, by_person, jurors


def _decided(
    side: Side, scores: dict[str, tuple[int, int]] | None = None
) -> tuple[Award, Nomination, Nomination]:
    award, by_project, by_person, (j1, j2) = _scoring(side)
    scores = scores or {"project": (90, 94), "person": (80, 70)}
    for nomination, key in [(by_project, "project"), (by_person, "person")]:
        culture.score_nomination(j1, nomination, scores[key][0])  # type: ignore[arg-type]
        culture.score_nomination(j2, nomination, scores[key][1])  # type: ignore[arg-type]
    return culture.decide_results(side.staff, award), by_project, by_person


def _advance(side: Side, award: Award, target: str) -> Award:
    """From a scoring award to `target` (decided or published) with one score."""
    nomination = award.nominations.first()
    assert nomination is not None
    culture.score_nomination(award.jurors.first(), nomination, 88)  # type: ignore[arg-type]
    if target != S.SCORING:
        award = culture.decide_results(side.staff, award)
    if target == S.PUBLISHED:
        award = culture.publish_results(side.staff, award)
    return award


# ---------------------------------------------------------------------------- the state table


def test_the_state_table_names_only_known_states_and_roles():
    for action, row in culture.TRANSITIONS.items():
        assert row.sources <= set(S.values), action
        assert row.targets <= set(S.values), action
        assert row.roles == {"staff"}, action
        assert action in culture.ACTIONS


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("open_scoring", S.NOMINATING, S.SCORING),
        ("decide", S.SCORING, S.DECIDED),
        ("reopen_scoring", S.DECIDED, S.SCORING),
        ("publish", S.DECIDED, S.PUBLISHED),
        ("unpublish", S.PUBLISHED, S.DECIDED),
    ],
)
def test_staff_of_the_conference_take_every_transition_and_nobody_else_does(world, action, start, end):
    # given an award in the start state
    side = world.city
    award = _award(side)
    culture.nominate(side.member, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [side.leader])
    if start != S.NOMINATING:
        award = culture.open_scoring(side.staff, award)
        award = _advance(side, award, start)
    assert award.state == start
    # then members, leaders, jurors, another conference's staff and outsiders are refused
    for user in [side.member, side.leader, world.county.staff, world.outsider]:
        with pytest.raises(AppError) as refused:
            culture.ACTIONS[action](user, award)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    award.refresh_from_db()
    assert award.state == start
    # and staff of the conference move it
    assert culture.ACTIONS[action](side.staff, award).state == end


def test_an_action_from_the_wrong_state_is_refused_with_a_chinese_message(world):
    award = _award(world.city)
    with pytest.raises(AppError) as refused:
        culture.publish_results(world.city.staff, award)
    assert refused.value.code == ErrorCode.INVALID_STATE
    assert "提名中" in refused.value.message and "公布结果" in refused.value.message


def test_scoring_needs_a_nomination_and_a_jury(world):
    side = world.city
    award = _award(side)
    with pytest.raises(AppError, match="还没有提名"):
        culture.open_scoring(side.staff, award)
    culture.nominate(side.member, award, person=side.member2, reason="理由")
    with pytest.raises(AppError, match="请先确定评委"):
        culture.open_scoring(side.staff, award)
    assert Award.objects.get(pk=award.pk).state == S.NOMINATING


def test_a_stale_version_is_refused(world):
    side = world.city
    award = _award(side)
    culture.nominate(side.member, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [side.leader])
    with pytest.raises(AppError) as refused:
        culture.open_scoring(side.staff, award, version=1)
    assert refused.value.code == ErrorCode.STALE_VERSION


def test_another_conference_cannot_read_or_nominate_into_an_award(world):
    award = _award(world.city)
    county_project = _project(world.county, participants=[world.county.member])
    for user in [world.county.staff, world.county.leader, world.outsider]:
        with pytest.raises(Exception) as missing:
            culture.get_award(user, award.pk)
        assert missing.type.__name__ == "Http404"
    assert not culture.office_awards(world.county.staff, world.city.conference.pk).exists()
    with pytest.raises(AppError) as refused:
        culture.nominate(world.county.member, award, person=world.city.member2, reason="理由")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError) as other:
        culture.nominate(world.city.staff, award, project=county_project, reason="理由")
    assert other.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError):
        culture.nominate(world.city.staff, award, person=world.county.member, reason="理由")
    assert not award.nominations.exists()


def test_a_county_office_page_never_shows_a_city_award(world):
    award = _award(world.city)
    client = Client()
    client.force_login(world.county.staff)
    assert client.get(reverse("publishing:award", args=[award.pk])).status_code == 404
    response = client.post(reverse("publishing:award_act", args=[award.pk, "open_scoring"]))
    assert response.status_code == 404


# ---------------------------------------------------------------------------- nominations


def test_nominations_close_when_scoring_opens_and_nobody_nominates_themselves(world):
    side = world.city
    award = _award(side)
    with pytest.raises(AppError) as self_nominated:
        culture.nominate(side.member, award, person=side.member, reason="理由")
    assert self_nominated.value.fields == {"person": "不能提名自己。"}
    with pytest.raises(AppError) as no_reason:
        culture.nominate(side.member, award, person=side.member2, reason="  ")
    assert no_reason.value.fields == {"reason": "提名理由不能为空。"}
    with pytest.raises(AppError):
        culture.nominate(side.leader, award, person=side.member2, reason="理由")  # leaders do not nominate
    culture.nominate(side.member, award, person=side.member2, reason="理由")
    with pytest.raises(AppError) as twice:
        culture.nominate(side.staff, award, person=side.member2, reason="理由")
    assert twice.value.code == ErrorCode.DUPLICATE
    culture.set_jurors(side.staff, award, [side.leader])
    culture.open_scoring(side.staff, award)
    with pytest.raises(AppError) as closed:
        culture.nominate(side.staff, award, project=_project(side), reason="理由")
    assert closed.value.code == ErrorCode.WINDOW_CLOSED
    assert award.nominations.count() == 1


def test_the_jury_is_fixed_when_scoring_opens_and_holds_only_people_of_the_conference(world):
    side = world.city
    award = _award(side)
    with pytest.raises(AppError) as outside:
        culture.set_jurors(side.staff, award, [world.county.member])
    assert "不属于本级政协" in outside.value.fields["jurors"]
    culture.nominate(side.member, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [side.leader])
    culture.open_scoring(side.staff, award)
    with pytest.raises(AppError) as fixed:
        culture.set_jurors(side.staff, award, [side.leader, side.member])
    assert fixed.value.code == ErrorCode.INVALID_STATE
    assert list(award.jurors.all()) == [side.leader]


# ---------------------------------------------------------------------------- scoring


def test_a_juror_scores_once_per_nomination_and_may_change_the_score_until_the_jury_closes(world):
    side = world.city
    award, by_project, by_person, (j1, _j2) = _scoring(side)
    culture.score_nomination(j1, by_person, 70, "有影响")
    culture.score_nomination(j1, by_person, 85, "复核后上调")
    scores = Score.objects.filter(nomination=by_person, juror=j1)
    assert scores.count() == 1 and scores.get().value == 85 and scores.get().comment == "复核后上调"
    culture.score_nomination(j1, by_project, 90)
    culture.decide_results(side.staff, award)
    with pytest.raises(AppError) as closed:
        culture.score_nomination(j1, by_person, 99)
    assert closed.value.code == ErrorCode.WINDOW_CLOSED and "评审已经结束" in closed.value.message
    assert Score.objects.get(nomination=by_person, juror=j1).value == 85


def test_only_jurors_score(world):
    side = world.city
    _award, _by_project, by_person, _jurors = _scoring(side)
    for user in [side.staff, side.leader, side.member, world.county.staff, world.outsider]:
        with pytest.raises(AppError) as refused:
            culture.score_nomination(user, by_person, 80)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not Score.objects.exists()


def test_scores_outside_zero_to_a_hundred_are_refused(world):
    _award, _by_project, by_person, (j1, _j2) = _scoring(world.city)
    for value in [-1, 101, True, "90"]:
        with pytest.raises(AppError) as refused:
            culture.score_nomination(j1, by_person, value)  # type: ignore[arg-type]
        assert refused.value.fields == {"value": "分数应为 0 至 100 的整数。"}
    culture.score_nomination(j1, by_person, 0)
    culture.score_nomination(j1, by_person, 100)
    assert Score.objects.get().value == 100


def test_nobody_scores_before_scoring_opens(world):
    side = world.city
    award = _award(side)
    nomination = culture.nominate(side.member, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [side.leader])
    with pytest.raises(AppError) as early:
        culture.score_nomination(side.leader, nomination, 80)
    assert early.value.code == ErrorCode.WINDOW_CLOSED


def test_a_juror_does_not_score_their_own_nomination_or_project(world):
    side = world.city
    award = _award(side)
    project = _project(side, participants=[side.member])
    on_project = culture.nominate(side.staff, award, project=project, reason="理由")
    on_person = culture.nominate(side.staff, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [side.member, side.member2])
    culture.open_scoring(side.staff, award)
    with pytest.raises(AppError, match="回避"):
        culture.score_nomination(side.member, on_project, 90)
    with pytest.raises(AppError, match="回避"):
        culture.score_nomination(side.member2, on_person, 90)
    culture.score_nomination(side.member, on_person, 90)
    assert Score.objects.count() == 1


def test_the_jury_page_saves_a_score_and_refuses_a_bad_one_in_chinese(world):
    side = world.city
    award, _by_project, by_person, (j1, _j2) = _scoring(side)
    client = Client()
    client.force_login(j1)
    url = reverse("publishing:award_score", args=[award.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"nomination": by_person.pk, "value": "150"})
    assert bad.status_code == 400 and not Score.objects.exists()
    assert client.post(url, {"nomination": by_person.pk, "value": "88"}).status_code == 302
    assert Score.objects.get().value == 88
    other = Client()
    other.force_login(side.member)
    assert other.get(url).status_code == 404


# ---------------------------------------------------------------------------- results


def test_results_rank_by_mean_and_ties_share_a_place():
    means = {1: Decimal("90"), 2: Decimal("85.50"), 3: Decimal("85.50"), 4: Decimal("70"), 5: None}
    results = {r.nomination_id: r for r in culture.compute_results(means, WinnerRule.TOP, 2, Decimal(0))}
    assert [results[i].rank for i in (1, 2, 3, 4, 5)] == [1, 2, 2, 4, None]
    # top 2 with a tie at the second place: both tied nominations win
    assert [results[i].is_winner for i in (1, 2, 3, 4, 5)] == [True, True, True, False, False]


def test_results_by_a_score_line_take_everyone_at_or_above_it():
    means = {1: Decimal("90"), 2: Decimal("85.00"), 3: Decimal("84.99"), 4: None}
    results = {
        r.nomination_id: r for r in culture.compute_results(means, WinnerRule.THRESHOLD, 1, Decimal(85))
    }
    assert [results[i].is_winner for i in (1, 2, 3, 4)] == [True, True, False, False]


def test_deciding_stores_mean_rank_and_winners(world):
    side = world.city
    _award, by_project, by_person = _decided(side, {"project": (90, 95), "person": (81, 80)})
    by_project.refresh_from_db()
    by_person.refresh_from_db()
    assert by_project.mean_score == Decimal("92.50") and by_project.rank == 1 and by_project.is_winner
    assert by_person.mean_score == Decimal("80.50") and by_person.rank == 2 and by_person.is_winner  # top 3


def test_the_winner_rule_on_the_award_decides_who_wins(world):
    side = world.city
    award, by_project, by_person, (j1, j2) = _scoring(side)
    culture.update_award(
        side.staff, award, culture.AwardInput(name="文化公益奖", year=2026, rule=WinnerRule.TOP, top_n=1)
    )
    for nomination, values in [(by_project, (90, 95)), (by_person, (81, 80))]:
        culture.score_nomination(j1, nomination, values[0])
        culture.score_nomination(j2, nomination, values[1])
    culture.decide_results(side.staff, award)
    assert list(award.nominations.filter(is_winner=True)) == [by_project]


def test_deciding_without_any_score_is_refused(world):
    award, *_rest = _scoring(world.city)
    with pytest.raises(AppError, match="评委还没有打分"):
        culture.decide_results(world.city.staff, award)


def test_reopening_clears_the_results(world):
    side = world.city
    award, by_project, _by_person = _decided(side)
    culture.reopen_scoring(side.staff, award)
    by_project.refresh_from_db()
    assert by_project.rank is None and by_project.mean_score is None and not by_project.is_winner


def test_award_settings_refuse_bad_input_and_freeze_once_decided(world):
    side = world.city
    award = _award(side)
    for bad, field in [
        ({"top_n": 0}, "top_n"),
        ({"min_score": Decimal(101)}, "min_score"),
        ({"rule": "x"}, "rule"),
    ]:
        with pytest.raises(AppError) as refused:
            culture.update_award(side.staff, award, culture.AwardInput(name="文化公益奖", year=2026, **bad))
        assert field in refused.value.fields
    with pytest.raises(AppError) as duplicate:
        _award(side)
    assert duplicate.value.code == ErrorCode.DUPLICATE
    decided, *_rest = _decided(world.county)
    with pytest.raises(AppError) as frozen:
        culture.update_award(world.county.staff, decided, culture.AwardInput(name="新名称", year=2026))
    assert frozen.value.code == ErrorCode.INVALID_STATE


# ---------------------------------------------------------------------------- duty points


def _award_events(side: Side, award: Award) -> list[tuple[int, str]]:
    events = PointEvent.objects.filter(kind=EventKind.CULTURE_AWARD, source_type="award", source_id=award.pk)
    return sorted(events.values_list("user_id", "role"))


def test_winning_members_get_the_culture_award_event_once(world):
    side = world.city
    award, _by_project, _by_person = _decided(side)
    culture.publish_results(side.staff, award)
    # the project's member participant and the nominated member, one event each
    assert _award_events(side, award) == sorted([(side.member.pk, ""), (side.member2.pk, "")])
    event = PointEvent.objects.get(user=side.member2, source_id=award.pk)
    assert event.title == "2026年度文化公益奖" and event.conference_id == side.conference.pk


def test_publishing_again_after_a_takedown_gives_the_points_once(world):
    side = world.city
    award, *_rest = _decided(side)
    culture.publish_results(side.staff, award)
    culture.unpublish_results(side.staff, award)
    assert _award_events(side, award) == []
    culture.publish_results(side.staff, award)
    assert len(_award_events(side, award)) == 2


def test_a_replayed_publication_writes_no_second_event(world):
    side = world.city
    award, *_rest = _decided(side)
    award = culture.publish_results(side.staff, award)
    # a replay of the duty step (e.g. a retried job) finds the existing events
    for user_id in culture.winning_members(award):
        from xieshang.duty import services as duty

        duty.record_event(
            conference_id=side.conference.pk,
            user_id=user_id,
            kind=EventKind.CULTURE_AWARD,
            occurred_on=award.published_at.date(),  # type: ignore[union-attr]
            source_type="award",
            source_id=award.pk,
        )
    assert len(_award_events(side, award)) == 2


def test_a_friend_who_wins_gets_no_duty_points(world):
    side = world.city
    friend, _password = friends.create_friend(
        side.staff, side.conference, friends.FriendInput("赵书画", "13900000001", "书法")
    )
    award = _award(side)
    culture.nominate(side.staff, award, person=friend.user, reason="义务教书法十年。")
    culture.set_jurors(side.staff, award, [side.leader])
    culture.open_scoring(side.staff, award)
    culture.score_nomination(side.leader, award.nominations.get(), 95)
    culture.decide_results(side.staff, award)
    culture.publish_results(side.staff, award)
    assert _award_events(side, award) == []
    assert [n.award_id for n in friends.my_awards(friend.user, side.conference.pk)] == [award.pk]


def test_winners_are_notified_after_commit(world, django_capture_on_commit_callbacks):
    from xieshang.notify.models import Notification

    side = world.city
    award, *_rest = _decided(side)
    with django_capture_on_commit_callbacks(execute=True):
        culture.publish_results(side.staff, award)
    assert Notification.objects.filter(verb="award_won", user=side.member2).exists()


# ---------------------------------------------------------------------------- the portal


def test_the_portal_shows_results_only_after_publication(world):
    side = world.city
    award, _by_project, _by_person = _decided(side)
    client = Client()
    url = reverse("public:award", args=["city", award.pk])
    assert client.get(url).status_code == 404
    assert "非遗剪纸进社区" not in client.get(reverse("public:culture", args=["city"])).content.decode()
    culture.publish_results(side.staff, award)
    page = client.get(url).content.decode()
    assert "2026年度文化公益奖" in page and "非遗剪纸进社区" in page
    assert "非遗剪纸进社区" in client.get(reverse("public:culture", args=["city"])).content.decode()
    assert "2026年度文化公益奖" in client.get(reverse("public:conference", args=["city"])).content.decode()
    # another conference's portal never shows it
    assert client.get(reverse("public:award", args=["county", award.pk])).status_code == 404
    # taking the results down removes them at once
    culture.unpublish_results(side.staff, award)
    assert client.get(url).status_code == 404


def test_the_portal_never_shows_jurors_scores(world):
    side = world.city
    award, *_rest = _decided(side, {"project": (77, 91), "person": (80, 70)})
    culture.publish_results(side.staff, award)
    page = Client().get(reverse("public:award", args=["city", award.pk])).content.decode()
    assert "84.00" in page and "评委甲" not in page and ">77<" not in page


# ---------------------------------------------------------------------------- projects


def test_projects_take_only_members_and_friends_of_the_conference(world):
    side = world.city
    with pytest.raises(AppError) as refused:
        _project(side, participants=[side.member, world.county.member])
    assert "participants" in refused.value.fields
    with pytest.raises(AppError):
        _project(side, participants=[side.unit_user])
    assert not CultureProject.objects.exists()
    with pytest.raises(AppError) as denied:
        culture.create_project(side.member, side.conference, culture.ProjectInput("x", "lecture", 2026))
    assert denied.value.code == ErrorCode.PERMISSION_DENIED


def test_a_project_links_only_an_activity_of_its_conference(world):
    from ..activities.conftest import make_activity

    county_activity = make_activity(world.county, kind="cultural", title="县读书会", publish=False)
    city_activity = make_activity(world.city, kind="cultural", title="市读书会", publish=False)
    data = culture.ProjectInput("读书会", "reading", 2026, activity_id=county_activity.pk)
    with pytest.raises(AppError) as refused:
        culture.create_project(world.city.staff, world.city.conference, data)
    assert refused.value.fields == {"activity": "找不到本级政协的该活动。"}
    data.activity_id = city_activity.pk
    assert culture.create_project(world.city.staff, world.city.conference, data).activity == city_activity


def test_projects_are_counted_per_conference_and_year(world):
    side = world.city
    for year, n in [(2021, 2), (2024, 1), (2026, 3)]:
        for i in range(n):
            _project(side, title=f"项目{year}-{i}", year=year)
    _project(world.county, title="县项目", year=2019, participants=[world.county.member])
    counts = culture.project_counts(side.conference.pk)
    assert counts.total == 6 and counts.since == 2021
    assert counts.by_year == [(2021, 2), (2024, 1), (2026, 3)]
    assert culture.project_counts(side.conference.pk, public_only=True).total == 0


def test_the_office_page_shows_the_count_since_the_first_year(world):
    side = world.city
    _project(side, title="书画笔会", year=2023)
    _project(side, title="非遗展", year=2026)
    client = Client()
    client.force_login(side.leader)
    page = client.get(reverse("publishing:culture")).content.decode()
    assert "自 2023 年以来共开展文化项目 <strong>2</strong> 项" in page
    assert 'id="culture-chart-data"' in page
    assert client.get(reverse("publishing:culture") + "?q=书画").content.decode().count("书画笔会") >= 1
    client.force_login(side.member)
    assert client.get(reverse("publishing:culture")).status_code == 403


def test_a_project_appears_on_the_portal_only_while_public(world):
    side = world.city
    project = _project(side, title="古城墙摄影展")
    client = Client()
    portal = reverse("public:culture", args=["city"])
    assert "古城墙摄影展" not in client.get(portal).content.decode()
    culture.set_project_public(side.staff, project, public=True)
    assert "古城墙摄影展" in client.get(portal).content.decode()
    assert "古城墙摄影展" not in client.get(reverse("public:culture", args=["county"])).content.decode()
    culture.set_project_public(side.staff, project, public=False)
    assert "古城墙摄影展" not in client.get(portal).content.decode()


def test_staff_plan_a_project_through_the_page_and_bad_input_changes_nothing(world):
    side = world.city
    client = Client()
    client.force_login(side.staff)
    url = reverse("publishing:culture_project_new")
    bad = client.post(url, {"title": "", "kind": "lecture", "year": "2026"})
    assert bad.status_code == 400 and not CultureProject.objects.exists()
    ok = client.post(
        url,
        {"title": "地方戏曲进校园", "kind": "performance", "year": "2026", "participants": [side.member.pk]},
    )
    project = CultureProject.objects.get()
    assert ok.status_code == 302 and list(project.participants.all()) == [side.member]


def test_the_demo_seeds_projects_a_published_award_a_sitting_jury_and_a_friend(world):
    from xieshang.core.dates import today
    from xieshang.publishing import culture_demo

    side = world.city
    members = [side.member, side.member2] + [_juror(side, f"委员{i}") for i in range(20)]
    culture_demo.seed(side.conference, side.staff, members, side.leader)  # type: ignore[arg-type]
    counts = culture.project_counts(side.conference.pk)
    assert counts.since == 2019 and counts.total > 150
    published = Award.objects.get(conference=side.conference, state=S.PUBLISHED)
    assert published.year == today().year - 1 and published.nominations.filter(is_winner=True).count() >= 3
    sitting = Award.objects.get(conference=side.conference, state=S.SCORING)
    assert side.member in sitting.jurors.all() and not culture.my_scores(side.member, sitting)
    friend = Friend.objects.get(conference=side.conference)
    assert friend.user.check_password(PASSWORD)  # the demo password every account shares
    assert PointEvent.objects.filter(kind=EventKind.CULTURE_AWARD, source_id=published.pk).exists()
    # seeding twice adds nothing
    culture_demo.seed(side.conference, side.staff, members, side.leader)  # type: ignore[arg-type]
    assert culture.project_counts(side.conference.pk).total == counts.total


# ---------------------------------------------------------------------------- pages


def test_a_member_nominates_through_the_page_and_withdraws(world):
    side = world.city
    award = _award(side)
    client = Client()
    client.force_login(side.member)
    mine = client.get(reverse("publishing:culture_mine")).content.decode()
    assert f"open-award-{award.pk}" in mine
    url = reverse("publishing:culture_nominate", args=[award.pk])
    empty = client.post(url, {"reason": "理由"})
    assert empty.status_code == 400 and "请选择一个文化项目或一位被提名人" in empty.content.decode()
    assert client.post(url, {"person": side.member2.pk, "reason": "热心公益。"}).status_code == 302
    nomination = award.nominations.get()
    assert nomination.nominated_by == side.member
    withdraw = reverse("publishing:culture_withdraw", args=[award.pk, nomination.pk])
    other = Client()
    other.force_login(side.member2)
    other.post(withdraw)
    assert award.nominations.exists()  # only the nominator or staff withdraw
    client.post(withdraw)
    assert not award.nominations.exists()
    county = Client()
    county.force_login(world.county.member)
    assert county.get(url).status_code == 404


def test_staff_run_an_award_through_the_office_pages(world):
    side = world.city
    client = Client()
    client.force_login(side.staff)
    created = client.post(
        reverse("publishing:awards"),
        {"name": "文化公益奖", "year": "2026", "rule": "threshold", "top_n": "3", "min_score": "85"},
    )
    award = Award.objects.get()
    assert created.status_code == 302 and award.rule == WinnerRule.THRESHOLD
    page = reverse("publishing:award", args=[award.pk])
    nominated = client.post(
        reverse("publishing:award_nominate_office", args=[award.pk]),
        {"person": side.member.pk, "reason": "理由"},
    )
    assert nominated.status_code == 302
    jurors = client.post(
        reverse("publishing:award_jurors", args=[award.pk]),
        {"jurors": [side.leader.pk], "version": award.version},
    )
    assert jurors.status_code == 302 and list(award.jurors.all()) == [side.leader]
    client.post(reverse("publishing:award_act", args=[award.pk, "open_scoring"]))
    assert Award.objects.get().state == S.SCORING
    assert "尚缺 1 个评分" in client.get(page).content.decode()
    # a leader reads the page but may not act
    leader = Client()
    leader.force_login(side.leader)
    assert leader.get(page).status_code == 200
    leader.post(reverse("publishing:award_act", args=[award.pk, "decide"]))
    assert Award.objects.get().state == S.SCORING
    assert leader.post(reverse("publishing:awards"), {"name": "x", "year": "2026"}).status_code == 403


def test_the_portal_culture_page_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    side = world.city
    for i in range(6):
        project = _project(side, title=f"项目{i}", year=2020 + i)
        culture.set_project_public(side.staff, project, public=True)
    award, *_rest = _decided(side)
    culture.publish_results(side.staff, award)
    client = Client()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("public:culture", args=["city"]))
    assert response.status_code == 200 and "自 2020 年以来共开展文化项目" in response.content.decode()
