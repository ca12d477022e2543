"""Public-opinion reports (社情民意信息), the journal issues that publish them, forwardings and
leaders' instructions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference
from xieshang.core.models import StoredFile


class OpinionState(models.TextChoices):
    """The lifecycle of a report; transitions live in workflow.py."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待编辑")
    EDITING = "editing", _("编辑中")
    ADOPTED = "adopted", _("已采用")
    NOT_ADOPTED = "not_adopted", _("未采用")


class OnBehalf(models.TextChoices):
    """In whose name a report is submitted."""

    MEMBER = "member", _("委员个人")
    PARTY = "party", _("党派团体")
    SECTOR = "sector", _("界别")
    COMMITTEE = "committee", _("专委会")


class JournalIssue(models.Model):
    """An issue of the journal 《社情民意》, numbered per conference and year (第N期)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        PUBLISHED = "published", _("已编发")

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="journal_issues", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("标题"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_on = models.DateField(_("编发日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("《社情民意》期刊")
        verbose_name_plural = _("《社情民意》期刊")
        ordering = ["conference", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "year", "number"], name="journal_issue_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}{('·' + self.title) if self.title else ''}"

    @property
    def label(self) -> str:
        """《社情民意》2026年第3期."""
        return f"《社情民意》{self.year}年第{self.number}期"

    @property
    def number_label(self) -> str:
        """第3期."""
        return f"第{self.number}期"


class OpinionReport(models.Model):
    """A public-opinion report of one conference; `version` detects concurrent edits."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="opinion_reports", verbose_name=_("政协")
    )
    title = models.CharField(_("标题"), max_length=200)
    facts = models.TextField(_("基本情况"), blank=True)
    analysis = models.TextField(_("问题分析"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opinion_reports",
        verbose_name=_("报送人"),
    )
    on_behalf_kind = models.CharField(
        _("报送名义"), max_length=10, choices=OnBehalf.choices, default=OnBehalf.MEMBER
    )
    on_behalf_name = models.CharField(_("报送单位或个人"), max_length=100, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=OpinionState.choices, default=OpinionState.DRAFT, db_index=True
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任编辑"),
    )
    decline_reason = models.TextField(_("未采用理由"), blank=True)
    adopted_in = models.ForeignKey(
        JournalIssue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("编发期号"),
    )
    position = models.PositiveSmallIntegerField(_("刊内顺序"), null=True, blank=True)
    is_public = models.BooleanField(_("门户公开"), default=False)
    # Set when staff convert a proposal; no foreign key so that opinions never depend on proposals.
    source_proposal_id = models.BigIntegerField(_("来源提案"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("采用或未采用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "state"], name="opinion_conf_state_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def author_label(self) -> str:
        """Who the report speaks for: the member, or the party, sector or committee named."""
        return self.on_behalf_name or str(self.submitted_by)


class Attachment(StoredFile):
    """A file attached to a report by its submitter."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="opinions/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class Revision(models.Model):
    """One edit by the office: the text before and after, so everyone sees what the editor changed."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="revisions")
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
    before_facts = models.TextField(blank=True)
    after_facts = models.TextField(blank=True)
    before_analysis = models.TextField(blank=True)
    after_analysis = models.TextField(blank=True)
    before_suggestions = models.TextField(blank=True)
    after_suggestions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("编辑修改")
        verbose_name_plural = _("编辑修改")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} · {self.created_at:%Y-%m-%d}"


class RecipientKind(models.TextChoices):
    SUPERIOR = "superior", _("上级政协")
    PARTY_COMMITTEE = "party_committee", _("党委")
    GOVERNMENT = "government", _("政府")
    OTHER = "other", _("其他")


class Forwarding(models.Model):
    """An adopted report or a published issue sent on to its recipients (报送)."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        OpinionReport, null=True, blank=True, on_delete=models.CASCADE, related_name="forwardings"
    )
    issue = models.ForeignKey(
        JournalIssue, null=True, blank=True, on_delete=models.CASCADE, related_name="forwardings"
    )
    recipient_kind = models.CharField(_("报送对象类型"), max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("报送对象"), max_length=100)
    forwarded_on = models.DateField(_("报送日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        ordering = ["forwarded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, issue__isnull=True)
                | models.Q(report__isnull=True, issue__isnull=False),
                name="forwarding_report_xor_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_kind_display()} · {self.recipient_name}"


class InstructionLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Instruction(models.Model):
    """A leader's written instruction (批示) on an adopted report, and the feedback on what was done."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="instructions")
    leader_name = models.CharField(_("批示领导"), max_length=100)
    level = models.CharField(_("批示层级"), max_length=12, choices=InstructionLevel.choices)
    given_on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    feedback = models.TextField(_("落实反馈"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name} · {self.get_level_display()} · {self.given_on}"
