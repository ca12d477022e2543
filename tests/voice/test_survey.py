"""Questionnaires (services): the state table, building only in draft, who answers, one answer per
person, required answers and skip logic, the time window, the results figures and conference isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.voice import survey as svc
from xieshang.voice.models import Survey, SurveyAnswer, SurveyResponse, SurveyState

from .survey_walk import A, build, choice, full, questions

S = SurveyState


# ---------------------------------------------------------------------------- the state table


@pytest.mark.parametrize("action", sorted(svc.TRANSITIONS))
@pytest.mark.parametrize("state", S.values)
def test_every_row_of_the_table_allows_staff_only_from_its_states(world, action, state):  # type: ignore[no-untyped-def]
    survey = build(world.city, open_=False)
    Survey.objects.filter(pk=survey.pk).update(state=state)
    survey.refresh_from_db()
    do = {"open": svc.open_survey, "close": svc.close_survey}[action]
    for outsider in (world.city.member, world.city.leader, world.county.staff):
        with pytest.raises(AppError) as refused:
            do(outsider, survey)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    if state in svc.TRANSITIONS[action].sources:
        assert do(world.city.staff, survey).state in svc.TRANSITIONS[action].targets
    else:
        with pytest.raises(AppError) as wrong:
            do(world.city.staff, survey)
        assert wrong.value.code == ErrorCode.INVALID_STATE
        survey.refresh_from_db()
        assert survey.state == state


def test_building_opening_and_closing_are_audited_and_the_members_told(
    world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        survey = build(world.city, panel=(world.county.member,))
    svc.close_survey(world.city.staff, survey)
    verbs = list(
        AuditEvent.objects.filter(target_type="survey", target_id=survey.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["create", *["add_question"] * 4, "set_jumps", "open", "close"]
    told = set(Notification.objects.filter(verb="survey_opened").values_list("user__username", flat=True))
    assert told == {"city_member", "city_member2", "county_member"}


def test_a_stale_version_is_refused(world):
    survey = build(world.city, open_=False)
    with pytest.raises(AppError) as stale:
        svc.open_survey(world.city.staff, survey, version=survey.version - 1)
    assert stale.value.code == ErrorCode.STALE_VERSION


def test_questions_are_edited_only_in_draft(world):
    survey = build(world.city)
    q1 = questions(survey)[0]
    with pytest.raises(AppError) as refused:
        svc.add_question(world.city.staff, survey, svc.QuestionInput("text", "再加一题"))
    assert refused.value.code == ErrorCode.INVALID_STATE and "已发布" in refused.value.message
    with pytest.raises(AppError):
        svc.delete_question(world.city.staff, q1)
    with pytest.raises(AppError):
        svc.set_jumps(world.city.staff, q1, {choice(q1, "是"): svc.END})
    assert len(questions(survey)) == 4


def test_members_and_county_staff_cannot_build(world):
    survey = build(world.city, open_=False)
    for who in (world.city.member, world.county.staff, world.city.leader):
        with pytest.raises(AppError) as refused:
            svc.add_question(who, survey, svc.QuestionInput("text", "题目"))
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError):
        svc.create_survey(
            world.county.staff,
            world.city.conference,
            svc.SurveyInput("标题", survey.opens_at, survey.closes_at),
        )


def test_bad_settings_and_questions_are_refused_in_chinese(world):
    survey = build(world.city, open_=False)
    staff = world.city.staff
    bad = [
        svc.QuestionInput("single", "只有一个选项", choices=["是"]),
        svc.QuestionInput("single", "重复选项", choices=["是", "是"]),
        svc.QuestionInput("multiple", "最多可选太多", choices=["甲", "乙"], max_choices=3),
        svc.QuestionInput("scale", "七分量表", scale_max=7),
        svc.QuestionInput("text", "", required=True),
        svc.QuestionInput("text", "字数", text_limit=100000),
        svc.QuestionInput("essay", "未知题型"),
    ]
    for data in bad:
        with pytest.raises(AppError) as refused:
            svc.add_question(staff, survey, data)
        assert refused.value.code == ErrorCode.INVALID_INPUT
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(refused.value.fields.values()))
    assert len(questions(survey)) == 4
    with pytest.raises(AppError) as window:
        svc.update_survey(staff, survey, svc.SurveyInput("标题", survey.closes_at, survey.opens_at))
    assert "结束时间" in window.value.fields["closes_at"]
    with pytest.raises(AppError) as pool:
        svc.update_survey(
            staff,
            survey,
            svc.SurveyInput("标题", survey.opens_at, survey.closes_at, panel_ids=[world.outsider.pk]),
        )
    assert "人才库" in pool.value.fields["panel"]
    with pytest.raises(AppError) as nobody:
        svc.update_survey(
            staff, survey, svc.SurveyInput("标题", survey.opens_at, survey.closes_at, for_members=False)
        )
    assert "作答对象" in nobody.value.fields["for_members"]


def test_jumps_go_forward_only_and_from_single_choice_questions(world):
    survey = build(world.city, open_=False)
    q1, q2, q3, q4 = questions(survey)
    with pytest.raises(AppError) as backwards:
        svc.set_jumps(world.city.staff, q3, {})
    assert "单选题" in backwards.value.fields["jumps"]
    with pytest.raises(AppError) as earlier:
        svc.set_jumps(world.city.staff, q1, {choice(q1, "是"): str(q1.pk)})
    assert "之后" in earlier.value.fields["jumps"]
    with pytest.raises(AppError) as foreign:
        svc.set_jumps(world.city.staff, q1, {choice(q2, "停车"): str(q4.pk)})
    assert "不属于" in foreign.value.fields["jumps"]


def test_a_draft_without_questions_cannot_open(world):
    survey = build(world.city, open_=False)
    for q in questions(survey):
        svc.delete_question(world.city.staff, q)
    with pytest.raises(AppError) as empty:
        svc.open_survey(world.city.staff, survey)
    assert "没有题目" in empty.value.message


# ---------------------------------------------------------------------------- answering


def test_a_member_answers_once_and_the_database_backs_it_up(world):
    survey = build(world.city)
    svc.submit_response(world.city.member, survey, full(survey))
    with pytest.raises(AppError) as twice:
        svc.submit_response(world.city.member, survey, full(survey, score=1))
    assert twice.value.code == ErrorCode.DUPLICATE and "只能作答一次" in twice.value.message
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, respondent=world.city.member)
    # the public (no respondent) are not limited by the constraint
    SurveyResponse.objects.create(survey=survey)
    SurveyResponse.objects.create(survey=survey)


@pytest.mark.parametrize("who", ["outsider", "county_member", "city_staff", "anonymous"])
def test_people_outside_the_audience_cannot_answer_a_members_questionnaire(world, who):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    survey = build(world.city)
    user = {
        "outsider": world.outsider,
        "county_member": world.county.member,
        "city_staff": world.city.staff,
        "anonymous": AnonymousUser(),
    }[who]
    with pytest.raises(AppError) as refused:
        svc.submit_response(user, survey, full(survey), client="x")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not SurveyResponse.objects.exists()


def test_a_panel_member_from_the_talent_pool_answers(world):
    survey = build(world.city, members=False, panel=(world.county.member,))
    svc.submit_response(world.county.member, survey, full(survey))
    with pytest.raises(AppError):
        svc.submit_response(world.city.member, survey, full(survey))
    assert [s.pk for s in svc.my_surveys(world.county.member)] == [survey.pk]
    assert list(svc.my_surveys(world.city.member)) == []


def test_the_talent_pool_search_finds_members_by_expertise(world):
    from xieshang.people.models import Member

    Member.objects.filter(user=world.county.member).update(expertise="城市规划")
    found = list(svc.panel_candidates(world.city.conference.pk, "规划"))
    assert found == [world.county.member]
    assert world.county.member not in svc.panel_candidates(world.county.conference.pk, "不存在的专长")
    assert world.outsider not in svc.panel_candidates(world.city.conference.pk)


def test_required_answers_are_enforced_and_nothing_is_stored(world):
    survey = build(world.city)
    q1, q2, q3, _q4 = questions(survey)
    answers = full(survey)
    del answers[q3.pk]
    with pytest.raises(AppError) as missing:
        svc.submit_response(world.city.member, survey, answers)
    assert missing.value.fields == {f"q{q3.pk}": "第 3 题为必答题。"}
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()
    with pytest.raises(AppError) as empty:
        svc.submit_response(world.city.member, survey, {})
    assert set(empty.value.fields) == {f"q{q1.pk}", f"q{q2.pk}", f"q{q3.pk}"}


def test_skip_logic_drops_answers_to_skipped_questions(world):
    survey = build(world.city)
    q1, q2, q3, q4 = questions(survey)
    # 否 jumps to question 4: questions 2 and 3 (required) are skipped; answers sent for them are dropped
    answers = full(survey, lives="否", text="希望加快进度")
    svc.submit_response(world.city.member, survey, answers)
    stored = {a.question_id for a in SurveyAnswer.objects.all()}
    assert stored == {q1.pk, q4.pk}
    # 不清楚 ends the questionnaire: nothing else is kept, nothing else is required
    svc.submit_response(
        world.city.member2, survey, {q1.pk: A(choice_ids=[choice(q1, "不清楚")]), q4.pk: A(text="x")}
    )
    second = SurveyResponse.objects.get(respondent=world.city.member2)
    assert [a.question_id for a in second.answers.all()] == [q1.pk]
    assert svc.path_through(questions(survey), {q1.pk: A(choice_ids=[choice(q1, "是")])}) == [
        q1.pk,
        q2.pk,
        q3.pk,
        q4.pk,
    ]


@pytest.mark.parametrize(
    "case",
    ["foreign_choice", "two_singles", "too_many", "scale_high", "scale_zero", "text_long", "bad_id"],
)
def test_invalid_answers_are_refused(world, case):  # type: ignore[no-untyped-def]
    survey = build(world.city)
    q1, q2, q3, q4 = questions(survey)
    answers = full(survey)
    if case == "foreign_choice":
        answers[q2.pk] = A(choice_ids=[choice(q1, "是")])
    elif case == "two_singles":
        answers[q1.pk] = A(choice_ids=[choice(q1, "是"), choice(q1, "否")])
    elif case == "too_many":
        answers[q2.pk] = A(choice_ids=[choice(q2, "停车"), choice(q2, "绿化"), choice(q2, "管网")])
    elif case == "scale_high":
        answers[q3.pk] = A(scale=6)
    elif case == "scale_zero":
        answers[q3.pk] = A(scale=0)
    elif case == "text_long":
        answers[q4.pk] = A(text="长" * 201)
    else:
        answers[q2.pk] = A(choice_ids=[999999])
    with pytest.raises(AppError) as refused:
        svc.submit_response(world.city.member, survey, answers)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    (message,) = refused.value.fields.values()
    assert message.startswith("第 ")
    assert not SurveyResponse.objects.exists()


def test_script_tags_are_stored_as_typed(world):
    survey = build(world.city)
    q4 = questions(survey)[3]
    svc.submit_response(world.city.member, survey, full(survey, text="<script>alert(1)</script>"))
    assert SurveyAnswer.objects.get(question=q4).text == "<script>alert(1)</script>"


@pytest.mark.parametrize("when", ["before", "after", "closed"])
def test_answers_outside_the_window_are_refused(world, when):  # type: ignore[no-untyped-def]
    if when == "before":
        survey = build(world.city, opens_in=dt.timedelta(hours=2))
    elif when == "after":
        survey = build(world.city)
        Survey.objects.filter(pk=survey.pk).update(
            opens_at=survey.opens_at - dt.timedelta(days=30), closes_at=survey.opens_at - dt.timedelta(days=1)
        )
    else:
        survey = svc.close_survey(world.city.staff, build(world.city))
    with pytest.raises(AppError) as refused:
        svc.submit_response(world.city.member, survey, full(survey))
    expected = ErrorCode.INVALID_STATE if when == "closed" else ErrorCode.WINDOW_CLOSED
    assert refused.value.code == expected
    assert ("尚未开始" in refused.value.message) == (when == "before")
    assert ("已截止" in refused.value.message) == (when == "after")
    assert not SurveyResponse.objects.exists()


def test_a_draft_takes_no_answers(world):
    survey = build(world.city, open_=False)
    with pytest.raises(AppError) as refused:
        svc.submit_response(world.city.member, survey, full(survey))
    assert refused.value.code == ErrorCode.INVALID_STATE


def test_the_public_are_rate_limited_per_address(world, settings):
    from django.contrib.auth.models import AnonymousUser

    settings.XIESHANG_VOICE_SUBMIT_PER_HOUR = 2
    survey = build(world.city, public=True)
    anonymous = AnonymousUser()
    svc.submit_response(anonymous, survey, full(survey), client="addr-1")
    svc.submit_response(anonymous, survey, full(survey), client="addr-1")
    with pytest.raises(AppError) as limited:
        svc.submit_response(anonymous, survey, full(survey), client="addr-1")
    assert "频繁" in limited.value.message
    svc.submit_response(anonymous, survey, full(survey), client="addr-2")
    assert SurveyResponse.objects.filter(respondent__isnull=True).count() == 3


# ---------------------------------------------------------------------------- reads and isolation


def test_county_staff_and_members_never_see_a_city_questionnaire(world):
    survey = build(world.city)
    with pytest.raises(Http404):
        svc.get_office_survey(world.county.staff, survey.pk)
    with pytest.raises(Http404):
        svc.get_office_survey(world.city.member, survey.pk)
    with pytest.raises(Http404):
        svc.get_answerable(world.county.member, survey.pk)
    assert list(svc.office_surveys(world.county.staff, world.city.conference.pk)) == []
    assert svc.get_office_survey(world.city.leader, survey.pk) == survey


def test_a_draft_is_not_shown_to_members_or_the_public(world):
    survey = build(world.city, public=True, open_=False)
    with pytest.raises(Http404):
        svc.get_answerable(world.city.member, survey.pk)
    with pytest.raises(Http404):
        svc.get_public_survey(world.city.conference, survey.pk)
    with pytest.raises(Http404):
        svc.get_public_survey(world.county.conference, build(world.city, public=True).pk)


# ---------------------------------------------------------------------------- results


def _small_set(world: Any) -> Survey:
    """member: 是 / 电梯+停车 / 4 / text; member2: 是 / 电梯 / 2; the public: 否 → text."""
    from django.contrib.auth.models import AnonymousUser

    survey = build(world.city, public=True)
    svc.submit_response(
        world.city.member,
        survey,
        full(survey, aspects=("加装电梯", "停车"), score=4, text="加装电梯资金分摊"),
    )
    svc.submit_response(world.city.member2, survey, full(survey, aspects=("加装电梯",), score=2))
    svc.submit_response(AnonymousUser(), survey, full(survey, lives="否", text="停车位太少"), client="a")
    return survey


def test_the_results_figures_are_exact(world):
    survey = _small_set(world)
    r = svc.results(survey)
    assert (r.responses, r.public_responses, r.audience, r.known_responses, r.rate) == (3, 1, 2, 2, 100.0)
    q1, q2, q3, q4 = r.questions
    assert q1.answered == 3
    assert [(o.label, o.count, o.percent) for o in q1.options] == [
        ("是", 2, 66.7),
        ("否", 1, 33.3),
        ("不清楚", 0, 0.0),
    ]
    assert q2.answered == 2
    assert [(o.label, o.count, o.percent) for o in q2.options] == [
        ("加装电梯", 2, 100.0),
        ("停车", 1, 50.0),
        ("绿化", 0, 0.0),
        ("管网", 0, 0.0),
    ]
    assert q3.answered == 2 and q3.mean == 3.0
    assert [(o.label, o.count) for o in q3.distribution] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 0)]
    assert sorted(q4.texts) == ["停车位太少", "加装电梯资金分摊"]
    assert sum(t.count for t in q4.themes) == 2
    assert r.charts()[0] == {
        "id": q1.question.pk,
        "kind": "single",
        "labels": ["是", "否", "不清楚"],
        "counts": [2, 1, 0],
    }


def test_the_response_rate_counts_the_known_audience_only(world):
    survey = build(world.city, panel=(world.county.member,))
    svc.submit_response(world.city.member, survey, full(survey))
    r = svc.results(survey)
    assert (r.audience, r.known_responses, r.rate) == (3, 1, 33.3)
    public_only = build(world.city, public=True, members=False)
    assert svc.results(public_only).rate is None


def test_free_texts_are_grouped_by_theme(world):
    from django.contrib.auth.models import AnonymousUser

    survey = build(world.city, public=True)
    texts = [
        "老旧小区加装电梯资金分摊困难",
        "加装电梯资金分摊要有政府补贴",
        "加装电梯资金分摊比例应当明确",
        "小区停车位严重不足停车难",
        "停车位不足，停车难问题突出",
        "小区停车难停车位太少",
    ]
    for i, text in enumerate(texts):
        svc.submit_response(AnonymousUser(), survey, full(survey, text=text), client=f"c{i}")
    themes = svc.results(survey).questions[3].themes
    assert sum(t.count for t in themes) == 6
    assert len(themes) >= 2
    biggest = [set(t.texts) for t in themes[:2]]
    assert set(texts[:3]) in biggest or set(texts[3:]) in biggest


def test_the_demo_seeds_an_open_questionnaire_with_answers_once(world):
    from xieshang.voice import survey_demo

    members = [world.city.member, world.city.member2]
    survey_demo.seed(world.city.conference, world.city.staff, members, world.city.leader)
    survey_demo.seed(world.city.conference, world.city.staff, members, world.city.leader)
    survey = Survey.objects.get()
    assert survey.state == S.OPEN and survey.for_public and survey.for_members
    r = svc.results(survey)
    assert (r.responses, r.public_responses, r.known_responses) == (31, 30, 1)
    assert sum(t.count for t in r.questions[4].themes) == len(r.questions[4].texts) >= 24
    assert [s.pk for s in svc.my_surveys(world.city.member)] == [survey.pk]
