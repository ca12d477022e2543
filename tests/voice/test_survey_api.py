"""Questionnaires over the API: the caller's open questionnaires, answering once, the public with the
captcha and the limit, staff's open/close and results; other conferences get 404."""

from __future__ import annotations

from django.test import Client

from xieshang.voice.models import SurveyResponse, SurveyState

from .survey_walk import build, choice, login, questions

BASE = "/api/v1/voice"


def _payload(survey, lives: str = "是", score: int = 4, text: str = "") -> dict:  # type: ignore[no-untyped-def]
    q1, q2, q3, q4 = questions(survey)
    answers = [
        {"question_id": q1.pk, "choice_ids": [choice(q1, lives)]},
        {"question_id": q2.pk, "choice_ids": [choice(q2, "停车")]},
        {"question_id": q3.pk, "scale": score},
    ]
    if text:
        answers.append({"question_id": q4.pk, "text": text})
    return {"answers": answers}


def test_a_member_lists_reads_and_answers_once(world):
    survey = build(world.city)
    member = login(world.city.member)
    mine = member.get(f"{BASE}/surveys/mine").json()
    assert [(s["id"], s["answered"]) for s in mine] == [(survey.pk, False)]
    detail = member.get(f"{BASE}/surveys/{survey.pk}").json()
    assert [q["kind"] for q in detail["questions"]] == ["single", "multiple", "scale", "text"]
    assert detail["questions"][0]["choices"][2]["jump_end"] is True
    url = f"{BASE}/surveys/{survey.pk}/answers"
    created = member.post(url, _payload(survey), content_type="application/json")
    assert created.status_code == 201
    again = member.post(url, _payload(survey), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    assert member.get(f"{BASE}/surveys/mine").json()[0]["answered"] is True


def test_bad_answers_through_the_api_are_refused_per_question(world):
    survey = build(world.city)
    q1, q2, q3, _q4 = questions(survey)
    member = login(world.city.member)
    url = f"{BASE}/surveys/{survey.pk}/answers"
    payload = _payload(survey, score=9)
    payload["answers"][1]["choice_ids"] = [choice(q1, "是")]
    refused = member.post(url, payload, content_type="application/json")
    body = refused.json()
    assert refused.status_code == 400 and body["code"] == "invalid_input"
    assert set(body["fields"]) == {f"q{q2.pk}", f"q{q3.pk}"}
    assert not SurveyResponse.objects.exists()


def test_outsiders_and_other_conferences_get_404(world):
    survey = build(world.city)
    for user in (world.county.staff, world.county.member, world.outsider):
        client = login(user)
        assert client.get(f"{BASE}/surveys/{survey.pk}").status_code == 404
        assert client.get(f"{BASE}/surveys/{survey.pk}/results").status_code == 404
        posted = client.post(
            f"{BASE}/surveys/{survey.pk}/answers", _payload(survey), content_type="application/json"
        )
        assert posted.status_code == 404
    assert login(world.city.member).get(f"{BASE}/surveys/{survey.pk}/results").status_code == 404
    assert Client().get(f"{BASE}/surveys/mine").status_code == 401


def test_staff_open_close_and_read_results(world):
    survey = build(world.city, open_=False)
    staff = login(world.city.staff)
    assert staff.get(f"{BASE}/surveys/{survey.pk}").json()["state"] == "draft"
    member = login(world.city.member)
    assert (
        member.post(f"{BASE}/surveys/{survey.pk}/open", {}, content_type="application/json").status_code
        == 404
    )
    opened = staff.post(
        f"{BASE}/surveys/{survey.pk}/open", {"version": survey.version}, content_type="application/json"
    )
    assert opened.status_code == 200 and opened.json()["state"] == SurveyState.OPEN
    leader = login(world.city.leader)
    assert (
        leader.post(f"{BASE}/surveys/{survey.pk}/close", {}, content_type="application/json").status_code
        == 403
    )
    member.post(
        f"{BASE}/surveys/{survey.pk}/answers", _payload(survey, score=5), content_type="application/json"
    )
    login(world.city.member2).post(
        f"{BASE}/surveys/{survey.pk}/answers",
        _payload(survey, lives="否", text="停车难"),
        content_type="application/json",
    )
    results = leader.get(f"{BASE}/surveys/{survey.pk}/results").json()
    assert (results["responses"], results["audience"], results["rate"]) == (2, 2, 100.0)
    q1, q2, q3, q4 = results["questions"]
    assert [(o["label"], o["count"]) for o in q1["options"]] == [("是", 1), ("否", 1), ("不清楚", 0)]
    assert q2["answered"] == 1 and q3["mean"] == 5.0
    assert sum(t["count"] for t in q4["themes"]) == 1
    closed = staff.post(f"{BASE}/surveys/{survey.pk}/close", {}, content_type="application/json")
    assert closed.json()["state"] == SurveyState.CLOSED
    late = login(world.city.member2).post(
        f"{BASE}/surveys/{survey.pk}/answers", _payload(survey), content_type="application/json"
    )
    assert late.status_code == 409


def test_the_public_answer_through_the_api_with_the_captcha_and_the_limit(world, settings):
    settings.XIESHANG_VOICE_SUBMIT_PER_HOUR = 1
    survey = build(world.city, public=True)
    members_only = build(world.city)
    client = Client()
    url = f"{BASE}/public/city/surveys/{survey.pk}"
    assert client.get(url).json()["title"] == survey.title
    assert client.get(f"{BASE}/public/city/surveys/{members_only.pk}").status_code == 404
    assert client.get(f"{BASE}/public/county/surveys/{survey.pk}").status_code == 404
    client.get(f"{BASE}/public/captcha")
    wrong = client.post(
        f"{url}/answers", {**_payload(survey), "captcha": "1"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "captcha" in wrong.json()["fields"]
    client.get(f"{BASE}/public/captcha")
    done = client.post(
        f"{url}/answers", {**_payload(survey), "captcha": "42"}, content_type="application/json"
    )
    assert done.status_code == 201
    client.get(f"{BASE}/public/captcha")
    limited = client.post(
        f"{url}/answers", {**_payload(survey), "captcha": "42"}, content_type="application/json"
    )
    assert limited.status_code == 400 and "频繁" in limited.json()["message"]
    assert SurveyResponse.objects.filter(respondent__isnull=True).count() == 1
