"""Articles of the public portal, their revisions, and the journals (magazine, bulletin) whose issues
compose articles, published proposals and public opinion reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference


class ArticleKind(models.TextChoices):
    """What an article is, which decides where the portal shows it."""

    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")
    FEATURE = "feature", _("专题")


class ArticleState(models.TextChoices):
    """The editorial lifecycle; transitions live in workflow.py."""

    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已撤下")


class Article(models.Model):
    """A news item, notice or feature of one conference; `version` detects concurrent edits.

    The body is plain text (paragraphs separated by line breaks), always rendered escaped.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="articles", verbose_name=_("政协")
    )
    kind = models.CharField(_("栏目"), max_length=10, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"), blank=True)
    cover = models.ImageField(_("题图"), upload_to="publishing/%Y/%m/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作者")
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("签发人"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["conference", "state", "publish_at"], name="article_portal_idx")]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One edit of an article: the text before and after, so the reviewer sees what changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("编辑"),
    )
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    before_title = models.CharField(max_length=200)
    after_title = models.CharField(max_length=200)
    before_summary = models.CharField(max_length=500, blank=True)
    after_summary = models.CharField(max_length=500, blank=True)
    before_body = models.TextField(blank=True)
    after_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文章修改")
        verbose_name_plural = _("文章修改")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.article} · {self.created_at:%Y-%m-%d}"


class Journal(models.Model):
    """A periodical of a conference: its magazine (《XX政协》) or its information bulletin (《政协信息》)."""

    class Kind(models.TextChoices):
        MAGAZINE = "magazine", _("刊物")
        BULLETIN = "bulletin", _("信息专报")

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="journals", verbose_name=_("政协")
    )
    name = models.CharField(_("刊名"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MAGAZINE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("刊物")
        verbose_name_plural = _("刊物")
        ordering = ["conference", "id"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="journal_unique_name")]

    def __str__(self) -> str:
        return f"《{self.name}》"


class JournalIssue(models.Model):
    """One issue of a journal, numbered per journal and year (2026年第3期)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        PUBLISHED = "published", _("已出版")

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="issues", verbose_name=_("刊物")
    )
    # Repeats the journal's conference so that every tenant filter is one column.
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="+", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("本期标题"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_on = models.DateField(_("出版日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("刊期")
        verbose_name_plural = _("刊期")
        ordering = ["journal", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "year", "number"], name="publishing_issue_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """《示范市政协》2026年第3期."""
        return f"{self.journal}{self.year}年第{self.number}期"


class IssueItem(models.Model):
    """One piece of an issue in its printed order: an article, a published proposal or a public report."""

    issue = models.ForeignKey(JournalIssue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("顺序"))
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "opinions.OpinionReport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("刊期条目")
        verbose_name_plural = _("刊期条目")
        ordering = ["issue", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, proposal__isnull=True, report__isnull=True)
                | models.Q(article__isnull=True, proposal__isnull=False, report__isnull=True)
                | models.Q(article__isnull=True, proposal__isnull=True, report__isnull=False),
                name="issue_item_exactly_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.position}"

    @property
    def source(self) -> object:
        """The article, proposal or report this item prints."""
        return self.article or self.proposal or self.report
