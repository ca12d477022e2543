"""The "从 Excel 导入" page on the member and handling-unit changelists of the Django admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from xieshang.conferences.models import Conference
from xieshang.core.errors import AppError

from . import importers
from .models import RoleKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def importable_conferences(user: Any) -> QuerySet[Conference]:
    """Conferences whose rosters the user may import: all for a superuser, else where they are admin."""
    if user.is_superuser:
        return Conference.objects.all()
    return Conference.objects.filter(roles__user=user, roles__kind=RoleKind.ADMIN).distinct()


class RosterImportForm(forms.Form):
    conference = forms.ModelChoiceField(label="政协", queryset=Conference.objects.none())
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args: Any, conferences: QuerySet[Conference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["conference"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = conferences


class RosterImportMixin:
    """Adds `import/` and `import/template/` to a ModelAdmin; `import_kind` is "members" or "units"."""

    import_kind = "members"
    change_list_template: Any = "admin/xieshang/import_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        model_admin: Any = self
        opts = model_admin.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = model_admin.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{name}_import"),
            path("import/template/", wrap(self.import_template_view), name=f"{name}_import_template"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(importers.template_xlsx(self.import_kind), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.import_kind}-template.xlsx"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        model_admin: Any = self
        form = RosterImportForm(
            request.POST or None, request.FILES or None, conferences=importable_conferences(request.user)
        )
        report = None
        if request.method == "POST" and form.is_valid():
            run = importers.import_members if self.import_kind == "members" else importers.import_units
            try:
                report = run(request.user, form.cleaned_data["conference"], form.cleaned_data["file"])  # type: ignore[arg-type]
            except AppError as exc:
                form.add_error("file", exc.message)
            else:
                level = messages.SUCCESS if report.ok else messages.ERROR
                messages.add_message(request, level, report.summary())
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": "从 Excel 导入" + ("委员名册" if self.import_kind == "members" else "承办单位"),
            "form": form,
            "report": report,
            "columns": importers.MEMBER_COLUMNS if self.import_kind == "members" else importers.UNIT_COLUMNS,
        }
        return TemplateResponse(request, "admin/xieshang/roster_import.html", context)
