"""Every error the API returns is JSON: a stable `code`, a Chinese `message` and per-field `fields`."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xieshang.core.errors import DEFAULT_MESSAGES, AppError, ErrorCode


class ErrorOut(Schema):
    """The body of every error response."""

    code: str
    message: str
    fields: dict[str, str] = {}


NOT_AUTHENTICATED = "not_authenticated"

# Statuses ninja raises itself (HttpError) → our code and message.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: (ErrorCode.INVALID_INPUT, "请求内容无法解析，请检查后重试。"),
    401: (NOT_AUTHENTICATED, "请先登录，或提供有效的访问令牌。"),
    403: (ErrorCode.PERMISSION_DENIED, "您没有执行此操作的权限。"),
    404: (ErrorCode.NOT_FOUND, str(DEFAULT_MESSAGES[ErrorCode.NOT_FOUND])),
    405: ("method_not_allowed", "不支持该请求方法。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
}

# pydantic error types → a Chinese message for the field.
FIELD_MESSAGES: dict[str, str] = {
    "missing": "此项必填。",
    "string_type": "须为文本。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "int_type": "须为整数。",
    "int_parsing": "须为整数。",
    "int_from_float": "须为整数。",
    "bool_type": "须为是或否。",
    "bool_parsing": "须为是或否。",
    "date_type": "须为日期（YYYY-MM-DD）。",
    "date_parsing": "须为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）。",
    "list_type": "须为列表。",
    "dict_type": "格式不正确。",
    "model_type": "格式不正确。",
    "model_attributes_type": "格式不正确。",
    "literal_error": "取值无效。",
    "enum": "取值无效。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "too_long": "项目过多。",
    "null_character": "不能包含空字符。",
    "json_invalid": "不是有效的 JSON。",
}


# What the handlers below may answer on any operation, whatever the operation's own `response=` lists
# (ninja's codes_4xx leaves out 413 and 422); 401 only where the operation needs authentication.
COMMON_ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 503)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the common error responses (body ErrorOut) on every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status in COMMON_ERROR_STATUSES:
                if status == 401 and not operation.get("security"):
                    continue
                responses.setdefault(status, {"description": HTTPStatus(status).phrase, "content": body})
    return schema


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"code": str(code), "message": message, "fields": fields or {}}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja locates errors as (source, param, field…) for bodies and (source, field…) otherwise.
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    """ninja's validation errors as one Chinese message per field."""
    fields: dict[str, str] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        fields.setdefault(name, FIELD_MESSAGES.get(str(error.get("type", "")), "格式不正确。"))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Map application, not-found, validation and ninja's own errors to the JSON error body."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
        return respond(request, exc.http_status, error_body(exc.code, exc.message, exc.fields))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(*HTTP_ERRORS[404]))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body(*HTTP_ERRORS[403]))

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message = str(DEFAULT_MESSAGES[ErrorCode.INVALID_INPUT])
        return respond(
            request, 422, error_body(ErrorCode.INVALID_INPUT, message, validation_fields(exc.errors))
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = HTTP_ERRORS.get(exc.status_code, ("error", "请求失败。"))
        if isinstance(exc, AuthenticationError):
            code, message = HTTP_ERRORS[401]
        elif exc.status_code == 403 and "CSRF" in exc.message:
            code, message = "csrf_failed", "页面已过期，请刷新页面后重试。"
        return respond(request, exc.status_code, error_body(code, message))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body(ErrorCode.FILE_TOO_LARGE, "提交的内容过大。"))

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, error_body(*HTTP_ERRORS[400]))

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (AppError, on_app_error),
        (Http404, on_not_found),
        (PermissionDenied, on_denied),
        (ValidationError, on_validation),
        (HttpError, on_http_error),
        (RequestDataTooBig, on_too_big),
        (SuspiciousOperation, on_suspicious),
    ]
    for exc_class, handler in handlers:
        # ninja's stub wants handlers that also accept the class itself; these only get instances.
        api.add_exception_handler(exc_class, cast(Any, handler))
