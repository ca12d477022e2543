"""The public portal's URLs under /public/ (namespace `public`); the pages live in publishing.portal."""

from __future__ import annotations

from xieshang.publishing import portal

urlpatterns = portal.urlpatterns
