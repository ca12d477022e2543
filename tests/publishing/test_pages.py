"""The publishing office's pages: wiring, the buttons each person sees, permissions and isolation."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xieshang.publishing import services
from xieshang.publishing.models import Article, Journal, JournalIssue

from . import walk


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_staff_write_and_submit_an_article_through_the_pages(world):
    client = _client(world.city.staff)
    response = client.post(
        reverse("publishing:create"),
        {"title": "页面撰写的新闻", "kind": "news", "summary": "", "body": "正文第一段。"},
    )
    article = Article.objects.get(title="页面撰写的新闻")
    assert response.status_code == 302 and response["Location"] == reverse(
        "publishing:detail", args=[article.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="form-submit"' in page and 'data-testid="form-publish"' not in page
    client.post(
        reverse("publishing:edit", args=[article.pk]),
        {
            "title": "页面撰写的新闻",
            "kind": "news",
            "body": "正文第一段，已修改。",
            "note": "润色",
            "version": article.version,
        },
    )
    client.post(reverse("publishing:act", args=[article.pk, "submit"]), {"version": article.version + 1})
    assert Article.objects.get(pk=article.pk).state == "review"
    page = client.get(reverse("publishing:detail", args=[article.pk])).content.decode()
    assert 'data-testid="four-eyes"' in page and "<ins>" in page


def test_the_author_cannot_publish_through_the_page_but_another_reviewer_can(world):
    article = walk.review(world.city)
    url = reverse("publishing:act", args=[article.pk, "publish"])
    assert _client(world.city.staff).post(url, {"version": article.version}).status_code == 403
    reviewer = _client(walk.reviewer(world.city))
    assert (
        'data-testid="form-publish"'
        in reviewer.get(reverse("publishing:detail", args=[article.pk])).content.decode()
    )
    response = reviewer.post(url, {"version": article.version, "publish_at": ""})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).state == "published"


def test_a_scheduled_publication_is_taken_from_the_form(world):
    article = walk.review(world.city)
    _client(world.city.leader).post(
        reverse("publishing:act", args=[article.pk, "publish"]),
        {"version": article.version, "publish_at": "2099-01-01T08:00"},
    )
    article.refresh_from_db()
    assert article.state == "published" and article.publish_at.year == 2099


def test_a_refused_action_shows_its_message_beside_the_form(world):
    article = walk.review(world.city)
    response = _client(world.city.leader).post(
        reverse("publishing:act", args=[article.pk, "return"]), {"version": article.version, "reason": ""}
    )
    assert response.status_code == 400 and "退回理由不能为空" in response.content.decode()


def test_another_conference_sees_none_of_the_office_pages(world):
    article = walk.review(world.city)
    journal = services.create_journal(world.city.staff, world.city.conference, name="政协信息")
    issue = services.create_issue(world.city.staff, journal)
    county = _client(world.county.staff)
    for url in [
        reverse("publishing:detail", args=[article.pk]),
        reverse("publishing:edit", args=[article.pk]),
        reverse("publishing:issue", args=[issue.pk]),
        reverse("publishing:issue_docx", args=[issue.pk]),
    ]:
        assert county.get(url).status_code == 404, url
    assert county.post(reverse("publishing:act", args=[article.pk, "publish"]), {}).status_code == 404
    listing = county.get(reverse("publishing:articles")).content.decode()
    assert article.title not in listing
    for user in [world.city.member, world.city.unit_user]:
        assert _client(user).get(reverse("publishing:articles")).status_code == 403


def test_the_article_list_filters_searches_and_sorts_in_few_queries(world, django_assert_max_num_queries):
    for i in range(6):
        walk.draft(world.city, title=f"草稿新闻{i}")
    walk.published(world.city, title="已发布的通知", kind="notice")
    client = _client(world.city.staff)
    with django_assert_max_num_queries(16):
        page = client.get(
            reverse("publishing:articles"), {"kind": "notice", "sort": "-published"}
        ).content.decode()
    assert "已发布的通知" in page and "草稿新闻1" not in page
    page = client.get(reverse("publishing:articles"), {"q": "草稿新闻3"}).content.decode()
    assert "草稿新闻3" in page and "草稿新闻4" not in page
    assert 'data-testid="menu-publishing"' in page


def test_staff_compose_and_publish_an_issue_through_the_pages(world):
    client = _client(world.city.staff)
    client.post(reverse("publishing:journals"), {"form": "journal", "name": "示范市政协", "kind": "magazine"})
    journal = Journal.objects.get(conference=world.city.conference)
    response = client.post(
        reverse("publishing:journals"),
        {"form": "issue", "journal": journal.pk, "year": 2026, "title": "春季号"},
    )
    issue = JournalIssue.objects.get(journal=journal)
    assert response["Location"] == reverse("publishing:issue", args=[issue.pk])
    article = walk.published(world.city, title="编入刊物的新闻")
    client.post(reverse("publishing:issue", args=[issue.pk]), {"action": "add", "article": article.pk})
    client.post(reverse("publishing:issue", args=[issue.pk]), {"action": "publish"})
    issue.refresh_from_db()
    assert issue.state == "published" and issue.items.count() == 1
    # a leader reads but may not change it
    leader = _client(world.city.leader)
    assert leader.get(reverse("publishing:issue", args=[issue.pk])).status_code == 200
    assert (
        leader.post(reverse("publishing:issue", args=[issue.pk]), {"action": "withdraw"}).status_code == 403
    )


def test_staff_make_an_adopted_report_public_from_the_office_and_take_it_down(world, client):
    from ..opinions import walk as opinion_walk

    report = opinion_walk.adopted(world.city, title="公开到门户的社情民意")
    staff = _client(world.city.staff)
    assert "公开到门户的社情民意" in staff.get(reverse("publishing:reports")).content.decode()
    staff.post(reverse("publishing:reports"), {"report": report.pk, "public": "1"})
    url = reverse("public:report", args=["city", report.pk])
    assert client.get(url).status_code == 200
    staff.post(reverse("publishing:reports"), {"report": report.pk, "public": "0"})
    assert client.get(url).status_code == 404
    # the county's staff cannot reach the city's report, the city's leader may read but not change
    assert (
        _client(world.county.staff)
        .post(reverse("publishing:reports"), {"report": report.pk, "public": "1"})
        .status_code
        == 404
    )
    assert (
        _client(world.city.leader)
        .post(reverse("publishing:reports"), {"report": report.pk, "public": "1"})
        .status_code
        == 403
    )
