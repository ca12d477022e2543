"""The publishing API: public articles without sign-in, the office's actions, and the denials."""

from __future__ import annotations

from ..api.conftest import Api
from . import walk


def test_the_public_api_lists_only_a_conferences_published_articles_without_sign_in(world):
    api = Api()
    shown = walk.published(world.city, title="接口公开的新闻")
    walk.draft(world.city, title="接口草稿")
    walk.scheduled(world.city, title="接口定时")
    walk.published(world.county, title="县里的接口新闻")
    listed = api.get("/publishing/public/city/articles")
    assert listed.status_code == 200
    assert [a["title"] for a in listed.json()["items"]] == ["接口公开的新闻"]
    detail = api.get(f"/publishing/public/city/articles/{shown.pk}")
    assert detail.status_code == 200 and detail.json()["body"] == walk.BODY
    assert api.get(f"/publishing/public/county/articles/{shown.pk}").status_code == 404
    assert api.get("/publishing/public/nowhere/articles").status_code == 404


def test_the_office_writes_reviews_and_publishes_through_the_api(world):
    api = Api()
    side = world.city
    created = api.post(
        "/publishing/articles",
        side.staff,
        {"conference_id": side.conference.pk, "title": "接口撰写的新闻", "body": "第一段。"},
    )
    assert created.status_code == 201, created.content
    aid = created.json()["id"]
    edited = api.post(
        f"/publishing/articles/{aid}/edit",
        side.staff,
        {"title": "接口撰写的新闻", "body": "第一段。第二句。"},
    )
    assert edited.status_code == 200 and edited.json()["created_id"]
    assert api.post(f"/publishing/articles/{aid}/submit", side.staff, {}).json()["state"] == "review"
    # the author may not publish; the error is the app's JSON error
    refused = api.post(f"/publishing/articles/{aid}/publish", side.staff, {})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    stale = api.post(f"/publishing/articles/{aid}/publish", side.leader, {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    published = api.post(f"/publishing/articles/{aid}/publish", side.leader, {})
    assert published.json()["state"] == "published"
    detail = api.get(f"/publishing/articles/{aid}", side.staff)
    assert detail.json()["actions"] == ["archive"]
    listed = api.get("/publishing/articles", side.leader, conference_id=side.conference.pk, state="published")
    assert [a["id"] for a in listed.json()["items"]] == [aid]
    assert api.post(f"/publishing/articles/{aid}/archive", side.staff, {}).json()["state"] == "archived"
    assert api.get(f"/publishing/public/city/articles/{aid}").status_code == 404


def test_other_conferences_and_other_roles_are_refused(world):
    api = Api()
    article = walk.review(world.city)
    assert api.get(f"/publishing/articles/{article.pk}", world.county.staff).status_code == 404
    assert api.post(f"/publishing/articles/{article.pk}/publish", world.county.leader, {}).status_code == 404
    assert (
        api.get(
            "/publishing/articles", world.county.staff, conference_id=world.city.conference.pk
        ).status_code
        == 403
    )
    assert (
        api.get("/publishing/articles", world.city.member, conference_id=world.city.conference.pk).status_code
        == 403
    )
    created = api.post(
        "/publishing/articles",
        world.city.member,
        {"conference_id": world.city.conference.pk, "title": "委员写新闻"},
    )
    assert created.status_code == 403
    assert api.get("/publishing/articles", None, conference_id=world.city.conference.pk).status_code == 401
