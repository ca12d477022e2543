"""URL map: pages, the REST API, the admin."""

from django.contrib import admin
from django.urls import include, path

from xieshang.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("xieshang.web.urls")),
]
