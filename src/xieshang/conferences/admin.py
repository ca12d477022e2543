from django.contrib import admin

from xieshang.people.admin_import import RosterImportMixin

from .models import Committee, Conference, Department, HandlingUnit, Party, Sector, Session, Term


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "reply_due_months", "reassign_window_days"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "code"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "start_year", "end_year"]
    list_filter = ["conference"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "year", "opens_on", "is_current"]
    list_filter = ["conference", "is_current"]


@admin.register(Committee, Sector, Party, Department)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "conference"]
    list_filter = ["conference"]
    search_fields = ["name"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(RosterImportMixin, admin.ModelAdmin):
    import_kind = "units"
    list_display = ["name", "short_name", "contact_phone", "is_active"]
    list_filter = ["is_active", "conferences"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["conferences"]
