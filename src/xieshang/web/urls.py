from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import portal, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("conference/", views.switch_conference, name="switch_conference"),
    path("search/", views.search, name="search"),
    path("me/", views.me, name="me"),
    path("opinions/", include("xieshang.opinions.urls")),
    path("activities/", include("xieshang.activities.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/annual-report.xlsx", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("proposals/", include("xieshang.proposals.urls")),
    path("notifications/", include("xieshang.notify.urls")),
    path("duty/", include("xieshang.duty.urls")),
    path("tasks/", include("xieshang.tasks.urls")),
    path("indicators/", include("xieshang.indicators.urls")),
    path("publishing/", include("xieshang.publishing.urls")),
    path("voice/", include("xieshang.voice.urls")),
    path("research/", include("xieshang.research.urls")),
    path("public/", include((portal.urlpatterns, "public"))),
]
