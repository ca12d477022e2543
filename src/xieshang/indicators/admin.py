"""Admin of regions, indicators and targets (values come through import, extraction or the pages)."""

from django.contrib import admin

from .models import Indicator, Region, Target


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "conference", "kind", "position"]
    list_filter = ["conference", "kind"]


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "conference", "unit", "higher_is_better"]
    list_filter = ["conference"]
    inlines = [TargetInline]
