"""While the database is unreachable, answer every request with a clean 503 page instead of a 500.

A request whose connection broke mid-transaction has written nothing: every service is one
transaction, and the database rolls back what was not committed. The next request opens a new
connection (`CONN_HEALTH_CHECKS`), so the app recovers by itself once the database is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable() -> HttpResponse:
    """The 503 page: plain HTML that needs no database, with a Retry-After header."""
    title = _("数据库暂时不可用")
    page = format_html(
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title></head>'
        '<body><main style="max-width:40rem;margin:4rem auto;text-align:center;font-family:sans-serif">'
        '<div style="font-size:1.5rem">503</div><p>{}</p><a href="">{}</a></main></body></html>',
        title,
        _("数据库暂时不可用，请稍后再试。"),
        _("重新加载"),
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection raised by a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The 503 page for a database error; anything else goes on to the 500 handler."""
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        return database_unavailable()


def is_database_error(error: BaseException | None) -> bool:
    """True for a lost or refused database connection (the 500 handler answers 503 for it)."""
    return isinstance(error, DATABASE_ERRORS)
