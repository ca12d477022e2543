"""Hot issues for leaders over public messages, proposals and opinion reports together."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xieshang.voice import intel, services

from ..proposals import walk as proposal_walk

ELEVATOR = "老旧小区加装电梯审批难、费用分摊难，老年人上下楼不便，希望出台补贴政策。"


def test_messages_and_proposals_about_one_issue_form_one_topic(world):
    city = world.city
    for i in range(3):
        services.submit_message(
            city.conference,
            services.MessageInput(subject=f"加装电梯太难了（{i}）", detail=ELEVATOR, place="城东街道"),
        )
    proposal_walk.accepted(city, title="关于加快老旧小区加装电梯的建议", analysis=ELEVATOR)
    services.submit_message(
        city.conference,
        services.MessageInput(subject="学校门口早餐摊卫生差", detail="希望加强食品安全检查。"),
    )

    [top, *_] = intel.leader_topics(city.conference.pk)

    assert top.by_kind == {"群众建言": 3, "提案": 1}
    assert "电梯" in top.name or "加装" in top.name
    assert intel.leader_topics(city.conference.pk, place="城南街道") == []
    assert intel.leader_topics(world.county.conference.pk) == []


def test_the_page_is_for_leaders_and_staff_of_the_conference(world):
    city = world.city
    for who, allowed in (
        (city.leader, True),
        (city.staff, True),
        (city.member, False),
        (world.county.leader, True),
    ):
        client = Client()
        client.force_login(who)
        response = client.get(reverse("voice:hot_topics"))
        assert (response.status_code == 200) == allowed
