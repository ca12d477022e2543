from django.contrib import admin

from .models import Assignment, Category, CoSigner, Evaluation, Proposal, Reply


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "conference", "order"]
    list_filter = ["conference"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["unit", "role", "state", "round", "due_on"]
    readonly_fields = ["unit", "role", "state", "round", "due_on"]
    can_delete = False


class CoSignerInline(admin.TabularInline):
    model = CoSigner
    extra = 0
    readonly_fields = ["user", "state", "responded_at"]
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through the workflow, never through the admin form."""

    list_display = ["number", "title", "conference", "session", "proposer", "state", "is_key"]
    list_filter = ["conference", "state", "is_key", "category"]
    search_fields = ["title", "proposer__display_name"]
    readonly_fields = [
        "conference",
        "session",
        "number",
        "proposer",
        "state",
        "merged_into",
        "version",
        "submitted_at",
        "accepted_at",
        "closed_at",
    ]
    inlines = [CoSignerInline, AssignmentInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["proposal", "assignment", "kind", "round", "outcome", "submitted_at", "on_time"]
    list_filter = ["kind", "outcome"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "verdict", "evaluated_at"]
    list_filter = ["verdict"]
