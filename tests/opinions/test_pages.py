"""The opinion pages: the member's walk on a phone, the office's work lists and actions, issues and
the .docx export, and what others may not reach."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from xieshang.opinions import services
from xieshang.opinions.models import OpinionReport, OpinionState

from . import walk

S = OpinionState


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_bottom_tab_lists_the_members_reports(world):
    report = walk.draft(world.city)
    response = _client(world.city.member).get(reverse("opinions"))
    assert response.status_code == 200
    assert report.title in response.content.decode()


def test_member_writes_and_submits_through_the_pages(world):
    client = _client(world.city.member)
    data = {
        "title": "关于增设学校周边护学岗的建议",
        "on_behalf_kind": "member",
        "facts": "上下学高峰拥堵。",
        "suggestions": "增设护学岗。",
    }
    response = client.post(reverse("opinions:create"), data)
    assert response.status_code == 302
    report = OpinionReport.objects.get(title=data["title"])
    response = client.post(reverse("opinions:act", args=[report.pk, "submit"]), {"version": report.version})
    assert response.status_code == 302
    assert OpinionReport.objects.get(pk=report.pk).state == S.SUBMITTED


def test_an_empty_title_is_shown_in_chinese_beside_the_field(world):
    response = _client(world.city.member).post(
        reverse("opinions:create"), {"title": "", "on_behalf_kind": "member"}
    )
    assert response.status_code == 400
    assert "标题不能为空" in response.content.decode()
    assert not OpinionReport.objects.exists()


def test_staff_claim_revise_and_adopt_through_the_pages(world):
    report = walk.submitted(world.city)
    client = _client(world.city.staff)
    assert report.title in client.get(reverse("opinions:worklist", args=["to_edit"])).content.decode()
    client.post(reverse("opinions:act", args=[report.pk, "claim"]), {"version": report.version})
    report.refresh_from_db()
    edit = {
        "title": report.title,
        "facts": "改写后的情况。",
        "suggestions": "改写后的建议。",
        "version": report.version,
    }
    assert client.post(reverse("opinions:act", args=[report.pk, "revise"]), edit).status_code == 302
    report.refresh_from_db()
    response = client.post(reverse("opinions:act", args=[report.pk, "adopt"]), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == S.ADOPTED
    page = _client(world.city.member).get(reverse("opinions:detail", args=[report.pk])).content.decode()
    assert "<ins>" in page and "已采用" in page and "第1期" in page


def test_a_stale_form_is_refused_with_a_message(world):
    report = walk.editing(world.city)
    client = _client(world.city.staff)
    response = client.post(
        reverse("opinions:act", args=[report.pk, "decline"]), {"reason": "重复", "version": 1}
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()


def test_the_worklist_searches_filters_sorts_and_pages(world, django_assert_max_num_queries):
    for n in range(3):
        walk.submitted(world.city, title=f"关于夜市管理的建议{n}")
    walk.submitted(world.city, title="关于停车难的建议")
    client = _client(world.city.staff)
    url = reverse("opinions:worklist", args=["to_edit"])
    with django_assert_max_num_queries(20):
        body = client.get(url, {"q": "夜市", "sort": "title", "on_behalf_kind": "member"}).content.decode()
    assert "夜市管理的建议0" in body and "停车难" not in body
    assert client.get(url, {"page": "99"}).status_code == 200


def test_leader_sees_adopted_reports_only_and_no_action_forms(world):
    adopted = walk.adopted(world.city)
    walk.submitted(world.city, title="尚未采用的信息")
    client = _client(world.city.leader)
    body = client.get(reverse("opinions:worklist", args=["adopted"])).content.decode()
    assert adopted.title in body
    assert "尚未采用的信息" not in client.get(reverse("opinions:worklist", args=["to_edit"])).content.decode()
    detail = client.get(reverse("opinions:detail", args=[adopted.pk])).content.decode()
    assert "form-record_instruction" not in detail
    response = client.post(reverse("opinions:act", args=[adopted.pk, "record_instruction"]), {})
    assert response.status_code == 403


def test_county_staff_get_404_on_city_pages(world):
    report = walk.adopted(world.city)
    client = _client(world.county.staff)
    assert client.get(reverse("opinions:detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("opinions:act", args=[report.pk, "forward"]), {}).status_code == 404
    assert client.get(reverse("opinions:issue", args=[report.adopted_in_id])).status_code == 404
    assert client.get(reverse("opinions:issue_docx", args=[report.adopted_in_id])).status_code == 404


def test_member_cannot_reach_the_office_pages(world):
    client = _client(world.city.member)
    assert client.get(reverse("opinions:work")).status_code == 403
    assert client.get(reverse("opinions:issues")).status_code == 403


def test_instruction_and_feedback_through_the_pages(world):
    report = walk.adopted(world.city)
    client = _client(world.city.staff)
    data = {"leader_name": "市委书记", "level": "city", "text": "请认真研究。", "version": report.version}
    assert (
        client.post(reverse("opinions:act", args=[report.pk, "record_instruction"]), data).status_code == 302
    )
    instruction = report.instructions.get()
    report.refresh_from_db()
    data = {"feedback": "已研究落实。", "version": report.version}
    assert client.post(reverse("opinions:feedback", args=[instruction.pk]), data).status_code == 302
    body = _client(world.city.member).get(reverse("opinions:detail", args=[report.pk])).content.decode()
    assert "市委书记" in body and "已研究落实" in body


def test_the_issue_is_published_and_exported_as_docx(world):
    report = walk.adopted(world.city)
    client = _client(world.city.staff)
    issue_url = reverse("opinions:issue", args=[report.adopted_in_id])
    assert client.post(issue_url, {"action": "publish"}).status_code == 302
    response = client.get(reverse("opinions:issue_docx", args=[report.adopted_in_id]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "社情民意" in text and "第1期" in text and report.title in text
    assert "示范市政协办公室编" in text
    assert 'w:eastAsia="仿宋"' in doc.paragraphs[-1].runs[0]._element.xml
    forward = {"action": "forward", "recipient_kind": "superior", "recipient_name": "省政协办公厅"}
    assert client.post(issue_url, forward).status_code == 302
    assert "省政协办公厅" in client.get(issue_url).content.decode()


def test_staff_open_an_issue_from_the_list(world):
    client = _client(world.city.staff)
    response = client.post(reverse("opinions:issues"), {"year": "2026", "title": "专刊"})
    assert response.status_code == 302
    assert client.get(reverse("opinions:issues")).status_code == 200
    assert services.create_issue(world.city.staff, world.city.conference, year=2026).number == 2
