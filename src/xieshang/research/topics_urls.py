from django.urls import path

from . import topics_views

urlpatterns = [
    path("topics/", topics_views.home, name="topics"),
    path("topics/new/", topics_views.create, name="topic_create"),
    path("topics/<int:pk>/", topics_views.detail, name="topic"),
    path("topics/<int:pk>/edit/", topics_views.edit, name="topic_edit"),
    path("topics/<int:pk>/report.docx", topics_views.report_docx, name="topic_report_docx"),
    path("topics/<int:pk>/drafts/<int:draft_id>/file/", topics_views.draft_file, name="topic_draft_file"),
    path("topics/<int:pk>/do/<slug:name>/", topics_views.act, name="topic_act"),
    path("topics/forums/", topics_views.forum_list, name="forums"),
    path("topics/forums/<int:pk>/", topics_views.forum_detail, name="forum"),
    path("topics/forums/<int:pk>/proceedings.docx", topics_views.forum_docx, name="forum_docx"),
    path("topics/forums/<int:pk>/proceedings.pdf", topics_views.forum_pdf, name="forum_pdf"),
    path("topics/forums/<int:pk>/files/<int:submission_id>/", topics_views.forum_file, name="forum_file"),
    path("topics/forums/<int:pk>/do/<slug:name>/", topics_views.forum_act, name="forum_act"),
]
