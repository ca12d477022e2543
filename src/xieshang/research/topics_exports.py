"""A forum's proceedings (论坛成果汇编) and a topic's report, in print layout: .docx (python-docx, fonts
named for East Asian text) and .pdf (weasyprint, the server's CJK serif font subset embedded, as the
journals do)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .models import Forum, ForumSubmission, ResearchTopic

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"


@dataclass
class Paper:
    """One printed report: its title, the conference it comes from and its paragraphs."""

    title: str
    byline: str
    paragraphs: list[str]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paper(submission: ForumSubmission) -> Paper:
    """What the proceedings print for one submission; an uploaded file without text is named."""
    lines = _paragraphs(submission.text)
    if not lines and submission.original_name:
        lines = [f"（报告全文见附件：{submission.original_name}）"]
    return Paper(submission.title, submission.conference.name, lines)


def _date(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _run(paragraph: Any, text: str, font: str, size: float, *, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.bold = bold
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(
    doc: DocxDocument,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _run(paragraph, text, font, size, bold=bold)


def _document() -> DocxDocument:
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


def _save(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def proceedings_docx(forum: Forum, submissions: Sequence[ForumSubmission]) -> bytes:
    """The forum's proceedings as one .docx: cover, contents, then each conference's report."""
    papers = [paper(s) for s in submissions]
    doc = _document()
    _para(doc, forum.theme, font=TITLE_FONT, size=26, bold=True, center=True)
    _para(doc, "论坛成果汇编", font=TITLE_FONT, size=22, bold=True, center=True)
    _para(doc, f"{forum.conference.name}　编", size=16, center=True)
    _para(doc, f"{_date(forum.held_on)}　{forum.place}".strip(), size=16, center=True)
    _para(doc, "目　录", font=TITLE_FONT, size=16, bold=True, center=True)
    for index, p in enumerate(papers, start=1):
        _para(doc, f"{index}．{p.title}（{p.byline}）", size=14, center=False)
    for p in papers:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, p.title, font=TITLE_FONT, size=22, bold=True, center=True)
        _para(doc, p.byline, size=16, center=True)
        for line in p.paragraphs:
            _para(doc, line)
    return _save(doc)


def proceedings_pdf(forum: Forum, submissions: Sequence[ForumSubmission]) -> bytes:
    """The forum's proceedings as PDF (A4, a serif CJK font whose subset is embedded)."""
    from weasyprint import HTML

    html = render_to_string(
        "research/topics/proceedings_pdf.html",
        {"forum": forum, "papers": [paper(s) for s in submissions], "date": _date(forum.held_on)},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def report_docx(topic: ResearchTopic) -> bytes:
    """The topic's submitted report (or its latest draft) as a .docx."""
    draft = topic.report or topic.drafts.order_by("-number").first()
    doc = _document()
    _para(doc, draft.title if draft else topic.title, font=TITLE_FONT, size=22, bold=True, center=True)
    _para(doc, f"{topic.conference.name}　{topic.get_kind_display()}", size=16, center=True)
    committee = topic.lead_committee.name if topic.lead_committee else topic.proposer_name
    _para(doc, f"牵头：{committee}", size=16, center=True)
    for line in _paragraphs(draft.text if draft else topic.background):
        _para(doc, line)
    return _save(doc)
