"""Indicator pages, in the `indicators` namespace."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("values/", views.add_value, name="add_value"),
    path("import/", views.import_xlsx, name="import"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("from-document/<int:document_id>/", views.from_document, name="from_document"),
]
