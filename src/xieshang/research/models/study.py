"""Study plans, materials, quizzes with a question bank, and study papers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Committee, Conference

__all__ = [
    "Audience",
    "PaperState",
    "Question",
    "QuestionKind",
    "Quiz",
    "QuizAnswer",
    "QuizAttempt",
    "QuizMode",
    "QuizQuestion",
    "QuizState",
    "StudyMaterial",
    "StudyPaper",
    "StudyPlan",
    "StudySession",
]


class Audience(models.TextChoices):
    """Which body of the conference a study plan is for."""

    PARTY_GROUP = "party_group", _("党组")
    STANDING_COMMITTEE = "standing_committee", _("常委会")
    COMMITTEE = "committee", _("专委会")
    MEMBERS = "members", _("全体委员")


class StudyPlan(models.Model):
    """A year's study plan of one body of a conference: materials to read and sessions to attend."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="study_plans", verbose_name=_("政协")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    audience = models.CharField(
        _("学习对象"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("专委会")
    )
    description = models.TextField(_("计划说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["conference", "year"], name="study_plan_conf_year_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_label(self) -> str:
        """常委会, or the committee's name for a committee's plan."""
        if self.audience == Audience.COMMITTEE and self.committee is not None:
            return str(self.committee)
        return str(self.get_audience_display())


class StudyMaterial(models.Model):
    """One material of a plan: an uploaded document, or a reading with its text and/or a link."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="materials")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文或摘要"), blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    file = models.FileField(upload_to="study/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class StudySession(models.Model):
    """A study session of a plan: a link to an activity of kind study session (attendance stays there)."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="sessions")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("学习活动")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习场次")
        verbose_name_plural = _("学习场次")
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "activity"], name="study_session_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.activity_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")


class Question(models.Model):
    """A question of a conference's bank; `answer` holds the indexes of the correct options.

    A question somebody already answered is never changed (their feedback must stay true); staff retire
    it and write a new one instead.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="study_questions", verbose_name=_("政协")
    )
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("正确答案"), default=list)
    explanation = models.TextField(_("解析"), blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True)
    is_active = models.BooleanField(_("可用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        ordering = ["-id"]
        indexes = [models.Index(fields=["conference", "is_active"], name="study_question_conf_idx")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        """[('A', first option), ('B', …)]."""
        return [(chr(65 + i), text) for i, text in enumerate(self.options)]

    @property
    def answer_letters(self) -> str:
        """'AC' for options 0 and 2."""
        return "".join(chr(65 + i) for i in sorted(self.answer))


class QuizMode(models.TextChoices):
    FIXED = "fixed", _("固定试题")
    RANDOM = "random", _("随机抽题")


class QuizState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Quiz(models.Model):
    """A quiz built from the bank: a fixed list, or `draw_count` drawn at random from its questions
    for each attempt; members take it inside its window, up to `attempts_allowed` times."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="study_quizzes", verbose_name=_("政协")
    )
    plan = models.ForeignKey(
        StudyPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        verbose_name=_("学习计划"),
    )
    title = models.CharField(_("测验名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    mode = models.CharField(_("组卷方式"), max_length=10, choices=QuizMode.choices, default=QuizMode.FIXED)
    draw_count = models.PositiveSmallIntegerField(_("每次抽题数"), default=0)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    pass_mark = models.PositiveSmallIntegerField(_("合格分（百分制）"), default=60)
    attempts_allowed = models.PositiveSmallIntegerField(_("允许作答次数"), default=1)
    questions = models.ManyToManyField(Question, through="QuizQuestion", related_name="+")
    state = models.CharField(
        _("状态"), max_length=10, choices=QuizState.choices, default=QuizState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("测验")
        verbose_name_plural = _("测验")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="quiz_closes_after_opens"
            ),
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_max_100"),
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    """A question of a quiz, in its order (for a random quiz: one question of the pool)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("测验题目")
        verbose_name_plural = _("测验题目")
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.position}"


class QuizAttempt(models.Model):
    """One member's attempt at a quiz; the questions are drawn at the start and stay fixed."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员")
    )
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("第几次"))
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("答对题数"), default=0)
    total = models.PositiveSmallIntegerField(_("题数"), default=0)
    score = models.PositiveSmallIntegerField(_("得分"), default=0)
    passed = models.BooleanField(_("合格"), default=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quiz_attempt_unique_number"),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=models.Q(submitted_at__isnull=True),
                name="quiz_attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user} · {self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class QuizAnswer(models.Model):
    """What a member chose for one question of a submitted attempt, and whether it was right."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"))
    chosen = models.JSONField(default=list)
    is_correct = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="quiz_answer_unique")]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.position}"


class PaperState(models.TextChoices):
    """The review lifecycle of a study paper; transitions live in study_rules.py."""

    SUBMITTED = "submitted", _("待审阅")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已采用")
    REJECTED = "rejected", _("未采用")


class StudyPaper(models.Model):
    """A study paper (学习论文) a member submits and staff review."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="study_papers", verbose_name=_("政协")
    )
    plan = models.ForeignKey(
        StudyPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="papers",
        verbose_name=_("学习计划"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作者")
    )
    title = models.CharField(_("题目"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    file = models.FileField(upload_to="study/papers/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    state = models.CharField(
        _("状态"), max_length=10, choices=PaperState.choices, default=PaperState.SUBMITTED, db_index=True
    )
    reason = models.TextField(_("审阅意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审阅人"),
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("学习论文")
        verbose_name_plural = _("学习论文")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["conference", "state"], name="study_paper_conf_state_idx")]

    def __str__(self) -> str:
        return self.title
