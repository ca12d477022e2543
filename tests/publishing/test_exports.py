"""A journal issue exported to .docx and .pdf opens and holds the Chinese text; only its own staff and
leaders may download it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from xieshang.opinions import services as opinion_services
from xieshang.publishing import exports, selectors, services

from ..opinions import walk as opinion_walk
from . import walk


@pytest.fixture
def issue(world):  # type: ignore[no-untyped-def]
    staff = world.city.staff
    journal = services.create_journal(staff, world.city.conference, name="示范市政协")
    issue = services.create_issue(staff, journal, title="民生专题")
    article = walk.published(world.city, title="市政协视察城乡供水一体化工作")
    report = opinion_walk.adopted(world.city, title="关于规范城区夜市占道经营的建议")
    opinion_services.set_public(staff, report, public=True)
    services.add_item(staff, issue, article_id=article.pk)
    services.add_item(staff, issue, report_id=report.pk)
    return services.publish_issue(staff, issue)


def test_the_docx_opens_and_holds_the_masthead_and_every_title(issue):
    content = exports.issue_docx(issue, selectors.issue_items(issue))
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "示范市政协" in text and f"{issue.year}年第1期" in text and "民生专题" in text
    assert text.count("市政协视察城乡供水一体化工作") == 2  # contents and the article itself
    assert "关于规范城区夜市占道经营的建议" in text and "三、意见建议" in text


def test_the_pdf_embeds_a_chinese_font_and_holds_the_text(issue):
    content = exports.issue_pdf(issue, selectors.issue_items(issue))
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "市政协视察城乡供水一体化工作" in text
    assert "关于规范城区夜市占道经营的建议" in text
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
    assert any("CJK" in f or "Han" in f or "Song" in f for f in fonts), fonts


def test_exports_are_for_the_conferences_office_only(client, world, issue):
    docx, pdf = (
        reverse("publishing:issue_docx", args=[issue.pk]),
        reverse("publishing:issue_pdf", args=[issue.pk]),
    )
    client.force_login(world.city.leader)
    assert client.get(docx).status_code == 200
    response = client.get(pdf)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    for user in [world.county.staff, world.city.member]:
        client.force_login(user)
        assert client.get(docx).status_code == 404
        assert client.get(pdf).status_code == 404
