"""Take an article through the editorial workflow with real services, to any state a test needs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xieshang.people.models import RoleKind, User
from xieshang.publishing import services
from xieshang.publishing.models import Article, ArticleState
from xieshang.publishing.services import ArticleInput

from ..conftest import Side
from ..factories import UserFactory, give_role

S = ArticleState
TITLE = "市政协召开十四届二十次常委会议"
BODY = "会议听取了关于全市营商环境建设情况的通报。\n委员们围绕优化审批服务、降低企业成本等建言献策。"


def reviewer(side: Side) -> User:
    """A second staff member of the side's conference (the author never reviews their own article)."""
    username = f"{side.conference.code}_staff2"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = UserFactory(username=username, display_name=f"{side.conference.short_name}宣传干部")
        give_role(user, side.conference, RoleKind.STAFF)
    return user


def draft(side: Side, title: str = TITLE, body: str = BODY, kind: str = "news") -> Article:
    data = ArticleInput(title=title, kind=kind, summary="常委会议审议通过多项决定。", body=body)
    return services.create_article(side.staff, side.conference, data)


def review(side: Side, **kw: str) -> Article:
    return services.submit_article(side.staff, draft(side, **kw))


def published(side: Side, publish_at: dt.datetime | None = None, **kw: str) -> Article:
    return services.publish_article(reviewer(side), review(side, **kw), publish_at=publish_at)


def scheduled(side: Side, **kw: str) -> Article:
    return published(side, publish_at=timezone.now() + dt.timedelta(days=2), **kw)


def archived(side: Side, **kw: str) -> Article:
    return services.archive_article(side.staff, published(side, **kw))


def build(side: Side, state: str, **kw: str) -> Article:
    """An article in `state`, reached through the services."""
    makers = {S.DRAFT: draft, S.REVIEW: review, S.PUBLISHED: published, S.ARCHIVED: archived}
    return Article.objects.get(pk=makers[S(state)](side, **kw).pk)
