"""The research office's pages: study (study_urls) and research topics and forums (topics_urls)."""

from . import study_urls, topics_urls

app_name = "research"

urlpatterns = [*study_urls.urlpatterns, *topics_urls.urlpatterns]
