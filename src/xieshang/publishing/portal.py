"""The public portal: no sign-in, phone first. One landing page lists the installation's conferences;
each conference's portal (/public/<code>/) shows only what its staff published — news, notices,
published proposals with their replies, public opinion reports, journal issues, the archive, culture
projects and award results — with a search and an Atom feed. Taking something down removes it at
once: every page reads the current state.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from xieshang.conferences.models import Conference
from xieshang.proposals import selectors as proposal_selectors

from . import archive_views, culture, culture_views, selectors
from .models import ArticleKind

PAGE_SIZE = 20
HOME_SIZE = 5
FEED_SIZE = 30
QUERY_MAX = 100


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _conference(code: str) -> tuple[Conference, dict[str, Any]]:
    conference = selectors.get_portal_conference(code)
    return conference, {"portal": conference, "kinds": ArticleKind.choices}


def home(request: HttpRequest) -> HttpResponse:
    """The installation's landing page: every conference, each linking to its own portal."""
    return render(request, "web/public/home.html", {"conferences": selectors.portal_conferences()})


def conference_home(request: HttpRequest, code: str) -> HttpResponse:
    """A conference's portal: the latest news, notices, proposals, reports and journal issues."""
    conference, context = _conference(code)
    cid = conference.pk
    context |= {
        "news": selectors.public_articles(cid, ArticleKind.NEWS)[:HOME_SIZE],
        "notices": selectors.public_articles(cid, ArticleKind.NOTICE)[:HOME_SIZE],
        "features": selectors.public_articles(cid, ArticleKind.FEATURE)[:HOME_SIZE],
        "proposals": selectors.public_proposals(cid)[:HOME_SIZE],
        "reports": selectors.public_reports(cid)[:HOME_SIZE],
        "issues": selectors.public_issues(cid)[:HOME_SIZE],
        "culture_counts": culture.project_counts(cid, public_only=True),
        "culture_awards": culture.public_awards(cid)[:HOME_SIZE],
        "section": "home",
    }
    return render(request, "web/public/conference.html", context)


def article_list(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's published articles of one kind (news by default), newest first."""
    conference, context = _conference(code)
    kind = request.GET.get("kind", ArticleKind.NEWS)
    if kind not in ArticleKind.values:
        kind = ArticleKind.NEWS
    context |= {
        "page": _page(request, selectors.public_articles(conference.pk, kind)),
        "kind": kind,
        "kind_label": ArticleKind(kind).label,
        "section": kind,
    }
    return render(request, "web/public/articles.html", context)


def article_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One published article of the conference (404 when unpublished, scheduled, or another's)."""
    conference, context = _conference(code)
    article = selectors.get_public_article(conference.pk, pk)
    return render(request, "web/public/article.html", context | {"article": article, "section": article.kind})


def conference_proposals(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's published proposals, newest first."""
    conference, context = _conference(code)
    context |= {"page": _page(request, selectors.public_proposals(conference.pk)), "section": "proposals"}
    return render(request, "web/public/list.html", context)


def proposal_list(request: HttpRequest) -> HttpResponse:
    """Published proposals of every conference, newest first, with a title search."""
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    qs = proposal_selectors.published_proposals()
    if q:
        qs = qs.filter(title__icontains=q)
    return render(request, "web/public/list.html", {"page": _page(request, qs), "q": q})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published proposal with its reply letters."""
    proposal = proposal_selectors.get_published_proposal(pk)
    letters = proposal_selectors.published_letters(proposal)
    context = {
        "proposal": proposal,
        "letters": letters,
        "portal": proposal.conference,
        "section": "proposals",
    }
    return render(request, "web/public/detail.html", context)


def report_list(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's adopted opinion reports chosen for publication."""
    conference, context = _conference(code)
    context |= {"page": _page(request, selectors.public_reports(conference.pk)), "section": "reports"}
    return render(request, "web/public/reports.html", context)


def report_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One public opinion report of the conference."""
    conference, context = _conference(code)
    report = selectors.get_public_report(conference.pk, pk)
    return render(request, "web/public/report.html", context | {"report": report, "section": "reports"})


def issue_list(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's published journal issues."""
    conference, context = _conference(code)
    context |= {"page": _page(request, selectors.public_issues(conference.pk)), "section": "issues"}
    return render(request, "web/public/issues.html", context)


def issue_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One published issue: the contents that are still public."""
    conference, context = _conference(code)
    issue = selectors.get_public_issue(conference.pk, pk)
    items = selectors.public_issue_items(issue)
    return render(
        request, "web/public/issue.html", context | {"issue": issue, "items": items, "section": "issues"}
    )


def search(request: HttpRequest, code: str) -> HttpResponse:
    """Search over what the conference published: articles, proposals, public reports."""
    conference, context = _conference(code)
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    context |= {"q": q, "results": selectors.search_public(conference.pk, q), "section": "search"}
    return render(request, "web/public/search.html", context)


def feed(request: HttpRequest, code: str) -> HttpResponse:
    """An Atom feed of the conference's published articles, newest first."""
    conference, _context = _conference(code)
    link = request.build_absolute_uri(reverse("public:conference", args=[conference.code]))
    atom = Atom1Feed(
        title=_("%(name)s · 新闻与公告") % {"name": conference.name},
        link=link,
        description=_("%(name)s门户发布的新闻、通知公告和专题。") % {"name": conference.name},
        language="zh-hans",
        feed_url=request.build_absolute_uri(),
    )
    for article in selectors.public_articles(conference.pk)[:FEED_SIZE]:
        url = request.build_absolute_uri(reverse("public:article", args=[conference.code, article.pk]))
        atom.add_item(
            title=article.title,
            link=url,
            description=article.summary or article.body[:200],
            pubdate=article.publish_at,
            updateddate=article.updated_at,
            unique_id=url,
            categories=[str(article.get_kind_display())],
        )
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


urlpatterns = [
    path("", home, name="home"),
    path("proposals/", proposal_list, name="list"),
    path("proposals/<int:pk>/", proposal_detail, name="detail"),
    path("<slug:code>/", conference_home, name="conference"),
    path("<slug:code>/search/", search, name="search"),
    path("<slug:code>/articles/", article_list, name="articles"),
    path("<slug:code>/articles/<int:pk>/", article_detail, name="article"),
    path("<slug:code>/proposals/", conference_proposals, name="proposals"),
    path("<slug:code>/reports/", report_list, name="reports"),
    path("<slug:code>/reports/<int:pk>/", report_detail, name="report"),
    path("<slug:code>/journals/", issue_list, name="issues"),
    path("<slug:code>/journals/<int:pk>/", issue_detail, name="issue"),
    path("<slug:code>/feed.atom", feed, name="feed"),
    path("<slug:code>/archive/", archive_views.public_list, name="archive"),
    path("<slug:code>/archive/<int:pk>/", archive_views.public_detail, name="archive_item"),
    path("<slug:code>/archive/<int:pk>/file/", archive_views.public_file, name="archive_file"),
    path("<slug:code>/culture/", culture_views.public_culture, name="culture"),
    path("<slug:code>/culture/awards/<int:pk>/", culture_views.public_award, name="award"),
]
