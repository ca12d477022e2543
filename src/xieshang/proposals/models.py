"""Proposals and everything that happens to them: co-signers, assignments, replies, evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference, HandlingUnit, Session
from xieshang.core.models import StoredFile


class ProposalState(models.TextChoices):
    """The lifecycle of a proposal; transitions live in workflow.py."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待联名确认")
    UNDER_REVIEW = "under_review", _("待审查")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已立案")
    REJECTED = "rejected", _("不予立案")
    CONVERTED = "converted", _("转社情民意")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已答复")
    EVALUATED = "evaluated", _("已评价")
    CLOSED = "closed", _("已办结")


class ProposalKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人提案")
    COSIGNED = "cosigned", _("联名提案")
    COLLECTIVE = "collective", _("集体提案")


class Category(models.Model):
    """A proposal category of one conference (经济建设, 社会事业 …)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, verbose_name=_("政协"))
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["conference", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """A proposal (提案) of one conference; `version` detects concurrent edits."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("政协")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("会议")
    )
    number = models.PositiveIntegerField(_("案号"), null=True, blank=True)
    kind = models.CharField(
        _("类型"), max_length=12, choices=ProposalKind.choices, default=ProposalKind.INDIVIDUAL
    )
    collective_name = models.CharField(_("提案单位（集体提案）"), max_length=100, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    analysis = models.TextField(_("情况分析"), blank=True)
    recommendations = models.TextField(_("具体建议"), blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("类别")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("提案人")
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True
    )
    review_note = models.TextField(_("审查意见"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
        verbose_name=_("并入提案"),
    )
    is_key = models.BooleanField(_("重点提案"), default=False)
    key_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_proposals",
        verbose_name=_("督办领导"),
    )
    is_published = models.BooleanField(_("已公开"), default=False)
    award = models.CharField(_("表彰"), max_length=50, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=models.Q(number__isnull=False),
                name="proposal_unique_number",
            )
        ]
        indexes = [models.Index(fields=["conference", "state"], name="proposal_conf_state_idx")]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}".strip()

    @property
    def number_label(self) -> str:
        """第0123号, or an empty string before acceptance."""
        return f"第{self.number:04d}号" if self.number else ""


class CoSigner(models.Model):
    """A member invited to co-sign a proposal (联名/附议)."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("联名人"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.INVITED)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="cosigner_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("会办")
    SEPARATE = "separate", _("分办")


class Assignment(models.Model):
    """A handling unit's part in answering a proposal; `round` grows with each re-handling."""

    class State(models.TextChoices):
        ACTIVE = "active", _("办理中")
        ANSWERED = "answered", _("已答复")
        WITHDRAWN = "withdrawn", _("已调整")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("承办单位")
    )
    role = models.CharField(_("办理方式"), max_length=10, choices=AssignmentRole.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    assigned_at = models.DateTimeField(_("交办时间"))
    due_on = models.DateField(_("办理时限"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("交办人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "id"]
        indexes = [models.Index(fields=["unit", "state", "due_on"], name="assignment_unit_due_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class RequestState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class UnitRequest(models.Model):
    """What a unit asks of the proposal office, and the office's decision."""

    state = models.CharField(
        _("状态"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True


class ReassignmentRequest(UnitRequest):
    """A unit's request, within the window, to be replaced (退回改办)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reassignment_requests")
    reason = models.TextField(_("理由"))
    suggested_unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("建议承办单位"),
    )

    class Meta(UnitRequest.Meta):
        verbose_name = _("调整承办单位申请")
        verbose_name_plural = _("调整承办单位申请")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_state_display()}"


class ExtensionRequest(UnitRequest):
    """A unit's request to answer later than `due_on`."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("理由"))
    requested_due_on = models.DateField(_("申请延期至"))

    class Meta(UnitRequest.Meta):
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_due_on}"


class PreReplyConsultation(models.Model):
    """The unit's consultation with the proposer before answering (办前面商)."""

    class Form(models.TextChoices):
        MEETING = "meeting", _("当面座谈")
        VISIT = "visit", _("上门走访")
        SITE = "site", _("现场调研")
        PHONE = "phone", _("电话沟通")
        ONLINE = "online", _("网络视频")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="consultations")
    round = models.PositiveSmallIntegerField(default=1)
    held_on = models.DateField(_("面商日期"))
    form = models.CharField(_("面商方式"), max_length=10, choices=Form.choices)
    agreed = models.TextField(_("商定事项"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办前面商")
        verbose_name_plural = _("办前面商")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.held_on}"


class Outcome(models.TextChoices):
    A = "A", _("A类：已解决或采纳")
    B = "B", _("B类：正在解决或列入计划")
    C = "C", _("C类：受条件限制暂时难以解决")
    D = "D", _("D类：留作参考")


class Reply(models.Model):
    """A reply letter (lead or separate unit) or a co-handling opinion sent to the lead unit."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("答复函")
        CO_OPINION = "co_opinion", _("会办意见")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    body = models.TextField(_("答复内容"))
    outcome = models.CharField(_("办理结果分类"), max_length=1, choices=Outcome.choices, blank=True)
    signed_by = models.CharField(_("签发人"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    letter_file = models.FileField(_("签发件"), upload_to="replies/%Y/%m/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("答复时间"))
    on_time = models.BooleanField(_("按时答复"), default=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_kind_display()} · 第{self.round}轮"


class Evaluation(models.Model):
    """The proposer's verdict on one reply letter."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    verdict = models.CharField(_("评价"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委员评价")
        verbose_name_plural = _("委员评价")

    def __str__(self) -> str:
        return self.get_verdict_display()


class Reminder(models.Model):
    """A reminder (催办) sent about an assignment, by staff or by the daily job."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("临期提醒")
        OVERDUE = "overdue", _("逾期催办")
        MANUAL = "manual", _("人工催办")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        constraints = [
            # The daily job sends each automatic kind at most once a day per assignment.
            models.UniqueConstraint(
                fields=["assignment", "kind", "sent_on"],
                condition=~models.Q(kind="manual"),
                name="reminder_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_kind_display()} · {self.sent_on}"


class Attachment(StoredFile):
    """A file attached to a proposal by its proposer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="proposals/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
