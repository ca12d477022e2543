"""Research topics (课题), their group, partners, milestones, drafts and reports, transmissions,
leaders' instructions and follow-up tasks; and multi-city forums (政协论坛) with their submissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Committee, Conference, Department, Party

__all__ = [
    "Forum",
    "ForumInvitation",
    "ForumState",
    "ForumSubmission",
    "GroupRole",
    "InstructionLevel",
    "PartnerKind",
    "ProposerKind",
    "RecipientKind",
    "ResearchTopic",
    "TopicDraft",
    "TopicInstruction",
    "TopicKind",
    "TopicMember",
    "TopicMilestone",
    "TopicPartner",
    "TopicState",
    "TopicTask",
    "TopicTransmission",
]


class TopicState(models.TextChoices):
    """The lifecycle of a topic; transitions live in topics_workflow.py."""

    PROPOSED = "proposed", _("已申报")
    SELECTED = "selected", _("已立项")
    DECLINED = "declined", _("未立项")
    RESEARCHING = "researching", _("调研中")
    DRAFTED = "drafted", _("报告起草中")
    SUBMITTED = "submitted", _("报告已提交")
    TRANSMITTED = "transmitted", _("已报送")
    CLOSED = "closed", _("已结题")


class TopicKind(models.TextChoices):
    """Whose topic it is in the year's plan."""

    STANDING = "standing", _("常委会课题")
    COMMITTEE = "committee", _("专委会课题")
    JOINT = "joint", _("联合课题（与其他城市政协）")


class ProposerKind(models.TextChoices):
    """Who proposed the topic."""

    COMMITTEE = "committee", _("专委会")
    PARTY = "party", _("党派团体")
    SECTOR = "sector", _("界别")
    CHAIRS = "chairs", _("主席会议")


class ResearchTopic(models.Model):
    """A research topic of one conference's year; `version` detects concurrent edits."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="research_topics", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("课题名称"), max_length=200)
    background = models.TextField(_("选题背景"), blank=True)
    kind = models.CharField(_("课题类型"), max_length=10, choices=TopicKind.choices)
    proposer_kind = models.CharField(_("申报方"), max_length=10, choices=ProposerKind.choices)
    proposer_name = models.CharField(_("申报单位"), max_length=100)
    lead_committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("牵头专委会"),
    )
    origin_proposal = models.ForeignKey(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("来源提案"),
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=TopicState.choices, default=TopicState.PROPOSED, db_index=True
    )
    decline_reason = models.TextField(_("未立项理由"), blank=True)
    report = models.ForeignKey(
        "TopicDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("成果报告"),
    )
    report_submitted_on = models.DateField(_("报告提交日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("课题")
        verbose_name_plural = _("课题")
        ordering = ["-year", "-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "year", "state"], name="topic_conf_year_state_idx")]

    def __str__(self) -> str:
        return self.title


class GroupRole(models.TextChoices):
    """A person's place in the topic group (课题组)."""

    LEAD = "lead", _("课题组组长")
    MEMBER = "member", _("课题组成员")
    EXPERT = "expert", _("特邀专家")


class TopicMember(models.Model):
    """A member of the topic group; at most one lead. Experts come from the talent pool."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="group")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员")
    )
    role = models.CharField(_("分工"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("课题组成员")
        verbose_name_plural = _("课题组成员")
        ordering = ["topic", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="topic_member_unique_user"),
            models.UniqueConstraint(
                fields=["topic"], condition=models.Q(role="lead"), name="topic_member_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.get_role_display()}）"


class PartnerKind(models.TextChoices):
    PARTY = "party", _("党派团体")
    DEPARTMENT = "department", _("政府部门或机关部门")
    CONFERENCE = "conference", _("其他政协")
    OTHER = "other", _("其他单位")


class TopicPartner(models.Model):
    """An organisation studying the topic with the lead committee (a party, a department, …)."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("类型"), max_length=12, choices=PartnerKind.choices)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return self.name


class TopicMilestone(models.Model):
    """A step of the timetable, often a research trip run as an activity."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("事项"), max_length=200)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("调研活动"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进度安排")
        verbose_name_plural = _("进度安排")
        ordering = ["topic", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on} {self.title}"


class TopicDraft(models.Model):
    """One numbered version of the report: text, an uploaded file, or both."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveSmallIntegerField(_("稿次"))
    title = models.CharField(_("报告标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    file = models.FileField(upload_to="research/drafts/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报告稿")
        verbose_name_plural = _("报告稿")
        ordering = ["topic", "number"]
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="topic_draft_unique_number")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}稿）"


class RecipientKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委")
    GOVERNMENT = "government", _("政府")
    SUPERIOR = "superior", _("上级政协")
    OTHER = "other", _("其他")


class TopicTransmission(models.Model):
    """The report sent to the party committee, the government or another recipient (报送)."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="transmissions")
    recipient_kind = models.CharField(_("报送对象类型"), max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("报送对象"), max_length=100)
    sent_on = models.DateField(_("报送日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成果报送")
        verbose_name_plural = _("成果报送")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_recipient_kind_display()} · {self.recipient_name}"


class InstructionLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    CONFERENCE = "conference", _("政协领导")


class TopicInstruction(models.Model):
    """A leader's written instruction (批示) on the report, recorded by staff or given by a leader."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="instructions")
    leader_name = models.CharField(_("批示领导"), max_length=100)
    level = models.CharField(_("批示层级"), max_length=12, choices=InstructionLevel.choices)
    given_on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("课题成果批示")
        verbose_name_plural = _("课题成果批示")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name} · {self.given_on}"


class TopicTask(models.Model):
    """A deployed task (tasks app) made from the report or from an instruction on it."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="follow_ups")
    instruction = models.ForeignKey(
        TopicInstruction, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    task = models.OneToOneField("deployed_tasks.Task", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成果转化督办")
        verbose_name_plural = _("成果转化督办")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return f"{self.topic} → {self.task_id}"


class ForumState(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束征集")


class Forum(models.Model):
    """A forum of several cities' conferences (政协论坛), hosted by one conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="hosted_forums", verbose_name=_("主办政协")
    )
    theme = models.CharField(_("论坛主题"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=ForumState.choices, default=ForumState.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政协论坛")
        verbose_name_plural = _("政协论坛")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.theme


class ForumInvitation(models.Model):
    """A conference invited to a forum; it sees the forum and its own submission only."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="invitations")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="forum_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("论坛邀请")
        verbose_name_plural = _("论坛邀请")
        ordering = ["forum", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "conference"], name="forum_invitation_unique_conference")
        ]

    def __str__(self) -> str:
        return f"{self.forum} · {self.conference}"


class ForumSubmission(models.Model):
    """One conference's topic report for a forum: one of its topics, or an uploaded report."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="submissions")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        ResearchTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="forum_submissions"
    )
    title = models.CharField(_("报告标题"), max_length=200)
    text = models.TextField(_("报告正文"), blank=True)
    file = models.FileField(upload_to="research/forums/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("论坛交流报告")
        verbose_name_plural = _("论坛交流报告")
        ordering = ["forum", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "conference"], name="forum_submission_one_per_conference"
            )
        ]

    def __str__(self) -> str:
        return self.title
