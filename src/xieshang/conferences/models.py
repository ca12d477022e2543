"""The tenants (conferences) and their fixed structure: terms, sessions, committees, sectors, units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 14 → 十四, 23 → 二十三 (enough for terms and sessions)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"


class Conference(models.Model):
    """A consultative conference: one city or county body, the tenant of every record."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级政协（指导关系）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    reply_due_months = models.PositiveSmallIntegerField(_("答复时限（月）"), default=3)
    co_opinion_due_months = models.PositiveSmallIntegerField(_("会办意见时限（月）"), default=1)
    reassign_window_days = models.PositiveSmallIntegerField(_("申请调整承办单位期限（日）"), default=10)
    rehandle_due_days = models.PositiveSmallIntegerField(_("重新办理时限（日）"), default=30)
    due_soon_days = models.PositiveSmallIntegerField(_("临期提醒（日）"), default=7)

    class Meta:
        verbose_name = _("政协")
        verbose_name_plural = _("政协")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term (届) of a conference, usually five years."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="terms", verbose_name=_("政协")
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    start_year = models.PositiveSmallIntegerField(_("起始年份"))
    end_year = models.PositiveSmallIntegerField(_("结束年份"))

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["conference", "-number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="term_unique_number")]

    def __str__(self) -> str:
        return f"第{chinese_ordinal(self.number)}届"


class Session(models.Model):
    """A yearly session (次会议) of a term; proposals are numbered per session."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("政协")
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("届"))
    number = models.PositiveSmallIntegerField(_("次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_on = models.DateField(_("开幕日期"), null=True, blank=True)
    is_current = models.BooleanField(_("当前会议"), default=False)

    class Meta:
        verbose_name = _("会议（次）")
        verbose_name_plural = _("会议（次）")
        ordering = ["conference", "-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_unique_number")]

    def __str__(self) -> str:
        return f"{self.term}第{chinese_ordinal(self.number)}次会议"


class ConferenceOwned(models.Model):
    """A named item of one conference's structure."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, verbose_name=_("政协"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["conference", "name"]

    def __str__(self) -> str:
        return self.name


class Committee(ConferenceOwned):
    """A special committee (专委会); its head approves leave for the committee's own activities."""

    head = models.ForeignKey(
        "people.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_committees",
        verbose_name=_("主任"),
    )

    class Meta(ConferenceOwned.Meta):
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="committee_unique_name")]


class Sector(ConferenceOwned):
    """A sector (界别)."""

    class Meta(ConferenceOwned.Meta):
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="sector_unique_name")]


class Party(ConferenceOwned):
    """A party or group (党派团体)."""

    class Meta(ConferenceOwned.Meta):
        verbose_name = _("党派团体")
        verbose_name_plural = _("党派团体")
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="party_unique_name")]


class Department(ConferenceOwned):
    """An office department (政协机关部门)."""

    class Meta(ConferenceOwned.Meta):
        verbose_name = _("机关部门")
        verbose_name_plural = _("机关部门")
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="department_unique_name")]


class HandlingUnit(models.Model):
    """A government unit that answers proposals; shared, it may serve several conferences."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    conferences = models.ManyToManyField(
        Conference, related_name="handling_units", verbose_name=_("服务的政协"), blank=True
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
