"""Deployed-task pages, in the `tasks` namespace."""

from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("units/", views.by_unit, name="by_unit"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ledger.xlsx", views.export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<int:pk>/", views.checklist, name="checklist"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
]
