"""Questionnaire pages: staff build and publish through the office pages, members answer once, the
public answer on the portal with the captcha and a limit per address, results with charts and the
.xlsx export; county staff get 404 on a city questionnaire."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.voice import survey as svc
from xieshang.voice.models import Survey, SurveyAnswer, SurveyResponse, SurveyState

from .survey_walk import build, choice, full, login, questions


def _form(
    survey: Survey,
    *,
    lives: str = "是",
    aspects: tuple[str, ...] = ("加装电梯",),
    score: str = "4",
    text: str = "",
) -> dict[str, object]:
    q1, q2, q3, q4 = questions(survey)
    return {
        f"q{q1.pk}": str(choice(q1, lives)),
        f"q{q2.pk}": [str(choice(q2, a)) for a in aspects],
        f"q{q3.pk}": score,
        f"q{q4.pk}": text,
    }


# ---------------------------------------------------------------------------- the office


def test_staff_build_and_publish_a_questionnaire_through_the_pages(world):
    staff = login(world.city.staff)
    assert staff.get(reverse("voice:survey_create")).status_code == 200
    now = timezone.localtime()
    data = {
        "title": "政协委员履职需求调查",
        "intro": "",
        "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "for_members": "on",
    }
    bad = staff.post(reverse("voice:survey_create"), {**data, "closes_at": data["opens_at"]})
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()
    created = staff.post(reverse("voice:survey_create"), data)
    survey = Survey.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "voice:survey_manage", args=[survey.pk]
    )
    add = reverse("voice:survey_question_add", args=[survey.pk])
    refused = staff.post(add, {"kind": "single", "text": "是否参加过培训", "choices": "是", "required": "on"})
    assert refused.status_code == 400 and "至少需要两个选项" in refused.content.decode()
    assert (
        staff.post(
            add, {"kind": "single", "text": "是否参加过培训", "choices": "是\n否\n", "required": "on"}
        ).status_code
        == 302
    )
    assert staff.post(add, {"kind": "text", "text": "培训需求", "text_limit": "300"}).status_code == 302
    q1, q2 = svc.questions_of(survey)
    assert (q2.required, q2.text_limit) == (False, 300)
    jumps = staff.post(reverse("voice:survey_jumps", args=[q1.pk]), {f"jump_{choice(q1, '否')}": svc.END})
    assert jumps.status_code == 302 and q1.choices.get(label="否").jump_end
    page = staff.get(reverse("voice:survey_manage", args=[survey.pk])).content.decode()
    assert "是否参加过培训" in page and "保存跳题设置" in page
    staff.post(reverse("voice:survey_act", args=[survey.pk, "open"]), {"version": survey.version + 3})
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN
    listing = staff.get(reverse("voice:survey_list")).content.decode()
    assert f'data-testid="survey-row-{survey.pk}"' in listing
    searched = staff.get(reverse("voice:survey_list"), {"q": "不存在"}).content.decode()
    assert f'data-testid="survey-row-{survey.pk}"' not in searched


def test_members_cannot_reach_the_office_pages(world):
    survey = build(world.city)
    member = login(world.city.member)
    assert member.get(reverse("voice:survey_create")).status_code == 403
    for name in ("voice:survey_manage", "voice:survey_results", "voice:survey_export"):
        assert member.get(reverse(name, args=[survey.pk])).status_code == 404
    assert member.post(reverse("voice:survey_act", args=[survey.pk, "close"])).status_code == 404
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN


def test_county_staff_get_404_on_a_city_questionnaire(world):
    survey = build(world.city, open_=False)
    county = login(world.county.staff)
    for name in ("voice:survey_manage", "voice:survey_results", "voice:survey_export", "voice:survey_answer"):
        assert county.get(reverse(name, args=[survey.pk])).status_code == 404
    assert county.post(reverse("voice:survey_act", args=[survey.pk, "open"])).status_code == 404
    q1 = questions(survey)[0]
    assert county.post(reverse("voice:survey_question_delete", args=[q1.pk])).status_code == 404
    assert (
        county.post(
            reverse("voice:survey_question_add", args=[survey.pk]), {"kind": "text", "text": "x"}
        ).status_code
        == 404
    )
    survey.refresh_from_db()
    assert survey.state == SurveyState.DRAFT and len(questions(survey)) == 4
    assert f"survey-row-{survey.pk}" not in county.get(reverse("voice:survey_list")).content.decode()


def test_a_published_questionnaire_cannot_be_edited_through_the_pages(world):
    survey = build(world.city)
    staff = login(world.city.staff)
    response = staff.post(
        reverse("voice:survey_question_add", args=[survey.pk]), {"kind": "text", "text": "新题"}
    )
    assert response.status_code == 409 and "已发布" in response.content.decode()
    assert len(questions(survey)) == 4


# ---------------------------------------------------------------------------- members answer


def test_a_member_answers_once_through_the_page(world):
    survey = build(world.city)
    member = login(world.city.member)
    listing = member.get(reverse("voice:survey_list")).content.decode()
    assert f'data-testid="survey-row-{survey.pk}"' in listing and "待作答" in listing
    url = reverse("voice:survey_answer", args=[survey.pk])
    page = member.get(url).content.decode()
    assert 'data-testid="survey-form"' in page and "captcha" not in page
    missing = member.post(url, {**_form(survey), f"q{questions(survey)[2].pk}": ""})
    assert missing.status_code == 400 and "第 3 题为必答题" in missing.content.decode()
    assert not SurveyResponse.objects.exists()
    assert member.post(url, _form(survey, text="<script>alert(1)</script>")).status_code == 302
    again = member.post(url, _form(survey))
    assert "您已提交这份问卷" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert "已作答" in member.get(reverse("voice:survey_list")).content.decode()


def test_the_me_page_links_to_the_questionnaires(world):
    page = login(world.city.member).get(reverse("me")).content.decode()
    assert reverse("voice:survey_list") in page


# ---------------------------------------------------------------------------- the public


def test_the_public_answer_on_the_portal_with_the_captcha(world):
    survey = build(world.city, public=True)
    client = Client()
    listing = client.get(reverse("public:surveys", args=["city"])).content.decode()
    assert f'data-testid="survey-row-{survey.pk}"' in listing
    url = reverse("public:survey", args=["city", survey.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="captcha-image"' in page
    wrong = client.post(url, {**_form(survey), "captcha": "1"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not SurveyResponse.objects.exists()
    client.get(url)
    done = client.post(url, {**_form(survey, lives="否", text="<script>alert(1)</script>"), "captcha": "42"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "public:survey_done", args=["city", survey.pk]
    )
    response = SurveyResponse.objects.get()
    assert response.respondent is None and response.client_hash
    # 否 skipped questions 2 and 3: the values the form still carried for them are dropped
    assert {a.question.position for a in SurveyAnswer.objects.select_related("question")} == {1, 4}
    results = login(world.city.staff).get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results and "<script>alert(1)" not in results


def test_the_public_are_limited_per_address_on_the_portal(world, settings):
    settings.XIESHANG_VOICE_SUBMIT_PER_HOUR = 2
    survey = build(world.city, public=True)
    url = reverse("public:survey", args=["city", survey.pk])
    client = Client()
    for _ in range(2):
        client.get(url)
        assert client.post(url, {**_form(survey), "captcha": "42"}).status_code == 302
    client.get(url)
    limited = client.post(url, {**_form(survey), "captcha": "42"})
    assert limited.status_code == 429 and "频繁" in limited.content.decode()
    assert SurveyResponse.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.get(url)
    assert other.post(url, {**_form(survey), "captcha": "42"}).status_code == 302


def test_the_portal_shows_only_published_public_questionnaires_of_that_conference(world):
    members_only = build(world.city)
    draft = build(world.city, public=True, open_=False)
    public = build(world.city, public=True)
    client = Client()
    assert client.get(reverse("public:survey", args=["city", members_only.pk])).status_code == 404
    assert client.get(reverse("public:survey", args=["city", draft.pk])).status_code == 404
    assert client.get(reverse("public:survey", args=["county", public.pk])).status_code == 404
    assert client.get(reverse("public:survey", args=["nowhere", public.pk])).status_code == 404


def test_the_portal_refuses_answers_outside_the_window(world):
    later = build(world.city, public=True, opens_in=dt.timedelta(hours=3))
    client = Client()
    url = reverse("public:survey", args=["city", later.pk])
    page = client.get(url).content.decode()
    assert "不在作答时间内" in page and 'data-testid="survey-form"' not in page
    refused = client.post(url, {**_form(later), "captcha": "42"})
    assert refused.status_code == 400 and "尚未开始" in refused.content.decode()
    closed = svc.close_survey(world.city.staff, build(world.city, public=True))
    url = reverse("public:survey", args=["city", closed.pk])
    assert "不在作答时间内" in client.get(url).content.decode()
    assert client.post(url, {**_form(closed), "captcha": "42"}).status_code == 409
    assert not SurveyResponse.objects.exists()


# ---------------------------------------------------------------------------- results and export


def _answered(world) -> Survey:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    survey = build(world.city, public=True)
    svc.submit_response(
        world.city.member, survey, full(survey, aspects=("加装电梯", "停车"), score=4, text="=1+1")
    )
    svc.submit_response(world.city.member2, survey, full(survey, score=2))
    svc.submit_response(AnonymousUser(), survey, full(survey, lives="否", text="停车位太少"), client="a")
    return survey


def test_staff_and_leaders_read_the_results_with_charts_and_tables(world):
    survey = _answered(world)
    for user in (world.city.staff, world.city.leader):
        page = login(user).get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
        assert 'data-testid="total-responses">3<' in page
        assert 'data-testid="response-rate">100.0%<' in page
        assert 'data-testid="mean-q3">3.0<' in page
        assert 'id="survey-charts"' in page and "vendor/echarts/echarts.min.js" in page
        assert 'id="chart-' in page and "停车位太少" in page


def test_the_xlsx_export_has_raw_answers_and_summaries(world):
    survey = _answered(world)
    response = login(world.city.staff).get(reverse("voice:survey_export", args=[survey.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["原始答卷", "汇总"]
    raw = [list(r) for r in wb["原始答卷"].iter_rows(values_only=True)]
    assert raw[0][:4] == ["答卷编号", "提交时间", "答卷人", "1. 您是否住在老旧小区？"]
    assert len(raw) == 4
    assert raw[1][2:] == ["city委员甲", "是", "加装电梯；停车", 4, "'=1+1"]
    assert raw[2][2:] == ["city委员乙", "是", "加装电梯", 2, None]
    assert raw[3][2:] == ["公众", "否", None, None, "停车位太少"]
    summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
    assert [c if c is not None else "" for c in summary[1]] == ["", "答卷总数", "", 3, "", ""]
    rows = {(r[2], r[3]) for r in summary}
    assert ("是", 2) in rows and ("否", 1) in rows and ("加装电梯", 2) in rows and ("停车", 1) in rows
    scale = next(r for r in summary if r[0] == 3)
    assert scale[3] == 2 and scale[5] == 3.0
