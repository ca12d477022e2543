"""The REST API object (django-ninja): /api/v1, its OpenAPI document and docs, auth and errors.

Every endpoint but `POST /auth/token` and `/public/*` needs a bearer token
(`Authorization: Bearer <token>`) or a signed-in browser session with its CSRF token.
Errors are JSON: `{"code": stable code, "message": Chinese message, "fields": {field: message}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from xieshang.activities import api as activities
from xieshang.duty.api import router as duty_router
from xieshang.indicators.api import router as indicators_router
from xieshang.opinions import api as opinions
from xieshang.publishing.api import router as publishing_router
from xieshang.research.api import router as research_router
from xieshang.tasks.api import router as tasks_router
from xieshang.voice.api import router as voice_router

from . import auth, handling, me, proposals, public
from .errors import document_errors, install_error_handlers


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON that keeps Chinese readable instead of \\u escapes."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


class XieshangAPI(NinjaAPI):
    """The OpenAPI document also lists the error responses every operation may give (errors.py)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = XieshangAPI(
    title="协商 Xieshang API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    auth=auth.AUTH,
    renderer=ChineseJSONRenderer(),
)
install_error_handlers(api)

api.add_router("/auth", auth.router)
api.add_router("/", me.router)
api.add_router("/proposals", proposals.router)
api.add_router("/", handling.router)
api.add_router("/public", public.router)
api.add_router("/activities", activities.router)
api.add_router("/duty", duty_router)
api.add_router("/opinions", opinions.router)
api.add_router("/publishing", publishing_router)
api.add_router("/tasks", tasks_router)
api.add_router("/indicators", indicators_router)
api.add_router("/voice", voice_router)
api.add_router("/research", research_router)

# Last: any other path under /api/v1 is a JSON 404 too, not Django's HTML page.
unknown = Router(auth=None)


@unknown.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def no_such_endpoint(request: HttpRequest, rest: str) -> None:
    """There is no endpoint here."""
    raise Http404


api.add_router("/", unknown)
