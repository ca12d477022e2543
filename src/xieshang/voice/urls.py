"""Voice pages, in the `voice` namespace: public ones first (no sign-in), then the office's."""

from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("track/", views.track, name="track"),
    path("board/", views.board, name="board"),
    path("topics/", views.hot_topics, name="hot_topics"),
    path("inbox/", views.inbox, name="inbox"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("leads/<int:pk>/convert/", views.convert, name="convert"),
    path("m/<int:pk>/", views.detail, name="detail"),
    path("m/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:code>/new/", views.submit, name="new"),
    path("<slug:code>/new/done/", views.submitted, name="submitted"),
    path("<slug:code>/answers/", views.answers, name="answers"),
]
