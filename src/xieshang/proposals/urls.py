from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/reply-form.docx", views.reply_form_docx, name="reply_form_docx"),
    path("assignments/<int:pk>/<slug:action>/", views.assignment_act, name="assignment_act"),
    path("replies/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("replies/<int:pk>/letter/", views.letter_file, name="letter_file"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("attachments/<int:pk>/delete/", views.remove_attachment, name="attachment_delete"),
    path("requests/reassignment/<int:pk>/", views.decide_reassignment, name="decide_reassignment"),
    path("requests/extension/<int:pk>/", views.decide_extension, name="decide_extension"),
    path("unit/", views.unit_inbox, name="unit_inbox"),
    path("work/", views.worklist, name="work"),
    path("work/<slug:name>/", views.worklist, name="worklist"),
    path("work/<slug:name>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("sessions/", views.session_list, name="sessions"),
    path("similar/", views.similar, name="similar"),
    path("merge-suggestions/", views.merge_suggestions, name="merge_suggestions"),
    path("topics/", views.hot_topics, name="hot_topics"),
    path("sessions/<int:pk>/compilation.docx", views.compilation_docx, name="compilation_docx"),
]
