"""Archive leftovers of the culture work: a volume compiled into .pdf with its Chinese text and an embedded
CJK font, and staff correcting an item (text, metadata, a replaced file checked like a new one)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from xieshang.core.errors import AppError, ErrorCode
from xieshang.publishing import archive
from xieshang.publishing.models import ArchiveItem, ArchiveItemState

from ..conftest import Side

PDF = b"%PDF-1.4\n% archive test\n"


def _item(side: Side, title: str = "老城区码头的变迁") -> ArchiveItem:
    data = archive.ItemInput(
        title=title,
        kind="memoir",
        text="一九五六年，码头改建。\n老船工回忆当年的号子。",
        period="1950年代",
        place="东关码头",
        people="王大顺，李桂兰",
        subjects="航运",
    )
    return archive.submit_item(side.member, side.conference, data)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            obj = font.get_object()
            descendants = obj.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else obj
            descriptor = target.get("/FontDescriptor")
            if descriptor and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                fonts.add(str(target.get("/BaseFont")))
    return fonts


# ---------------------------------------------------------------------------- the volume as .pdf


def test_a_volume_compiles_into_a_pdf_with_the_chinese_text_and_an_embedded_font(world):
    staff = world.city.staff
    collection = archive.create_collection(staff, world.city.conference, title="示范文史")
    volume = archive.create_volume(staff, collection, title="码头记忆")
    for title in ["老城区码头的变迁", "船工号子的最后传人"]:
        item = archive.review_item(staff, _item(world.city, title))
        archive.place_item(staff, item, volume)
    archive.place_item(staff, archive.review_item(staff, _item(world.city, "未收录的稿件")), None)

    response = _client(staff).get(reverse("publishing:archive_volume_pdf", args=[volume.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "示范文史" in text and "第1辑" in text and "码头记忆" in text
    assert "老城区码头的变迁" in text and "船工号子的最后传人" in text
    assert "老船工回忆当年的号子" in text and "王大顺、李桂兰" in text
    assert "未收录的稿件" not in text
    assert any("CJK" in f or "Han" in f or "Song" in f for f in _embedded_fonts(reader))


def test_only_the_conferences_office_downloads_the_volume_pdf(world):
    staff = world.city.staff
    collection = archive.create_collection(staff, world.city.conference, title="示范文史")
    volume = archive.create_volume(staff, collection)
    url = reverse("publishing:archive_volume_pdf", args=[volume.pk])
    assert _client(world.county.staff).get(url).status_code == 404
    assert _client(world.city.member).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


# ---------------------------------------------------------------------------- editing an item


def _edit_data(**kw: str) -> dict[str, str]:
    data = {
        "kind": "oral_history",
        "title": "东关码头的变迁",
        "text": "一九五六年，码头改建为客货两用。",
        "period": "1950年代",
        "place": "东关码头",
        "people": "王大顺、李桂兰、陈阿四",
        "subjects": "航运,城市变迁",
        "contributor_name": "",
    }
    return data | kw


def test_staff_correct_an_item_and_a_published_one_changes_on_the_portal_at_once(world):
    staff = world.city.staff
    item = archive.publish_item(staff, archive.review_item(staff, _item(world.city)))
    client = _client(staff)
    url = reverse("publishing:archive_edit", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_data(version=str(item.version)))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "东关码头的变迁" and item.kind == "oral_history"
    assert item.people == "王大顺,李桂兰,陈阿四" and item.state == ArchiveItemState.PUBLISHED
    portal = Client().get(reverse("public:archive_item", args=["city", item.pk])).content.decode()
    assert "东关码头的变迁" in portal and "客货两用" in portal
    timeline = client.get(reverse("publishing:archive_item", args=[item.pk])).content.decode()
    assert "修改文史资料" in timeline


def test_an_edit_with_a_stale_version_or_bad_input_changes_nothing(world):
    staff = world.city.staff
    item = _item(world.city)
    client = _client(staff)
    url = reverse("publishing:archive_edit", args=[item.pk])
    stale = client.post(url, _edit_data(version="99"))
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    empty = client.post(url, _edit_data(title="", version=str(item.version)))
    assert empty.status_code == 400
    item.refresh_from_db()
    assert item.title == "老城区码头的变迁" and item.version == 1


def test_only_the_conferences_staff_edit_and_never_a_rejected_item(world):
    item = _item(world.city)
    url = reverse("publishing:archive_edit", args=[item.pk])
    assert _client(world.city.leader).get(url).status_code == 403
    assert _client(world.city.member).get(url).status_code == 404
    assert _client(world.county.staff).get(url).status_code == 404
    data = archive.ItemInput(title="改", kind="memoir")
    for user in [world.city.member, world.city.leader, world.county.staff]:
        with pytest.raises(AppError) as refused:
            archive.update_item(user, item, data)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    rejected = archive.reject_item(world.city.staff, item)
    with pytest.raises(AppError) as closed:
        archive.update_item(world.city.staff, rejected, data)
    assert closed.value.code == ErrorCode.INVALID_STATE
    assert _client(world.city.staff).get(url).status_code == 403
    assert ArchiveItem.objects.get(pk=item.pk).title == "老城区码头的变迁"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.exe", b"MZ\x90\x00", "不支持"),
        ("scan.pdf", b"<html><script>", "不符"),
        ("scan.pdf", PDF + b"0" * (archive.ARCHIVE_MAX_MB * 1024 * 1024), "超过"),
    ],
)
def test_a_replaced_file_is_checked_and_a_refused_one_keeps_the_old(world, name, content, message):
    staff = world.city.staff
    item = archive.submit_item(
        world.city.member,
        world.city.conference,
        archive.ItemInput(title="老照片", kind="photo"),
        upload=SimpleUploadedFile("old.pdf", PDF),
    )
    old = item.file.name
    response = _client(staff).post(
        reverse("publishing:archive_edit", args=[item.pk]),
        _edit_data(version=str(item.version)) | {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400 and message in response.content.decode()
    item.refresh_from_db()
    assert item.file.name == old and item.original_name == "old.pdf" and item.title == "老照片"


def test_a_replaced_file_named_with_dot_dot_is_stored_under_a_safe_random_name(world):
    staff = world.city.staff
    item = _item(world.city)
    data = archive.ItemInput(title="老照片", kind="photo")
    item = archive.update_item(staff, item, data, upload=SimpleUploadedFile("../../../etc/cron.d/x.pdf", PDF))
    assert item.original_name == "x.pdf"
    assert item.file.name.startswith("archive/") and ".." not in item.file.name
    response = _client(staff).get(reverse("publishing:archive_file", args=[item.pk]))
    assert "x.pdf" in response["Content-Disposition"] and "attachment" in response["Content-Disposition"]
