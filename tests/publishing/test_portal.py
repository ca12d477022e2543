"""The public portal shows only what staff published, of one conference at a time, and forgets a piece
the moment it is taken down."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.core.errors import AppError, ErrorCode
from xieshang.opinions import services as opinion_services
from xieshang.proposals import services as proposal_services
from xieshang.publishing import services
from xieshang.publishing.models import Article

from ..opinions import walk as opinion_walk
from ..proposals import walk as proposal_walk
from . import walk

ATOM = "{http://www.w3.org/2005/Atom}"


def _portal_pages(client: Client, code: str, q: str) -> str:
    """Every listing page of a conference's portal and a search for `q`, concatenated."""
    urls = [
        reverse("public:conference", args=[code]),
        reverse("public:articles", args=[code]) + "?kind=news",
        reverse("public:search", args=[code]) + f"?q={q}",
        reverse("public:feed", args=[code]),
    ]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_a_published_article_is_on_the_portal_in_search_and_in_the_feed(client, world):
    # given a published news article of the city
    article = walk.published(world.city, title="市政协开展民生实事专题协商")
    # when a reader without an account opens the city's portal
    pages = _portal_pages(client, "city", "民生实事")
    # then the article is listed, found and in the feed, and it can be read
    assert pages.count("市政协开展民生实事专题协商") >= 4
    page = client.get(reverse("public:article", args=["city", article.pk]))
    assert page.status_code == 200 and walk.BODY.splitlines()[0] in page.content.decode()


@pytest.mark.parametrize("state", ["draft", "review", "archived", "scheduled", "deleted"])
def test_an_article_not_published_now_is_never_shown(client, world, state):
    # given an article that is not (or no longer, or not yet) published
    title = f"不应公开的文章{state}"
    if state == "scheduled":
        article = walk.scheduled(world.city, title=title)
    elif state == "deleted":
        article = walk.archived(world.city, title=title)
        services.delete_article(world.city.staff, article)
    else:
        article = walk.build(world.city, state, title=title)
    # then no portal page, search or feed shows it, and its address is not found
    assert title not in _portal_pages(client, "city", "不应公开")
    assert client.get(reverse("public:article", args=["city", article.pk])).status_code == 404


def test_a_scheduled_article_appears_once_its_time_has_come(client, world):
    article = walk.scheduled(world.city, title="定时发布的通知")
    url = reverse("public:article", args=["city", article.pk])
    assert client.get(url).status_code == 404
    # when the publication time passes
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(url).status_code == 200


def test_taking_an_article_down_removes_it_at_once(client, world):
    article = walk.published(world.city, title="即将撤下的新闻")
    url = reverse("public:article", args=["city", article.pk])
    assert client.get(url).status_code == 200
    # when staff take it down
    services.archive_article(world.city.staff, article)
    # then the very next request no longer finds it anywhere
    assert client.get(url).status_code == 404
    assert "即将撤下的新闻" not in _portal_pages(client, "city", "即将撤下")


def test_another_conferences_items_never_appear_in_a_conferences_portal(client, world):
    # given a published article and a published proposal of the county
    article = walk.published(world.county, title="县政协独有新闻")
    proposal = proposal_walk.evaluated(world.county, title="县级公开提案独有案由")
    proposal_services.set_published(world.county.staff, proposal, published=True)
    # then the city's portal shows neither, not even through the city's address for the article
    pages = _portal_pages(client, "city", "独有")
    pages += client.get(reverse("public:proposals", args=["city"])).content.decode()
    assert "县政协独有新闻" not in pages and "县级公开提案独有案由" not in pages
    assert client.get(reverse("public:article", args=["city", article.pk])).status_code == 404
    # while the county's portal shows both
    county = (
        _portal_pages(client, "county", "独有")
        + client.get(reverse("public:proposals", args=["county"])).content.decode()
    )
    assert "县政协独有新闻" in county and "县级公开提案独有案由" in county


def test_a_published_proposal_with_its_reply_is_found_by_search_and_readable(client, world):
    proposal = proposal_walk.evaluated(world.city, title="关于推进垃圾分类的建议")
    hidden = proposal_walk.accepted(world.city, title="关于未公开垃圾站点的建议")
    proposal_services.set_published(world.city.staff, proposal, published=True)
    found = client.get(reverse("public:search", args=["city"]), {"q": "垃圾"}).content.decode()
    assert proposal.title in found and hidden.title not in found
    page = client.get(reverse("public:detail", args=[proposal.pk])).content.decode()
    assert 'data-testid="public-letter"' in page
    # unpublished: gone at once
    proposal_services.set_published(world.city.staff, proposal, published=False)
    assert client.get(reverse("public:detail", args=[proposal.pk])).status_code == 404
    assert (
        proposal.title
        not in client.get(reverse("public:search", args=["city"]), {"q": "垃圾"}).content.decode()
    )


def test_an_adopted_report_is_public_only_while_staff_choose_so(client, world):
    report = opinion_walk.adopted(world.city, title="关于夜市油烟扰民的反映")
    url = reverse("public:report", args=["city", report.pk])
    assert client.get(url).status_code == 404
    opinion_services.set_public(world.city.staff, report, public=True)
    assert client.get(url).status_code == 200
    assert report.title in client.get(reverse("public:search", args=["city"]), {"q": "油烟"}).content.decode()
    assert client.get(reverse("public:report", args=["county", report.pk])).status_code == 404
    opinion_services.set_public(world.city.staff, report, public=False)
    assert client.get(url).status_code == 404


def test_only_staff_make_adopted_reports_public(world):
    submitted = opinion_walk.submitted(world.city)
    with pytest.raises(AppError) as caught:
        opinion_services.set_public(world.city.staff, submitted, public=True)
    assert caught.value.code == ErrorCode.INVALID_STATE
    adopted = opinion_walk.adopted(world.city)
    for user in [world.city.member, world.city.leader, world.county.staff]:
        with pytest.raises(AppError) as caught:
            opinion_services.set_public(user, adopted, public=True)
        assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_the_landing_page_lists_every_conference_and_unknown_codes_are_not_found(client, world):
    page = client.get(reverse("public:home")).content.decode()
    assert "示范市政协" in page and "示范县政协" in page
    assert client.get(reverse("public:conference", args=["nowhere"])).status_code == 404


def test_an_article_body_is_shown_as_text_never_as_html(client, world):
    article = walk.published(
        world.city, title="含有标记的文章", body="第一段<script>alert(1)</script>\n第二段"
    )
    page = client.get(reverse("public:article", args=["city", article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<p>第二段</p>" in page or "<br>第二段" in page


def test_the_feed_parses_and_lists_only_published_articles(client, world):
    published = walk.published(world.city, title="进入订阅的新闻")
    walk.draft(world.city, title="草稿不进订阅")
    walk.scheduled(world.city, title="定时不进订阅")
    walk.published(world.county, title="县里的新闻不进订阅")
    response = client.get(reverse("public:feed", args=["city"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["进入订阅的新闻"]
    link = root.find(f"{ATOM}entry/{ATOM}link")
    assert link is not None and link.get("href", "").endswith(f"/public/city/articles/{published.pk}/")


def test_a_published_issue_shows_only_its_items_still_public(client, world):
    from xieshang.publishing.models import Journal

    journal = services.create_journal(world.city.staff, world.city.conference, name="示范市政协")
    issue = services.create_issue(world.city.staff, journal)
    kept = walk.published(world.city, title="刊内保留的文章")
    dropped = walk.published(world.city, title="刊内撤下的文章")
    services.add_item(world.city.staff, issue, article_id=kept.pk)
    services.add_item(world.city.staff, issue, article_id=dropped.pk)
    url = reverse("public:issue", args=["city", issue.pk])
    assert client.get(url).status_code == 404  # a draft issue is not public
    services.publish_issue(world.city.staff, issue)
    services.archive_article(world.city.staff, dropped)
    page = client.get(url).content.decode()
    assert "刊内保留的文章" in page and "刊内撤下的文章" not in page
    assert client.get(reverse("public:issue", args=["county", issue.pk])).status_code == 404
    services.withdraw_issue(world.city.staff, issue)
    assert client.get(url).status_code == 404
    assert Journal.objects.count() == 1


def test_portal_pages_fit_in_few_queries(client, world, django_assert_max_num_queries):
    for i in range(8):
        walk.published(world.city, title=f"新闻{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("public:conference", args=["city"])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public:articles", args=["city"])).status_code == 200
