"""Admin of deployed tasks: the unit aliases are configured here ("三区" → the three districts)."""

from django.contrib import admin

from .models import SourceDocument, Task, TaskOwner, UnitAlias


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "conference"]
    list_filter = ["conference"]
    filter_horizontal = ["units"]


class TaskOwnerInline(admin.TabularInline):
    model = TaskOwner
    extra = 0

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "state", "due_on"]
    list_filter = ["conference", "state", "source_type"]
    search_fields = ["title", "action"]
    inlines = [TaskOwnerInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Read-only: every change goes through the workflow, never through the admin form."""
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "kind", "date"]
    list_filter = ["conference", "kind"]
    exclude = ["text"]
