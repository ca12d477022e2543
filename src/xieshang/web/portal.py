"""The public portal's URLs under /public/ (namespace `public`); the pages live in publishing.portal."""

from __future__ import annotations

from xieshang.publishing import portal
from xieshang.voice.survey_views import public_urlpatterns as survey_urlpatterns

urlpatterns = [*portal.urlpatterns, *survey_urlpatterns]
