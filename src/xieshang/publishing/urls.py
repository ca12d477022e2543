"""The publishing office's pages (staff and leaders); the public portal lives in portal.py."""

from django.urls import path

from . import views

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
]
