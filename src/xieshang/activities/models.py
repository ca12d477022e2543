"""Activities (meetings, consultations, inspections, study, outreach) and what members do at them:
invitations, leave requests, check-in and attendance, speeches, outcomes, and the outreach log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Committee, Conference, Sector
from xieshang.core.models import StoredFile


class ActivityKind(models.TextChoices):
    """What kind of activity; the kind decides who approves leave and which duty points it gives."""

    PLENARY = "plenary", _("全体会议")
    STANDING_COMMITTEE = "standing_committee", _("常委会议")
    CHAIRS_MEETING = "chairs_meeting", _("主席会议")
    THEMATIC_CONSULTATION = "thematic_consultation", _("专题协商")
    COUNTERPART_CONSULTATION = "counterpart_consultation", _("对口协商")
    SECTOR_CONSULTATION = "sector_consultation", _("界别协商")
    PROPOSAL_CONSULTATION = "proposal_consultation", _("提案办理协商")
    INSPECTION = "inspection", _("视察")
    SURVEY = "survey", _("调研")
    STUDY_TOUR = "study_tour", _("考察")
    DEMOCRATIC_APPRAISAL = "democratic_appraisal", _("民主评议")
    STUDY_SESSION = "study_session", _("学习（读书活动、知识竞赛）")
    OUTREACH_EVENT = "outreach_event", _("委员联系群众活动")
    CULTURAL = "cultural", _("文化活动")
    FORUM = "forum", _("论坛")


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    """One activity organised by a conference, possibly joined by its county conferences."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="activities", verbose_name=_("主办政协")
    )
    participants = models.ManyToManyField(
        Conference, blank=True, related_name="joint_activities", verbose_name=_("联合参加的政协")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("牵头专委会")
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("界别")
    )
    half_days = models.PositiveSmallIntegerField(_("半天会期数（全体会议）"), default=1)
    checkin_opens_at = models.DateTimeField(_("签到开始"))
    checkin_closes_at = models.DateTimeField(_("签到截止"))
    late_after = models.DateTimeField(_("迟到时间点"))
    checkin_code = models.CharField(_("签到码"), max_length=8, blank=True, db_index=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=ActivityState.choices, default=ActivityState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    closed_at = models.DateTimeField(_("结束时间（关闭）"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # A typed code must name one activity: codes are unique among published (open) activities.
            models.UniqueConstraint(
                fields=["checkin_code"],
                condition=models.Q(state="published") & ~models.Q(checkin_code=""),
                name="activity_unique_open_code",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["conference", "state", "starts_at"], name="activity_conf_state_idx")]

    def __str__(self) -> str:
        return self.title


class ActivityDocument(StoredFile):
    """A file of an activity: material for the participants, or an outcome attachment."""

    class Purpose(models.TextChoices):
        MATERIAL = "material", _("会议材料")
        OUTCOME = "outcome", _("成果附件")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices, default=Purpose.MATERIAL)
    file = models.FileField(upload_to="activities/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("活动文件")
        verbose_name_plural = _("活动文件")
        ordering = ["uploaded_at", "id"]


class Invitation(models.Model):
    """A member invited to an activity, and the member's answer (registration, 报名)."""

    class State(models.TextChoices):
        INVITED = "invited", _("待回复")
        REGISTERED = "registered", _("已报名")
        DECLINED = "declined", _("不参加")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员")
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员所在政协")
    )
    state = models.CharField(_("回复"), max_length=12, choices=State.choices, default=State.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("活动邀请")
        verbose_name_plural = _("活动邀请")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"


class LeaveRequest(models.Model):
    """A member's request to be excused (请假), decided by the approver the conference's rules name."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已准假")
        REFUSED = "refused", _("未准假")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="leave_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员")
    )
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("请假事由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["requested_at", "id"]
        constraints = [
            # A member may ask again after a refusal, never hold two live requests.
            models.UniqueConstraint(
                fields=["activity", "user"], condition=~models.Q(state="refused"), name="leave_one_live"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"


class Attendance(models.Model):
    """How a member took part: present, late, excused or absent without leave (one row per member)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        LATE = "late", _("迟到")
        EXCUSED = "excused", _("请假")
        ABSENT_UNEXCUSED = "absent_unexcused", _("缺席（未请假）")

    class Method(models.TextChoices):
        CODE = "code", _("签到码")
        QR = "qr", _("扫码")
        MANUAL = "manual", _("工作人员补登")
        NONE = "", _("—")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员")
    )
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("出席情况"), max_length=20, choices=Status.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=Method.choices, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        ordering = ["activity", "checked_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="attendance_one_per_member")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"


class Speech(models.Model):
    """A speech (大会发言) or written speech (书面发言) recorded against a member."""

    class Kind(models.TextChoices):
        SPOKEN = "spoken", _("大会发言")
        WRITTEN = "written", _("书面发言")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="speeches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员")
    )
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """What an activity produced: minutes and a list of suggestions (one per line)."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="outcome")
    minutes = models.TextField(_("会议纪要"), blank=True)
    suggestions = models.TextField(_("意见建议清单（每行一条）"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("活动成果")
        verbose_name_plural = _("活动成果")

    def __str__(self) -> str:
        return f"{self.activity} · {_('成果')}"

    @property
    def suggestion_list(self) -> list[str]:
        """The suggestions, one per non-empty line."""
        return [line.strip() for line in self.suggestions.splitlines() if line.strip()]


class Outreach(models.Model):
    """One contact in a member's outreach log (委员联系群众, the “1+100” practice)."""

    class ContactKind(models.TextChoices):
        PERSON = "person", _("个人")
        GROUP = "group", _("群体")

    class Channel(models.TextChoices):
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("座谈")
        PHONE = "phone", _("电话")
        ONLINE = "online", _("网络")
        RECEPTION = "reception", _("接待")
        OTHER = "other", _("其他")

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="+", verbose_name=_("政协")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outreach_contacts",
        verbose_name=_("委员"),
    )
    contact_kind = models.CharField(
        _("联系对象类型"), max_length=10, choices=ContactKind.choices, default=ContactKind.PERSON
    )
    contact = models.CharField(_("联系对象"), max_length=100)
    contacted_on = models.DateField(_("联系日期"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("反映的问题"), max_length=200)
    notes = models.TextField(_("情况记录"), blank=True)
    follow_up = models.TextField(_("后续跟进"), blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("转成的提案"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系群众记录")
        verbose_name_plural = _("联系群众记录")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["member", "contacted_on"], name="outreach_member_day_idx")]

    def __str__(self) -> str:
        return f"{self.contact} · {self.topic}"
