"""Suggestions from the public (群众建言): the message with its tracking code, its attachments, its
forwardings to handling units, the reminders about late forwardings, and proposal leads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Committee, Conference, HandlingUnit


class MessageState(models.TextChoices):
    """The lifecycle of a message; transitions live in workflow.py."""

    RECEIVED = "received", _("待分拣")
    TRIAGED = "triaged", _("已分拣")
    FORWARDED = "forwarded", _("已转办")
    ANSWERED = "answered", _("已答复")
    MERGED = "merged", _("已合并")
    LEAD = "lead", _("提案线索")
    CONVERTED = "converted", _("已转社情民意")
    CLOSED = "closed", _("已办结")


OPEN_STATES = [MessageState.RECEIVED, MessageState.TRIAGED]

# What the public reads on the tracking page: plainer words than the office's.
PUBLIC_LABELS = {
    MessageState.RECEIVED: _("已收到，待处理"),
    MessageState.TRIAGED: _("正在处理"),
    MessageState.FORWARDED: _("已转交承办单位办理"),
    MessageState.ANSWERED: _("已答复"),
    MessageState.MERGED: _("已与相同内容的留言合并办理"),
    MessageState.LEAD: _("已作为提案线索交政协委员研究"),
    MessageState.CONVERTED: _("已转为社情民意信息报送"),
    MessageState.CLOSED: _("已办结"),
}


class PublicMessage(models.Model):
    """A suggestion or message left by a member of the public; `version` detects concurrent edits."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="public_messages", verbose_name=_("政协")
    )
    subject = models.CharField(_("主题"), max_length=200)
    detail = models.TextField(_("内容"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    # Contact details are for the office only: never rendered on a public page or API.
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=MessageState.choices, default=MessageState.RECEIVED, db_index=True
    )
    public_reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复单位"),
    )
    published = models.BooleanField(_("公开答复"), default=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("合并到"),
    )
    # No foreign key, so that voice never constrains the opinions app's rows.
    opinion_report_id = models.BigIntegerField(_("社情民意信息编号"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("支持数"), default=0)
    oppose_count = models.PositiveIntegerField(_("反对数"), default=0)
    client_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True)
    source_id = models.CharField(_("原始编号"), max_length=64, blank=True)
    content_hash = models.CharField(_("内容摘要"), max_length=64, db_index=True)
    submitted_at = models.DateTimeField(_("留言时间"), default=timezone.now)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("群众建言")
        verbose_name_plural = _("群众建言")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "source_id"],
                condition=~models.Q(source_id=""),
                name="message_unique_source_id",
            )
        ]
        indexes = [
            models.Index(fields=["conference", "state", "submitted_at"], name="message_conf_state_idx"),
            models.Index(fields=["conference", "published"], name="message_conf_published_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def public_state_label(self) -> str:
        """The state in the public's words."""
        return str(PUBLIC_LABELS.get(MessageState(self.state), self.get_state_display()))


class MessageAttachment(models.Model):
    """A checked file sent with a message (photos, documents)."""

    message = models.ForeignKey(PublicMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="voice/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("留言附件")
        verbose_name_plural = _("留言附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Forwarding(models.Model):
    """A message forwarded (转办) to a handling unit, to be answered by a due date."""

    message = models.ForeignKey(PublicMessage, on_delete=models.CASCADE, related_name="forwardings")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="forwarded_messages", verbose_name=_("承办单位")
    )
    due_on = models.DateField(_("答复时限"))
    note = models.CharField(_("转办意见"), max_length=300, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("转办时间"), auto_now_add=True)
    answer = models.TextField(_("单位答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    is_current = models.BooleanField(_("当前转办"), default=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["-forwarded_at", "-id"]
        indexes = [models.Index(fields=["unit", "is_current"], name="forwarding_unit_current_idx")]

    def __str__(self) -> str:
        return f"{self.message} → {self.unit}"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Still unanswered after its due date."""
        return self.is_current and self.answered_at is None and self.due_on < day


class MessageReminder(models.Model):
    """The daily job's reminder about a late forwarding: at most one a day per forwarding."""

    forwarding = models.ForeignKey(Forwarding, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转办催办")
        verbose_name_plural = _("转办催办")
        constraints = [
            models.UniqueConstraint(fields=["forwarding", "sent_on"], name="message_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.forwarding} · {self.sent_on}"


class Lead(models.Model):
    """A message marked as a proposal lead (提案线索) for a committee or a member to take up."""

    message = models.OneToOneField(PublicMessage, on_delete=models.CASCADE, related_name="lead")
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="+", verbose_name=_("政协")
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("专委会"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voice_leads",
        verbose_name=_("委员"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # No foreign key, so that voice never constrains the proposals app's rows.
    adopted_proposal_id = models.BigIntegerField(_("转化的提案"), null=True, blank=True, unique=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(_("转化时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案线索")
        verbose_name_plural = _("提案线索")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committee__isnull=False) | models.Q(member__isnull=False),
                name="lead_needs_committee_or_member",
            )
        ]

    def __str__(self) -> str:
        return str(self.message)


class DeliberationState(models.TextChoices):
    """The lifecycle of an online deliberation; transitions live in deliberation.py."""

    DRAFT = "draft", _("草稿")
    OPEN = "open", _("议政中")
    CLOSED = "closed", _("已结束")
    REPORTED = "reported", _("已形成报告")


class Deliberation(models.Model):
    """An online deliberation topic (网络议政): a question put to members, invited experts and
    (when allowed) the public within a time window; `summary` is the report staff edit at the close."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="deliberations", verbose_name=_("政协")
    )
    title = models.CharField(_("议题"), max_length=200)
    question = models.TextField(_("协商问题"))
    background = models.TextField(_("背景材料"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    for_members = models.BooleanField(_("委员参与"), default=True)
    for_public = models.BooleanField(_("公众参与"), default=False)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="invited_deliberations", verbose_name=_("特邀专家")
    )
    # No foreign key, so that voice never constrains the activities app's rows.
    activity_id = models.BigIntegerField(_("关联活动编号"), null=True, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=10,
        choices=DeliberationState.choices,
        default=DeliberationState.DRAFT,
        db_index=True,
    )
    summary = models.TextField(_("议政报告"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("网络议政")
        verbose_name_plural = _("网络议政")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="deliberation_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """An opinion (or a reply to one) in a deliberation, by a user or a named member of the public."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliberation_posts",
        verbose_name=_("发言人"),
    )
    display_name = models.CharField(_("署名"), max_length=50, blank=True)
    body = models.TextField(_("意见"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("回复"),
    )
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    support_count = models.PositiveIntegerField(_("支持数"), default=0)
    client_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("发表时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议政发言")
        verbose_name_plural = _("议政发言")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author__isnull=False) | ~models.Q(display_name=""),
                name="post_needs_author_or_name",
            )
        ]
        indexes = [models.Index(fields=["deliberation", "hidden"], name="post_delib_hidden_idx")]

    def __str__(self) -> str:
        return self.body[:30]

    @property
    def author_name(self) -> str:
        """Who wrote it, as shown beside the post."""
        if self.author_id and self.author is not None:
            return str(getattr(self.author, "display_name", "") or self.author)
        return self.display_name


class Support(models.Model):
    """One user's support for one post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支持")
        verbose_name_plural = _("支持")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="support_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.post}"


# ---------------------------------------------------------------------------- deliberation reports, digests


class ReportDelivery(models.Model):
    """A deliberation's report sent (报送) to one leader of its conference, and when the leader read it."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="deliveries")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("领导")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    note = models.CharField(_("报送说明"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议政报告报送")
        verbose_name_plural = _("议政报告报送")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "leader"], name="report_delivery_once_per_leader")
        ]

    def __str__(self) -> str:
        return f"{self.deliberation} → {self.leader}"


class ReportInstruction(models.Model):
    """A leader's instruction (批示) on a deliberation report: the same fields as an opinion report's."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("领导"),
    )
    leader_name = models.CharField(_("批示领导"), max_length=100)
    # The values of opinions.InstructionLevel (national, provincial, city, county).
    level = models.CharField(_("批示层级"), max_length=12)
    given_on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    # No foreign key, so that voice never constrains the tasks app's rows.
    task_id = models.BigIntegerField(_("督办事项编号"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议政报告批示")
        verbose_name_plural = _("议政报告批示")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name} · {self.given_on}"


class DigestSubscription(models.Model):
    """A leader who receives the weekly digest of hot topics of one conference."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("热点周报订阅")
        verbose_name_plural = _("热点周报订阅")
        constraints = [
            models.UniqueConstraint(fields=["user", "conference"], name="digest_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.conference}"


class DigestSent(models.Model):
    """The weekly job's notice to one subscriber for one week (its Monday): at most one a week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("周（周一）"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("热点周报发送")
        verbose_name_plural = _("热点周报发送")
        constraints = [
            models.UniqueConstraint(fields=["user", "conference", "week"], name="digest_sent_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.week}"


# ============================================================================ Questionnaires (问卷调查)
# Staff build a questionnaire for members, a panel from the talent pool and/or the public; the
# services and selectors live in survey.py.


class SurveyState(models.TextChoices):
    """The lifecycle of a questionnaire: questions are edited only in draft."""

    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Survey(models.Model):
    """A questionnaire with its time window and audience; `version` detects concurrent edits."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("政协")
    )
    title = models.CharField(_("问卷标题"), max_length=200)
    intro = models.TextField(_("问卷说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    for_members = models.BooleanField(_("本级委员作答"), default=True)
    for_public = models.BooleanField(_("公众作答"), default=False)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="survey_panels", verbose_name=_("人才库专家组")
    )
    deliberation = models.ForeignKey(
        "Deliberation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("关联网络议政"),
    )
    # No foreign key, so that voice never constrains the activities app's rows.
    activity_id = models.BigIntegerField(_("关联活动编号"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=SurveyState.choices, default=SurveyState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="survey_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    SCALE = "scale", _("量表题")
    TEXT = "text", _("填空题")


class SurveyQuestion(models.Model):
    """One question; choices belong to single and multiple choice questions."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("题号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=500)
    required = models.BooleanField(_("必答"), default=True)
    max_choices = models.PositiveSmallIntegerField(_("最多可选"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("量表分值"), null=True, blank=True)
    low_label = models.CharField(_("最低分含义"), max_length=30, blank=True)
    high_label = models.CharField(_("最高分含义"), max_length=30, blank=True)
    text_limit = models.PositiveIntegerField(_("字数上限"), default=500)

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:30]}"


class SurveyChoice(models.Model):
    """An option of a choice question; on a single choice question it may skip ahead or to the end."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("序号"))
    label = models.CharField(_("选项"), max_length=200)
    jump_to = models.ForeignKey(
        SurveyQuestion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("跳转到"),
    )
    jump_end = models.BooleanField(_("选此项结束答卷"), default=False)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One filled-in questionnaire: by a known person (at most once) or by a member of the public."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        verbose_name=_("答卷人"),
    )
    client_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="survey_response_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class SurveyAnswer(models.Model):
    """The answer to one question: one row per chosen option, or a scale value, or a text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        SurveyChoice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    scale = models.PositiveSmallIntegerField(_("分值"), null=True, blank=True)
    text = models.TextField(_("回答"), blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["id"]
        indexes = [models.Index(fields=["question", "choice"], name="survey_answer_choice_idx")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.scale or self.text[:20]}"
