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


# ---------------------------------------------------------------------------- 文史资料 (archive.py)


def archive_upload_path(_item: object, filename: str) -> str:
    """A random stored name keeping only a known extension, so no uploaded name reaches the disk."""
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()
    safe_ext = ext if ext in {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".txt"} else ""
    return f"archive/{uuid.uuid4().hex}{safe_ext}"


class Collection(models.Model):
    """A cultural-historical series of a conference (文史丛书), published in numbered volumes."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="archive_collections", verbose_name=_("政协")
    )
    title = models.CharField(_("丛书名"), max_length=200)
    description = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文史丛书")
        verbose_name_plural = _("文史丛书")
        ordering = ["conference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "title"], name="archive_collection_unique_title")
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"


class Volume(models.Model):
    """One volume (辑) of a collection, numbered per collection, compiled from published items."""

    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        PUBLISHED = "published", _("已出版")

    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, related_name="volumes", verbose_name=_("丛书")
    )
    # Repeats the collection's conference so that every tenant filter is one column.
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("辑号"))
    title = models.CharField(_("本辑标题"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文史资料辑")
        verbose_name_plural = _("文史资料辑")
        ordering = ["collection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "number"], name="archive_volume_unique_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """《示范文史》第3辑."""
        return f"{self.collection}第{self.number}辑"


class Solicitation(models.Model):
    """A campaign calling for materials on one topic until a deadline (文史资料征集)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="solicitations", verbose_name=_("政协")
    )
    topic = models.CharField(_("征集主题"), max_length=200)
    description = models.TextField(_("征集说明"), blank=True)
    deadline = models.DateField(_("截止日期"))
    is_open = models.BooleanField(_("正在征集"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文史资料征集")
        verbose_name_plural = _("文史资料征集")
        ordering = ["-deadline", "-id"]

    def __str__(self) -> str:
        return self.topic


class ArchiveItemKind(models.TextChoices):
    """What an archive item is."""

    ORAL_HISTORY = "oral_history", _("口述史")
    MEMOIR = "memoir", _("回忆录")
    PHOTO = "photo", _("老照片")
    DOCUMENT = "document", _("文献档案")
    BOOK = "book", _("书籍")


class ArchiveItemState(models.TextChoices):
    """The editorial lifecycle of an item; transitions live in archive.py."""

    SUBMITTED = "submitted", _("已提交")
    REVIEWED = "reviewed", _("已审稿")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("不予采用")


class ArchiveItem(models.Model):
    """One contributed piece of cultural-historical material; its text is plain, rendered escaped.

    The contributor is a user (a member, or staff recording it) and/or a name typed by staff for a
    contributor without an account.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="archive_items", verbose_name=_("政协")
    )
    volume = models.ForeignKey(
        Volume,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("收录于"),
    )
    solicitation = models.ForeignKey(
        Solicitation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("征集活动"),
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ArchiveItemKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    period = models.CharField(_("年代"), max_length=60, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    people = models.CharField(_("涉及人物"), max_length=300, blank=True)
    subjects = models.CharField(_("主题词"), max_length=300, blank=True)
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提供人账号"),
    )
    contributor_name = models.CharField(_("提供人"), max_length=60, blank=True)
    file = models.FileField(_("附件"), upload_to=archive_upload_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=10,
        choices=ArchiveItemState.choices,
        default=ArchiveItemState.SUBMITTED,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文史资料")
        verbose_name_plural = _("文史资料")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "state"], name="archive_item_portal_idx")]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- 文化项目与文化公益奖 (culture.py)


class Friend(models.Model):
    """A friend of the conference (政协之友): takes part in culture work without membership, through a
    light account (a user holding only the `friend` role in this conference)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="friends", verbose_name=_("政协")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="friendships", verbose_name=_("账号")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机"), max_length=20)
    expertise = models.CharField(_("专长"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政协之友")
        verbose_name_plural = _("政协之友")
        ordering = ["conference", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["conference", "user"], name="friend_unique_user")]

    def __str__(self) -> str:
        return self.name


class CultureProjectKind(models.TextChoices):
    """What a culture project is."""

    EXHIBITION = "exhibition", _("展览")
    LECTURE = "lecture", _("讲座")
    CALLIGRAPHY = "calligraphy", _("书画")
    HERITAGE = "heritage", _("非遗传承")
    PERFORMANCE = "performance", _("文艺演出")
    READING = "reading", _("读书活动")
    OTHER = "other", _("其他")


class CultureProject(models.Model):
    """A culture project a conference plans for a year (文化项目), optionally run as an activity; its
    participants are members and friends of the conference. The portal shows it once published."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="culture_projects", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=CultureProjectKind.choices)
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目简介"), blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("对应活动"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="culture_projects", verbose_name=_("参与人")
    )
    is_public = models.BooleanField(_("门户公开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文化项目")
        verbose_name_plural = _("文化项目")
        ordering = ["-year", "-starts_on", "-id"]
        indexes = [models.Index(fields=["conference", "year"], name="culture_project_year_idx")]

    def __str__(self) -> str:
        return self.title


class AwardState(models.TextChoices):
    """The award's lifecycle; transitions live in culture.py."""

    NOMINATING = "nominating", _("提名中")
    SCORING = "scoring", _("评审打分中")
    DECIDED = "decided", _("结果已定")
    PUBLISHED = "published", _("已公布")


class WinnerRule(models.TextChoices):
    """How the results pick the winners from the ranked mean scores."""

    TOP = "top", _("按名次（前 N 名）")
    THRESHOLD = "threshold", _("按分数线（平均分不低于）")


class Award(models.Model):
    """A yearly award of a conference (e.g. 文化公益奖): nominations, a jury scoring each one 0–100,
    results ranked by mean score, winners by the configured rule, published on the portal."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="awards", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("奖项名称"), max_length=100)
    description = models.TextField(_("评选说明"), blank=True)
    rule = models.CharField(_("获奖规则"), max_length=10, choices=WinnerRule.choices, default=WinnerRule.TOP)
    top_n = models.PositiveSmallIntegerField(_("获奖名额"), default=3)
    min_score = models.DecimalField(_("获奖分数线"), max_digits=5, decimal_places=2, default=85)
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="juries", verbose_name=_("评委")
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=AwardState.choices, default=AwardState.NOMINATING, db_index=True
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文化公益奖")
        verbose_name_plural = _("文化公益奖")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "year", "name"], name="award_unique_name"),
            models.CheckConstraint(condition=models.Q(top_n__gte=1), name="award_top_n_positive"),
            models.CheckConstraint(
                condition=models.Q(min_score__gte=0, min_score__lte=100), name="award_min_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{self.name}"


class Nomination(models.Model):
    """A project or a person put forward for an award; the results fill mean score, rank and winner."""

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("奖项")
    )
    # Repeats the award's conference so that every tenant filter is one column.
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        CultureProject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("文化项目"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_nominations",
        verbose_name=_("被提名人"),
    )
    reason = models.TextField(_("提名理由"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提名人")
    )
    mean_score = models.DecimalField(_("平均分"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    is_winner = models.BooleanField(_("获奖"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["award", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, person__isnull=True)
                | models.Q(project__isnull=True, person__isnull=False),
                name="nomination_project_or_person",
            ),
            models.UniqueConstraint(fields=["award", "project"], name="nomination_unique_project"),
            models.UniqueConstraint(fields=["award", "person"], name="nomination_unique_person"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The nominee's name: the project's title or the person's name."""
        return str(self.project or self.person)


class Score(models.Model):
    """One juror's score of one nomination (0–100), editable until the jury closes."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评委")
    )
    value = models.PositiveSmallIntegerField(_("分数"))
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "juror"], name="score_one_per_juror"),
            models.CheckConstraint(condition=models.Q(value__lte=100), name="score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.juror} · {self.value}"
