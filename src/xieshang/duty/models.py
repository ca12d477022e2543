"""Duty records: point events written by the workflows, versioned scoring rules, materialised scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference


class EventKind(models.TextChoices):
    """What a member did (or failed to do); the workflows write one event per act."""

    PLENARY_ATTENDED = "plenary_attended", _("出席全体会议（半天）")
    PLENARY_ABSENT_UNEXCUSED = "plenary_absent_unexcused", _("无故缺席全体会议")
    MEETING_ATTENDED = "meeting_attended", _("出席会议")
    MEETING_ABSENT_UNEXCUSED = "meeting_absent_unexcused", _("无故缺席会议")
    ACTIVITY_ATTENDED = "activity_attended", _("参加视察调研等活动")
    ACTIVITY_ABSENT_UNEXCUSED = "activity_absent_unexcused", _("无故缺席活动")
    STUDY_ATTENDED = "study_attended", _("参加学习（全程）")
    STUDY_PARTIAL = "study_partial", _("参加学习（部分）")
    SPEECH_GIVEN = "speech_given", _("大会发言")
    WRITTEN_SPEECH = "written_speech", _("书面发言")
    OUTREACH_LOGGED = "outreach_logged", _("联系群众")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("提案立案")
    PROPOSAL_KEY = "proposal_key", _("重点提案")
    PROPOSAL_OUTSTANDING = "proposal_outstanding", _("优秀提案")
    PROPOSAL_SATISFIED = "proposal_satisfied", _("提案办理满意")
    OPINION_ADOPTED = "opinion_adopted", _("社情民意被采用")
    INSTRUCTION_RECEIVED = "instruction_received", _("获领导批示")
    STUDY_QUIZ_PASSED = "study_quiz_passed", _("学习测验合格")
    STUDY_PAPER_ACCEPTED = "study_paper_accepted", _("学习论文入选")
    RESEARCH_REPORT = "research_report", _("参与课题研究成果")
    CULTURE_AWARD = "culture_award", _("获文化公益奖")
    MANUAL_ADJUSTMENT = "manual_adjustment", _("人工调整")


class EventRole(models.TextChoices):
    """The member's part in a shared act; empty when there is only one part."""

    NONE = "", _("—")
    LEAD = "lead", _("领衔")
    PARTICIPANT = "participant", _("参与")


class PointEvent(models.Model):
    """One duty act of one member, from one source; replays of the same act write nothing new."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="point_events", verbose_name=_("政协")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="point_events",
        verbose_name=_("委员"),
    )
    kind = models.CharField(_("类型"), max_length=32, choices=EventKind.choices)
    role = models.CharField(_("角色"), max_length=16, choices=EventRole.choices, blank=True, default="")
    occurred_on = models.DateField(_("日期"))
    year = models.PositiveSmallIntegerField(_("年度"))
    source_type = models.CharField(_("来源类型"), max_length=32)
    source_id = models.BigIntegerField(_("来源编号"))
    title = models.CharField(_("事项"), max_length=200, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职积分事件")
        verbose_name_plural = _("履职积分事件")
        ordering = ["occurred_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user", "kind", "source_type", "source_id", "role"],
                name="pointevent_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["conference", "year", "user"], name="pointevent_conf_year_user"),
            models.Index(fields=["user", "year"], name="pointevent_user_year"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.get_kind_display()} · {self.occurred_on}"


class Scale(models.TextChoices):
    ADDITIVE = "additive", _("累加积分")
    HUNDRED = "hundred", _("百分制")


class ScoringRuleSet(models.Model):
    """One version of a conference's scoring rules (积分细则) for a year; editing adds a version."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="scoring_rule_sets", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"))
    scale = models.CharField(_("计分方式"), max_length=10, choices=Scale.choices, default=Scale.ADDITIVE)
    rules = models.JSONField(_("细则"), default=dict)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("生效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分细则")
        verbose_name_plural = _("积分细则")
        ordering = ["conference", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "year", "version"], name="ruleset_unique_version"),
            models.UniqueConstraint(
                fields=["conference", "year"],
                condition=models.Q(is_active=True),
                name="ruleset_one_active_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name} v{self.version}"


class DutyScore(models.Model):
    """A member's materialised score for a year under the rule-set version it was computed with."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="duty_scores", verbose_name=_("政协")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_scores", verbose_name=_("委员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rule_set = models.ForeignKey(
        ScoringRuleSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule_version = models.PositiveIntegerField(_("细则版本"), default=0)
    total = models.FloatField(_("总分"), default=0)
    by_category = models.JSONField(_("分类得分"), default=dict)
    level = models.CharField(_("等次"), max_length=20, blank=True)
    warnings = models.JSONField(_("预警"), default=list)
    warning_count = models.PositiveSmallIntegerField(_("预警数"), default=0)
    is_stale = models.BooleanField(_("待更新"), default=False)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("履职得分")
        verbose_name_plural = _("履职得分")
        constraints = [
            models.UniqueConstraint(fields=["conference", "user", "year"], name="dutyscore_unique_year")
        ]
        indexes = [
            models.Index(fields=["conference", "year", "-total"], name="dutyscore_rank"),
            models.Index(fields=["conference", "year", "is_stale"], name="dutyscore_stale"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.year} · {self.total}"
