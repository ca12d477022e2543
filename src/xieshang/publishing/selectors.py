"""Reads of articles and journals: the office's (limited to the actor's conference) and the public
portal's (only what staff published, one conference at a time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieshang.conferences.models import Conference
from xieshang.opinions.diff import tracked_diff
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.selectors import published_reports
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids
from xieshang.proposals.models import Proposal
from xieshang.proposals.selectors import published_proposals

from . import workflow
from .models import Article, ArticleState, IssueItem, Journal, JournalIssue, Revision
from .rules import actor_roles

OFFICE_ROLES = (RoleKind.STAFF, RoleKind.LEADER)

# ---------------------------------------------------------------------------- the office


def office_articles(user: Any, conference_id: int) -> QuerySet[Article]:
    """Every article of a conference where the user is staff or a leader (otherwise none)."""
    if not user.is_authenticated or conference_id not in conference_ids(user, *OFFICE_ROLES):
        return Article.objects.none()
    return Article.objects.filter(conference_id=conference_id).select_related("author", "published_by")


def get_article(user: Any, article_id: int) -> Article:
    """One article of a conference where the user is staff or a leader, or 404."""
    ids = conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()
    article = (
        Article.objects.select_related("conference", "author")
        .filter(pk=article_id, conference_id__in=ids)
        .first()
    )
    if article is None:
        raise Http404
    return article


SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "published": ("publish_at", "id"),
    "-published": ("-publish_at", "-id"),
}


def filter_articles(
    qs: QuerySet[Article], *, q: str = "", kind: str = "", state: str = "", sort: str = ""
) -> QuerySet[Article]:
    """Narrow the office's article list by search words, kind and state, and order it."""
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(author__display_name__icontains=word)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by(*SORTS.get(sort, ("-updated_at", "-id")))


def state_counts(user: Any, conference_id: int) -> dict[str, int]:
    """How many articles of the conference are in each state (the office's tabs)."""
    base = office_articles(user, conference_id)
    return {state: base.filter(state=state).count() for state in ArticleState.values}


def available_actions(user: Any, article: Article) -> list[str]:
    """Workflow actions the user may start on the article now (the buttons to show)."""
    roles = actor_roles(user, article)
    return [
        name
        for name, row in workflow.TRANSITIONS.items()
        if article.state in row.sources and row.roles & roles
    ]


def revisions_with_diff(article: Article) -> list[dict[str, Any]]:
    """The article's revisions, each with a tracked diff per changed field."""
    labels = {"title": "标题", "summary": "摘要", "body": "正文"}
    rows = []
    for revision in Revision.objects.filter(article=article).select_related("editor"):
        changes = []
        for name, label in labels.items():
            before, after = getattr(revision, f"before_{name}"), getattr(revision, f"after_{name}")
            if before != after:
                changes.append({"field": name, "label": label, "diff": tracked_diff(before, after)})
        rows.append({"revision": revision, "changes": changes})
    return rows


def journals(user: Any, conference_id: int) -> QuerySet[Journal]:
    """The conference's journals, for its staff and leaders (otherwise none)."""
    if not user.is_authenticated or conference_id not in conference_ids(user, *OFFICE_ROLES):
        return Journal.objects.none()
    return Journal.objects.filter(conference_id=conference_id)


def get_journal(user: Any, journal_id: int) -> Journal:
    """A journal of a conference where the user is staff or a leader, or 404."""
    ids = conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()
    journal = Journal.objects.filter(pk=journal_id, conference_id__in=ids).first()
    if journal is None:
        raise Http404
    return journal


def office_issues(user: Any, conference_id: int) -> QuerySet[JournalIssue]:
    """Every issue of the conference's journals, newest first (staff and leaders)."""
    return (
        JournalIssue.objects.filter(journal__in=journals(user, conference_id))
        .select_related("journal")
        .order_by("-year", "-number", "-id")
    )


def get_issue(user: Any, issue_id: int) -> JournalIssue:
    """An issue of a conference where the user is staff or a leader, or 404."""
    ids = conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()
    issue = (
        JournalIssue.objects.select_related("journal", "conference")
        .filter(pk=issue_id, conference_id__in=ids)
        .first()
    )
    if issue is None:
        raise Http404
    return issue


def issue_items(issue: JournalIssue) -> list[IssueItem]:
    """The items of an issue in printed order, their sources loaded."""
    return list(
        issue.items.select_related(
            "article", "proposal", "proposal__proposer", "report", "report__submitted_by"
        ).order_by("position", "id")
    )


def candidates(conference_id: int) -> dict[str, QuerySet[Any]]:
    """What staff may put into an issue: published articles, published proposals, public reports."""
    return {
        "articles": Article.objects.filter(
            conference_id=conference_id, state=ArticleState.PUBLISHED
        ).order_by("-publish_at")[:200],
        "proposals": published_proposals().filter(conference_id=conference_id)[:200],
        "reports": published_reports().filter(conference_id=conference_id)[:200],
    }


# ---------------------------------------------------------------------------- the public portal


def portal_conferences() -> QuerySet[Conference]:
    """Every conference of the installation, for the portal's landing page (guiding bodies first)."""
    return Conference.objects.select_related("parent").order_by(F("parent_id").asc(nulls_first=True), "id")


def get_portal_conference(code: str) -> Conference:
    """A conference by its code, or 404."""
    conference = Conference.objects.filter(code=code).first()
    if conference is None:
        raise Http404
    return conference


def public_articles(conference_id: int, kind: str = "") -> QuerySet[Article]:
    """Articles of one conference the public may read now: published, and their time has come."""
    qs = Article.objects.filter(
        conference_id=conference_id, state=ArticleState.PUBLISHED, publish_at__lte=timezone.now()
    ).order_by("-publish_at", "-id")
    return qs.filter(kind=kind) if kind else qs


def get_public_article(conference_id: int, article_id: int) -> Article:
    """A public article of the conference, or 404."""
    article = public_articles(conference_id).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def public_proposals(conference_id: int) -> QuerySet[Proposal]:
    """The conference's published proposals."""
    return published_proposals().filter(conference_id=conference_id)


def public_reports(conference_id: int) -> QuerySet[OpinionReport]:
    """The conference's adopted opinion reports staff made public."""
    return published_reports().filter(conference_id=conference_id)


def get_public_report(conference_id: int, report_id: int) -> OpinionReport:
    """A public opinion report of the conference, or 404."""
    report = public_reports(conference_id).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def public_issues(conference_id: int) -> QuerySet[JournalIssue]:
    """The conference's published journal issues, newest first."""
    return (
        JournalIssue.objects.filter(conference_id=conference_id, state=JournalIssue.State.PUBLISHED)
        .select_related("journal")
        .order_by("-published_on", "-id")
    )


def get_public_issue(conference_id: int, issue_id: int) -> JournalIssue:
    """A published issue of the conference, or 404."""
    issue = public_issues(conference_id).filter(pk=issue_id).first()
    if issue is None:
        raise Http404
    return issue


def public_issue_items(issue: JournalIssue) -> list[IssueItem]:
    """The items of a published issue that are still public now: a piece taken down since disappears."""
    articles = set(public_articles(issue.conference_id).values_list("pk", flat=True))
    proposals = set(public_proposals(issue.conference_id).values_list("pk", flat=True))
    reports = set(public_reports(issue.conference_id).values_list("pk", flat=True))
    return [
        item
        for item in issue_items(issue)
        if (item.article_id and item.article_id in articles)
        or (item.proposal_id and item.proposal_id in proposals)
        or (item.report_id and item.report_id in reports)
    ]


@dataclass
class SearchResults:
    """What a portal search found, grouped by kind."""

    articles: list[Article] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    reports: list[OpinionReport] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many results in all."""
        return len(self.articles) + len(self.proposals) + len(self.reports)


SEARCH_LIMIT = 50


def search_public(conference_id: int, q: str) -> SearchResults:
    """Published articles, proposals and public reports of one conference containing every word of `q`.

    A plain substring match (icontains): Chinese needs no word boundaries for it, but it neither ranks
    nor finds inflected or synonymous words, and it scans the rows (fine for a conference's thousands).
    """
    words = q.split()[:5]
    if not words:
        return SearchResults()
    articles, proposals, reports = (
        public_articles(conference_id),
        public_proposals(conference_id),
        public_reports(conference_id),
    )
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
        proposals = proposals.filter(
            Q(title__icontains=word) | Q(analysis__icontains=word) | Q(recommendations__icontains=word)
        )
        reports = reports.filter(
            Q(title__icontains=word)
            | Q(facts__icontains=word)
            | Q(analysis__icontains=word)
            | Q(suggestions__icontains=word)
        )
    return SearchResults(
        articles=list(articles[:SEARCH_LIMIT]),
        proposals=list(proposals[:SEARCH_LIMIT]),
        reports=list(reports[:SEARCH_LIMIT]),
    )
