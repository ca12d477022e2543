"""Study services: quiz marking (single, multiple all-or-nothing, true/false), the random draw fixed per
attempt, the attempts limit and the window, the duty point once per pass, study paper transitions with
permissions, plans with materials and sessions; refusals change nothing. Helpers here serve the other
study test files too."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.activities import services as activities
from xieshang.audit.models import AuditEvent
from xieshang.conferences.models import Committee
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import EventKind, PointEvent
from xieshang.people.models import Member, RoleKind
from xieshang.research import study_selectors as sel
from xieshang.research import study_services as services
from xieshang.research.models import (
    Audience,
    PaperState,
    Question,
    Quiz,
    QuizAttempt,
    QuizMode,
    StudyMaterial,
    StudyPaper,
    StudySession,
)

from ..factories import UserFactory, give_role

# ---------------------------------------------------------------------------- helpers


def single(side: Any, text: str = "人民政协的性质是什么？", answer: int = 1, tags: str = "理论") -> Question:
    return services.create_question(
        side.staff,
        side.conference,
        services.QuestionInput(
            kind="single",
            text=text,
            options=["权力机关", "统一战线组织、多党合作和政治协商机构", "行政机关", "群众团体"],
            answer=[answer],
            explanation="人民政协是中国人民爱国统一战线的组织。",
            tags=tags,
        ),
    )


def multiple(side: Any, text: str = "人民政协的主要职能包括哪些？") -> Question:
    return services.create_question(
        side.staff,
        side.conference,
        services.QuestionInput(
            kind="multiple",
            text=text,
            options=["政治协商", "民主监督", "参政议政", "司法审判"],
            answer=[0, 1, 2],
            explanation="三项主要职能。",
            tags="职能",
        ),
    )


def true_false(side: Any, text: str = "政协委员可以提出提案。", correct: bool = True) -> Question:
    return services.create_question(
        side.staff,
        side.conference,
        services.QuestionInput(kind="true_false", text=text, answer=[0 if correct else 1], tags="提案"),
    )


def bank(side: Any) -> list[Question]:
    """Three questions, one of each kind."""
    return [single(side), multiple(side), true_false(side)]


def quiz(side: Any, questions: list[Question], *, publish: bool = True, **overrides: Any) -> Quiz:
    now = timezone.now()
    data: dict[str, Any] = {
        "title": "学习测验",
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=7),
        "pass_mark": 60,
        "attempts_allowed": 2,
        "question_ids": [q.pk for q in questions],
    }
    data.update(overrides)
    made = services.create_quiz(side.staff, side.conference, services.QuizInput(**data))
    return services.publish_quiz(side.staff, made) if publish else made


def right(question: Question) -> list[int]:
    return list(question.answer)


def answer_all(attempt: QuizAttempt, choose: Any) -> dict[int, list[int]]:
    questions = Question.objects.in_bulk(attempt.question_ids)
    return {qid: choose(questions[qid]) for qid in attempt.question_ids}


def quiz_points(user: Any) -> int:
    return PointEvent.objects.filter(user=user, kind=EventKind.STUDY_QUIZ_PASSED).count()


# ---------------------------------------------------------------------------- marking


def test_a_single_choice_counts_only_with_the_one_right_option(world):
    question = single(world.city)
    assert services.is_correct(question, [1])
    assert not services.is_correct(question, [0])
    assert not services.is_correct(question, [])


def test_a_multiple_choice_is_all_or_nothing(world):
    question = multiple(world.city)
    assert services.is_correct(question, [2, 0, 1])
    assert not services.is_correct(question, [0, 1]), "missing one correct option"
    assert not services.is_correct(question, [0, 1, 2, 3]), "one wrong option too many"
    assert not services.is_correct(question, [])


def test_true_false_has_fixed_options_and_one_answer(world):
    question = true_false(world.city, correct=False)
    assert question.options == ["正确", "错误"]
    assert services.is_correct(question, [1])
    assert not services.is_correct(question, [0])


def test_submitting_marks_each_question_and_scores_out_of_100(world):
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf], pass_mark=60)
    attempt = services.start_attempt(side.member, made)
    # right on the single and the true/false, the multiple only partly right: 2 of 3
    answers = {s.pk: [1], m.pk: [0, 1], tf.pk: [0]}
    attempt = services.submit_attempt(side.member, attempt, answers)
    assert (attempt.correct_count, attempt.total, attempt.score, attempt.passed) == (2, 3, 67, True)
    items = sel.attempt_items(attempt)
    assert [i.is_correct for i in items] == [True, False, True]
    assert items[1].chosen == [0, 1] and items[1].question.answer == [0, 1, 2]
    assert items[0].question.explanation == "人民政协是中国人民爱国统一战线的组织。"


def test_unanswered_questions_are_wrong_and_a_low_score_fails(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions, pass_mark=60)
    attempt = services.submit_attempt(
        side.member, services.start_attempt(side.member, made), {questions[0].pk: [1]}
    )
    assert (attempt.correct_count, attempt.score, attempt.passed) == (1, 33, False)
    assert quiz_points(side.member) == 0


def test_a_score_is_rounded_half_up():
    assert services.score_of(1, 8) == 13  # 12.5
    assert services.score_of(2, 3) == 67
    assert services.score_of(0, 0) == 0
    assert services.score_of(5, 5) == 100


def test_answers_to_foreign_questions_or_impossible_options_are_refused_and_nothing_is_saved(world):
    side = world.city
    questions = bank(side)
    other = single(side, text="不在测验中的题")
    made = quiz(side, questions)
    attempt = services.start_attempt(side.member, made)
    for answers in ({other.pk: [1]}, {questions[0].pk: [9]}, {questions[0].pk: [0, 1]}):
        with pytest.raises(AppError) as error:
            services.submit_attempt(side.member, attempt, answers)
        assert error.value.code == ErrorCode.INVALID_INPUT
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not attempt.answers.exists()


# ---------------------------------------------------------------------------- draw, attempts, window


def test_a_random_draw_stays_fixed_for_the_attempt(world):
    side = world.city
    pool = [single(side, text=f"第{n}题") for n in range(10)]
    made = quiz(side, pool, mode=QuizMode.RANDOM, draw_count=4)
    first = services.start_attempt(side.member, made, rng=random.Random(1))
    assert len(first.question_ids) == 4 and set(first.question_ids) <= {q.pk for q in pool}
    # opening the quiz again (another seed) resumes the same attempt with the same questions
    again = services.start_attempt(side.member, made, rng=random.Random(2))
    assert again.pk == first.pk and again.question_ids == first.question_ids
    assert [i.question.pk for i in sel.attempt_items(again)] == first.question_ids
    submitted = services.submit_attempt(side.member, first, answer_all(first, right))
    assert submitted.total == 4 and submitted.score == 100
    # the next attempt draws anew: each attempt is its own draw
    second = services.start_attempt(side.member, made, rng=random.Random(99))
    assert second.pk != first.pk and second.number == 2 and len(second.question_ids) == 4


def test_a_fixed_quiz_gives_every_member_the_same_questions_in_order(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    a = services.start_attempt(side.member, made)
    b = services.start_attempt(side.member2, made)
    assert a.question_ids == b.question_ids == [q.pk for q in questions]


def test_a_random_quiz_cannot_draw_more_than_its_pool(world):
    side = world.city
    with pytest.raises(AppError) as error:
        quiz(side, bank(side), mode=QuizMode.RANDOM, draw_count=5)
    assert "draw_count" in error.value.fields
    assert not Quiz.objects.exists()


def test_the_attempts_limit_is_enforced(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions, attempts_allowed=2)
    for _n in range(2):
        attempt = services.start_attempt(side.member, made)
        services.submit_attempt(side.member, attempt, {})
    with pytest.raises(AppError) as error:
        services.start_attempt(side.member, made)
    assert "最多可作答 2 次" in error.value.message
    assert QuizAttempt.objects.filter(quiz=made, user=side.member).count() == 2


def test_a_submitted_attempt_cannot_be_submitted_again(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    with pytest.raises(AppError) as error:
        services.submit_attempt(side.member, attempt, {})
    assert error.value.code == ErrorCode.INVALID_STATE
    attempt.refresh_from_db()
    assert attempt.score == 100


def test_nobody_starts_before_the_window_or_after_it(world):
    side = world.city
    questions = bank(side)
    now = timezone.now()
    early = quiz(side, questions, opens_at=now + dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1))
    late = quiz(side, questions, opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1))
    for made, words in ((early, "尚未开始"), (late, "已截止")):
        with pytest.raises(AppError) as error:
            services.start_attempt(side.member, made)
        assert error.value.code == ErrorCode.WINDOW_CLOSED and words in error.value.message
    assert not QuizAttempt.objects.exists()


def test_an_attempt_started_in_time_may_be_handed_in_within_two_minutes_of_the_close(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    attempt = services.start_attempt(side.member, made)
    Quiz.objects.filter(pk=made.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=90))
    with pytest.raises(AppError) as error:
        services.start_attempt(side.member2, made)  # but nobody starts one after the close
    assert error.value.code == ErrorCode.WINDOW_CLOSED
    assert services.submit_attempt(side.member, attempt, answer_all(attempt, right)).is_submitted


def test_an_attempt_cannot_be_submitted_after_the_quiz_closed(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    attempt = services.start_attempt(side.member, made)
    Quiz.objects.filter(pk=made.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=3))
    with pytest.raises(AppError) as error:
        services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    assert error.value.code == ErrorCode.WINDOW_CLOSED
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert quiz_points(side.member) == 0


def test_draft_and_withdrawn_quizzes_cannot_be_taken(world):
    side = world.city
    questions = bank(side)
    draft = quiz(side, questions, publish=False)
    with pytest.raises(AppError):
        services.start_attempt(side.member, draft)
    published = quiz(side, questions)
    services.withdraw_quiz(side.staff, published)
    with pytest.raises(AppError):
        services.start_attempt(side.member, published)


def test_only_learners_of_the_conference_take_a_quiz(world):
    side = world.city
    made = quiz(side, bank(side))
    for user in (side.staff, side.unit_user, world.county.member, world.outsider):
        with pytest.raises(AppError) as error:
            services.start_attempt(user, made)
        assert error.value.code == ErrorCode.PERMISSION_DENIED
    other = services.start_attempt(side.member, made)
    with pytest.raises(AppError) as error:
        services.submit_attempt(side.member2, other, {})
    assert error.value.code == ErrorCode.NOT_FOUND


def test_a_plan_for_the_standing_committee_addresses_its_quiz_to_standing_members_only(world):
    side = world.city
    plan = services.create_plan(
        side.staff,
        side.conference,
        services.PlanInput(title="常委会学习计划", year=2026, audience=Audience.STANDING_COMMITTEE),
    )
    Member.objects.filter(user=side.member).update(is_standing=True)
    made = quiz(side, bank(side), plan_id=plan.pk)
    assert services.start_attempt(side.member, made).pk
    with pytest.raises(AppError):
        services.start_attempt(side.member2, made)
    assert [m.quiz.pk for m in sel.quizzes_for(side.member, side.conference.pk)] == [made.pk]
    assert sel.quizzes_for(side.member2, side.conference.pk) == []


# ---------------------------------------------------------------------------- the duty point


def test_a_pass_gives_one_duty_point_event_per_quiz_however_many_passes(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions, attempts_allowed=3)
    for _n in range(2):
        attempt = services.start_attempt(side.member, made)
        services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    events = PointEvent.objects.filter(user=side.member, kind=EventKind.STUDY_QUIZ_PASSED)
    assert events.count() == 1
    event = events.get()
    assert (event.source_type, event.source_id, event.conference_id) == (
        "study_quiz",
        made.pk,
        side.conference.pk,
    )
    # a second quiz passed is a second event
    other = quiz(side, questions, title="第二次测验")
    attempt = services.start_attempt(side.member, other)
    services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    assert quiz_points(side.member) == 2


def test_a_fail_then_a_pass_gives_the_point_once(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions, attempts_allowed=2)
    services.submit_attempt(side.member, services.start_attempt(side.member, made), {})
    assert quiz_points(side.member) == 0
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    assert quiz_points(side.member) == 1


# ---------------------------------------------------------------------------- the bank and quizzes


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "single", "text": "", "options": ["甲", "乙"], "answer": [0]}, "text"),
        ({"kind": "single", "text": "题", "options": ["甲"], "answer": [0]}, "options"),
        ({"kind": "single", "text": "题", "options": ["甲", "甲"], "answer": [0]}, "options"),
        ({"kind": "single", "text": "题", "options": ["甲", "乙"], "answer": [0, 1]}, "answer"),
        ({"kind": "single", "text": "题", "options": ["甲", "乙"], "answer": [5]}, "answer"),
        ({"kind": "multiple", "text": "题", "options": ["甲", "乙", "丙"], "answer": [1]}, "answer"),
        ({"kind": "true_false", "text": "题", "answer": []}, "answer"),
        ({"kind": "essay", "text": "题", "answer": [0]}, "kind"),
    ],
)
def test_a_bad_question_is_refused_with_a_chinese_message(world, data, field):
    with pytest.raises(AppError) as error:
        services.create_question(world.city.staff, world.city.conference, services.QuestionInput(**data))
    assert field in error.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.value.fields[field])
    assert not Question.objects.exists()


def test_only_staff_write_the_bank_and_an_answered_question_is_frozen(world):
    side = world.city
    for user in (side.member, side.leader, world.county.staff):
        with pytest.raises(AppError) as error:
            single_by(user, side)
        assert error.value.code == ErrorCode.PERMISSION_DENIED
    questions = bank(side)
    made = quiz(side, questions)
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, {})
    change = services.QuestionInput(kind="true_false", text="改过的题", answer=[1])
    with pytest.raises(AppError) as error:
        services.update_question(side.staff, questions[2], change)
    assert error.value.code == ErrorCode.INVALID_STATE
    questions[2].refresh_from_db()
    assert questions[2].text == "政协委员可以提出提案。"
    services.set_question_active(side.staff, questions[2], active=False)
    assert not sel.bank(side.staff, side.conference.pk).filter(pk=questions[2].pk).exists()
    # an unanswered question may be corrected
    fresh = single(side, text="未作答的题")
    services.update_question(side.staff, fresh, change)
    fresh.refresh_from_db()
    assert fresh.text == "改过的题" and fresh.options == ["正确", "错误"]


def single_by(user: Any, side: Any) -> Question:
    return services.create_question(
        user,
        side.conference,
        services.QuestionInput(kind="single", text="题", options=["甲", "乙"], answer=[0]),
    )


def test_a_quiz_takes_questions_only_from_its_own_conferences_bank(world):
    county_question = single(world.county)
    with pytest.raises(AppError) as error:
        quiz(world.city, [county_question])
    assert "questions" in error.value.fields


def test_a_quiz_without_questions_cannot_be_published(world):
    side = world.city
    made = quiz(side, [], publish=False)
    with pytest.raises(AppError) as error:
        services.publish_quiz(side.staff, made)
    assert "没有题目" in error.value.message
    made.refresh_from_db()
    assert made.state == "draft"


def test_after_somebody_started_only_the_window_and_wording_change(world):
    side = world.city
    questions = bank(side)
    made = quiz(side, questions)
    services.start_attempt(side.member, made)
    now = timezone.now()
    base = {
        "title": "改名后的测验",
        "opens_at": made.opens_at,
        "closes_at": now + dt.timedelta(days=30),
        "pass_mark": 60,
        "attempts_allowed": 3,
        "question_ids": [q.pk for q in questions],
    }
    services.update_quiz(side.staff, made, services.QuizInput(**base))
    made.refresh_from_db()
    assert made.title == "改名后的测验" and made.attempts_allowed == 3
    with pytest.raises(AppError) as error:
        services.update_quiz(side.staff, made, services.QuizInput(**{**base, "pass_mark": 90}))
    assert error.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(AppError):
        services.update_quiz(
            side.staff, made, services.QuizInput(**{**base, "question_ids": [questions[0].pk]})
        )
    made.refresh_from_db()
    assert made.pass_mark == 60 and made.items.count() == 3


def test_results_show_the_best_attempt_per_taker_the_pass_rate_and_question_rates(world):
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf], attempts_allowed=2)
    # member: fails (1/3), then passes (3/3); member2: 2/3 passes
    services.submit_attempt(side.member, services.start_attempt(side.member, made), {s.pk: [1]})
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, {s.pk: [1], m.pk: [0, 1, 2], tf.pk: [0]})
    services.submit_attempt(side.member2, services.start_attempt(side.member2, made), {s.pk: [1], tf.pk: [0]})
    results = sel.quiz_results(made)
    assert [(a.user_id, a.score) for a in results.rows] == [(side.member.pk, 100), (side.member2.pk, 67)]
    assert (results.takers, results.passers, results.pass_rate, results.attempt_count) == (2, 2, 100.0, 3)
    rates = {q.pk: (n, ok) for q, n, ok in results.per_question}
    assert rates == {s.pk: (3, 3), m.pk: (3, 1), tf.pk: (3, 2)}
    assert [q.pk for q, _n, _ok in results.per_question] == [s.pk, m.pk, tf.pk]


# ---------------------------------------------------------------------------- papers


def paper(side: Any, author: Any = None) -> StudyPaper:
    return services.submit_paper(
        author or side.member,
        side.conference,
        services.PaperInput(title="学习新思想的体会", body="一、深刻领会……\n二、结合履职实际……"),
    )


def test_a_member_submits_a_paper_and_staff_accept_it_for_one_duty_point(
    world, django_capture_on_commit_callbacks
):
    side = world.city
    with django_capture_on_commit_callbacks(execute=True):
        made = paper(side)
    assert made.state == PaperState.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.review_paper(side.staff, made, "accept", reason="观点鲜明，予以采用。")
    made.refresh_from_db()
    assert made.state == PaperState.ACCEPTED and made.reviewed_by == side.staff
    events = PointEvent.objects.filter(user=side.member, kind=EventKind.STUDY_PAPER_ACCEPTED)
    assert events.count() == 1 and events.get().source_id == made.pk
    assert AuditEvent.objects.filter(target_type="studypaper", target_id=made.pk, verb="accept").exists()
    # accepting again is refused: the state machine, not a second point
    with pytest.raises(AppError) as error:
        services.review_paper(side.staff, made, "accept")
    assert error.value.code == ErrorCode.INVALID_STATE
    assert events.count() == 1


def test_a_returned_paper_goes_back_to_its_author_with_the_reason_and_comes_back(world):
    side = world.city
    made = paper(side)
    with pytest.raises(AppError) as error:
        services.review_paper(side.staff, made, "return", reason="")
    assert "reason" in error.value.fields
    made.refresh_from_db()
    assert made.state == PaperState.SUBMITTED
    services.review_paper(side.staff, made, "return", reason="请补充结合本职工作的内容。")
    made.refresh_from_db()
    assert (made.state, made.reason) == (PaperState.RETURNED, "请补充结合本职工作的内容。")
    assert sel.paper_actions(side.member, made) == ["resubmit"]
    # nobody else resubmits it
    with pytest.raises(AppError):
        services.resubmit_paper(side.member2, made, services.PaperInput(title="别人的"))
    services.resubmit_paper(
        side.member, made, services.PaperInput(title="学习新思想的体会（修改稿）", body="补充了内容。")
    )
    made.refresh_from_db()
    assert made.state == PaperState.SUBMITTED and made.title.endswith("（修改稿）")
    services.review_paper(side.staff, made, "reject", reason="与学习主题关系不大。")
    made.refresh_from_db()
    assert made.state == PaperState.REJECTED
    assert not PointEvent.objects.filter(kind=EventKind.STUDY_PAPER_ACCEPTED).exists()


def test_only_staff_of_the_papers_conference_review_and_never_their_own(world):
    side = world.city
    made = paper(side)
    for user in (side.member, side.member2, side.leader, world.county.staff, side.unit_user):
        with pytest.raises(AppError) as error:
            services.review_paper(user, made, "accept")
        assert error.value.code == ErrorCode.PERMISSION_DENIED
    # a staff member who is also a member may write a paper, but not review it
    give_role(side.staff, side.conference, RoleKind.MEMBER)
    from xieshang.people.selectors import forget_roles

    forget_roles(side.staff)
    own = paper(side, author=side.staff)
    with pytest.raises(AppError) as error:
        services.review_paper(side.staff, own, "accept")
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    made.refresh_from_db()
    assert made.state == PaperState.SUBMITTED


def test_a_paper_needs_a_body_or_a_file_and_the_file_is_checked(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    side = world.city
    with pytest.raises(AppError) as error:
        services.submit_paper(side.member, side.conference, services.PaperInput(title="空论文"))
    assert "body" in error.value.fields
    fake = SimpleUploadedFile("论文.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(AppError) as error:
        services.submit_paper(side.member, side.conference, services.PaperInput(title="假文件"), upload=fake)
    assert error.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED and "file" in error.value.fields
    good = SimpleUploadedFile("../../论文.pdf", b"%PDF-1.4 content", content_type="application/pdf")
    made = services.submit_paper(
        side.member, side.conference, services.PaperInput(title="有文件"), upload=good
    )
    assert made.original_name == "论文.pdf" and ".." not in made.file.name
    assert StudyPaper.objects.count() == 1
    with pytest.raises(AppError):
        services.submit_paper(
            world.county.member, side.conference, services.PaperInput(title="外地", body="x")
        )


# ---------------------------------------------------------------------------- plans


def test_staff_build_a_plan_with_materials_and_linked_study_sessions(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    side = world.city
    committee = Committee.objects.create(conference=side.conference, name="文化文史和学习委员会")
    plan = services.create_plan(
        side.staff,
        side.conference,
        services.PlanInput(
            title="2026年专委会学习计划", year=2026, audience=Audience.COMMITTEE, committee_id=committee.pk
        ),
    )
    assert plan.audience_label == "文化文史和学习委员会"
    doc = SimpleUploadedFile("辅导读本.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    services.add_material(side.staff, plan, title="辅导读本", upload=doc)
    services.add_material(
        side.staff, plan, title="重要讲话精神", text="原文摘要……", link="https://www.example.org/a"
    )
    with pytest.raises(AppError) as error:
        services.add_material(side.staff, plan, title="空资料")
    assert "text" in error.value.fields
    with pytest.raises(AppError) as error:
        services.add_material(side.staff, plan, title="坏链接", link="javascript:alert(1)")
    assert "link" in error.value.fields
    assert [m.title for m in StudyMaterial.objects.filter(plan=plan)] == ["辅导读本", "重要讲话精神"]
    now = timezone.now()
    session = activities.create_activity(
        side.staff,
        side.conference,
        activities.ActivityInput(
            kind="study_session", title="读书活动", starts_at=now, ends_at=now + dt.timedelta(hours=2)
        ),
    )
    consultation = activities.create_activity(
        side.staff,
        side.conference,
        activities.ActivityInput(
            kind="thematic_consultation", title="专题协商", starts_at=now, ends_at=now + dt.timedelta(hours=2)
        ),
    )
    services.link_session(side.staff, plan, session.pk)
    with pytest.raises(AppError):
        services.link_session(side.staff, plan, session.pk)
    with pytest.raises(AppError) as error:
        services.link_session(side.staff, plan, consultation.pk)
    assert "activity" in error.value.fields
    assert list(StudySession.objects.filter(plan=plan).values_list("activity_id", flat=True)) == [session.pk]
    # a plan for a committee is read by its members, not by other members
    Member.objects.filter(user=side.member).update(committee=committee)
    assert [p.pk for p in sel.plans_for(side.member, side.conference.pk)] == [plan.pk]
    assert sel.plans_for(side.member2, side.conference.pk) == []
    for user in (side.member, side.leader, world.county.staff):
        with pytest.raises(AppError):
            services.add_material(user, plan, title="越权", text="x")


def test_the_study_record_collects_sessions_quizzes_and_papers(world):
    side = world.city
    now = timezone.now()
    session = activities.create_activity(
        side.staff,
        side.conference,
        activities.ActivityInput(
            kind="study_session", title="理论学习报告会", starts_at=now, ends_at=now + dt.timedelta(hours=2)
        ),
    )
    activities.invite_members(side.staff, session, [side.member.pk])
    session = activities.publish_activity(side.staff, session)
    activities.check_in_by_code(side.member, session.checkin_code)
    made = quiz(side, bank(side))
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, answer_all(attempt, right))
    paper(side)
    record = sel.study_record(side.member, side.conference.pk)
    assert [a.activity.title for a in record.attendances] == ["理论学习报告会"]
    assert (record.sessions_attended, record.quizzes_passed, len(record.papers)) == (1, 1, 1)
    empty = sel.study_record(UserFactory(), side.conference.pk)
    assert (empty.sessions_attended, empty.quizzes, empty.papers) == (0, [], [])


def test_publishing_a_quiz_tells_only_the_members_it_is_addressed_to(
    world, django_capture_on_commit_callbacks
):
    from xieshang.notify.models import Notification

    side = world.city
    plan = services.create_plan(
        side.staff,
        side.conference,
        services.PlanInput(title="常委会学习计划", year=2026, audience=Audience.STANDING_COMMITTEE),
    )
    Member.objects.filter(user=side.member).update(is_standing=True)
    with django_capture_on_commit_callbacks(execute=True):
        quiz(side, bank(side), plan_id=plan.pk)
    told = set(Notification.objects.filter(verb="study_quiz_published").values_list("user_id", flat=True))
    assert told == {side.member.pk}
    with django_capture_on_commit_callbacks(execute=True):
        quiz(side, bank(side), title="全体委员测验")
    told = list(
        Notification.objects.filter(verb="study_quiz_published", title__contains="全体委员测验").values_list(
            "user_id", flat=True
        )
    )
    assert sorted(told) == sorted([side.member.pk, side.member2.pk, side.leader.pk])
