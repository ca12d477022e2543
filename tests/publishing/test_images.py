"""Cover pictures: checked, shrunk to at most 1600 px, stripped of metadata, saved under a new name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xieshang.core.errors import AppError, ErrorCode
from xieshang.publishing import services

from . import walk


def _jpeg_with_exif(size: tuple[int, int] = (3200, 2400)) -> bytes:
    image = Image.new("RGB", size, (180, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "相机厂商"  # Make
    exif[0x0131] = "Secret Software"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° on display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_photo_is_shrunk_turned_upright_and_stripped_of_exif(world):
    # given a large camera photo with EXIF (maker, software, orientation)
    raw = _jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif()
    article = walk.draft(world.city)
    # when staff set it as the cover
    upload = SimpleUploadedFile("../../etc/现场照片.JPG", raw, content_type="image/jpeg")
    article = services.set_cover(world.city.staff, article, upload)
    # then a new file is saved: no longer than 1600 px, upright, and with no metadata at all
    path = Path(article.cover.path)
    assert ".." not in article.cover.name and "etc" not in article.cover.name
    assert path.suffix == ".jpg" and path.name != "现场照片.JPG"
    with Image.open(path) as saved:
        assert max(saved.size) == 1600
        assert saved.size == (1200, 1600)  # the orientation was applied before stripping
        assert not saved.getexif()
        assert "exif" not in saved.info
    assert b"Secret Software" not in path.read_bytes()


def test_a_png_stays_a_png_without_its_text_chunks(world):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Secret Person")
    out = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    article = services.set_cover(
        world.city.staff, walk.draft(world.city), SimpleUploadedFile("图.png", out.getvalue())
    )
    with Image.open(article.cover.path) as saved:
        assert saved.format == "PNG" and saved.size == (400, 300) and saved.mode == "RGBA"
    assert b"Secret Person" not in Path(article.cover.path).read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("照片.gif", b"GIF89a" + b"\x00" * 100, ErrorCode.FILE_TYPE_NOT_ALLOWED),
        ("照片.jpg", b"%PDF-1.4 not a picture", ErrorCode.FILE_TYPE_NOT_ALLOWED),
        ("照片.jpg", b"\xff\xd8\xff" + b"\x00" * 200, ErrorCode.FILE_TYPE_NOT_ALLOWED),
        ("照片.png", b"", ErrorCode.INVALID_INPUT),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(world, name, content, code):
    article = walk.draft(world.city)
    with pytest.raises(AppError) as caught:
        services.set_cover(world.city.staff, article, SimpleUploadedFile(name, content))
    assert caught.value.code == code
    article.refresh_from_db()
    assert not article.cover


def test_a_name_with_path_parts_never_reaches_the_storage(world):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    for name in ["..\\..\\settings.png", "../../../../tmp/x.png", "./.png.png"]:
        article = services.set_cover(
            world.city.staff, walk.draft(world.city), SimpleUploadedFile(name, out.getvalue())
        )
        stored = Path(article.cover.name)
        assert stored.parts[0] == "publishing" and ".." not in stored.parts
        assert len(stored.stem) == 32 and stored.suffix == ".png"


def test_an_oversized_file_is_refused(world, settings):
    article = walk.draft(world.city)
    big = SimpleUploadedFile("大图.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024 + 1))
    with pytest.raises(AppError) as caught:
        services.set_cover(world.city.staff, article, big)
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE


def test_a_picture_too_many_pixels_is_refused_before_decoding(world, monkeypatch):
    from xieshang.publishing import images

    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    article = walk.draft(world.city)
    with pytest.raises(AppError) as caught:
        services.set_cover(
            world.city.staff, article, SimpleUploadedFile("a.jpg", _jpeg_with_exif((100, 100)))
        )
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE
