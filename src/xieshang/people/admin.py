from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .admin_import import RosterImportMixin
from .models import ApiToken, Member, Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["conference", "handling_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "phone", "email", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("协商", {"fields": ("display_name", "phone")}))
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "conference", "kind", "handling_unit"]
    list_filter = ["conference", "kind"]
    search_fields = ["user__username", "user__display_name"]


@admin.register(Member)
class MemberAdmin(RosterImportMixin, admin.ModelAdmin):
    import_kind = "members"
    list_display = ["user", "conference", "sector", "party", "committee", "is_standing"]
    list_filter = ["conference", "is_standing", "sector"]
    search_fields = ["user__display_name", "expertise", "workplace"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at"]
    readonly_fields = ["digest"]
