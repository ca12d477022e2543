"""Articles and culture awards over the REST API: the portal's published articles and award results per
conference (no sign-in), the office's article list and editorial actions, an award's state and scores
for its office, and a juror's scoring. Errors go through the API's AppError handler."""

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text

from . import culture, selectors, services
from .models import Article, Award, Nomination, Score

router = Router(tags=["publishing"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
Code = Annotated[Text, Field(max_length=40, description="The conference's code, as in /public/<code>/")]


class PublicArticleOut(Schema):
    id: int
    conference_id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    publish_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Article) -> str:
        return str(obj.get_kind_display())


class PublicArticleDetailOut(PublicArticleOut):
    body: str = Field(description="Plain text; paragraphs separated by line breaks.")


class ArticleItemOut(PublicArticleOut):
    state: str
    state_label: str
    author_id: int
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_state_label(obj: Article) -> str:
        return str(obj.get_state_display())


class ArticleDetailOut(ArticleItemOut):
    body: str
    actions: list[str]


class ArticleFilter(Schema):
    conference_id: Id
    state: Text | None = None
    kind: Text | None = None
    q: Text | None = None


class ArticleIn(Schema):
    conference_id: Id = Field(description="The conference to write in; the caller must be its staff.")
    title: Text
    kind: Text = Field("news", description="news / notice / feature")
    summary: Text = ""
    body: Text = ""


class PublishingVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class PublishingEditIn(PublishingVersionIn):
    title: Text
    kind: Text = "news"
    summary: Text = ""
    body: Text = ""
    note: Text = ""


class PublishingPublishIn(PublishingVersionIn):
    publish_at: dt.datetime | None = Field(None, description="Scheduled publication; none means now.")


class PublishingReasonIn(PublishingVersionIn):
    reason: Text


class PublishingStatusOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    created_id: int | None = None


def _status(article: Article, created_id: int | None = None) -> dict[str, Any]:
    article.refresh_from_db(fields=["state", "version"])
    return {
        "id": article.pk,
        "state": article.state,
        "state_label": str(article.get_state_display()),
        "version": article.version,
        "created_id": created_id,
    }


# ---------------------------------------------------------------------------- the public portal


@router.get("/public/{code}/articles", response={200: list[PublicArticleOut], **ERRORS}, auth=None)
@paginate(Pages, page_size=20, max_page_size=100)
def public_articles(request: HttpRequest, code: Code, kind: Text | None = None) -> QuerySet[Article]:
    """A conference's published articles (news, notices, features), newest first; no sign-in."""
    conference = selectors.get_portal_conference(code)
    return selectors.public_articles(conference.pk, kind or "")


@router.get(
    "/public/{code}/articles/{article_id}", response={200: PublicArticleDetailOut, **ERRORS}, auth=None
)
def public_article(request: HttpRequest, code: Code, article_id: Id) -> Article:
    """One published article of the conference; 404 when unpublished, scheduled or another's."""
    conference = selectors.get_portal_conference(code)
    return selectors.get_public_article(conference.pk, article_id)


# ---------------------------------------------------------------------------- the office


@router.get("/articles", response={200: list[ArticleItemOut], **ERRORS})
@paginate(Pages, page_size=20, max_page_size=100)
def list_articles(request: HttpRequest, filters: Query[ArticleFilter]) -> QuerySet[Article]:
    """The conference's articles (its staff and leaders), latest change first."""
    user = actor(request)
    access.conference(user, filters.conference_id, "staff", "leader")
    return selectors.filter_articles(
        selectors.office_articles(user, filters.conference_id),
        q=(filters.q or "").strip(),
        kind=filters.kind or "",
        state=filters.state or "",
    )


@router.get("/articles/{article_id}", response={200: ArticleDetailOut, **ERRORS})
def get_article(request: HttpRequest, article_id: Id) -> Article:
    """One article with the actions the caller may take now."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    article.actions = selectors.available_actions(user, article)  # type: ignore[attr-defined]
    return article


@router.post("/articles", response={201: PublishingStatusOut, **ERRORS})
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    """Staff write a draft."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    data = services.ArticleInput(payload.title, payload.kind, payload.summary, payload.body)
    return Status(201, _status(services.create_article(user, conference, data)))


@router.post("/articles/{article_id}/edit", response={200: PublishingStatusOut, **ERRORS})
def edit_article(request: HttpRequest, article_id: Id, payload: PublishingEditIn) -> dict[str, Any]:
    """Staff change a draft or an article under review; a tracked revision is kept."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    data = services.ArticleInput(payload.title, payload.kind, payload.summary, payload.body)
    revision = services.update_article(user, article, data, note=payload.note, version=payload.version)
    return _status(article, revision.pk if revision else None)


@router.post("/articles/{article_id}/submit", response={200: PublishingStatusOut, **ERRORS})
def submit_article(request: HttpRequest, article_id: Id, payload: PublishingVersionIn) -> dict[str, Any]:
    """Staff send a draft for review."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    return _status(services.submit_article(user, article, version=payload.version))


@router.post("/articles/{article_id}/return", response={200: PublishingStatusOut, **ERRORS})
def return_article(request: HttpRequest, article_id: Id, payload: PublishingReasonIn) -> dict[str, Any]:
    """A reviewer (not the author) sends the article back to draft."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    return _status(services.return_article(user, article, reason=payload.reason, version=payload.version))


@router.post("/articles/{article_id}/publish", response={200: PublishingStatusOut, **ERRORS})
def publish_article(request: HttpRequest, article_id: Id, payload: PublishingPublishIn) -> dict[str, Any]:
    """A reviewer (not the author) publishes the article, now or at `publish_at`."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    return _status(
        services.publish_article(user, article, publish_at=payload.publish_at, version=payload.version)
    )


@router.post("/articles/{article_id}/archive", response={200: PublishingStatusOut, **ERRORS})
def archive_article(request: HttpRequest, article_id: Id, payload: PublishingVersionIn) -> dict[str, Any]:
    """Staff or a leader take a published article down at once."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    return _status(services.archive_article(user, article, version=payload.version))


@router.post("/articles/{article_id}/reopen", response={200: PublishingStatusOut, **ERRORS})
def reopen_article(request: HttpRequest, article_id: Id, payload: PublishingVersionIn) -> dict[str, Any]:
    """Staff take a withdrawn article back to draft."""
    user = actor(request)
    article = selectors.get_article(user, article_id)
    return _status(services.reopen_article(user, article, version=payload.version))


# ---------------------------------------------------------------------------- culture awards


class WinnerOut(Schema):
    id: int
    label: str
    kind: str = Field(description="project / person")
    rank: int | None
    mean_score: float | None

    @staticmethod
    def resolve_kind(obj: Nomination) -> str:
        return "project" if obj.project_id else "person"

    @staticmethod
    def resolve_mean_score(obj: Nomination) -> float | None:
        return float(obj.mean_score) if obj.mean_score is not None else None


class PublicAwardOut(Schema):
    id: int
    year: int
    name: str
    published_at: dt.datetime | None
    winners: list[WinnerOut]


class NominationOut(WinnerOut):
    is_winner: bool
    reason: str
    scores: list[dict[str, Any]] = Field(description="Every juror's score (office only).")

    @staticmethod
    def resolve_scores(obj: Nomination) -> list[dict[str, Any]]:
        return [{"juror_id": s.juror_id, "value": s.value} for s in obj.scores.all()]


class AwardOut(Schema):
    id: int
    conference_id: int
    year: int
    name: str
    state: str
    rule: str
    top_n: int
    min_score: float
    version: int
    juror_ids: list[int]
    actions: list[str]
    nominations: list[NominationOut]


class ScoreIn(Schema):
    nomination_id: Id
    value: int = Field(description="0–100; a juror scoring again replaces the score.")
    comment: Text = ""


class PublishingScoreOut(Schema):
    nomination_id: int
    value: int
    comment: str


def _award_out(user: Any, award: Award) -> dict[str, Any]:
    return {
        "id": award.pk,
        "conference_id": award.conference_id,
        "year": award.year,
        "name": award.name,
        "state": award.state,
        "rule": award.rule,
        "top_n": award.top_n,
        "min_score": float(award.min_score),
        "version": award.version,
        "juror_ids": list(award.jurors.values_list("pk", flat=True)),
        "actions": culture.available_actions(user, award),
        "nominations": list(culture.nominations(award)),
    }


@router.get("/public/{code}/awards", response={200: list[PublicAwardOut], **ERRORS}, auth=None)
def public_awards(request: HttpRequest, code: Code) -> list[Award]:
    """A conference's awards whose results are published, with their winners; no sign-in."""
    conference = selectors.get_portal_conference(code)
    return list(culture.public_awards(conference.pk)[:50])


@router.get("/awards/{award_id}", response={200: AwardOut, **ERRORS})
def get_award(request: HttpRequest, award_id: Id) -> dict[str, Any]:
    """One award with its jury, nominations, every score and the actions the caller may take (office)."""
    user = actor(request)
    return _award_out(user, culture.get_award(user, award_id))


@router.post("/awards/{award_id}/scores", response={200: PublishingScoreOut, **ERRORS})
def score_nomination(request: HttpRequest, award_id: Id, payload: ScoreIn) -> Score:
    """A juror scores a nomination (0–100) while the jury sits."""
    user = actor(request)
    award = culture.get_jury_award(user, award_id)
    nomination = culture.get_nomination(award, payload.nomination_id)
    return culture.score_nomination(user, nomination, payload.value, payload.comment)


@router.post("/awards/{award_id}/{action}", response={200: AwardOut, **ERRORS})
def act_on_award(
    request: HttpRequest, award_id: Id, action: str, payload: PublishingVersionIn
) -> dict[str, Any]:
    """Staff move the award: open_scoring, decide, reopen_scoring, publish, unpublish."""
    user = actor(request)
    award = culture.get_award(user, award_id)
    service = culture.ACTIONS.get(action)
    if service is None:
        raise Http404
    return _award_out(user, service(user, award, version=payload.version))
