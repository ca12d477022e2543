"""Checks on uploaded files: size, extension and the file's real leading bytes."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .errors import AppError, ErrorCode

logger = logging.getLogger(__name__)

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


class MediaStorage(FileSystemStorage):
    """The media folder. A file that cannot be written whole (disk full, folder read-only or gone)
    leaves no partial file behind and becomes a refusal with a clear message; raised inside the
    action's transaction, it also undoes the record the file belonged to."""

    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return str(super()._save(name, content))  # type: ignore[misc]  # missing from django-stubs
        except OSError as error:
            logger.error("could not store upload %s: %s", name, error)
            if not existed:
                _remove_partial(path)
            raise AppError(
                ErrorCode.STORAGE_UNAVAILABLE,
                _("文件“%(name)s”未能保存：服务器存储空间已满或暂时不可写入，请稍后再试或联系管理员。")
                % {"name": PurePath(name).name},
            ) from error


def _remove_partial(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:  # a read-only folder keeps what it has; nothing was written to it anyway
        logger.warning("could not remove the partial upload %s", path)
