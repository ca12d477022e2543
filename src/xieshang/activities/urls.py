"""Activity pages. The member's list keeps the plain name `activities` (the bottom bar links to it);
everything else lives in the `activities` namespace."""

from django.urls import include, path

from . import views

activity_patterns = [
    path("", views.mine, name="mine"),
    path("checkin/", views.checkin, name="checkin"),
    path("outreach/", views.outreach, name="outreach"),
    path("outreach/<int:pk>/proposal/", views.outreach_to_proposal, name="outreach_to_proposal"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/checkin/<str:code>/", views.checkin_qr, name="checkin_qr"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("office/", views.office_list, name="office"),
    path("office/new/", views.create, name="create"),
    path("office/participation/", views.participation, name="participation"),
    path("office/<int:pk>/", views.manage, name="manage"),
    path("office/<int:pk>/edit/", views.edit, name="edit"),
    path("office/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("office/<int:pk>/invite/", views.invite, name="invite"),
    path("office/<int:pk>/attendance/", views.mark, name="mark"),
    path("office/<int:pk>/speech/", views.speech, name="speech"),
    path("office/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("office/<int:pk>/qr/", views.qr, name="qr"),
    path("office/<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("office/<int:pk>/sign-in.pdf", views.signin_pdf, name="signin_pdf"),
    path("leave/<int:pk>/decide/", views.decide_leave, name="decide_leave"),
]

urlpatterns = [
    path("", views.mine, name="activities"),
    path("", include((activity_patterns, "activities"))),
]
