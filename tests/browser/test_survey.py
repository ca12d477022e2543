"""A questionnaire walked through in headless Chromium: a citizen on a phone answers a public
questionnaire, and the skip logic hides the questions the chosen option skips; a member answers on
the phone once; staff see the results drawn as ECharts charts and download the .xlsx."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from xieshang.voice.models import SurveyAnswer, SurveyResponse

from ..factories import PASSWORD
from ..voice.survey_walk import build, choice, questions
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_citizen_answers_on_a_phone_with_skip_logic_and_staff_see_the_chart(pages, world, settings):
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"
    cache.clear()
    base = pages.base_url
    survey = build(world.city, public=True)
    q1, q2, q3, q4 = questions(survey)

    # --- a citizen on a phone: 否 skips questions 2 and 3, 是 shows them again
    citizen = pages.anonymous(PHONE)
    citizen.goto(f"{base}/public/city/surveys/")
    click_and_wait(citizen, f"[data-testid=survey-row-{survey.pk}]")
    assert citizen.locator("[data-testid=captcha-image]").is_visible()
    citizen.check(f"#c{choice(q1, '否')}")
    assert citizen.locator("[data-testid=sheet-q2]").is_hidden()
    assert citizen.locator("[data-testid=sheet-q3]").is_hidden()
    assert citizen.locator("[data-testid=sheet-q4]").is_visible()
    citizen.check(f"#c{choice(q1, '是')}")
    assert citizen.locator("[data-testid=sheet-q2]").is_visible()
    # submitting without the required scale shows the question's error and keeps the choices
    citizen.check(f"#c{choice(q2, '停车')}")
    citizen.fill("[name=captcha]", "42")
    click_and_wait(citizen, "[data-testid=survey-submit]")
    assert "第 3 题为必答题" in citizen.locator("[data-testid=error-q3]").inner_text()
    assert citizen.is_checked(f"#c{choice(q2, '停车')}")
    assert not SurveyResponse.objects.exists()
    # now choose 否 after all, write a suggestion, and submit
    citizen.check(f"#c{choice(q1, '否')}")
    citizen.fill(f"[name=q{q4.pk}]", "小区停车位太少，<script>alert(1)</script>")
    citizen.fill("[name=captcha]", "42")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(citizen, "survey-phone-sheet")
    click_and_wait(citizen, "[data-testid=survey-submit]")
    assert "提交成功" in citizen.locator("[data-testid=survey-thanks]").inner_text()
    shot(citizen, "survey-phone-done")
    response = SurveyResponse.objects.get()
    assert response.respondent is None
    assert {a.question_id for a in SurveyAnswer.objects.all()} == {q1.pk, q4.pk}

    # --- a member answers on the phone from the 我的 page, once
    member = pages.as_user(world.city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/me/")
    click_and_wait(member, "[data-testid=survey-link]")
    click_and_wait(member, f"[data-testid=survey-row-{survey.pk}]")
    member.check(f"#c{choice(q1, '是')}")
    member.check(f"#c{choice(q2, '加装电梯')}")
    member.click(f"label[for=s{q3.pk}-4]")
    click_and_wait(member, "[data-testid=survey-submit]")
    assert member.locator("[data-testid=survey-done]").is_visible()
    assert SurveyResponse.objects.count() == 2

    # --- staff see the results as charts and tables; nothing is fetched from outside
    staff = pages.as_user(world.city.staff.username, PASSWORD)
    staff.goto(f"{base}/voice/surveys/")
    click_and_wait(staff, f"[data-testid=survey-results-{survey.pk}]")
    assert staff.locator("[data-testid=total-responses]").inner_text() == "2"
    staff.wait_for_function("document.querySelector('[data-testid=chart-q1] canvas') !== null")
    assert staff.locator("[data-testid=chart-q3] canvas").count() == 1
    table = staff.locator("[data-testid=table-q1]").inner_text()
    assert "否" in table and "50.0%" in table
    assert "<script>alert(1)</script>" in staff.locator("[data-testid=result-q4]").inner_text()
    shot(staff, "survey-results")
    with staff.expect_download() as download:
        staff.click("[data-testid=survey-export]")
    assert download.value.suggested_filename == f"survey-{survey.pk}.xlsx"
