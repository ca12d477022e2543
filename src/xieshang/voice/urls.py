"""Voice pages, in the `voice` namespace: public ones first (no sign-in), then the office's."""

from django.urls import path

from . import deliberation_views, views

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

# Online deliberation (网络议政): "create" and not "new", which the public submission pattern owns.
urlpatterns += [
    path("deliberations/", deliberation_views.deliberation_list, name="deliberation_list"),
    path("deliberations/create/", deliberation_views.deliberation_create, name="deliberation_create"),
    path("deliberations/<int:pk>/", deliberation_views.deliberation, name="deliberation"),
    path("deliberations/<int:pk>/post/", deliberation_views.deliberation_post, name="deliberation_post"),
    path(
        "deliberations/<int:pk>/manage/", deliberation_views.deliberation_manage, name="deliberation_manage"
    ),
    path(
        "deliberations/<int:pk>/act/<slug:action>/",
        deliberation_views.deliberation_act,
        name="deliberation_act",
    ),
    path(
        "deliberations/posts/<int:pk>/support/",
        deliberation_views.deliberation_support,
        name="deliberation_support",
    ),
    path(
        "deliberations/posts/<int:pk>/hide/", deliberation_views.deliberation_hide, name="deliberation_hide"
    ),
]
