"""The study pages, in the `research` namespace (research:study is the office's home of study)."""

from django.urls import path

from . import study_views as v

urlpatterns = [
    path("study/", v.home, name="study"),
    path("study/me/", v.me, name="study_me"),
    path("study/members/<int:user_id>/", v.member_record, name="study_member"),
    path("study/plans/new/", v.plan_new, name="study_plan_new"),
    path("study/plans/<int:pk>/", v.plan_detail, name="study_plan"),
    path("study/plans/<int:pk>/edit/", v.plan_edit, name="study_plan_edit"),
    path("study/plans/<int:pk>/materials/", v.material_add, name="study_material_add"),
    path("study/plans/<int:pk>/sessions/", v.session_add, name="study_session_add"),
    path("study/materials/<int:pk>/file/", v.material_file, name="study_material_file"),
    path("study/materials/<int:pk>/delete/", v.material_delete, name="study_material_delete"),
    path("study/sessions/<int:pk>/delete/", v.session_delete, name="study_session_delete"),
    path("study/questions/", v.question_list, name="study_questions"),
    path("study/questions/new/", v.question_new, name="study_question_new"),
    path("study/questions/<int:pk>/edit/", v.question_edit, name="study_question_edit"),
    path("study/questions/<int:pk>/active/", v.question_active, name="study_question_active"),
    path("study/quizzes/", v.quiz_list, name="study_quizzes"),
    path("study/quizzes/new/", v.quiz_new, name="study_quiz_new"),
    path("study/quizzes/<int:pk>/", v.quiz_detail, name="study_quiz"),
    path("study/quizzes/<int:pk>/edit/", v.quiz_edit, name="study_quiz_edit"),
    path("study/quizzes/<int:pk>/act/<slug:action>/", v.quiz_act, name="study_quiz_act"),
    path("study/quizzes/<int:pk>/start/", v.quiz_start, name="study_quiz_start"),
    path("study/quizzes/<int:pk>/results/", v.quiz_results, name="study_quiz_results"),
    path("study/quizzes/<int:pk>/results.xlsx", v.quiz_results_xlsx, name="study_quiz_results_xlsx"),
    path("study/attempts/<int:pk>/", v.attempt_detail, name="study_attempt"),
    path("study/papers/", v.paper_list, name="study_papers"),
    path("study/papers/new/", v.paper_new, name="study_paper_new"),
    path("study/papers/<int:pk>/", v.paper_detail, name="study_paper"),
    path("study/papers/<int:pk>/edit/", v.paper_edit, name="study_paper_edit"),
    path("study/papers/<int:pk>/review/<slug:action>/", v.paper_review, name="study_paper_review"),
    path("study/papers/<int:pk>/file/", v.paper_file, name="study_paper_file"),
]
