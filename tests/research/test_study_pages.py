"""Study pages: the wiring and the denials. A member takes a quiz through the pages; staff build plans,
the bank and quizzes, see results and export them; conference isolation (a county user gets 404 on a
city quiz, plan, attempt or paper); bad input shows a Chinese message and changes nothing."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.research import study_services as services
from xieshang.research.models import PaperState, Question, Quiz, QuizAttempt, StudyPaper, StudyPlan

from .test_study_services import bank, paper, quiz


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_member_takes_a_quiz_through_the_pages_and_sees_the_mark_and_feedback(world):
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf])
    member = client_for(side.member)
    page = member.get(reverse("research:study_me"))
    assert page.status_code == 200 and made.title in page.content.decode()
    start = member.get(reverse("research:study_quiz", args=[made.pk]))
    assert "开始答题" in start.content.decode()
    response = member.post(reverse("research:study_quiz_start", args=[made.pk]))
    attempt = QuizAttempt.objects.get(quiz=made, user=side.member)
    assert response.status_code == 302 and response.url == reverse(
        "research:study_attempt", args=[attempt.pk]
    )
    form = member.get(response.url).content.decode()
    assert "人民政协的性质是什么？" in form and "交卷" in form
    assert "人民政协是中国人民爱国统一战线的组织" not in form, "no explanation before submitting"
    done = member.post(response.url, {f"q{s.pk}": "1", f"q{m.pk}": ["0", "1", "2"], f"q{tf.pk}": "1"})
    assert done.status_code == 302
    result = member.get(done.url).content.decode()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (67, True)
    assert 'data-testid="attempt-score">67' in result and "合格" in result
    assert "人民政协是中国人民爱国统一战线的组织" in result and "正确答案" in result


def test_a_county_user_gets_404_on_a_city_quiz_plan_attempt_and_paper(world):
    city, county = world.city, world.county
    made = quiz(city, bank(city))
    attempt = services.start_attempt(city.member, made)
    plan = services.create_plan(
        city.staff, city.conference, services.PlanInput(title="市学习计划", year=2026)
    )
    written = paper(city)
    for user in (county.member, county.staff, county.leader):
        client = client_for(user)
        for url in (
            reverse("research:study_quiz", args=[made.pk]),
            reverse("research:study_quiz_results", args=[made.pk]),
            reverse("research:study_quiz_results_xlsx", args=[made.pk]),
            reverse("research:study_attempt", args=[attempt.pk]),
            reverse("research:study_plan", args=[plan.pk]),
            reverse("research:study_paper", args=[written.pk]),
        ):
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(reverse("research:study_quiz_start", args=[made.pk])).status_code == 404
        assert client.post(reverse("research:study_quiz_act", args=[made.pk, "withdraw"])).status_code == 404
        assert (
            client.post(
                reverse("research:study_paper_review", args=[written.pk, "accept"]), {"reason": ""}
            ).status_code
            == 404
        )
    assert not QuizAttempt.objects.filter(user__in=[county.member]).exists()
    written.refresh_from_db()
    assert written.state == PaperState.SUBMITTED


def test_another_member_cannot_see_or_submit_someone_elses_attempt(world):
    side = world.city
    made = quiz(side, bank(side))
    attempt = services.start_attempt(side.member, made)
    other = client_for(side.member2)
    assert other.get(reverse("research:study_attempt", args=[attempt.pk])).status_code == 404
    assert other.post(reverse("research:study_attempt", args=[attempt.pk]), {}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_members_are_kept_out_of_the_office_pages(world):
    member = client_for(world.city.member)
    assert member.get(reverse("research:study")).url == reverse("research:study_me")
    for name in ("study_questions", "study_quizzes", "study_papers", "study_plan_new", "study_quiz_new"):
        assert member.get(reverse(f"research:{name}")).status_code == 403, name
    made = quiz(world.city, bank(world.city), publish=False)
    assert member.get(reverse("research:study_quiz", args=[made.pk])).status_code == 404, "a draft is hidden"
    leader = client_for(world.city.leader)
    assert leader.get(reverse("research:study_questions")).status_code == 200
    assert leader.get(reverse("research:study_question_new")).status_code == 403, "leaders read, staff write"


def test_staff_build_a_plan_a_question_and_a_quiz_through_the_pages(world):
    side = world.city
    staff = client_for(side.staff)
    home = staff.get(reverse("research:study"))
    assert home.status_code == 200 and 'data-testid="study-tabs"' in home.content.decode()
    response = staff.post(
        reverse("research:study_plan_new"),
        {"title": "2026年委员学习计划", "year": 2026, "audience": "members"},
    )
    plan = StudyPlan.objects.get()
    assert response.url == reverse("research:study_plan", args=[plan.pk])
    response = staff.post(
        reverse("research:study_material_add", args=[plan.pk]), {"title": "读本", "text": "摘要", "link": ""}
    )
    assert response.status_code == 302 and plan.materials.count() == 1
    assert "读本" in staff.get(reverse("research:study_plan", args=[plan.pk])).content.decode()
    response = staff.post(
        reverse("research:study_question_new"),
        {
            "kind": "multiple",
            "text": "下列属于政协职能的有？",
            "options": "政治协商\n民主监督\n立法",
            "answer": "AB",
            "tags": "职能",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.options, question.answer) == (["政治协商", "民主监督", "立法"], [0, 1])
    response = staff.post(
        reverse("research:study_quiz_new"),
        {
            "title": "页面建的测验",
            "mode": "fixed",
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2026-12-31T18:00",
            "pass_mark": 60,
            "attempts_allowed": 1,
            "plan": plan.pk,
            "questions": [question.pk],
        },
    )
    made = Quiz.objects.get()
    assert response.url == reverse("research:study_quiz", args=[made.pk]) and made.plan == plan
    staff.post(reverse("research:study_quiz_act", args=[made.pk, "publish"]), {"version": made.version})
    made.refresh_from_db()
    assert made.state == "published"


def test_a_bad_question_form_shows_the_message_and_saves_nothing(world):
    staff = client_for(world.city.staff)
    response = staff.post(
        reverse("research:study_question_new"),
        {"kind": "single", "text": "单选题", "options": "甲\n乙", "answer": "AB"},
    )
    assert response.status_code == 400
    assert "单选题和判断题只有一个正确答案" in response.content.decode()
    response = staff.post(
        reverse("research:study_question_new"),
        {"kind": "single", "text": "题", "options": "甲\n乙", "answer": "Z"},
    )
    assert response.status_code == 400 and "请用选项字母" in response.content.decode()
    assert not Question.objects.exists()


def test_a_quiz_closing_before_it_opens_is_refused_on_the_page(world):
    side = world.city
    questions = bank(side)
    response = client_for(side.staff).post(
        reverse("research:study_quiz_new"),
        {
            "title": "时间错误",
            "mode": "fixed",
            "opens_at": "2026-05-01T08:00",
            "closes_at": "2026-04-01T08:00",
            "pass_mark": 60,
            "attempts_allowed": 1,
            "questions": [q.pk for q in questions],
        },
    )
    assert response.status_code == 400 and "截止时间须晚于开始时间" in response.content.decode()
    assert not Quiz.objects.exists()


def test_staff_see_results_with_the_chart_data_and_export_them(world):
    side = world.city
    s, m, tf = bank(side)
    made = quiz(side, [s, m, tf])
    services.submit_attempt(
        side.member, services.start_attempt(side.member, made), {s.pk: [1], m.pk: [0, 1, 2], tf.pk: [0]}
    )
    services.submit_attempt(side.member2, services.start_attempt(side.member2, made), {s.pk: [0]})
    staff = client_for(side.staff)
    page = staff.get(reverse("research:study_quiz_results", args=[made.pk])).content.decode()
    assert 'data-testid="pass-rate">50.0%' in page
    assert 'id="study-results-data"' in page and "echarts.min.js" in page and "study_results.js" in page
    assert '"rates": [50.0, 50.0, 50.0]' in page
    export = staff.get(reverse("research:study_quiz_results_xlsx", args=[made.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book["成绩"].iter_rows(values_only=True))
    assert rows[0][0] == made.title
    assert rows[3][1:7] == (str(side.member), 100, 3, 3, "合格", 1)
    assert rows[4][1:6] == (str(side.member2), 0, 0, 3, "不合格")
    rates = list(book["各题正确率"].iter_rows(values_only=True))
    assert rates[1][2] == "人民政协的性质是什么？" and rates[1][5] == 50.0
    assert (
        client_for(side.member).get(reverse("research:study_quiz_results", args=[made.pk])).status_code == 404
    )


def test_a_member_submits_a_paper_on_the_page_and_staff_return_it_with_a_reason(world):
    side = world.city
    member = client_for(side.member)
    response = member.post(reverse("research:study_paper_new"), {"title": "我的学习体会", "body": "正文内容"})
    written = StudyPaper.objects.get()
    assert response.url == reverse("research:study_paper", args=[written.pk])
    empty = member.post(reverse("research:study_paper_new"), {"title": "没有正文"})
    assert empty.status_code == 400 and "请填写正文或上传论文文件" in empty.content.decode()
    assert StudyPaper.objects.count() == 1
    # the member cannot review their own paper
    member.post(reverse("research:study_paper_review", args=[written.pk, "accept"]), {})
    written.refresh_from_db()
    assert written.state == PaperState.SUBMITTED
    staff = client_for(side.staff)
    assert "我的学习体会" in staff.get(reverse("research:study_papers")).content.decode()
    staff.post(reverse("research:study_paper_review", args=[written.pk, "return"]), {"reason": ""})
    written.refresh_from_db()
    assert written.state == PaperState.SUBMITTED, "a return needs a reason"
    staff.post(
        reverse("research:study_paper_review", args=[written.pk, "return"]), {"reason": "请补充案例。"}
    )
    written.refresh_from_db()
    assert written.state == PaperState.RETURNED
    page = member.get(reverse("research:study_paper", args=[written.pk])).content.decode()
    assert "请补充案例。" in page and "修改后重新提交" in page
    member.post(
        reverse("research:study_paper_edit", args=[written.pk]),
        {"title": "我的学习体会（修改）", "body": "补充了案例", "version": written.version},
    )
    written.refresh_from_db()
    assert written.state == PaperState.SUBMITTED
    assert client_for(side.member2).get(reverse("research:study_paper", args=[written.pk])).status_code == 404


def test_the_me_page_links_to_the_study_record_and_staff_read_a_members_record(world):
    side = world.city
    member = client_for(side.member)
    assert reverse("research:study_me") in member.get(reverse("me")).content.decode()
    made = quiz(side, bank(side))
    attempt = services.start_attempt(side.member, made)
    services.submit_attempt(side.member, attempt, {})
    record = member.get(reverse("research:study_me")).content.decode()
    assert 'data-testid="record-quizzes"' in record and made.title in record
    staff = client_for(side.staff)
    page = staff.get(reverse("research:study_member", args=[side.member.pk]))
    assert page.status_code == 200 and made.title in page.content.decode()
    assert client_for(world.county.staff).get(
        reverse("research:study_member", args=[side.member.pk])
    ).status_code in (403, 404)


def test_a_member_reads_a_plan_for_all_members_and_downloads_its_material(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    side = world.city
    plan = services.create_plan(
        side.staff, side.conference, services.PlanInput(title="委员学习计划", year=2026)
    )
    material = services.add_material(
        side.staff,
        plan,
        title="辅导读本",
        upload=SimpleUploadedFile("辅导读本.txt", "学习要点".encode(), content_type="text/plain"),
    )
    made = quiz(side, bank(side), plan_id=plan.pk)
    member = client_for(side.member)
    page = member.get(reverse("research:study_plan", args=[plan.pk])).content.decode()
    assert "辅导读本" in page and f'data-testid="quiz-card-{made.pk}"' in page
    assert "添加学习资料" not in page, "members read, they do not edit"
    download = member.get(reverse("research:study_material_file", args=[material.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode() == "学习要点"
    assert (
        client_for(world.county.member)
        .get(reverse("research:study_material_file", args=[material.pk]))
        .status_code
        == 404
    )
    assert member.post(reverse("research:study_material_delete", args=[material.pk])).status_code == 302
    assert plan.materials.count() == 1, "a member's delete changes nothing"


def test_a_plan_for_the_standing_committee_is_hidden_from_other_members(world):
    from xieshang.people.models import Member

    side = world.city
    plan = services.create_plan(
        side.staff,
        side.conference,
        services.PlanInput(title="常委会学习计划", year=2026, audience="standing_committee"),
    )
    Member.objects.filter(user=side.member).update(is_standing=True)
    assert client_for(side.member).get(reverse("research:study_plan", args=[plan.pk])).status_code == 200
    assert client_for(side.member2).get(reverse("research:study_plan", args=[plan.pk])).status_code == 404
    assert client_for(side.leader).get(reverse("research:study_plan", args=[plan.pk])).status_code == 200


def test_office_lists_keep_a_flat_number_of_queries(world, django_assert_max_num_queries):
    side = world.city
    questions = bank(side)
    for n in range(6):
        made = quiz(side, questions, title=f"测验{n}")
        services.submit_attempt(side.member, services.start_attempt(side.member, made), {})
        paper(side)
        services.create_plan(side.staff, side.conference, services.PlanInput(title=f"计划{n}", year=2026))
    staff = client_for(side.staff)
    for name in ("study", "study_questions", "study_quizzes", "study_papers"):
        staff.get(reverse(f"research:{name}"))  # warm the session and role caches
        with django_assert_max_num_queries(14):
            assert staff.get(reverse(f"research:{name}")).status_code == 200


def test_every_office_page_opens_for_staff_and_leaders_read_without_write_buttons(world):
    side = world.city
    questions = bank(side)
    plan = services.create_plan(side.staff, side.conference, services.PlanInput(title="计划", year=2026))
    made = quiz(side, questions, plan_id=plan.pk)
    attempt = services.submit_attempt(side.member, services.start_attempt(side.member, made), {})
    written = paper(side)
    urls = [
        reverse("research:study"),
        reverse("research:study_plan", args=[plan.pk]),
        reverse("research:study_questions") + "?tag=理论&kind=single&q=政协",
        reverse("research:study_quizzes"),
        reverse("research:study_quiz", args=[made.pk]),
        reverse("research:study_quiz_results", args=[made.pk]),
        reverse("research:study_attempt", args=[attempt.pk]),
        reverse("research:study_papers") + "?state=submitted",
        reverse("research:study_paper", args=[written.pk]),
        reverse("research:study_member", args=[side.member.pk]),
    ]
    staff, leader = client_for(side.staff), client_for(side.leader)
    for url in urls:
        assert staff.get(url).status_code == 200, url
        assert leader.get(url).status_code == 200, url
    for url in (
        reverse("research:study_plan_edit", args=[plan.pk]),
        reverse("research:study_question_edit", args=[questions[0].pk]),
        reverse("research:study_quiz_edit", args=[made.pk]),
        reverse("research:study_quiz_new"),
    ):
        assert staff.get(url).status_code == 200, url
        assert leader.get(url).status_code == 403, url
    quiz_page = staff.get(reverse("research:study_quiz", args=[made.pk])).content.decode()
    assert "人民政协的性质是什么？" in quiz_page and 'data-testid="quiz-withdraw"' in quiz_page
    assert (
        'data-testid="quiz-withdraw"'
        not in leader.get(reverse("research:study_quiz", args=[made.pk])).content.decode()
    )
    paper_page = leader.get(reverse("research:study_paper", args=[written.pk])).content.decode()
    assert 'data-testid="paper-review"' not in paper_page
    assert (
        'data-testid="paper-accept"'
        in staff.get(reverse("research:study_paper", args=[written.pk])).content.decode()
    )
