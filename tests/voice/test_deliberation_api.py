"""The deliberation API: the same permissions as the pages — who may read, post, reply, support,
moderate, close, edit and send the report, and instruct on it — and conference isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from xieshang.voice import deliberation as svc
from xieshang.voice.models import Deliberation, Post, ReportDelivery, ReportInstruction, Support

BASE = "/api/v1/voice/deliberations"


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _topic(world: Any, *, open_: bool = True, public: bool = False) -> Deliberation:
    now = timezone.now()
    topic = svc.create_deliberation(
        world.city.staff,
        world.city.conference,
        svc.DeliberationInput(
            title="老旧小区加装电梯",
            question="如何推进？",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
            for_public=public,
        ),
    )
    return svc.open_deliberation(world.city.staff, topic) if open_ else topic


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_members_post_reply_and_support_through_the_api(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    member, member2 = _login(world.city.member), _login(world.city.member2)
    listed = member.get(BASE).json()
    assert [t["id"] for t in listed["items"]] == [topic.pk]
    created = _post(member, f"{BASE}/{topic.pk}/posts", {"body": "建议财政补贴三成。"})
    assert created.status_code == 201, created.content
    post_id = created.json()["id"]
    reply = _post(member2, f"{BASE}/posts/{post_id}/replies", {"body": "赞同，并建议分摊到户。"})
    assert reply.status_code == 201 and reply.json()["parent_id"] == post_id
    supported = _post(member2, f"{BASE}/posts/{post_id}/support")
    assert supported.status_code == 200 and supported.json()["support_count"] == 1
    again = _post(member2, f"{BASE}/posts/{post_id}/support")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    own = _post(member, f"{BASE}/posts/{post_id}/support")
    assert own.status_code == 400 and "自己" in own.json()["message"]
    detail = member2.get(f"{BASE}/{topic.pk}").json()
    assert detail["can_post"] and not detail["is_moderator"]
    assert [(p["body"], p["supported"]) for p in detail["posts"]] == [
        ("建议财政补贴三成。", True),
        ("赞同，并建议分摊到户。", False),
    ]


def test_bad_posts_are_refused_in_chinese_and_write_nothing(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    member = _login(world.city.member)
    empty = _post(member, f"{BASE}/{topic.pk}/posts", {"body": "   "})
    assert empty.status_code == 400 and empty.json()["fields"]["body"]
    long = _post(member, f"{BASE}/{topic.pk}/posts", {"body": "长" * (svc.BODY_MAX + 1)})
    assert long.status_code == 400
    missing_parent = _post(member, f"{BASE}/{topic.pk}/posts", {"body": "回复", "parent_id": 999999})
    assert missing_parent.status_code == 400
    assert Post.objects.count() == 0


def test_who_may_post_and_who_may_not(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    url = f"{BASE}/{topic.pk}/posts"
    # county users and outsiders do not see the city's member topic at all
    for who in (world.county.member, world.county.staff, world.outsider):
        assert _login(who).get(f"{BASE}/{topic.pk}").status_code == 404
        assert _post(_login(who), url, {"body": "意见"}).status_code == 404
    # a unit contact of the city neither (the topic is for members)
    assert _post(_login(world.city.unit_user), url, {"body": "意见"}).status_code == 404
    # staff and leaders read but are not participants
    for who in (world.city.staff, world.city.leader):
        response = _post(_login(who), url, {"body": "意见"})
        assert response.status_code == 403 and response.json()["message"]
    # anonymous callers are not authenticated
    assert _post(Client(), url, {"body": "意见"}).status_code == 401
    # a draft topic is invisible to members
    draft = _topic(world, open_=False)
    assert _post(_login(world.city.member), f"{BASE}/{draft.pk}/posts", {"body": "x"}).status_code == 404
    assert Post.objects.count() == 0


def test_a_public_topic_takes_no_anonymous_post_through_the_api(world):  # type: ignore[no-untyped-def]
    topic = _topic(world, public=True)
    assert Client().get(f"{BASE}/{topic.pk}").status_code == 401
    county = _post(_login(world.county.member), f"{BASE}/{topic.pk}/posts", {"body": "意见"})
    assert county.status_code == 403 and "网页" in county.json()["message"]
    assert Post.objects.count() == 0


def test_moderation_hides_with_a_reason_and_only_staff_may(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="广告：加微信")
    url = f"{BASE}/posts/{post.pk}/hide"
    for who in (world.city.member2, world.city.leader):
        assert _post(_login(who), url, {"reason": "广告"}).status_code == 403
    assert _post(_login(world.county.staff), url, {"reason": "广告"}).status_code == 404
    no_reason = _post(_login(world.city.staff), url, {"reason": " "})
    assert no_reason.status_code == 400 and no_reason.json()["fields"]["reason"]
    post.refresh_from_db()
    assert not post.hidden
    hidden = _post(_login(world.city.staff), url, {"reason": "广告"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    # the author sees it with the reason, another member does not see it, staff do
    mine = _login(world.city.member).get(f"{BASE}/{topic.pk}").json()["posts"]
    assert [(p["hidden"], p["hidden_reason"]) for p in mine] == [(True, "广告")]
    assert _login(world.city.member2).get(f"{BASE}/{topic.pk}").json()["posts"] == []
    assert len(_login(world.city.staff).get(f"{BASE}/{topic.pk}").json()["posts"]) == 1
    # nobody supports or replies to a hidden post
    assert _post(_login(world.city.member2), f"{BASE}/posts/{post.pk}/support").status_code == 404
    assert Support.objects.count() == 0


def test_close_summary_report_send_and_instruct(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    svc.post_opinion(world.city.member, topic, body="建议财政补贴加装电梯费用。")
    svc.post_opinion(world.city.member2, topic, body="加装电梯应当财政补贴。")
    staff = _login(world.city.staff)
    # members and leaders may not close; staff may
    assert _post(_login(world.city.member), f"{BASE}/{topic.pk}/close").status_code == 403
    assert _post(_login(world.city.leader), f"{BASE}/{topic.pk}/close").status_code == 403
    stale = _post(staff, f"{BASE}/{topic.pk}/close", {"version": topic.version + 5})
    assert stale.status_code == 409
    closed = _post(staff, f"{BASE}/{topic.pk}/close", {"version": topic.version})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    summary = staff.get(f"{BASE}/{topic.pk}/summary").json()
    assert sum(t["count"] for t in summary["themes"]) == 2 and "共收到有效意见 2 条" in summary["summary"]
    assert _login(world.city.member).get(f"{BASE}/{topic.pk}/summary").status_code == 403
    assert _login(world.county.staff).get(f"{BASE}/{topic.pk}/summary").status_code == 404
    # an empty final report is refused; then staff finish it
    version = Deliberation.objects.get(pk=topic.pk).version
    empty = _post(staff, f"{BASE}/{topic.pk}/report", {"summary": " ", "final": True, "version": version})
    assert empty.status_code == 400
    done = _post(staff, f"{BASE}/{topic.pk}/report", {"summary": "议政报告定稿。", "final": True})
    assert done.status_code == 200 and done.json()["state"] == "reported"
    # sending: only staff, only the conference's leaders
    send = f"{BASE}/{topic.pk}/report/send"
    assert _post(_login(world.city.leader), send, {"leader_ids": [world.city.leader.pk]}).status_code == 403
    wrong = _post(staff, send, {"leader_ids": [world.county.leader.pk]})
    assert wrong.status_code == 400 and wrong.json()["fields"]["leaders"]
    sent = _post(staff, send, {"leader_ids": [world.city.leader.pk], "note": "请阅"})
    assert sent.status_code == 200 and [d["leader_id"] for d in sent.json()["deliveries"]] == [
        world.city.leader.pk
    ]
    # the leader reads (recorded) and instructs; a county leader sees nothing
    leader = _login(world.city.leader)
    assert leader.get(f"{BASE}/{topic.pk}/report").json()["summary"] == "议政报告定稿。"
    assert ReportDelivery.objects.get().read_at is not None
    assert _login(world.county.leader).get(f"{BASE}/{topic.pk}/report").status_code == 404
    instruct = f"{BASE}/{topic.pk}/report/instructions"
    bad = _post(leader, instruct, {"level": "cosmic", "text": "同意"})
    assert bad.status_code == 400 and bad.json()["fields"]["level"]
    assert _post(staff, instruct, {"level": "city", "text": "同意"}).status_code == 403
    made = _post(leader, instruct, {"level": "city", "text": "请住建局落实。"})
    assert made.status_code == 201 and made.json()["leader_name"]
    assert ReportInstruction.objects.count() == 1
    assert staff.get(f"{BASE}/{topic.pk}/report").json()["instructions"][0]["text"] == "请住建局落实。"


def test_staff_create_and_open_only_in_their_conference(world):  # type: ignore[no-untyped-def]
    now = timezone.now()
    body = {
        "conference_id": world.city.conference.pk,
        "title": "城市更新",
        "question": "怎么做？",
        "opens_at": now.isoformat(),
        "closes_at": (now + dt.timedelta(days=3)).isoformat(),
    }
    assert _post(_login(world.county.staff), BASE, body).status_code == 403
    assert _post(_login(world.city.member), BASE, body).status_code == 403
    backwards = _post(_login(world.city.staff), BASE, {**body, "closes_at": body["opens_at"]})
    assert backwards.status_code == 400
    created = _post(_login(world.city.staff), BASE, body)
    assert created.status_code == 201 and created.json()["state"] == "draft"
    pk = created.json()["id"]
    assert _post(_login(world.county.staff), f"{BASE}/{pk}/open").status_code == 404
    assert _post(_login(world.city.staff), f"{BASE}/{pk}/open").json()["state"] == "open"
    # listing is per conference
    assert _login(world.county.staff).get(BASE).json()["items"] == []


JUNK = ["", "{not json", "[]", "null", "{}", '{"body": "\\u0000", "reason": "\\u0000", "summary": "\\u0000"}']


def test_junk_never_gets_a_server_error(world):  # type: ignore[no-untyped-def]
    topic = _topic(world)
    post = svc.post_opinion(world.city.member, topic, body="建议")
    huge = str(10**30)
    paths = [
        BASE,
        f"{BASE}/{{t}}/posts",
        f"{BASE}/posts/{{p}}/replies",
        f"{BASE}/posts/{{p}}/support",
        f"{BASE}/posts/{{p}}/hide",
        f"{BASE}/{{t}}/open",
        f"{BASE}/{{t}}/close",
        f"{BASE}/{{t}}/report",
        f"{BASE}/{{t}}/report/send",
        f"{BASE}/{{t}}/report/instructions",
    ]
    for user in (world.city.staff, world.city.member):
        client = _login(user)
        for ident in (str(topic.pk), "abc", huge, "0"):
            for template in paths:
                url = template.format(t=ident, p=str(post.pk) if ident == str(topic.pk) else ident)
                for body in JUNK:
                    response = client.post(url, body, content_type="application/json")
                    assert response.status_code < 500, (url, body, response.content[:300])
                    if response.status_code >= 400:
                        assert response.json()["code"]
            for url in (f"{BASE}/{ident}", f"{BASE}/{ident}/summary", f"{BASE}/{ident}/report"):
                assert client.get(url).status_code < 500
        assert client.get(BASE, {"conference_id": huge}).status_code < 500
        assert client.get(BASE, {"conference_id": "abc", "page": "-1"}).status_code < 500
