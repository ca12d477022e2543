"""A study quiz walked through the pages in headless Chromium: a member on a phone opens their study
page from 我的, takes a quiz (single, multiple and true/false), hands it in, sees the mark with each
question's feedback, and finds the duty point on their duty record; staff then see the result."""

from __future__ import annotations

from typing import Any

from xieshang.duty.models import EventKind, PointEvent
from xieshang.research.models import QuizAttempt

from ..factories import PASSWORD
from ..research.test_study_services import bank, quiz
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def fits_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_member_takes_a_quiz_on_a_phone_and_sees_the_mark_and_the_points(pages, world):
    base = pages.base_url
    city = world.city
    single, multiple, true_false = bank(city)
    made = quiz(city, [single, multiple, true_false], title="政协章程知识测验", pass_mark=60)

    # --- the member finds the quiz from 我的 → 我的学习
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/me/")
    click_and_wait(member, "[data-testid=study-record-link]")
    assert "政协章程知识测验" in member.inner_text("[data-testid=open-quizzes]")
    assert fits_phone(member)
    click_and_wait(member, f"[data-testid=quiz-card-{made.pk}]")
    click_and_wait(member, "[data-testid=quiz-start]")

    # --- answers: single right (B), multiple only partly (A, B: wrong), true/false right (A)
    member.check("[data-testid=option-1-B]")
    member.check("[data-testid=option-2-A]")
    member.check("[data-testid=option-2-B]")
    member.check("[data-testid=option-3-A]")
    assert fits_phone(member)
    shot(member, "study-quiz-phone-answering")
    click_and_wait(member, "[data-testid=attempt-submit]")

    # --- the mark, the pass, and the feedback per question
    assert member.inner_text("[data-testid=attempt-score]").startswith("67")
    assert member.locator("[data-testid=attempt-passed]").is_visible()
    assert "错误" in member.inner_text("[data-testid=feedback-2]")
    assert "正确答案：ABC" in member.inner_text("[data-testid=feedback-2]")
    assert "人民政协是中国人民爱国统一战线的组织" in member.inner_text("[data-testid=feedback-1]")
    assert fits_phone(member)
    shot(member, "study-quiz-phone-result")
    attempt = QuizAttempt.objects.get(quiz=made, user=city.member)
    assert (attempt.score, attempt.passed) == (67, True)
    assert PointEvent.objects.filter(user=city.member, kind=EventKind.STUDY_QUIZ_PASSED).count() == 1

    # --- the point appears on the member's duty record
    click_and_wait(member, "[data-testid=duty-link]")
    text = member.inner_text("main")
    assert "学习测验合格" in text or "政协章程知识测验" in text
    assert fits_phone(member)
    shot(member, "study-quiz-phone-duty")

    # --- staff see the result and the pass rate
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/research/study/quizzes/{made.pk}/results/")
    assert staff.inner_text("[data-testid=pass-rate]") == "100.0%"
    assert str(city.member) in staff.inner_text("[data-testid=results-table]")
    staff.wait_for_function("document.querySelector('#chart-question-rates canvas') !== null")
    shot(staff, "study-quiz-results")


def test_answers_survive_a_reload_and_the_attempt_is_handed_in_at_the_closing_second(pages, world):
    import datetime as dt

    from django.utils import timezone

    city = world.city
    single, _multiple, true_false = bank(city)
    now = timezone.now()
    made = quiz(
        city,
        [single, true_false],
        title="限时测验",
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(seconds=25),  # room for a slow machine to get there first
    )
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{pages.base_url}/research/study/quizzes/{made.pk}/")
    click_and_wait(member, "[data-testid=quiz-start]")
    assert "距截止 0:" in member.inner_text("[data-testid=attempt-clock]")
    member.check("[data-testid=option-1-B]")
    member.reload()  # a phone drops the page: the answer is still chosen
    assert member.is_checked("[data-testid=option-1-B]")
    member.check("[data-testid=option-2-A]")
    # nobody presses 交卷: at the closing second the page hands the attempt in by itself
    member.wait_for_selector("[data-testid=attempt-score]", timeout=60_000)
    assert member.inner_text("[data-testid=attempt-score]").startswith("100")
    attempt = QuizAttempt.objects.get(quiz=made, user=city.member)
    assert attempt.is_submitted and attempt.submitted_at >= made.closes_at - dt.timedelta(seconds=2)
