"""Bad source uploads get a clear message; good ones are read (.txt, .docx, .pdf)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfWriter

from xieshang.core.errors import AppError, ErrorCode
from xieshang.tasks import services
from xieshang.tasks.models import SourceDocument
from xieshang.tasks.services import SourceInput


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(world, name, content):
    return services.create_source(
        world.city.staff,
        world.city.conference,
        SourceInput(title="讲话"),
        upload=SimpleUploadedFile(name, content),
        items=[],
    )


def refused(world, name, content) -> AppError:
    with pytest.raises(AppError) as caught:
        upload(world, name, content)
    assert not SourceDocument.objects.exists()
    return caught.value


def test_an_empty_file_is_refused(world):
    assert "空文件" in refused(world, "讲话.txt", b"").message


def test_a_binary_file_named_txt_is_refused(world):
    assert "不是文本文件" in refused(world, "讲话.txt", b"\x00\x01\x02binary").message


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.XIESHANG_MAX_UPLOAD_MB = 20
    error = refused(world, "讲话.txt", b"a" * (50 * 1024 * 1024))
    assert error.code == ErrorCode.FILE_TOO_LARGE
    assert "20 MB" in error.message


def test_a_scanned_pdf_without_text_gets_a_clear_message(world):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    error = refused(world, "扫描件.pdf", out.getvalue())
    assert "扫描件" in error.message and "OCR" in error.message


def test_a_pdf_that_is_not_a_pdf_is_refused(world):
    assert refused(world, "讲话.pdf", b"hello").code == ErrorCode.FILE_TYPE_NOT_ALLOWED


def test_an_unsupported_type_is_refused(world):
    assert refused(world, "讲话.exe", b"MZ...").code == ErrorCode.FILE_TYPE_NOT_ALLOWED


def test_a_docx_is_read_with_its_tables(world):
    document = Document()
    document.add_paragraph("市教育局要在9月1日前建成5所公办幼儿园。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "市发展和改革局"
    table.cell(0, 1).text = "年底前完成"
    out = io.BytesIO()
    document.save(out)
    source = upload(world, "讲话.docx", out.getvalue())
    assert "建成5所公办幼儿园" in source.text
    assert "市发展和改革局\t年底前完成" in source.text
    assert source.original_name == "讲话.docx"


def test_a_gbk_text_file_is_read(world):
    source = upload(world, "纪要.txt", "会议要求市教育局抓好落实。".encode("gb18030"))
    assert source.text == "会议要求市教育局抓好落实。"


def test_pasted_text_must_not_be_empty(world):
    with pytest.raises(AppError) as caught:
        services.create_source(
            world.city.staff, world.city.conference, SourceInput(title="讲话", text="  "), items=[]
        )
    assert "text" in caught.value.fields
