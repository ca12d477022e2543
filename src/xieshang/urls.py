"""URL map: pages, the REST API, the admin."""

from django.contrib import admin
from django.urls import include, path

from xieshang.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("xieshang.web.urls")),
]

handler403 = "xieshang.web.views.error_403"
handler404 = "xieshang.web.views.error_404"
handler500 = "xieshang.web.views.error_500"
