"""The research-topic pages: wiring, the buttons each person sees, leaders' read-only view with the
instruction form, forum isolation through the pages, the proceedings download, and the demo seed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from xieshang.core.dates import today
from xieshang.research import topics_demo
from xieshang.research import topics_services as services
from xieshang.research.models import Forum, ResearchTopic, TopicInstruction, TopicTask

from ..factories import ConferenceFactory, UserFactory, give_role
from ..proposals import walk as proposal_walk
from . import topics_walk as walk


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_home_lists_searches_and_pages_the_conferences_topics(world, django_assert_max_num_queries):
    for n in range(27):
        walk.proposed(world.city, title=f"城市更新课题{n:02d}")
    walk.proposed(world.city, title="乡村振兴调研")
    walk.proposed(world.county, title="县里的城市更新课题")
    client = _client(world.city.staff)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("research:topics")).content.decode()
    assert "共 28 项" in page and "县里的城市更新课题" not in page and 'data-testid="new-topic"' in page
    second = client.get(reverse("research:topics"), {"q": "城市更新", "page": 2}).content.decode()
    assert "城市更新课题" in second and "乡村振兴调研" not in second
    assert "乡村振兴调研" in client.get(reverse("research:topics"), {"q": "乡村"}).content.decode()


def test_members_units_and_outsiders_do_not_open_the_office_pages(world):
    for user in [world.city.member, world.city.unit_user, world.outsider]:
        assert _client(user).get(reverse("research:topics")).status_code == 403
    topic = walk.proposed(world.city)
    assert _client(world.county.staff).get(reverse("research:topic", args=[topic.pk])).status_code == 404
    assert _client(world.city.member).get(reverse("research:topic", args=[topic.pk])).status_code == 404


def test_staff_start_a_topic_from_a_proposal_through_the_pages(world):
    side = world.city
    proposal = proposal_walk.accepted(side)
    client = _client(side.staff)
    found = client.get(reverse("research:topic_create"), {"proposal_q": "加装电梯"}).content.decode()
    assert f"?proposal={proposal.pk}" in found
    form = client.get(reverse("research:topic_create"), {"proposal": proposal.pk}).content.decode()
    assert proposal.title in form and 'data-testid="from-proposal"' in form
    response = client.post(
        reverse("research:topic_create") + f"?proposal={proposal.pk}",
        {
            "title": proposal.title,
            "kind": "committee",
            "proposer_kind": "committee",
            "proposer_name": "社会法制委员会",
            "background": "提案反映的问题需要深入调研。",
            "origin_proposal": proposal.pk,
        },
    )
    topic = ResearchTopic.objects.get(origin_proposal=proposal)
    assert response.status_code == 302 and response["Location"] == reverse("research:topic", args=[topic.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="origin-proposal"' in page and 'data-testid="form-select"' in page


def test_bad_input_on_the_form_is_shown_in_chinese_and_nothing_is_saved(world):
    response = _client(world.city.staff).post(
        reverse("research:topic_create"), {"title": "", "kind": "standing", "proposer_kind": "party"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "课题名称不能为空" in page or "请填写" in page
    assert not ResearchTopic.objects.exists()


def test_staff_walk_a_topic_to_a_task_through_the_pages(world):
    side = world.city
    topic = walk.selected(side)
    client = _client(side.staff)

    def act(name: str, data: dict, **kw) -> int:  # type: ignore[no-untyped-def,type-arg]
        topic.refresh_from_db()
        response = client.post(
            reverse("research:topic_act", args=[topic.pk, name]), {"version": topic.version, **data}, **kw
        )
        return response.status_code

    assert act("add_partner", {"kind": "other", "name": "市社科院"}) == 302
    assert act("add_milestone", {"title": "赴企业调研", "due_on": today().isoformat()}) == 302
    assert act("start", {}) == 302
    upload = SimpleUploadedFile("调研报告.txt", "报告全文。".encode())
    assert act("add_draft", {"title": "调研报告", "text": "", "note": "", "file": upload}) == 302
    assert act("submit_report", {}) == 302
    assert (
        act("transmit", {"recipient_kind": "government", "recipient_name": "示范市人民政府", "note": ""})
        == 302
    )
    assert act("record_instruction", {"leader_name": "市长", "level": "city", "text": "请研究落实。"}) == 302
    instruction = TopicInstruction.objects.get(topic=topic)
    assert (
        act(
            "create_task",
            {"action": "制定落实方案", "lead_units": [side.unit.pk], "instruction": instruction.pk},
        )
        == 302
    )
    link = TopicTask.objects.get(topic=topic)
    page = client.get(reverse("research:topic", args=[topic.pk])).content.decode()
    assert link.task.title in page and "市社科院" in page and "请研究落实。" in page
    assert 'data-testid="timeline"' in page and "转督办事项" in page
    # the draft's file and the report download
    draft = topic.drafts.get()
    assert client.get(reverse("research:topic_draft_file", args=[topic.pk, draft.pk])).status_code == 200
    report = client.get(reverse("research:topic_report_docx", args=[topic.pk]))
    assert "调研报告" in "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
    # a refused action re-renders the page with the message beside its field
    assert act("create_task", {"action": "", "lead_units": [side.unit.pk]}) == 400


def test_a_leader_reads_the_topic_and_has_only_the_instruction_form(world):
    topic = walk.transmitted(world.city)
    client = _client(world.city.leader)
    page = client.get(reverse("research:topic", args=[topic.pk])).content.decode()
    assert 'data-testid="form-record_instruction"' in page
    for name in ["transmit", "create_task", "close", "add_draft"]:
        assert f'data-testid="form-{name}"' not in page
    assert 'data-testid="new-topic"' not in client.get(reverse("research:topics")).content.decode()
    refused = client.post(reverse("research:topic_act", args=[topic.pk, "close"]), {"version": topic.version})
    assert refused.status_code == 403
    response = client.post(
        reverse("research:topic_act", args=[topic.pk, "record_instruction"]),
        {"version": topic.version, "leader_name": "", "level": "conference", "text": "同意报告建议。"},
    )
    assert response.status_code == 302
    assert TopicInstruction.objects.get(topic=topic).leader_name == str(world.city.leader)


def test_forum_pages_show_an_invited_conference_its_own_submission_and_hide_the_forum_from_others(world):
    city, county = world.city, world.county
    neighbour = ConferenceFactory(name="邻市政协", short_name="邻市", code="neighbour", level="city")
    neighbour_staff = give_role(UserFactory(username="neighbour_staff"), neighbour, "staff")
    host = _client(city.staff)
    response = host.post(
        reverse("research:forums"),
        {
            "theme": "城市群协同发展论坛",
            "held_on": (today() + dt.timedelta(days=9)).isoformat(),
            "place": "会议中心",
        },
    )
    forum = Forum.objects.get()
    assert response.status_code == 302
    invited = host.post(
        reverse("research:forum_act", args=[forum.pk, "invite"]),
        {"version": forum.version, "conferences": [county.conference.pk, neighbour.pk]},
    )
    assert invited.status_code == 302 and forum.invitations.count() == 2
    for user, conference, title in [
        (county.staff, county.conference, "县域报告"),
        (neighbour_staff, neighbour, "邻市报告"),
    ]:
        client = _client(user)
        url = reverse("research:forum", args=[forum.pk])
        assert "城市群协同发展论坛" in client.get(url).content.decode()
        sent = client.post(
            reverse("research:forum_act", args=[forum.pk, "submit"]),
            {"conference": conference.pk, "title": title, "text": "正文。"},
        )
        assert sent.status_code == 302
    county_page = _client(county.staff).get(reverse("research:forum", args=[forum.pk])).content.decode()
    assert "县域报告" in county_page and "邻市报告" not in county_page
    assert 'data-testid="proceedings-docx"' not in county_page
    host_page = host.get(reverse("research:forum", args=[forum.pk])).content.decode()
    assert "县域报告" in host_page and "邻市报告" in host_page
    # the host's proceedings
    docx = host.get(reverse("research:forum_docx", args=[forum.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "县域报告" in text and "邻市报告" in text and "城市群协同发展论坛" in text
    assert _client(county.staff).get(reverse("research:forum_docx", args=[forum.pk])).status_code == 403
    # a conference not invited gets 404 on every forum page
    stranger = ConferenceFactory(name="远方市政协", short_name="远方", code="far", level="city")
    stranger_client = _client(give_role(UserFactory(username="far_staff"), stranger, "staff"))
    for url in [
        reverse("research:forum", args=[forum.pk]),
        reverse("research:forum_docx", args=[forum.pk]),
    ]:
        assert stranger_client.get(url).status_code == 404
    assert (
        stranger_client.post(
            reverse("research:forum_act", args=[forum.pk, "submit"]), {"title": "x", "text": "y"}
        ).status_code
        == 404
    )


def test_the_demo_seed_makes_a_transmitted_topic_with_an_instruction_a_task_and_a_forum(world):
    side = world.city
    from ..factories import HandlingUnitFactory  # noqa: F401  (the world already has units)

    topics_demo.seed(side.conference, side.staff, [side.member, side.member2], side.leader)
    topic = ResearchTopic.objects.get(title="关于促进民营经济高质量发展的调研")
    assert topic.state == "transmitted" and topic.report is not None
    assert topic.instructions.count() == 1 and TopicTask.objects.filter(topic=topic).count() == 1
    assert topic.milestones.filter(activity__isnull=False).exists()
    forum = Forum.objects.get(conference=side.conference)
    assert list(forum.invitations.values_list("conference_id", flat=True)) == [world.county.conference.pk]
    assert forum.submissions.count() == 2
    assert services.DUTY_KIND == "research_report"
