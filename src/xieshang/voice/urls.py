"""Voice pages, in the `voice` namespace: public ones first (no sign-in), then the office's."""

from django.urls import path

from . import deliberation_views, digest_views, report_views, survey_views, views

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

# Deliberation reports to leaders (议政报告报送与批示).
urlpatterns += [
    path("deliberations/reports/", report_views.report_inbox, name="deliberation_reports"),
    path("deliberations/<int:pk>/report/", report_views.report, name="deliberation_report"),
    path("deliberations/<int:pk>/report/send/", report_views.report_send, name="deliberation_report_send"),
    path(
        "deliberations/<int:pk>/report/instruct/",
        report_views.report_instruct,
        name="deliberation_report_instruct",
    ),
    path(
        "deliberations/<int:pk>/report/instructions/<int:instruction_pk>/task/",
        report_views.report_instruction_task,
        name="deliberation_instruction_task",
    ),
]

# Questionnaires (问卷调查); the public answer sheets are wired under /public/ by xieshang.web.portal.
urlpatterns += [
    path("surveys/", survey_views.survey_list, name="survey_list"),
    path("surveys/create/", survey_views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/manage/", survey_views.survey_manage, name="survey_manage"),
    path("surveys/<int:pk>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/", survey_views.survey_question_add, name="survey_question_add"),
    path(
        "surveys/questions/<int:pk>/delete/",
        survey_views.survey_question_delete,
        name="survey_question_delete",
    ),
    path("surveys/questions/<int:pk>/jumps/", survey_views.survey_jumps, name="survey_jumps"),
    path("surveys/<int:pk>/act/<slug:action>/", survey_views.survey_act, name="survey_act"),
    path("surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/export.xlsx", survey_views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/", survey_views.survey_answer, name="survey_answer"),
]

# The weekly digest of hot topics (热点民意周报).
urlpatterns += [
    path("digest/", digest_views.digest_page, name="digest"),
    path("digest/docx/", digest_views.digest_docx, name="digest_docx"),
    path("digest/subscribe/", digest_views.digest_subscribe, name="digest_subscribe"),
]
