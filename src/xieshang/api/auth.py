"""Who is calling: a bearer token, or the browser's Django session (with its CSRF check)."""

from typing import Any, cast

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xieshang.people import services as people
from xieshang.people.models import User

from .errors import ErrorOut
from .schemas import Text


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; only the token's SHA-256 digest is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = people.authenticate_token(token.strip())
        if user is not None:
            request.api_token = token.strip()  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods must carry the CSRF token.

    Unlike ninja's `django_auth`, a request without a signed-in session is simply not authenticated
    here (401), rather than refused for a missing CSRF token (403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]


def actor(request: HttpRequest) -> User:
    """The authenticated user of an API request."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: Text
    password: Text
    name: Text = ""


class TokenOut(Schema):
    token: str


LOCKED_OUT = "登录失败次数过多，账号已暂时锁定，请稍后再试。"


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def obtain_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    """Exchange a username and password for a bearer token (shown once; store it safely)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # django-axes would answer with its browser page; API clients get the JSON error instead.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return Status(429, {"code": "locked_out", "message": LOCKED_OUT})
    if user is None or not user.is_active:
        return Status(401, {"code": "invalid_credentials", "message": "用户名或密码错误。"})
    return Status(200, {"token": people.issue_token(cast(User, user), payload.name or "api")})


@router.delete("/token", auth=[token_auth], response={204: None, 401: ErrorOut})
def revoke_token(request: HttpRequest) -> Status[None]:
    """Revoke the bearer token this request was made with."""
    people.revoke_token(actor(request), request.api_token)  # type: ignore[attr-defined]
    return Status(204, None)
