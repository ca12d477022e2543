"""Checks on uploaded files: size, extension and the file's real leading bytes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .errors import AppError, ErrorCode

# Extension → accepted leading bytes (empty tuple: plain text, checked for decodability instead).
DOCUMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": (),
}
SPREADSHEET_TYPES = {".xlsx": (b"PK\x03\x04",)}


def check_upload(
    upload: UploadedFile, allowed: Mapping[str, tuple[bytes, ...]] = DOCUMENT_TYPES, max_mb: int | None = None
) -> str:
    """Refuse a file that is too large, of a type not allowed, or whose content lies about its type.

    Returns the cleaned original file name.
    """
    limit_mb = max_mb if max_mb is not None else settings.XIESHANG_MAX_UPLOAD_MB
    name = PurePath(upload.name or "").name[:200]
    if not name:
        raise AppError(ErrorCode.INVALID_INPUT, _("文件名不能为空。"))
    if upload.size is None or upload.size > limit_mb * 1024 * 1024:
        raise AppError(
            ErrorCode.FILE_TOO_LARGE,
            _("文件“%(name)s”超过 %(mb)s MB 的上限。") % {"name": name, "mb": limit_mb},
        )
    if upload.size == 0:
        raise AppError(ErrorCode.INVALID_INPUT, _("文件“%(name)s”是空文件。") % {"name": name})
    ext = PurePath(name).suffix.lower()
    if ext not in allowed:
        raise AppError(
            ErrorCode.FILE_TYPE_NOT_ALLOWED,
            _("不支持“%(ext)s”类型的文件，可上传：%(allowed)s。")
            % {"ext": ext or name, "allowed": "、".join(allowed)},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = allowed[ext]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise AppError(
            ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”的内容与扩展名不符。") % {"name": name}
        )
    if not signatures and b"\x00" in head:
        raise AppError(ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”不是文本文件。") % {"name": name})
    return name
