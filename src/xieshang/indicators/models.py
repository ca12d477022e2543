"""Economic indicators (经济指标) of a conference's area: regions, indicators, values per period and
targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Conference


class Region(models.Model):
    """A county, district or the city of the conference's area, or the province average."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("县（市）")
        DISTRICT = "district", _("区")
        CITY = "city", _("全市")
        PROVINCE_AVG = "province_avg", _("全省平均")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="regions", verbose_name=_("政协")
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices, default=Kind.COUNTY)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["conference", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="region_unique_name")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator such as GDP growth (%) or funds arrived (亿元)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("政协")
    )
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(_("越高越好"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["conference", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="indicator_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class IndicatorValue(models.Model):
    """One region's figure for an indicator in a period ("2026年1-6月"), with where it came from."""

    class Source(models.TextChoices):
        EXTRACTION = "extraction", _("文稿识别")
        IMPORT = "import", _("表格导入")
        MANUAL = "manual", _("手工录入")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="values", verbose_name=_("地区")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("指标")
    )
    period = models.CharField(_("期间"), max_length=40)
    value = models.FloatField(_("数值"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    evidence = models.TextField(_("原文依据"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("指标数值")
        verbose_name_plural = _("指标数值")
        ordering = ["indicator", "period", "region"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "period"], name="indicator_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.indicator} · {self.period} · {self.value}"


class Target(models.Model):
    """What an indicator should reach: at least the province average, back to positive, or a number."""

    class Kind(models.TextChoices):
        AT_LEAST_PROVINCIAL_AVG = "at_least_provincial_avg", _("不低于全省平均")
        BACK_TO_POSITIVE = "back_to_positive", _("转正增长")
        NUMBER = "number", _("数值目标")

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="target", verbose_name=_("指标")
    )
    kind = models.CharField(_("目标类型"), max_length=24, choices=Kind.choices)
    value = models.FloatField(_("目标值"), null=True, blank=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="number") | models.Q(value__isnull=False),
                name="target_number_needs_value",
            )
        ]

    def __str__(self) -> str:
        label = str(self.get_kind_display())
        return (
            f"{label} {self.value:g}" if self.kind == self.Kind.NUMBER and self.value is not None else label
        )
