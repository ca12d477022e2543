"""Pictures for the portal: checked, turned upright, shrunk to at most 1600 px and saved as a new file
with no metadata (EXIF carries camera serials and GPS positions that must not go public)."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xieshang.core.errors import AppError, ErrorCode
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload

IMAGE_TYPES = {ext: DOCUMENT_TYPES[ext] for ext in (".jpg", ".jpeg", ".png")}
MAX_SIDE = 1600
MAX_MB = 10
# A small file may still decode to a huge bitmap (a decompression bomb): refuse before decoding.
MAX_PIXELS = 50_000_000


def clean_image(upload: UploadedFile) -> tuple[ContentFile[bytes], str]:
    """A new image file (random name, no metadata, longest side ≤ 1600 px) and the original's clean name.

    Raises AppError for a file of the wrong type, too large, or not a readable picture.
    """
    name = check_upload(upload, IMAGE_TYPES, max_mb=MAX_MB)
    unreadable = AppError(
        ErrorCode.FILE_TYPE_NOT_ALLOWED, _("文件“%(name)s”不是可读取的图片。") % {"name": name}
    )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise AppError(ErrorCode.FILE_TOO_LARGE, _("图片“%(name)s”像素过大。") % {"name": name})
            fmt = probe.format
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise unreadable from error
    if fmt not in {"JPEG", "PNG"}:
        raise unreadable
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # Copy the pixels into a fresh image: nothing of the source's info (EXIF, text chunks, ICC) follows.
    mode = "RGBA" if fmt == "PNG" else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format="PNG", optimize=True)
        ext = ".png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
        ext = ".jpg"
    upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}{ext}"), name
