"""Online deliberation over the REST API: topics, posts, replies, supports, moderation, the close,
the summary, the report and its sending to leaders. The same services and visibility as the pages:
a topic the caller may not read is a 404; an action their role does not allow is a 403.

Posting through the API is for signed-in participants (members and invited experts); the public
post on the web page, which asks for a display name and a captcha.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text
from xieshang.core.errors import denied

from . import deliberation as svc
from . import reports
from .models import Deliberation, Post

router = Router(tags=["deliberations"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
NOT_PARTICIPANT = "您不在本议题的参与范围内。公众请在网页上署名发言。"


class TopicOut(Schema):
    id: int
    conference_id: int
    title: str
    question: str
    background: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    for_members: bool
    for_public: bool
    activity_id: int | None
    state: str
    version: int


class DeliberationTopicFilter(Schema):
    conference_id: Id | None = None
    state: Text | None = None


class PostOut(Schema):
    id: int
    parent_id: int | None
    author_name: str
    body: str
    support_count: int
    hidden: bool
    hidden_reason: str
    created_at: dt.datetime
    supported: bool = False


class DeliberationTopicDetailOut(TopicOut):
    can_post: bool
    is_moderator: bool
    posts: list[PostOut]


class DeliberationTopicIn(Schema):
    conference_id: Id
    title: Text
    question: Text
    background: Text = ""
    opens_at: dt.datetime
    closes_at: dt.datetime
    for_members: bool = True
    for_public: bool = False
    expert_ids: list[Id] = Field(default_factory=list, max_length=500)
    activity_id: Id | None = None


class PostIn(Schema):
    body: Text
    parent_id: Id | None = None


class DeliberationReplyIn(Schema):
    body: Text


class HideIn(Schema):
    reason: Text


class DeliberationVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class DeliberationReportIn(DeliberationVersionIn):
    summary: Text
    final: bool = False


class DeliberationThemeOut(Schema):
    name: str
    count: int
    quote_id: int
    quote: str
    quote_author: str
    quote_support: int


class SummaryOut(Schema):
    themes: list[DeliberationThemeOut]
    draft: str
    summary: str


class DeliveryOut(Schema):
    leader_id: int
    leader_name: str
    sent_at: dt.datetime
    read_at: dt.datetime | None


class DeliberationInstructionOut(Schema):
    id: int
    leader_name: str
    level: str
    given_on: dt.date
    text: str


class DeliberationReportOut(Schema):
    id: int
    title: str
    state: str
    summary: str
    deliveries: list[DeliveryOut]
    instructions: list[DeliberationInstructionOut]


class SendIn(Schema):
    leader_ids: list[Id] = Field(max_length=200)
    note: Text = ""


class DeliberationInstructionIn(Schema):
    level: Text
    text: Text
    given_on: dt.date | None = None


def _post_out(post: Post, supported: set[int]) -> dict[str, Any]:
    return {
        "id": post.pk,
        "parent_id": post.parent_id,
        "author_name": post.author_name,
        "body": post.body,
        "support_count": post.support_count,
        "hidden": post.hidden,
        "hidden_reason": post.hidden_reason,
        "created_at": post.created_at,
        "supported": post.pk in supported,
    }


def _detail(user: Any, topic: Deliberation) -> dict[str, Any]:
    supported = svc.supported_ids(user, topic)
    fields = {name: getattr(topic, name) for name in TopicOut.model_fields if name != "id"}
    return {
        "id": topic.pk,
        **fields,
        "can_post": svc.can_post_as_user(user, topic) and topic.state == "open",
        "is_moderator": svc.is_staff(user, topic),
        "posts": [_post_out(p, supported) for p in svc.posts_for(user, topic)],
    }


def _visible_post(user: Any, post_id: int) -> Post:
    post = Post.objects.filter(pk=post_id).select_related("deliberation").first()
    if post is None:
        raise Http404
    svc.get_deliberation(user, post.deliberation_id)
    if post.hidden and not svc.is_staff(user, post.deliberation) and post.author_id != user.pk:
        raise Http404
    return post


def _staff_topic(user: Any, topic_id: int) -> Deliberation:
    topic = svc.get_deliberation(user, topic_id)
    if not svc.is_staff(user, topic):
        raise denied()
    return topic


def _write_post(user: Any, topic: Deliberation, body: str, parent_id: int | None) -> Post:
    if not svc.can_post_as_user(user, topic):
        raise denied(NOT_PARTICIPANT)
    return svc.post_opinion(user, topic, body=body, parent_id=parent_id)


# ---------------------------------------------------------------------------- topics


@router.get("", response=list[TopicOut])
@paginate(Pages, page_size=25, max_page_size=100)
def list_topics(request: HttpRequest, filters: Query[DeliberationTopicFilter]) -> QuerySet[Deliberation]:
    """The topics the caller may read (staff and leaders: every topic of their conferences)."""
    qs = svc.visible_deliberations(actor(request))
    if filters.conference_id:
        qs = qs.filter(conference_id=filters.conference_id)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-opens_at", "-id")


@router.post("", response={201: TopicOut, **ERRORS})
def create_topic(request: HttpRequest, payload: DeliberationTopicIn) -> Status[Deliberation]:
    """Staff set up a topic as a draft."""
    from xieshang.api import access

    user = actor(request)
    conference = access.conference(user, payload.conference_id, "staff")
    data = svc.DeliberationInput(**payload.dict(exclude={"conference_id"}))
    return Status(201, svc.create_deliberation(user, conference, data))


@router.get("/{topic_id}", response={200: DeliberationTopicDetailOut, **ERRORS})
def get_topic(request: HttpRequest, topic_id: Id) -> dict[str, Any]:
    """One topic with the posts the caller may read (moderators also the hidden ones)."""
    user = actor(request)
    return _detail(user, svc.get_deliberation(user, topic_id))


@router.post("/{topic_id}/open", response={200: TopicOut, **ERRORS})
def open_topic(request: HttpRequest, topic_id: Id, payload: DeliberationVersionIn) -> Deliberation:
    """Staff open a draft topic."""
    user = actor(request)
    return svc.open_deliberation(user, _staff_topic(user, topic_id), version=payload.version)


@router.post("/{topic_id}/close", response={200: TopicOut, **ERRORS})
def close_topic(request: HttpRequest, topic_id: Id, payload: DeliberationVersionIn) -> Deliberation:
    """Staff close an open topic; the summary is drafted by theme."""
    user = actor(request)
    return svc.close_deliberation(user, _staff_topic(user, topic_id), version=payload.version)


# ---------------------------------------------------------------------------- posts


@router.post("/{topic_id}/posts", response={201: PostOut, **ERRORS})
def create_post(request: HttpRequest, topic_id: Id, payload: PostIn) -> Status[dict[str, Any]]:
    """A participant posts an opinion (or, with parent_id, a reply)."""
    user = actor(request)
    topic = svc.get_deliberation(user, topic_id)
    return Status(201, _post_out(_write_post(user, topic, payload.body, payload.parent_id), set()))


@router.post("/posts/{post_id}/replies", response={201: PostOut, **ERRORS})
def reply(request: HttpRequest, post_id: Id, payload: DeliberationReplyIn) -> Status[dict[str, Any]]:
    """A participant replies to a post."""
    user = actor(request)
    post = _visible_post(user, post_id)
    return Status(201, _post_out(_write_post(user, post.deliberation, payload.body, post.pk), set()))


@router.post("/posts/{post_id}/support", response={200: PostOut, **ERRORS})
def support(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    """A participant supports someone else's post, once."""
    user = actor(request)
    post = svc.support_post(user, _visible_post(user, post_id))
    return _post_out(post, {post.pk})


@router.post("/posts/{post_id}/hide", response={200: PostOut, **ERRORS})
def hide(request: HttpRequest, post_id: Id, payload: HideIn) -> dict[str, Any]:
    """A moderator (staff) hides a post with a reason."""
    user = actor(request)
    return _post_out(svc.hide_post(user, _visible_post(user, post_id), reason=payload.reason), set())


# ---------------------------------------------------------------------------- summary and report


@router.get("/{topic_id}/summary", response={200: SummaryOut, **ERRORS})
def summary(request: HttpRequest, topic_id: Id) -> dict[str, Any]:
    """Staff: the opinions grouped by theme, a fresh draft, and the summary as edited so far."""
    user = actor(request)
    topic = _staff_topic(user, topic_id)
    found = svc.themes(topic) if topic.state != "draft" else []
    return {
        "themes": [
            {
                "name": t.name,
                "count": t.count,
                "quote_id": t.quote.pk,
                "quote": t.quote.body,
                "quote_author": t.quote.author_name,
                "quote_support": t.quote.support_count,
            }
            for t in found
        ],
        "draft": svc.draft_summary(topic) if found else "",
        "summary": topic.summary,
    }


def _report(topic: Deliberation) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "title": topic.title,
        "state": topic.state,
        "summary": topic.summary,
        "deliveries": [
            {
                "leader_id": d.leader_id,
                "leader_name": str(d.leader),
                "sent_at": d.sent_at,
                "read_at": d.read_at,
            }
            for d in reports.deliveries(topic)
        ],
        "instructions": [
            {
                "id": i.pk,
                "leader_name": i.leader_name,
                "level": i.level,
                "given_on": i.given_on,
                "text": i.text,
            }
            for i in reports.instructions(topic)
        ],
    }


@router.post("/{topic_id}/report", response={200: DeliberationReportOut, **ERRORS})
def save_report(request: HttpRequest, topic_id: Id, payload: DeliberationReportIn) -> dict[str, Any]:
    """Staff save the edited report of a closed topic; `final` finishes it."""
    user = actor(request)
    topic = svc.save_report(
        user,
        _staff_topic(user, topic_id),
        summary=payload.summary,
        final=payload.final,
        version=payload.version,
    )
    return _report(topic)


@router.get("/{topic_id}/report", response={200: DeliberationReportOut, **ERRORS})
def get_report(request: HttpRequest, topic_id: Id) -> dict[str, Any]:
    """The finished report, for staff and the leaders it was sent to (a leader's first read is kept)."""
    user = actor(request)
    topic = reports.get_report(user, topic_id)
    if reports.is_recipient(user, topic):
        reports.mark_read(user, topic)
    return _report(topic)


@router.post("/{topic_id}/report/send", response={200: DeliberationReportOut, **ERRORS})
def send_report(request: HttpRequest, topic_id: Id, payload: SendIn) -> dict[str, Any]:
    """Staff send the finished report to leaders of the conference."""
    user = actor(request)
    topic = _staff_topic(user, topic_id)
    reports.send_report(user, topic, leader_ids=payload.leader_ids, note=payload.note)
    return _report(topic)


@router.post("/{topic_id}/report/instructions", response={201: DeliberationInstructionOut, **ERRORS})
def instruct(
    request: HttpRequest, topic_id: Id, payload: DeliberationInstructionIn
) -> Status[dict[str, Any]]:
    """A leader the report was sent to records an instruction on it."""
    user = actor(request)
    topic = reports.get_report(user, topic_id)
    found = reports.record_instruction(
        user,
        topic,
        reports.InstructionInput(level=payload.level, text=payload.text, given_on=payload.given_on),
    )
    return Status(
        201,
        {
            "id": found.pk,
            "leader_name": found.leader_name,
            "level": found.level,
            "given_on": found.given_on,
            "text": found.text,
        },
    )
