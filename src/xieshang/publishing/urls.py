"""The publishing office's pages (staff and leaders); the public portal lives in portal.py."""

from django.urls import path

from . import archive_views, views

app_name = "publishing"

urlpatterns = [
    path("", views.article_list, name="articles"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("reports/", views.report_list, name="reports"),
    path("journals/", views.journal_list, name="journals"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/issue.docx", views.issue_docx, name="issue_docx"),
    path("issues/<int:pk>/issue.pdf", views.issue_pdf, name="issue_pdf"),
    path("archive/", archive_views.item_list, name="archive"),
    path("archive/new/", archive_views.item_new, name="archive_new"),
    path("archive/setup/", archive_views.setup, name="archive_setup"),
    path("archive/<int:pk>/", archive_views.item_detail, name="archive_item"),
    path("archive/<int:pk>/act/<slug:action>/", archive_views.item_act, name="archive_act"),
    path("archive/<int:pk>/place/", archive_views.item_place, name="archive_place"),
    path("archive/<int:pk>/file/", archive_views.item_file, name="archive_file"),
    path("archive/volumes/<int:pk>/volume.docx", archive_views.volume_docx, name="archive_volume_docx"),
]
