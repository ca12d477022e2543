from django.urls import path

from . import topics_views

urlpatterns = [
    path("topics/", topics_views.home, name="topics"),
]
