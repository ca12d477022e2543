from django.contrib import admin

from .models import Instruction, JournalIssue, OpinionReport


@admin.register(OpinionReport)
class OpinionReportAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the workflow, never through the admin form."""

    list_display = ["title", "conference", "state", "on_behalf_kind", "submitted_by", "adopted_in"]
    list_filter = ["conference", "state", "on_behalf_kind"]
    search_fields = ["title", "on_behalf_name"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(JournalIssue)
class JournalIssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "year", "number", "state", "published_on"]
    list_filter = ["conference", "year", "state"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["report", "leader_name", "level", "given_on", "feedback_on"]
    list_filter = ["conference", "level"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
