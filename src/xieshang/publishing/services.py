"""Every write to articles and journals: check the rule, then change state in one transaction, audit,
notify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.notify.services import notify_on_commit
from xieshang.opinions.selectors import published_reports
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import users_with_role
from xieshang.proposals.selectors import published_proposals

from . import workflow
from .images import clean_image
from .models import Article, ArticleKind, ArticleState, IssueItem, Journal, JournalIssue, Revision
from .rules import actor_roles, can_manage_journals, can_write_articles

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 50000
NOTE_MAX = 300
NAME_MAX = 60
MAX_ITEMS = 200
TEXT_FIELDS = ("title", "summary", "body")

# ---------------------------------------------------------------------------- helpers


def _url(article: Article) -> str:
    return reverse("publishing:detail", args=[article.pk])


def _lock(obj: Article, version: int | None) -> Article:
    """Re-read the article under a row lock and refuse a stale version."""
    return sm.lock(obj, version, "conference")


def _check(actor: Any, obj: Article, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the article is in an allowed state; the
    author is told why they may not review their own article."""
    roles = actor_roles(actor, obj)
    if action in {"publish", "return"} and roles and "reviewer" not in roles:
        raise denied(_("不能审核自己撰写的文章，请由其他工作人员或领导审核。"))
    sm.check(workflow.transition(action), roles, obj, _("该文章"))


def _move(actor: Any, obj: Article, action: str, to_state: str, *, summary: str = "", **data: Any) -> None:
    """Set the new state, bump the version, save and audit; `to_state` must be in the table's row."""
    sm.move(actor, obj, action, workflow.transition(action), to_state, summary=summary, data=data)


def _touch(
    actor: Any, obj: Article, action: str, *, summary: str = "", fields: Sequence[str] = (), **data: Any
) -> None:
    """Save fields that changed without a state change, bump the version and audit."""
    label = workflow.transition(action).label if action in workflow.TRANSITIONS else action
    sm.touch(actor, obj, action, label=label, summary=summary, fields=fields, data=data)


_text = sm.clean_text


# ---------------------------------------------------------------------------- writing


@dataclass
class ArticleInput:
    """What the office writes: plain text, paragraphs separated by line breaks."""

    title: str
    kind: str = ArticleKind.NEWS
    summary: str = ""
    body: str = ""


def _clean_input(data: ArticleInput) -> dict[str, str]:
    if data.kind not in ArticleKind.values:
        raise invalid({"kind": _("栏目无效。")})
    return {
        "kind": data.kind,
        "title": _text(data.title, "title", _("标题"), required=True, limit=TITLE_MAX),
        "summary": _text(data.summary, "summary", _("摘要"), required=False, limit=SUMMARY_MAX),
        "body": _text(data.body, "body", _("正文"), required=False, limit=BODY_MAX).replace("\r\n", "\n"),
    }


@transaction.atomic(durable=True)
def create_article(actor: User, conference: Conference, data: ArticleInput) -> Article:
    """Office staff start a draft article of their conference."""
    if not can_write_articles(actor, conference.pk):
        raise denied(_("只有本级政协机关工作人员可以撰写文章。"))
    article = Article.objects.create(conference=conference, author=actor, **_clean_input(data))
    record(actor, "create", article, to_state=article.state, summary=_("创建草稿"))
    return article


@transaction.atomic(durable=True)
def update_article(
    actor: User, article: Article, data: ArticleInput, *, note: str = "", version: int | None = None
) -> Revision | None:
    """Staff change a draft or an article under review; a revision keeps before and after of the text.

    Nothing changed: no revision and no new version.
    """
    article = _lock(article, version)
    _check(actor, article, "edit")
    after = _clean_input(data)
    note = _text(note, "note", _("修改说明"), required=False, limit=NOTE_MAX)
    before = {name: getattr(article, name) for name in after}
    if before == after:
        return None
    revision = None
    if any(before[k] != after[k] for k in TEXT_FIELDS):
        revision = Revision.objects.create(
            article=article,
            editor=actor,
            note=note,
            **{f"before_{k}": before[k] for k in TEXT_FIELDS},
            **{f"after_{k}": after[k] for k in TEXT_FIELDS},
        )
    for name, value in after.items():
        setattr(article, name, value)
    changed = [k for k in after if before[k] != after[k]]
    _touch(
        actor,
        article,
        "edit",
        fields=changed,
        summary=note or _("修改文章"),
        revision=revision.pk if revision else None,
    )
    return revision


@transaction.atomic(durable=True)
def set_cover(actor: User, article: Article, upload: UploadedFile, *, version: int | None = None) -> Article:
    """Staff give the article a cover picture: checked, shrunk, stripped of metadata, saved as a new file."""
    article = _lock(article, version)
    _check(actor, article, "set_cover")
    content, name = clean_image(upload)
    old = article.cover.name if article.cover else ""
    article.cover.save(content.name or "cover.jpg", content, save=False)
    _touch(actor, article, "set_cover", fields=["cover"], summary=_("上传题图：%(name)s") % {"name": name})
    if old:
        storage = article.cover.storage
        transaction.on_commit(lambda: storage.delete(old))
    return article


# ---------------------------------------------------------------------------- review and publication


def _reviewers(article: Article) -> list[User]:
    users = users_with_role(article.conference_id, [RoleKind.STAFF, RoleKind.LEADER])
    return [u for u in users if u.pk != article.author_id]


@transaction.atomic(durable=True)
def submit_article(actor: User, article: Article, *, version: int | None = None) -> Article:
    """Staff send a draft for review; it needs a body."""
    article = _lock(article, version)
    _check(actor, article, "submit")
    if not article.body.strip():
        raise invalid({"body": _("提交审核前请填写正文。")})
    _move(actor, article, "submit", ArticleState.REVIEW)
    notify_on_commit(
        _reviewers(article),
        verb="article_submitted",
        conference_id=article.conference_id,
        title=_("文章待审核：《%(title)s》") % {"title": article.title},
        url=_url(article),
    )
    return article


@transaction.atomic(durable=True)
def return_article(actor: User, article: Article, *, reason: str, version: int | None = None) -> Article:
    """A reviewer sends the article back to draft, with the reason the author reads."""
    article = _lock(article, version)
    _check(actor, article, "return")
    reason = _text(reason, "reason", _("退回理由"), required=True, limit=NOTE_MAX)
    _move(actor, article, "return", ArticleState.DRAFT, summary=_("退回修改：%(r)s") % {"r": reason})
    notify_on_commit(
        [article.author],
        verb="article_returned",
        conference_id=article.conference_id,
        title=_("文章《%(title)s》被退回修改") % {"title": article.title},
        body=reason,
        url=_url(article),
    )
    return article


@transaction.atomic(durable=True)
def publish_article(
    actor: User, article: Article, *, publish_at: dt.datetime | None = None, version: int | None = None
) -> Article:
    """A reviewer other than the author publishes the article, at once or at `publish_at` (a time
    already past means at once); before that moment the portal does not show it."""
    article = _lock(article, version)
    _check(actor, article, "publish")
    now = timezone.now()
    when = max(publish_at, now) if publish_at else now
    article.publish_at = when
    article.published_by = actor
    scheduled = when > now
    summary = (
        _("定时发布：%(at)s") % {"at": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
        if scheduled
        else _("审核发布")
    )
    article.save(update_fields=["publish_at", "published_by"])
    _move(actor, article, "publish", ArticleState.PUBLISHED, summary=summary)
    notify_on_commit(
        [article.author],
        verb="article_published",
        conference_id=article.conference_id,
        title=_("文章《%(title)s》已审核发布") % {"title": article.title},
        url=_url(article),
    )
    return article


@transaction.atomic(durable=True)
def archive_article(actor: User, article: Article, *, version: int | None = None) -> Article:
    """Staff or a leader take a published article down from the portal at once."""
    article = _lock(article, version)
    _check(actor, article, "archive")
    _move(actor, article, "archive", ArticleState.ARCHIVED)
    return article


@transaction.atomic(durable=True)
def reopen_article(actor: User, article: Article, *, version: int | None = None) -> Article:
    """Staff take a withdrawn article back to draft to rework it (it must be reviewed again)."""
    article = _lock(article, version)
    _check(actor, article, "reopen")
    article.publish_at = None
    article.published_by = None
    article.save(update_fields=["publish_at", "published_by"])
    _move(actor, article, "reopen", ArticleState.DRAFT)
    return article


@transaction.atomic(durable=True)
def delete_article(actor: User, article: Article, *, version: int | None = None) -> None:
    """Staff delete a draft or a withdrawn article, unless a journal issue prints it."""
    article = _lock(article, version)
    _check(actor, article, "delete")
    if IssueItem.objects.filter(article=article).exists():
        raise AppError(ErrorCode.INVALID_STATE, _("该文章已编入刊物，不能删除。"))
    record(
        actor, "delete", article, from_state=article.state, to_state=workflow.DELETED, summary=article.title
    )
    cover = article.cover.name if article.cover else ""
    storage = article.cover.storage
    article.delete()
    if cover:
        transaction.on_commit(lambda: storage.delete(cover))


# ---------------------------------------------------------------------------- journals and issues


@transaction.atomic(durable=True)
def create_journal(
    actor: User, conference: Conference, *, name: str, kind: str = Journal.Kind.MAGAZINE
) -> Journal:
    """Staff register a periodical of the conference (its magazine or information bulletin)."""
    if not can_manage_journals(actor, conference.pk):
        raise denied()
    if kind not in Journal.Kind.values:
        raise invalid({"kind": _("类型无效。")})
    name = _text(name, "name", _("刊名"), required=True, limit=NAME_MAX).strip("《》")
    if not name:
        raise invalid({"name": _("刊名不能为空。")})
    if Journal.objects.filter(conference=conference, name=name).exists():
        raise invalid({"name": _("已有同名刊物。")})
    journal = Journal.objects.create(conference=conference, name=name, kind=kind)
    record(actor, "create_journal", journal, summary=str(journal))
    return journal


def _next_number(journal: Journal, year: int) -> int:
    """The next number of the journal's year, under a lock on the journal row so that two issues
    opened at once never clash."""
    Journal.objects.select_for_update().filter(pk=journal.pk).first()
    top = JournalIssue.objects.filter(journal=journal, year=year).aggregate(m=Max("number"))["m"]
    return (top or 0) + 1


@transaction.atomic(durable=True)
def create_issue(actor: User, journal: Journal, *, year: int | None = None, title: str = "") -> JournalIssue:
    """Staff open the next issue of a journal for a year (numbered per journal and year)."""
    if not can_manage_journals(actor, journal.conference_id):
        raise denied()
    year = year or today().year
    if not 1949 <= year <= today().year + 1:
        raise invalid({"year": _("年度无效。")})
    issue = JournalIssue.objects.create(
        journal=journal,
        conference_id=journal.conference_id,
        year=year,
        number=_next_number(journal, year),
        title=_text(title, "title", _("本期标题"), required=False, limit=TITLE_MAX),
        created_by=actor,
    )
    record(actor, "open_issue", issue, to_state=issue.state, summary=issue.label)
    return issue


def _lock_issue(actor: User, issue: JournalIssue, version: int | None, *, draft: bool) -> JournalIssue:
    """Staff only; the issue re-read under a row lock, its version checked, and still a draft if asked."""
    if not can_manage_journals(actor, issue.conference_id):
        raise denied()
    locked = sm.lock(issue, version, "journal", "conference")
    if draft and locked.state != JournalIssue.State.DRAFT:
        raise AppError(ErrorCode.INVALID_STATE, _("该期已出版，不能再修改。"))
    return locked


def _bump(actor: User, issue: JournalIssue, verb: str, summary: str, **data: Any) -> None:
    issue.version += 1
    issue.save(update_fields=["version"])
    record(actor, verb, issue, from_state=issue.state, to_state=issue.state, summary=summary, data=data)


@transaction.atomic(durable=True)
def add_item(
    actor: User,
    issue: JournalIssue,
    *,
    article_id: int | None = None,
    proposal_id: int | None = None,
    report_id: int | None = None,
    version: int | None = None,
) -> IssueItem:
    """Staff add to a draft issue one published article, published proposal or public opinion report
    of the same conference, at the end."""
    issue = _lock_issue(actor, issue, version, draft=True)
    given = [k for k, v in {"article": article_id, "proposal": proposal_id, "report": report_id}.items() if v]
    if len(given) != 1:
        raise invalid({"item": _("请选择一篇文章、一件提案或一篇社情民意信息。")})
    source: dict[str, Any] = {}
    if article_id:
        article = Article.objects.filter(
            pk=article_id, conference_id=issue.conference_id, state=ArticleState.PUBLISHED
        ).first()
        if article is None:
            raise invalid({"article": _("只能编入本级政协已发布的文章。")})
        source["article"] = article
        label = article.title
    elif proposal_id:
        proposal = published_proposals().filter(pk=proposal_id, conference_id=issue.conference_id).first()
        if proposal is None:
            raise invalid({"proposal": _("只能编入本级政协已公开的提案。")})
        source["proposal"] = proposal
        label = proposal.title
    elif report_id:
        report = published_reports().filter(pk=report_id, conference_id=issue.conference_id).first()
        if report is None:
            raise invalid({"report": _("只能编入本级政协已在门户公开的社情民意信息。")})
        source["report"] = report
        label = report.title
    if IssueItem.objects.filter(issue=issue, **source).exists():
        raise AppError(ErrorCode.DUPLICATE, _("本期已编入该条目。"))
    if issue.items.count() >= MAX_ITEMS:
        raise invalid({"item": _("每期最多 %(n)s 个条目。") % {"n": MAX_ITEMS}})
    top = issue.items.aggregate(m=Max("position"))["m"]
    item = IssueItem.objects.create(issue=issue, position=(top or 0) + 1, **source)
    _bump(actor, issue, "add_item", _("编入：%(t)s") % {"t": label}, item=item.pk)
    return item


@transaction.atomic(durable=True)
def remove_item(actor: User, issue: JournalIssue, item_id: int, *, version: int | None = None) -> None:
    """Staff take an item out of a draft issue."""
    issue = _lock_issue(actor, issue, version, draft=True)
    item = IssueItem.objects.filter(pk=item_id, issue=issue).first()
    if item is None:
        raise invalid({"item": _("本期没有该条目。")})
    label = str(getattr(item.source, "title", ""))
    item.delete()
    _bump(actor, issue, "remove_item", _("移出：%(t)s") % {"t": label})


@transaction.atomic(durable=True)
def move_item(
    actor: User, issue: JournalIssue, item_id: int, *, up: bool, version: int | None = None
) -> None:
    """Staff move an item one place up or down in a draft issue."""
    issue = _lock_issue(actor, issue, version, draft=True)
    items = list(issue.items.order_by("position", "id"))
    index = next((i for i, it in enumerate(items) if it.pk == item_id), None)
    if index is None:
        raise invalid({"item": _("本期没有该条目。")})
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    _bump(actor, issue, "move_item", _("调整顺序"), item=item_id)


@transaction.atomic(durable=True)
def publish_issue(actor: User, issue: JournalIssue, *, version: int | None = None) -> JournalIssue:
    """Staff publish a draft issue holding at least one item; it shows on the portal from today."""
    issue = _lock_issue(actor, issue, version, draft=True)
    if not issue.items.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("本期还没有内容，不能出版。"))
    issue.state = JournalIssue.State.PUBLISHED
    issue.published_on = today()
    issue.version += 1
    issue.save(update_fields=["state", "published_on", "version"])
    record(actor, "publish_issue", issue, from_state="draft", to_state=issue.state, summary=issue.label)
    return issue


@transaction.atomic(durable=True)
def withdraw_issue(actor: User, issue: JournalIssue, *, version: int | None = None) -> JournalIssue:
    """Staff take a published issue off the portal at once and back to editing."""
    issue = _lock_issue(actor, issue, version, draft=False)
    if issue.state != JournalIssue.State.PUBLISHED:
        raise AppError(ErrorCode.INVALID_STATE, _("该期尚未出版。"))
    issue.state = JournalIssue.State.DRAFT
    issue.version += 1
    issue.save(update_fields=["state", "version"])
    record(actor, "withdraw_issue", issue, from_state="published", to_state=issue.state, summary=issue.label)
    return issue
