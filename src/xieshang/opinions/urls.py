"""Opinion pages. The member's list keeps the plain name `opinions` (the bottom bar links to it);
everything else lives in the `opinions` namespace."""

from django.urls import include, path

from . import views

opinion_patterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("instructions/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("work/", views.worklist, name="work"),
    path("work/<slug:name>/", views.worklist, name="worklist"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/issue.docx", views.issue_docx, name="issue_docx"),
]

urlpatterns = [
    path("", views.mine, name="opinions"),
    path("", include((opinion_patterns, "opinions"))),
]
