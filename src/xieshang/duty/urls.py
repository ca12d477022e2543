from django.urls import path

from . import views

app_name = "duty"

urlpatterns = [
    path("", views.record, name="record"),
    path("card/<int:year>/", views.card, name="card"),
    path("card/<int:year>.docx", views.card_docx, name="card_docx"),
    path("card/<int:year>.pdf", views.card_pdf, name="card_pdf"),
    path("office/ranking/", views.ranking, name="ranking"),
    path("office/ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("office/warnings/", views.warnings, name="warnings"),
    path("office/indices/", views.index_list, name="indices"),
    path("office/rules/", views.rules, name="rules"),
    path("office/adjust/", views.adjust, name="adjust"),
    path("office/recompute/", views.recompute, name="recompute"),
    path("office/members/<int:user_id>/<int:year>/", views.card, name="member_card"),
    path("office/members/<int:user_id>/<int:year>.docx", views.card_docx, name="member_card_docx"),
    path("office/members/<int:user_id>/<int:year>.pdf", views.card_pdf, name="member_card_pdf"),
]
