"""Which conference the signed-in user is working in."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from xieshang.people.selectors import conferences_of

SESSION_KEY = "conference_id"


class CurrentConferenceMiddleware:
    """Sets `request.conference` to the conference chosen in the session (or the user's first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.conference = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mine = conferences_of(user)  # type: ignore[arg-type]
            chosen = request.session.get(SESSION_KEY)
            request.conference = next((c for c in mine if c.pk == chosen), mine[0] if mine else None)  # type: ignore[attr-defined]
        return self.get_response(request)
