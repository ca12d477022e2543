"""A journal issue as .docx in the layout of 《社情民意》: masthead, issue number, editor and date,
contents, then each report with its title, author and text.

The .docx names Chinese fonts (宋体 for titles, 仿宋 for text) for East Asian text as well
(rPr/rFonts w:eastAsia); the reader's machine supplies them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .models import JournalIssue, OpinionReport

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
MASTHEAD_RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run: Any, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> Any:
    """Name the font for Latin and East Asian text alike; Word needs the eastAsia attribute for Chinese."""
    run.font.name = name
    run.font.bold = bold
    run.font.size = Pt(size)
    run.font.color.rgb = color or RGBColor(0, 0, 0)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _para(
    doc: DocxDocument,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
    color: RGBColor | None = None,
    indent: bool = False,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _new_document() -> DocxDocument:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(16)  # type: ignore[attr-defined]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for section in doc.sections:
        section.top_margin = Cm(3.7)
        section.bottom_margin = Cm(3.5)
        section.left_margin = Cm(2.8)
        section.right_margin = Cm(2.6)
    return doc


def _date(issue: JournalIssue) -> str:
    day = issue.published_on
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def issue_docx(issue: JournalIssue, reports: Sequence[OpinionReport]) -> bytes:
    """The issue as one .docx: 《社情民意》, 第N期, 政协XX委员会办公室编 and the date, contents, reports."""
    doc = _new_document()
    _para(doc, "社情民意", font=TITLE_FONT, size=48, bold=True, center=True, color=MASTHEAD_RED)
    _para(doc, f"{issue.year}年第{issue.number}期", size=16, center=True)
    _para(doc, f"{issue.conference.name}办公室编　　　　{_date(issue)}", size=14, center=True)
    _para(doc, "—" * 24, size=12, center=True, color=MASTHEAD_RED)
    if issue.title:
        _para(doc, issue.title, font=TITLE_FONT, size=18, bold=True, center=True)
    _para(doc, "目　录", font=TITLE_FONT, size=16, bold=True, center=True)
    for index, report in enumerate(reports, start=1):
        _para(doc, f"{index}．{report.title}（{report.author_label}）", size=14)
    for report in reports:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, report.title, font=TITLE_FONT, size=22, bold=True, center=True)
        _para(doc, report.author_label, size=16, center=True)
        for heading, text in [
            ("一、基本情况", report.facts),
            ("二、问题分析", report.analysis),
            ("三、意见建议", report.suggestions),
        ]:
            if not text.strip():
                continue
            _para(doc, heading, font="黑体", size=16)
            for line in text.splitlines():
                if line.strip():
                    _para(doc, line.strip(), indent=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
