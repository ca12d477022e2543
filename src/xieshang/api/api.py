"""The REST API object (django-ninja), its token authentication and error mapping."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="协商 Xieshang API", version="1", urls_namespace="api")
