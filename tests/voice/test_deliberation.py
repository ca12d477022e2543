"""Online deliberation: the state table, who may post, support, moderate and see hidden posts,
conference isolation, the drafted summary and the duty events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import PointEvent
from xieshang.voice import deliberation as svc
from xieshang.voice.models import Deliberation, DeliberationState, Post, Support

S = DeliberationState


def _topic(
    world: Any, *, public: bool = False, experts: tuple[Any, ...] = (), open_: bool = True
) -> Deliberation:
    now = timezone.now()
    topic = svc.create_deliberation(
        world.city.staff,
        world.city.conference,
        svc.DeliberationInput(
            title="老旧小区加装电梯",
            question="如何推进老旧小区加装电梯？",
            background="全市有老旧小区 1200 个。",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
            for_public=public,
            expert_ids=[u.pk for u in experts],
        ),
    )
    if open_:
        topic = svc.open_deliberation(world.city.staff, topic)
    return topic


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------- the state table


@pytest.mark.parametrize("action", sorted(svc.TRANSITIONS))
@pytest.mark.parametrize("state", S.values)
def test_every_row_of_the_table_allows_staff_only_from_its_states(world, action, state):  # type: ignore[no-untyped-def]
    # given a topic in `state`
    topic = _topic(world, open_=False)
    Deliberation.objects.filter(pk=topic.pk).update(state=state)
    topic.refresh_from_db()
    row = svc.TRANSITIONS[action]
    # when a member tries it, then it is refused whatever the state
    with pytest.raises(AppError) as refused:
        svc.sm.check(row, svc.actor_roles(world.city.member, topic), topic, "该议题")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    # when staff try it, then only the row's states allow it
    if state in row.sources:
        svc.sm.check(row, svc.actor_roles(world.city.staff, topic), topic, "该议题")
    else:
        with pytest.raises(AppError) as wrong:
            svc.sm.check(row, svc.actor_roles(world.city.staff, topic), topic, "该议题")
        assert wrong.value.code == ErrorCode.INVALID_STATE


def test_staff_open_and_close_a_topic_and_members_cannot(world):
    topic = _topic(world, open_=False)
    with pytest.raises(AppError) as refused:
        svc.open_deliberation(world.city.member, topic)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError):
        svc.open_deliberation(world.county.staff, topic)
    topic = svc.open_deliberation(world.city.staff, topic)
    assert topic.state == S.OPEN
    topic = svc.close_deliberation(world.city.staff, topic)
    assert topic.state == S.CLOSED
    verbs = list(
        AuditEvent.objects.filter(target_type="deliberation", target_id=topic.pk).values_list(
            "verb", flat=True
        )
    )
    assert verbs == ["create", "open", "close"]


def test_a_topic_needs_a_time_window_and_experts_from_the_talent_pool(world):
    now = timezone.now()
    data = svc.DeliberationInput(
        title="议题", question="问题", opens_at=now, closes_at=now - dt.timedelta(hours=1)
    )
    with pytest.raises(AppError) as late:
        svc.create_deliberation(world.city.staff, world.city.conference, data)
    assert "closes_at" in late.value.fields
    data = svc.DeliberationInput(
        title="议题",
        question="问题",
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
        expert_ids=[world.outsider.pk],
    )
    with pytest.raises(AppError) as outside:
        svc.create_deliberation(world.city.staff, world.city.conference, data)
    assert "experts" in outside.value.fields


# ---------------------------------------------------------------------------- who may post


def test_members_of_the_conference_post_and_reply(world):
    topic = _topic(world)
    opinion = svc.post_opinion(world.city.member, topic, body="建议财政补贴一部分费用")
    reply = svc.post_opinion(world.city.member2, topic, body="同意，并简化审批", parent_id=opinion.pk)
    assert opinion.author == world.city.member and reply.parent == opinion


@pytest.mark.parametrize("who", ["county.member", "county.staff", "city.unit_user", "outsider"])
def test_people_outside_the_participants_cannot_post(world, who):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    side, _, role = who.partition(".")
    user = getattr(getattr(world, side), role) if role else world.outsider
    with pytest.raises(AppError) as refused:
        svc.post_opinion(user, topic, body="我也说两句")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not Post.objects.exists()


def test_an_invited_expert_from_the_talent_pool_may_post(world):
    # given a county member invited as an expert to a city topic
    topic = _topic(world, experts=(world.county.member,))
    post = svc.post_opinion(world.county.member, topic, body="可借鉴外地加装电梯的分摊办法")
    assert post.author == world.county.member
    # then the county member reads the topic, although it belongs to the city
    assert _login(world.county.member).get(reverse("voice:deliberation", args=[topic.pk])).status_code == 200


def test_the_public_posts_only_on_a_public_topic_with_a_name(world):
    closed_to_public = _topic(world)
    with pytest.raises(AppError):
        svc.post_opinion(world.outsider, closed_to_public, body="路过", display_name="张三")
    public = _topic(world, public=True)
    with pytest.raises(AppError) as nameless:
        svc.post_opinion(world.outsider, public, body="路过")
    assert "display_name" in nameless.value.fields
    post = svc.post_opinion(world.outsider, public, body="希望加快进度", display_name="热心市民")
    assert post.author is None and post.author_name == "热心市民"


@pytest.mark.parametrize("state", [S.DRAFT, S.CLOSED, S.REPORTED])
def test_nobody_posts_outside_the_open_state(world, state):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    Deliberation.objects.filter(pk=topic.pk).update(state=state)
    with pytest.raises(AppError) as refused:
        svc.post_opinion(world.city.member, topic, body="晚了")
    assert refused.value.code == ErrorCode.INVALID_STATE


def test_nobody_posts_after_the_window_even_if_still_open(world):
    topic = _topic(world)
    Deliberation.objects.filter(pk=topic.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(AppError):
        svc.post_opinion(world.city.member, topic, body="晚了")


def test_the_public_posts_through_the_page_with_the_captcha(world):
    topic = _topic(world, public=True)
    client = Client()
    url = reverse("voice:deliberation", args=[topic.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="captcha-image"' in page.content.decode()
    post_url = reverse("voice:deliberation_post", args=[topic.pk])
    wrong = client.post(
        post_url, {"body": "<script>alert(1)</script>", "display_name": "市民", "captcha": "1"}
    )
    assert wrong.status_code == 400 and not Post.objects.exists()
    client.get(url)
    done = client.post(
        post_url, {"body": "<script>alert(1)</script>", "display_name": "市民", "captcha": "42"}
    )
    assert done.status_code == 302
    shown = client.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert(1)" not in shown


def test_a_member_posts_through_the_page_without_a_captcha(world):
    topic = _topic(world)
    client = _login(world.city.member)
    response = client.post(reverse("voice:deliberation_post", args=[topic.pk]), {"body": "加强维护资金管理"})
    assert response.status_code == 302
    assert Post.objects.get().author == world.city.member


# ---------------------------------------------------------------------------- supports


def test_a_participant_supports_a_post_once_and_never_their_own(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="建议财政补贴")
    with pytest.raises(AppError) as own:
        svc.support_post(world.city.member, post)
    assert own.value.code == ErrorCode.INVALID_INPUT
    assert svc.support_post(world.city.member2, post).support_count == 1
    with pytest.raises(AppError) as twice:
        svc.support_post(world.city.member2, post)
    assert twice.value.code == ErrorCode.DUPLICATE
    with pytest.raises(AppError) as outsider:
        svc.support_post(world.county.member, post)
    assert outsider.value.code == ErrorCode.PERMISSION_DENIED
    assert Support.objects.count() == 1


def test_supporting_through_the_page(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="建议财政补贴")
    response = _login(world.city.member2).post(reverse("voice:deliberation_support", args=[post.pk]))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.support_count == 1


# ---------------------------------------------------------------------------- moderation


def test_staff_hide_a_post_with_a_reason_and_it_is_audited(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="广告：低价装电梯")
    svc.hide_post(world.city.staff, post, reason="广告内容")
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "广告内容" and post.hidden_by == world.city.staff
    event = AuditEvent.objects.get(target_type="deliberation", target_id=topic.pk, verb="hide_post")
    assert event.actor == world.city.staff and event.data["post"] == post.pk


@pytest.mark.parametrize("who", ["city.member2", "city.leader", "county.staff"])
def test_only_the_topics_staff_may_hide_a_post(world, who):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="意见")
    side, _, role = who.partition(".")
    with pytest.raises(AppError) as refused:
        svc.hide_post(getattr(getattr(world, side), role), post, reason="不喜欢")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    post.refresh_from_db()
    assert not post.hidden


def test_a_member_cannot_hide_through_the_page(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="意见")
    response = _login(world.city.member2).post(
        reverse("voice:deliberation_hide", args=[post.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_a_hidden_post_is_seen_by_its_author_with_the_reason_and_by_staff_but_not_by_others(world):
    # given a hidden post
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="不当言论内容")
    svc.hide_post(world.city.staff, post, reason="与议题无关")
    url = reverse("voice:deliberation", args=[topic.pk])
    # then its author sees it with the reason
    mine = _login(world.city.member).get(url).content.decode()
    assert "不当言论内容" in mine and "与议题无关" in mine
    # and staff see it on the topic and the manage page
    assert "不当言论内容" in _login(world.city.staff).get(url).content.decode()
    manage = _login(world.city.staff).get(reverse("voice:deliberation_manage", args=[topic.pk]))
    assert "与议题无关" in manage.content.decode()
    # but another member does not
    theirs = _login(world.city.member2).get(url).content.decode()
    assert "不当言论内容" not in theirs and "与议题无关" not in theirs
    assert [p.pk for p in svc.posts_for(world.city.member2, topic)] == []


def test_staff_hide_through_the_page(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="意见")
    response = _login(world.city.staff).post(
        reverse("voice:deliberation_hide", args=[post.pk]), {"reason": "重复"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "重复"


# ---------------------------------------------------------------------------- isolation


def test_county_users_get_404_on_a_city_topic(world):
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="意见")
    for user in (world.county.staff, world.county.member, world.county.leader):
        client = _login(user)
        assert client.get(reverse("voice:deliberation", args=[topic.pk])).status_code == 404
        assert client.get(reverse("voice:deliberation_manage", args=[topic.pk])).status_code == 404
        assert (
            client.post(reverse("voice:deliberation_post", args=[topic.pk]), {"body": "x"}).status_code == 404
        )
        assert client.post(reverse("voice:deliberation_support", args=[post.pk])).status_code == 404
        assert (
            client.post(reverse("voice:deliberation_hide", args=[post.pk]), {"reason": "x"}).status_code
            == 404
        )
    listing = _login(world.county.staff).get(reverse("voice:deliberation_list")).content.decode()
    assert "老旧小区加装电梯" not in listing


def test_a_draft_is_seen_by_staff_only_and_the_public_never_sees_a_members_topic(world):
    draft = _topic(world, open_=False)
    url = reverse("voice:deliberation", args=[draft.pk])
    assert _login(world.city.member).get(url).status_code == 404
    assert _login(world.city.staff).get(url).status_code == 200
    members_only = _topic(world)
    assert Client().get(reverse("voice:deliberation", args=[members_only.pk])).status_code == 404


def test_members_cannot_reach_the_manage_page(world):
    topic = _topic(world)
    response = _login(world.city.member).get(reverse("voice:deliberation_manage", args=[topic.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------------------- summary and report


OPINIONS = [
    "加装电梯资金分摊办法不明确，低层住户不同意出资",
    "加装电梯资金分摊应按楼层分档，低层住户少出资",
    "建议政府对加装电梯给予资金补贴，减轻居民出资负担",
    "社区养老服务站太少，老人助餐难",
    "社区养老服务站应增加助餐服务，解决老人吃饭难",
]


def test_closing_drafts_a_summary_by_theme_with_counts_and_the_most_supported_quote(world):
    # given opinions on two themes, one supported
    topic = _topic(world)
    posts = [
        svc.post_opinion(world.city.member if i % 2 else world.city.member2, topic, body=text)
        for i, text in enumerate(OPINIONS)
    ]
    svc.support_post(world.city.member2, posts[1])
    svc.hide_post(world.city.staff, posts[4], reason="重复")
    # when staff close it
    topic = svc.close_deliberation(world.city.staff, topic)
    # then the draft counts the visible opinions and quotes the most supported one of each theme
    themes = svc.themes(topic)
    assert sum(t.count for t in themes) == 4
    assert "共收到有效意见 4 条" in topic.summary
    assert posts[1].body in topic.summary
    assert posts[4].body not in topic.summary
    assert any(t.count >= 2 and t.quote == posts[1] for t in themes)


def test_staff_edit_the_summary_into_the_report_and_mark_it_reported(world):
    topic = _topic(world)
    svc.post_opinion(world.city.member, topic, body=OPINIONS[0])
    topic = svc.close_deliberation(world.city.staff, topic)
    client = _login(world.city.staff)
    act = reverse("voice:deliberation_act", args=[topic.pk, "report"])
    saved = client.post(act, {"summary": "修改后的报告", "version": topic.version, "final": ""})
    assert saved.status_code == 302
    topic.refresh_from_db()
    assert topic.state == S.CLOSED and topic.summary == "修改后的报告"
    client.post(act, {"summary": "定稿报告", "version": topic.version, "final": "on"})
    topic.refresh_from_db()
    assert topic.state == S.REPORTED and topic.summary == "定稿报告"
    assert (
        "定稿报告"
        in _login(world.city.member).get(reverse("voice:deliberation", args=[topic.pk])).content.decode()
    )


def test_a_stale_report_is_refused(world):
    topic = svc.close_deliberation(world.city.staff, _topic(world))
    with pytest.raises(AppError) as stale:
        svc.save_report(world.city.staff, topic, summary="x", final=True, version=topic.version - 1)
    assert stale.value.code == ErrorCode.STALE_VERSION


# ---------------------------------------------------------------------------- duty points


def test_a_members_opinion_earns_one_duty_event_and_hiding_it_withdraws_it(world):
    topic = _topic(world, public=True, experts=(world.county.member,))
    post = svc.post_opinion(world.city.member, topic, body="意见一")
    svc.post_opinion(world.city.member2, topic, body="回复", parent_id=post.pk)
    svc.post_opinion(world.county.member, topic, body="专家意见")
    svc.post_opinion(world.outsider, topic, body="市民意见", display_name="市民")
    events = PointEvent.objects.filter(source_type="deliberation_post")
    assert list(events.values_list("user_id", "kind", "source_id")) == [
        (world.city.member.pk, svc.DUTY_KIND, post.pk)
    ]
    svc.hide_post(world.city.staff, post, reason="离题")
    assert not events.exists()


# ---------------------------------------------------------------------------- office pages


def test_staff_create_open_and_close_through_the_office_pages(world):
    client = _login(world.city.staff)
    assert client.get(reverse("voice:deliberation_create")).status_code == 200
    response = client.post(
        reverse("voice:deliberation_create"),
        {
            "title": "城市停车难",
            "question": "如何缓解停车难？",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2099-01-01T09:00",
            "for_members": "on",
            "experts": [world.county.member.pk],
        },
    )
    assert response.status_code == 302
    topic = Deliberation.objects.get(title="城市停车难")
    assert list(topic.experts.all()) == [world.county.member]
    for action in ("open", "close"):
        topic.refresh_from_db()
        client.post(reverse("voice:deliberation_act", args=[topic.pk, action]), {"version": topic.version})
    topic.refresh_from_db()
    assert topic.state == S.CLOSED
    assert "城市停车难" in client.get(reverse("voice:deliberation_list")).content.decode()


def test_members_cannot_create_topics(world):
    assert _login(world.city.member).get(reverse("voice:deliberation_create")).status_code == 403


def test_the_office_list_and_the_topic_page_take_a_fixed_number_of_queries(world):
    topics = [_topic(world) for _ in range(3)]
    for topic in topics:
        for i in range(3):
            svc.post_opinion(world.city.member, topic, body=f"意见{i}")
    staff = _login(world.city.staff)
    member = _login(world.city.member)
    url = reverse("voice:deliberation", args=[topics[0].pk])
    staff.get(reverse("voice:deliberation_list"))
    member.get(url)
    with CaptureQueriesContext(connection) as few:
        staff.get(reverse("voice:deliberation_list"))
    with CaptureQueriesContext(connection) as page:
        member.get(url)
    for topic in topics:
        svc.post_opinion(world.city.member2, topic, body="再来一条")
    with CaptureQueriesContext(connection) as more:
        staff.get(reverse("voice:deliberation_list"))
    with CaptureQueriesContext(connection) as page_more:
        member.get(url)
    assert len(more) == len(few)
    assert len(page_more) == len(page)
