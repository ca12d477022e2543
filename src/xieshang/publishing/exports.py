"""A journal issue in print layout: .docx (python-docx, fonts named for East Asian text) and .pdf
(weasyprint, a subset of the server's CJK font embedded: Noto Serif CJK SC, else any serif font
fontconfig finds with Chinese glyphs).

Both render the same pieces: masthead, issue number, editor and date, contents, then each item with
its title, byline and text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .models import IssueItem, JournalIssue

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
MASTHEAD_RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass
class Piece:
    """One printed item: its title, the line under it and its sections (heading, paragraphs)."""

    title: str
    byline: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def piece(item: IssueItem) -> Piece:
    """What an issue prints for one item, whatever its source."""
    if item.article is not None:
        a = item.article
        sections = [("", _paragraphs(a.body))]
        return Piece(a.title, str(a.get_kind_display()), sections)
    if item.proposal is not None:
        p = item.proposal
        proposer = p.collective_name or str(p.proposer)
        return Piece(
            p.title,
            f"{p.number_label}　提案人：{proposer}",
            [("情况分析", _paragraphs(p.analysis)), ("具体建议", _paragraphs(p.recommendations))],
        )
    r = item.report
    assert r is not None
    return Piece(
        r.title,
        r.author_label,
        [
            ("一、基本情况", _paragraphs(r.facts)),
            ("二、问题分析", _paragraphs(r.analysis)),
            ("三、意见建议", _paragraphs(r.suggestions)),
        ],
    )


def _date(issue: JournalIssue) -> str:
    day = issue.published_on
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未出版）"


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


def issue_docx(issue: JournalIssue, items: Sequence[IssueItem]) -> bytes:
    """The issue as one .docx: masthead, 2026年第N期, editor and date, contents, then every item."""
    pieces = [piece(i) for i in items]
    doc = _new_document()
    _para(doc, issue.journal.name, font=TITLE_FONT, size=40, bold=True, center=True, color=MASTHEAD_RED)
    _para(doc, f"{issue.year}年第{issue.number}期", size=16, center=True)
    _para(doc, f"{issue.conference.name}办公室编　　　　{_date(issue)}", size=14, center=True)
    _para(doc, "—" * 24, size=12, center=True, color=MASTHEAD_RED)
    if issue.title:
        _para(doc, issue.title, font=TITLE_FONT, size=18, bold=True, center=True)
    _para(doc, "目　录", font=TITLE_FONT, size=16, bold=True, center=True)
    for index, p in enumerate(pieces, start=1):
        _para(doc, f"{index}．{p.title}", size=14)
    for p in pieces:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, p.title, font=TITLE_FONT, size=22, bold=True, center=True)
        _para(doc, p.byline, size=16, center=True)
        for heading, lines in p.sections:
            if not lines:
                continue
            if heading:
                _para(doc, heading, font=HEADING_FONT, size=16)
            for line in lines:
                _para(doc, line, indent=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def issue_pdf(issue: JournalIssue, items: Sequence[IssueItem]) -> bytes:
    """The issue as PDF (A4, masthead in red, body in a serif CJK font whose subset is embedded)."""
    from weasyprint import HTML

    html = render_to_string(
        "publishing/issue_pdf.html",
        {"issue": issue, "pieces": [piece(i) for i in items], "date": _date(issue)},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
