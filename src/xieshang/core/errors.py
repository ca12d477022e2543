"""One application error with a stable code; the web and API layers map it to a Chinese message."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    """Stable error codes shown to API clients; never rename one."""

    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    STALE_VERSION = "stale_version"
    INVALID_INPUT = "invalid_input"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed"
    WINDOW_CLOSED = "window_closed"
    DUPLICATE = "duplicate"
    CONSULTATION_REQUIRED = "consultation_required"
    COSIGNERS_PENDING = "cosigners_pending"
    STORAGE_UNAVAILABLE = "storage_unavailable"


DEFAULT_MESSAGES = {
    ErrorCode.PERMISSION_DENIED: _("您没有执行此操作的权限。"),
    ErrorCode.NOT_FOUND: _("找不到该记录，或您无权查看。"),
    ErrorCode.INVALID_STATE: _("当前状态下不能执行此操作。"),
    ErrorCode.STALE_VERSION: _("该记录已被他人修改，请刷新页面后重试。"),
    ErrorCode.INVALID_INPUT: _("提交的内容有误，请检查后重试。"),
    ErrorCode.FILE_TOO_LARGE: _("文件过大。"),
    ErrorCode.FILE_TYPE_NOT_ALLOWED: _("不支持该文件类型。"),
    ErrorCode.WINDOW_CLOSED: _("已超过允许办理的期限。"),
    ErrorCode.DUPLICATE: _("记录已存在。"),
    ErrorCode.CONSULTATION_REQUIRED: _("答复前须先记录办前面商情况。"),
    ErrorCode.COSIGNERS_PENDING: _("仍有联名人尚未确认。"),
    ErrorCode.STORAGE_UNAVAILABLE: _("文件未能保存：服务器存储空间已满或暂时不可写入，请稍后再试。"),
}

HTTP_STATUS = {
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.STORAGE_UNAVAILABLE: 503,
}


class AppError(Exception):
    """A refused action: a stable code, a Chinese message and optional per-field messages."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = str(message or DEFAULT_MESSAGES.get(code, code.value))
        self.fields = fields or {}
        super().__init__(self.message)

    @property
    def http_status(self) -> int:
        """The HTTP status the API answers with."""
        return HTTP_STATUS.get(self.code, 400)


def denied(message: str | None = None) -> AppError:
    """A permission refusal."""
    return AppError(ErrorCode.PERMISSION_DENIED, message)


def invalid(fields: dict[str, str], message: str | None = None) -> AppError:
    """Bad input with a message per field."""
    return AppError(ErrorCode.INVALID_INPUT, message, fields=fields)
