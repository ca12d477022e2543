"""The study API: plans and quizzes for the caller, taking and submitting an attempt with feedback,
results for the office, papers; denials and conference isolation are JSON errors with Chinese messages."""

from __future__ import annotations

from xieshang.duty.models import EventKind, PointEvent
from xieshang.research import study_services as services
from xieshang.research.models import QuizAttempt, QuizMode, StudyPaper

from ..api.conftest import Api, ok, refused
from .test_study_services import bank, paper, quiz, single

BASE = "/research/study"


def test_a_member_lists_takes_and_submits_a_quiz_and_reads_the_feedback(world):
    api = Api()
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf], title="接口测验")
    services.create_plan(side.staff, side.conference, services.PlanInput(title="委员学习计划", year=2026))
    plans = ok(api.get(f"{BASE}/plans", side.member, conference_id=side.conference.pk))
    assert [p["title"] for p in plans] == ["委员学习计划"]
    listed = ok(api.get(f"{BASE}/quizzes", side.member, conference_id=side.conference.pk))
    assert [(q["id"], q["is_open"], q["attempts_left"]) for q in listed] == [(made.pk, True, 2)]
    started = ok(api.post(f"{BASE}/quizzes/{made.pk}/attempts", side.member), 201)
    assert [q["id"] for q in started["questions"]] == [s.pk, m.pk, tf.pk]
    assert "answer" not in started["questions"][0] and started["feedback"] == [] and started["score"] is None
    again = ok(api.post(f"{BASE}/quizzes/{made.pk}/attempts", side.member), 201)
    assert again["id"] == started["id"], "the unfinished attempt is resumed"
    done = ok(
        api.post(
            f"{BASE}/attempts/{started['id']}/submit",
            side.member,
            {"answers": {str(s.pk): [1], str(m.pk): [0, 1, 2], str(tf.pk): [1]}},
        )
    )
    assert (done["score"], done["correct_count"], done["passed"]) == (67, 2, True)
    assert [f["is_correct"] for f in done["feedback"]] == [True, True, False]
    assert done["feedback"][2]["answer"] == [0] and done["feedback"][2]["chosen"] == [1]
    assert PointEvent.objects.filter(user=side.member, kind=EventKind.STUDY_QUIZ_PASSED).count() == 1
    twice = refused(api.post(f"{BASE}/attempts/{started['id']}/submit", side.member, {"answers": {}}), 409)
    assert twice["code"] == "invalid_state"
    assert ok(api.get(f"{BASE}/attempts/{started['id']}", side.member))["submitted"] is True


def test_a_random_quiz_over_the_api_keeps_the_drawn_questions(world):
    api = Api()
    side = world.city
    pool = [single(side, text=f"题{n}") for n in range(8)]
    made = quiz(side, pool, mode=QuizMode.RANDOM, draw_count=3)
    first = ok(api.post(f"{BASE}/quizzes/{made.pk}/attempts", side.member), 201)
    assert len(first["questions"]) == 3
    read = ok(api.get(f"{BASE}/attempts/{first['id']}", side.member))
    assert [q["id"] for q in read["questions"]] == [q["id"] for q in first["questions"]]
    assert QuizAttempt.objects.get().question_ids == [q["id"] for q in first["questions"]]


def test_the_api_refuses_outside_the_conference_and_other_peoples_attempts(world):
    api = Api()
    city, county = world.city, world.county
    made = quiz(city, bank(city))
    attempt = services.start_attempt(city.member, made)
    refused(api.post(f"{BASE}/quizzes/{made.pk}/attempts", county.member), 404)
    refused(api.get(f"{BASE}/attempts/{attempt.pk}", county.member), 404)
    refused(api.get(f"{BASE}/attempts/{attempt.pk}", city.member2), 404)
    refused(api.post(f"{BASE}/attempts/{attempt.pk}/submit", city.member2, {"answers": {}}), 404)
    # the office may read the attempt but never submit it for the member
    assert ok(api.get(f"{BASE}/attempts/{attempt.pk}", city.staff))["id"] == attempt.pk
    refused(api.post(f"{BASE}/attempts/{attempt.pk}/submit", city.staff, {"answers": {}}), 404)
    refused(api.get(f"{BASE}/quizzes/{made.pk}/results", county.staff), 404)
    refused(api.get(f"{BASE}/quizzes/{made.pk}/results", city.member), 404)
    refused(api.get(f"{BASE}/quizzes", county.member, conference_id=city.conference.pk), 403)
    refused(api.get(f"{BASE}/plans", world.outsider, conference_id=city.conference.pk), 403)
    assert api.get(f"{BASE}/quizzes", None, conference_id=city.conference.pk).status_code == 401
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_bad_answers_are_refused_with_a_chinese_message(world):
    api = Api()
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    started = ok(api.post(f"{BASE}/quizzes/{made.pk}/attempts", side.member), 201)
    body = refused(
        api.post(f"{BASE}/attempts/{started['id']}/submit", side.member, {"answers": {"999999": [0]}}), 400
    )
    assert body["code"] == "invalid_input"
    refused(
        api.post(f"{BASE}/attempts/{started['id']}/submit", side.member, {"answers": {"x": [0]}}), 400, 422
    )
    refused(
        api.post(
            f"{BASE}/attempts/{started['id']}/submit", side.member, {"answers": {str(questions[0].pk): [99]}}
        ),
        400,
        422,
    )
    assert QuizAttempt.objects.get().submitted_at is None


def test_staff_read_results_over_the_api(world):
    api = Api()
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf])
    services.submit_attempt(
        side.member, services.start_attempt(side.member, made), {s.pk: [1], m.pk: [0, 1, 2], tf.pk: [0]}
    )
    services.submit_attempt(side.member2, services.start_attempt(side.member2, made), {})
    results = ok(api.get(f"{BASE}/quizzes/{made.pk}/results", side.staff))
    assert (results["takers"], results["passers"], results["pass_rate"]) == (2, 1, 50.0)
    assert [r["score"] for r in results["rows"]] == [100, 0]
    assert [q["rate"] for q in results["questions"]] == [50.0, 50.0, 50.0]


def test_papers_over_the_api_with_review_permissions(world):
    api = Api()
    side = world.city
    created = ok(
        api.post(
            f"{BASE}/papers",
            side.member,
            {"conference_id": side.conference.pk, "title": "接口论文", "body": "正文"},
        ),
        201,
    )
    assert created["state"] == "submitted"
    refused(
        api.post(
            f"{BASE}/papers",
            world.county.member,
            {"conference_id": side.conference.pk, "title": "x", "body": "y"},
        ),
        403,
    )
    refused(api.post(f"{BASE}/papers/{created['id']}/accept", side.member, {}), 403)
    refused(api.post(f"{BASE}/papers/{created['id']}/accept", world.county.staff, {}), 404)
    stale = refused(api.post(f"{BASE}/papers/{created['id']}/accept", side.staff, {"version": 99}), 409)
    assert stale["code"] == "stale_version"
    accepted = ok(api.post(f"{BASE}/papers/{created['id']}/accept", side.staff, {"reason": "好"}))
    assert accepted["state"] == "accepted"
    mine = ok(api.get(f"{BASE}/papers", side.member, conference_id=side.conference.pk))
    assert [p["title"] for p in mine] == ["接口论文"]
    assert PointEvent.objects.filter(kind=EventKind.STUDY_PAPER_ACCEPTED, user=side.member).count() == 1
    other = paper(side, author=side.member2)
    refused(api.post(f"{BASE}/papers/{other.pk}/reject", side.staff, {"reason": ""}), 400)
    assert StudyPaper.objects.get(pk=other.pk).state == "submitted"
