"""The publishing office's pages (staff and leaders); the public portal lives in portal.py."""

from django.urls import path

from . import archive_views, culture_views, views

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
    path("archive/volumes/<int:pk>/volume.pdf", archive_views.volume_pdf, name="archive_volume_pdf"),
    path("archive/<int:pk>/edit/", archive_views.item_edit, name="archive_edit"),
    path("culture/", culture_views.culture_home, name="culture"),
    path("culture/projects/new/", culture_views.project_new, name="culture_project_new"),
    path("culture/projects/<int:pk>/", culture_views.project_detail, name="culture_project"),
    path("culture/projects/<int:pk>/edit/", culture_views.project_edit, name="culture_project_edit"),
    path("culture/projects/<int:pk>/public/", culture_views.project_public, name="culture_project_public"),
    path("culture/awards/", culture_views.award_list, name="awards"),
    path("culture/awards/<int:pk>/", culture_views.award_detail, name="award"),
    path("culture/awards/<int:pk>/settings/", culture_views.award_settings, name="award_settings"),
    path("culture/awards/<int:pk>/jurors/", culture_views.award_jurors, name="award_jurors"),
    path("culture/awards/<int:pk>/act/<slug:action>/", culture_views.award_act, name="award_act"),
    path(
        "culture/awards/<int:pk>/nominations/",
        culture_views.award_nominate_office,
        name="award_nominate_office",
    ),
    path("culture/awards/<int:pk>/nominate/", culture_views.nominate, name="culture_nominate"),
    path(
        "culture/awards/<int:pk>/nominations/<int:nomination_id>/withdraw/",
        culture_views.withdraw,
        name="culture_withdraw",
    ),
    path("culture/awards/<int:pk>/score/", culture_views.score, name="award_score"),
    path("culture/mine/", culture_views.mine, name="culture_mine"),
    path("culture/friends/", culture_views.friend_list, name="friends"),
    path("culture/friends/<int:pk>/", culture_views.friend_detail, name="friend"),
    path("culture/friends/<int:pk>/<slug:action>/", culture_views.friend_account, name="friend_account"),
    path("friend/", culture_views.friend_home, name="friend_home"),
]
