from django.urls import path

from . import study_views

urlpatterns = [
    path("study/", study_views.home, name="study"),
]
