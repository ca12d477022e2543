"""Reading the text of an uploaded source document (.txt, .docx, .pdf), with a clear message when
there is none."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from xieshang.core.errors import AppError, ErrorCode
from xieshang.core.uploads import check_upload

SOURCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".txt": (),
    ".docx": (b"PK\x03\x04",),
    ".pdf": (b"%PDF",),
}
# A source document is at most this long once read (a long plenary report is ~40,000 characters).
TEXT_MAX = 200_000


def _no_text(name: str) -> AppError:
    return AppError(ErrorCode.INVALID_INPUT, _("文件“%(name)s”中没有可读取的文字。") % {"name": name})


def _txt(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AppError(
        ErrorCode.FILE_TYPE_NOT_ALLOWED,
        _("文件“%(name)s”不是 UTF-8 或 GBK 编码的文本文件。") % {"name": name},
    )


def _docx(data: bytes, name: str) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a damaged package
        raise AppError(
            ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”无法作为 Word 文档打开。") % {"name": name}
        ) from error
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError) as error:
        raise AppError(
            ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”无法作为 PDF 打开。") % {"name": name}
        ) from error
    if not text.strip():
        raise AppError(
            ErrorCode.INVALID_INPUT,
            _(
                "文件“%(name)s”是没有文字层的 PDF（可能是扫描件），无法读取文字。"
                "请先做文字识别（OCR），或上传 Word、文本文件，或直接粘贴正文。"
            )
            % {"name": name},
        )
    return text


def read_text(upload: UploadedFile) -> tuple[str, str]:
    """The checked file's cleaned name and its text; refuses empty, binary, too large or textless files."""
    name = check_upload(upload, SOURCE_TYPES)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    ext = PurePath(name).suffix.lower()
    if ext == ".txt":
        if b"\x00" in data:
            raise AppError(
                ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”不是文本文件。") % {"name": name}
            )
        text = _txt(data, name)
    elif ext == ".docx":
        text = _docx(data, name)
    else:
        text = _pdf(data, name)
    text = text.replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise _no_text(name)
    if len(text) > TEXT_MAX:
        raise AppError(
            ErrorCode.FILE_TOO_LARGE, _("文件“%(name)s”的正文超过 %(n)s 字。") % {"name": name, "n": TEXT_MAX}
        )
    return name, text
