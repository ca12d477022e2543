"""Online deliberation (网络议政): the state table, who may take part, every write and every read.

Roles: `staff` (office staff of the topic's conference) open, close, moderate and report;
participants are the conference's members (when the topic is for members), the invited experts,
and the public (only when the topic allows it: a display name and a captcha, no account).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.duty.models import EventKind
from xieshang.duty.services import record_event, retract_event
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import conference_ids, guided_conference_ids, has_role
from xieshang.textintel.topics import hot_topics

from . import throttle
from .models import Deliberation, Post, Support
from .models import DeliberationState as S

TITLE_MAX = 200
QUESTION_MAX = 5000
BACKGROUND_MAX = 20000
BODY_MAX = 2000
NAME_MAX = 50
REASON_MAX = 300
SUMMARY_MAX = 50000
# A member's opinion posted online is closest to a written speech (书面发言) among the duty kinds.
DUTY_KIND = EventKind.WRITTEN_SPEECH
DUTY_SOURCE = "deliberation_post"
OTHER_GROUP = gettext_lazy("其他意见")

TRANSITIONS: dict[str, sm.Transition] = {
    "open": sm.transition(str(gettext_lazy("开始议政")), {S.DRAFT}, {"staff"}, {S.OPEN}, "notify members"),
    "close": sm.transition(
        str(gettext_lazy("结束议政")), {S.OPEN}, {"staff"}, {S.CLOSED}, "draft the summary by theme"
    ),
    "report": sm.transition(
        str(gettext_lazy("形成议政报告")), {S.CLOSED}, {"staff"}, {S.REPORTED}, "the edited summary"
    ),
}
VISIBLE_STATES = [S.OPEN, S.CLOSED, S.REPORTED]
_text = sm.clean_text

# ---------------------------------------------------------------------------- rules


def is_staff(user: Any, deliberation: Deliberation) -> bool:
    """Office staff of the topic's conference: they open, close, moderate and report."""
    return bool(user.is_authenticated and has_role(user, deliberation.conference_id, RoleKind.STAFF))


def is_invited_expert(user: Any, deliberation: Deliberation) -> bool:
    """An expert from the talent pool invited to this topic."""
    return bool(user.is_authenticated and deliberation.experts.filter(pk=user.pk).exists())


def can_post_as_user(user: Any, deliberation: Deliberation) -> bool:
    """A member of the topic's conference (when it is for members) or an invited expert."""
    if not user.is_authenticated:
        return False
    if deliberation.for_members and has_role(user, deliberation.conference_id, RoleKind.MEMBER):
        return True
    return is_invited_expert(user, deliberation)


def can_post(user: Any, deliberation: Deliberation) -> bool:
    """Whether the user may write now, as themself or (on a public topic) under a display name."""
    return deliberation.state == S.OPEN and (can_post_as_user(user, deliberation) or deliberation.for_public)


def actor_roles(user: Any, deliberation: Deliberation) -> set[str]:
    """The workflow roles the user plays on the topic."""
    return {"staff"} if is_staff(user, deliberation) else set()


# ---------------------------------------------------------------------------- reads


def office_deliberations(user: Any, conference_id: int) -> QuerySet[Deliberation]:
    """Every topic of the conference, for its staff and leaders; nothing for anyone else."""
    if not user.is_authenticated or conference_id not in conference_ids(
        user, RoleKind.STAFF, RoleKind.LEADER
    ):
        return Deliberation.objects.none()
    return Deliberation.objects.filter(conference_id=conference_id)


def visible_deliberations(user: Any) -> QuerySet[Deliberation]:
    """Topics the user may read: staff and leaders all of their conferences'; members the opened
    member topics of their conferences; experts the opened topics they are invited to; anyone the
    opened public topics."""
    opened = Q(state__in=VISIBLE_STATES)
    condition = opened & Q(for_public=True)
    if user.is_authenticated:
        condition |= Q(conference_id__in=conference_ids(user, RoleKind.STAFF, RoleKind.LEADER))
        condition |= opened & Q(for_members=True, conference_id__in=conference_ids(user, RoleKind.MEMBER))
        condition |= opened & Q(
            pk__in=Deliberation.experts.through.objects.filter(user=user).values("deliberation_id")
        )
    return Deliberation.objects.filter(condition).select_related("conference")


def get_deliberation(user: Any, pk: int) -> Deliberation:
    """One topic the user may read, or 404 (never telling whether it exists)."""
    found = visible_deliberations(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def my_deliberations(user: Any) -> QuerySet[Deliberation]:
    """The opened topics a signed-in participant may join or read, newest first."""
    if not user.is_authenticated:
        return Deliberation.objects.none()
    invited = Deliberation.experts.through.objects.filter(user=user).values("deliberation_id")
    return (
        Deliberation.objects.filter(state__in=VISIBLE_STATES)
        .filter(
            Q(for_members=True, conference_id__in=conference_ids(user, RoleKind.MEMBER)) | Q(pk__in=invited)
        )
        .select_related("conference")
    )


def posts_for(user: Any, deliberation: Deliberation) -> list[Post]:
    """The topic's posts the user may read: moderators all; others the visible ones and their own
    hidden ones (shown with the reason)."""
    qs = deliberation.posts.select_related("author", "hidden_by")
    if not is_staff(user, deliberation):
        mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        qs = qs.filter(Q(hidden=False) | mine)
    return list(qs)


def supported_ids(user: Any, deliberation: Deliberation) -> set[int]:
    """The posts of the topic the user supports."""
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(user=user, post__deliberation=deliberation).values_list("post_id", flat=True)
    )


def expert_candidates(conference_id: int) -> QuerySet[User]:
    """The talent pool for a topic: members of the conference and of the conferences it guides."""
    users = Member.objects.filter(conference_id__in=guided_conference_ids(conference_id)).values("user_id")
    return User.objects.filter(pk__in=users).order_by("username")


# ---------------------------------------------------------------------------- writes


@dataclass
class DeliberationInput:
    """What staff write when they set up a topic."""

    title: str
    question: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    background: str = ""
    for_members: bool = True
    for_public: bool = False
    expert_ids: list[int] = field(default_factory=list)
    activity_id: int | None = None


def _url(deliberation: Deliberation) -> str:
    return reverse("voice:deliberation", args=[deliberation.pk])


@transaction.atomic(durable=True)
def create_deliberation(actor: User, conference: Conference, data: DeliberationInput) -> Deliberation:
    """Staff set up a topic as a draft; experts must come from the conference's talent pool."""
    if not has_role(actor, conference.pk, RoleKind.STAFF):
        raise denied()
    fields = {
        "title": _text(data.title, "title", _("议题"), required=True, limit=TITLE_MAX),
        "question": _text(data.question, "question", _("协商问题"), required=True, limit=QUESTION_MAX),
        "background": _text(
            data.background, "background", _("背景材料"), required=False, limit=BACKGROUND_MAX
        ),
    }
    if data.closes_at <= data.opens_at:
        raise invalid({"closes_at": _("结束时间须晚于开始时间。")})
    experts = list(expert_candidates(conference.pk).filter(pk__in=data.expert_ids))
    if len(experts) != len(set(data.expert_ids)):
        raise invalid({"experts": _("特邀专家须从人才库中选择。")})
    if not (data.for_members or data.for_public or experts):
        raise invalid({"for_members": _("请至少选择一类参与者。")})
    deliberation = Deliberation.objects.create(
        conference=conference,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        for_members=data.for_members,
        for_public=data.for_public,
        activity_id=data.activity_id,
        created_by=actor,
        **fields,
    )
    deliberation.experts.set(experts)
    record(actor, "create", deliberation, to_state=deliberation.state, summary=_("创建网络议政议题"))
    return deliberation


def _transition(actor: User, deliberation: Deliberation, action: str, version: int | None) -> Deliberation:
    locked = sm.lock(deliberation, version, "conference")
    sm.check(TRANSITIONS[action], actor_roles(actor, locked), locked, _("该议题"))
    return locked


@transaction.atomic(durable=True)
def open_deliberation(actor: User, deliberation: Deliberation, *, version: int | None = None) -> Deliberation:
    """Staff open a draft topic for posts; participants are told."""
    locked = _transition(actor, deliberation, "open", version)
    sm.move(actor, locked, "open", TRANSITIONS["open"], S.OPEN)
    participants: list[Any] = list(locked.experts.all())
    if locked.for_members:
        participants += list(User.objects.filter(memberships__conference_id=locked.conference_id))
    notify_on_commit(
        participants,
        verb="deliberation_opened",
        title=_("网络议政：%(t)s") % {"t": locked.title},
        url=_url(locked),
        conference_id=locked.conference_id,
    )
    return locked


@transaction.atomic(durable=True)
def close_deliberation(
    actor: User, deliberation: Deliberation, *, version: int | None = None
) -> Deliberation:
    """Staff close an open topic; Xieshang drafts the summary of the views for staff to edit."""
    locked = _transition(actor, deliberation, "close", version)
    locked.summary = draft_summary(locked)
    locked.save(update_fields=["summary"])
    sm.move(actor, locked, "close", TRANSITIONS["close"], S.CLOSED)
    return locked


@transaction.atomic(durable=True)
def save_report(
    actor: User, deliberation: Deliberation, *, summary: str, final: bool, version: int | None = None
) -> Deliberation:
    """Staff edit the summary of a closed topic; `final` marks the topic reported (no more edits)."""
    locked = _transition(actor, deliberation, "report", version)
    locked.summary = _text(summary, "summary", _("议政报告"), required=final, limit=SUMMARY_MAX)
    if final:
        locked.save(update_fields=["summary"])
        sm.move(actor, locked, "report", TRANSITIONS["report"], S.REPORTED)
    else:
        sm.touch(actor, locked, "edit_report", label=_("修改议政报告"), fields=["summary"])
    return locked


def _check_open(deliberation: Deliberation) -> None:
    if deliberation.state != S.OPEN or timezone.now() > deliberation.closes_at:
        raise AppError(ErrorCode.INVALID_STATE, _("该议题当前不在议政时间内，不能发言。"))


def _parent(deliberation: Deliberation, parent_id: int | None) -> Post | None:
    if parent_id is None:
        return None
    parent = deliberation.posts.filter(pk=parent_id, hidden=False).first()
    if parent is None:
        raise invalid({"body": _("要回复的发言不存在或已被隐藏。")})
    return parent


@transaction.atomic(durable=True)
def post_opinion(
    actor: Any,
    deliberation: Deliberation,
    *,
    body: str,
    parent_id: int | None = None,
    display_name: str = "",
    client: str = "",
) -> Post:
    """A participant posts an opinion or a reply while the topic is open. Members and invited experts
    post under their name; on a public topic anyone else posts under a display name (the caller
    checked the captcha). A member's own opinion (not a reply) earns one duty event."""
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    author: Any = None
    name = ""
    if can_post_as_user(actor, locked):
        author = actor
    elif not locked.for_public:
        raise denied(_("您不在本议题的参与范围内。"))
    _check_open(locked)
    text = _text(body, "body", _("意见"), required=True, limit=BODY_MAX)
    parent = _parent(locked, parent_id)
    if author is None:
        name = _text(display_name, "display_name", _("署名"), required=True, limit=NAME_MAX)
        if client and throttle.exceeded("deliberation", client, throttle.submit_limit()):
            raise AppError(ErrorCode.INVALID_INPUT, _("您发言得太频繁了，请稍后再试。"))
    post = Post.objects.create(
        deliberation=locked, author=author, display_name=name, body=text, parent=parent, client_hash=client
    )
    if author is None and client:
        throttle.count("deliberation", client)
    record(author, "post", locked, summary=_("发表意见"), data={"post": post.pk})
    if author is not None and parent is None and has_role(author, locked.conference_id, RoleKind.MEMBER):
        record_event(
            conference_id=locked.conference_id,
            user_id=author.pk,
            kind=DUTY_KIND,
            occurred_on=timezone.localdate(),
            source_type=DUTY_SOURCE,
            source_id=post.pk,
            title=locked.title,
        )
    return post


@transaction.atomic(durable=True)
def support_post(actor: Any, post: Post) -> Post:
    """A participant supports another's post once, while the topic is open."""
    locked = Post.objects.select_for_update().select_related("deliberation").get(pk=post.pk)
    if not can_post_as_user(actor, locked.deliberation):
        raise denied(_("只有本议题的参与者可以支持意见。"))
    _check_open(locked.deliberation)
    if locked.hidden:
        raise AppError(ErrorCode.INVALID_STATE, _("该发言已被隐藏。"))
    if locked.author_id == actor.pk:
        raise AppError(ErrorCode.INVALID_INPUT, _("不能支持自己的意见。"))
    if Support.objects.filter(post=locked, user=actor).exists():
        raise AppError(ErrorCode.DUPLICATE, _("您已支持过该意见。"))
    Support.objects.create(post=locked, user=actor)
    Post.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
    locked.refresh_from_db(fields=["support_count"])
    return locked


@transaction.atomic(durable=True)
def hide_post(actor: User, post: Post, *, reason: str) -> Post:
    """A moderator (staff) hides a post with a reason; it is audited, its author still sees it with
    the reason, and a member's duty event for it is withdrawn."""
    locked = Post.objects.select_for_update().select_related("deliberation").get(pk=post.pk)
    deliberation = locked.deliberation
    if not is_staff(actor, deliberation):
        raise denied()
    if locked.hidden:
        raise AppError(ErrorCode.INVALID_STATE, _("该发言已被隐藏。"))
    locked.hidden = True
    locked.hidden_reason = _text(reason, "reason", _("隐藏原因"), required=True, limit=REASON_MAX)
    locked.hidden_by = actor
    locked.save(update_fields=["hidden", "hidden_reason", "hidden_by"])
    record(
        actor,
        "hide_post",
        deliberation,
        summary=_("隐藏发言：%(r)s") % {"r": locked.hidden_reason},
        data={"post": locked.pk, "reason": locked.hidden_reason},
    )
    if locked.author_id:
        retract_event(
            conference_id=deliberation.conference_id,
            user_id=locked.author_id,
            kind=DUTY_KIND,
            source_type=DUTY_SOURCE,
            source_id=locked.pk,
        )
    return locked


# ---------------------------------------------------------------------------- the summary


@dataclass
class Theme:
    """A group of opinions about one theme, with its most supported post as the quote."""

    name: str
    count: int
    quote: Post


def _most_supported(posts: list[Post]) -> Post:
    return max(posts, key=lambda p: (p.support_count, -p.pk))


def themes(deliberation: Deliberation) -> list[Theme]:
    """The visible posts grouped by theme (largest first); the rest form one last group."""
    posts = list(deliberation.posts.filter(hidden=False).select_related("author"))
    if not posts:
        return []
    found = hot_topics(
        [p.body for p in posts],
        [p.created_at for p in posts],
        weights=[float(p.support_count) for p in posts],
        k=20,
        threshold=0.2,
    )
    grouped: set[int] = set()
    result: list[Theme] = []
    for topic in sorted(found, key=lambda t: -t.count):
        members = [posts[i] for i in topic.members]
        grouped.update(topic.members)
        name = "、".join(topic.phrases[:3]) or str(OTHER_GROUP)
        result.append(Theme(name, len(members), _most_supported(members)))
    rest = [p for i, p in enumerate(posts) if i not in grouped]
    if rest:
        result.append(Theme(str(OTHER_GROUP), len(rest), _most_supported(rest)))
    return result


def draft_summary(deliberation: Deliberation) -> str:
    """A first draft of the report: how many opinions, their themes with counts and quotes."""
    groups = themes(deliberation)
    total = sum(g.count for g in groups)
    lines = [
        _("关于“%(t)s”的网络议政，共收到有效意见 %(n)s 条，归纳为 %(m)s 个方面：")
        % {"t": deliberation.title, "n": total, "m": len(groups)}
    ]
    for number, group in enumerate(groups, start=1):
        lines.append("")
        lines.append(_("%(i)s. %(name)s（%(n)s 条）") % {"i": number, "name": group.name, "n": group.count})
        lines.append(
            _("代表性意见：“%(q)s”（%(a)s，%(s)s 人支持）")
            % {"q": group.quote.body, "a": group.quote.author_name, "s": group.quote.support_count}
        )
    return "\n".join(lines)
