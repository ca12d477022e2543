"""Deployed tasks (督办): source documents, the proposed ledger lines, tasks with their owner units,
progress reports, reminders and the per-conference unit aliases used to resolve unit names."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference, HandlingUnit


class SourceKind(models.TextChoices):
    """What a source document is."""

    SPEECH = "speech", _("领导讲话")
    MINUTES = "minutes", _("会议纪要")
    INSTRUCTION = "instruction", _("领导批示")
    ACTIVITY_OUTCOME = "activity_outcome", _("活动成果")
    KEY_PROPOSAL = "key_proposal", _("重点提案")


class SourceDocument(models.Model):
    """A speech, minutes or other text from which the ledger is proposed."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="task_sources", verbose_name=_("政协")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=SourceKind.choices, default=SourceKind.SPEECH)
    title = models.CharField(_("标题"), max_length=200)
    date = models.DateField(_("日期"), null=True, blank=True)
    speaker = models.CharField(_("讲话人"), max_length=100, blank=True)
    text = models.TextField(_("正文"))
    file = models.FileField(upload_to="tasks/sources/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("台账确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class LedgerLine(models.Model):
    """One proposed line of the ledger (台账), which staff confirm, edit, merge or drop."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DROPPED = "dropped", _("已删除")
        MERGED = "merged", _("已合并")

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("序号"))
    units_text = models.CharField(_("责任单位（原文）"), max_length=300, blank=True)
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("责任单位"))
    coop_units_text = models.CharField(_("配合单位（原文）"), max_length=300, blank=True)
    coop_units = models.ManyToManyField(
        HandlingUnit, blank=True, related_name="+", verbose_name=_("配合单位")
    )
    unresolved = models.CharField(_("未识别的单位"), max_length=300, blank=True)
    action = models.TextField(_("工作任务"))
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    target = models.CharField(_("目标"), max_length=300, blank=True)
    evidence = models.TextField(_("原文依据"), blank=True)
    start = models.PositiveIntegerField(_("起始位置"), default=0)
    end = models.PositiveIntegerField(_("结束位置"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    task = models.ForeignKey("Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("台账建议条目")
        verbose_name_plural = _("台账建议条目")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.action[:40]}"


class TaskState(models.TextChoices):
    """The lifecycle of a task; transitions live in workflow.py. Overdue is derived, never stored."""

    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("推进中")
    REPORTED_DONE = "reported_done", _("已报完成")
    VERIFIED_CLOSED = "verified_closed", _("已销号")


OPEN_STATES = [TaskState.ASSIGNED, TaskState.IN_PROGRESS]


class SourceType(models.TextChoices):
    """Where a task came from: one mechanism for every origin."""

    DOCUMENT = "document", _("讲话或纪要")
    INSTRUCTION = "instruction", _("领导批示")
    ACTIVITY_OUTCOME = "activity_outcome", _("活动成果")
    KEY_PROPOSAL = "key_proposal", _("重点提案")
    CHECKLIST = "checklist", _("三张清单")
    RESEARCH_TOPIC = "research_topic", _("课题成果")
    DELIBERATION = "deliberation", _("网络议政报告批示")
    MANUAL = "manual", _("手工登记")


class Task(models.Model):
    """A deployed task (督办事项) of one conference, owned by lead and cooperating units."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="deployed_tasks", verbose_name=_("政协")
    )
    source_document = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("来源文件"),
    )
    # No foreign key for other origins, so that tasks never depend on opinions, activities or proposals.
    source_type = models.CharField(
        _("来源类型"), max_length=20, choices=SourceType.choices, default=SourceType.MANUAL
    )
    source_id = models.BigIntegerField(_("来源编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    action = models.TextField(_("工作任务"))
    units = models.ManyToManyField(
        HandlingUnit, through="TaskOwner", related_name="deployed_tasks", verbose_name=_("责任单位")
    )
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    original_due_on = models.DateField(_("原定时限"), null=True, blank=True)
    target = models.CharField(_("目标"), max_length=300, blank=True)
    evidence = models.TextField(_("原文依据"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=TaskState.choices, default=TaskState.ASSIGNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    latest_progress = models.TextField(_("最新进展"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["conference", "state"], name="task_conf_state_idx"),
            models.Index(fields=["conference", "due_on"], name="task_conf_due_idx"),
            models.Index(fields=["source_type", "source_id"], name="task_source_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day: dt.date) -> bool:
        """Past its deadline and not yet reported done."""
        return bool(self.due_on and self.due_on < day and self.state in OPEN_STATES)


class OwnerRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    COOP = "coop", _("配合单位")


class TaskOwner(models.Model):
    """A unit answering for a task, as lead (责任单位) or cooperating unit (配合单位)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="owners")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    role = models.CharField(_("角色"), max_length=4, choices=OwnerRole.choices, default=OwnerRole.LEAD)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["task", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_owner_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class ProgressReport(models.Model):
    """A unit's progress report (进展情况) on a task, with optional evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    is_done = models.BooleanField(_("报完成"), default=False)
    attachment = models.FileField(upload_to="tasks/reports/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.created_at:%Y-%m-%d}"


class TaskReminder(models.Model):
    """A reminder (催办) about a task to one unit, by staff or by the daily job."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("临期提醒")
        OVERDUE = "overdue", _("逾期催办")
        MANUAL = "manual", _("人工催办")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办催办")
        verbose_name_plural = _("督办催办")
        constraints = [
            # The daily job sends each automatic kind at most once a day per task.
            models.UniqueConstraint(
                fields=["task", "kind", "sent_on"],
                condition=~models.Q(kind="manual"),
                name="task_reminder_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_kind_display()} · {self.sent_on}"


class UnitAlias(models.Model):
    """A collective name used in speeches ("各县（市、区）", "三区") and the units it stands for."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="unit_aliases", verbose_name=_("政协")
    )
    alias = models.CharField(_("称谓"), max_length=60)
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("对应单位"))

    class Meta:
        verbose_name = _("单位称谓")
        verbose_name_plural = _("单位称谓")
        ordering = ["conference", "alias"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "alias"], name="unit_alias_unique_alias")
        ]

    def __str__(self) -> str:
        return self.alias


class ChecklistKind(models.TextChoices):
    """The three lists a body keeps: gaps to close, the best to learn from, where to lead."""

    GAP = "gap", _("找差距清单")
    LEARN = "learn", _("学先进清单")
    LEAD = "lead", _("争示范清单")


class Checklist(models.Model):
    """One of a conference's three lists for a year; its items are tasks (source type checklist)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="checklists", verbose_name=_("政协")
    )
    kind = models.CharField(_("清单"), max_length=10, choices=ChecklistKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("清单")
        verbose_name_plural = _("清单")
        ordering = ["-year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}：{self.title}"
