"""Duty exports: the annual report card as .docx and .pdf, the ranking as .xlsx.

The .docx names 宋体 (the reader's machine supplies it); the .pdf embeds a subset of the CJK font the
server has (Noto Serif CJK SC, else any serif font fontconfig finds with Chinese glyphs).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .models import DutyScore
from .selectors import Card

FONT = "宋体"
RANKING_HEADERS = ["名次", "姓名", "专委会", "界别", "总分", "等次", "分类得分", "预警"]
RANKING_WIDTHS = [8, 16, 20, 16, 10, 10, 60, 60]


def _font(run: Any, size: float, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def card_docx(card: Card) -> bytes:
    """The report card (履职成绩单) as a Word document in 宋体."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # type: ignore[union-attr]
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{card.conference.name}委员 {card.year} 年度履职成绩单"), 18, bold=True)
    member = card.member
    info = [
        f"姓名：{card.user}",
        f"专委会：{member.committee if member and member.committee else '—'}",
        f"界别：{member.sector if member and member.sector else '—'}",
        f"积分细则：{card.rule_name}",
    ]
    _font(doc.add_paragraph().add_run("　".join(info)), 11)
    summary = doc.add_paragraph()
    _font(summary.add_run(f"年度总分：{card.total:g}"), 14, bold=True)
    if card.level:
        _font(summary.add_run(f"　等次：{card.level}"), 14, bold=True)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["类别", "得分"], strict=True):
        _font(cell.paragraphs[0].add_run(text), 11, bold=True)
    for c in card.categories:
        row = table.add_row().cells
        _font(row[0].paragraphs[0].add_run(c.label), 11)
        _font(row[1].paragraphs[0].add_run(f"{c.points:g}"), 11)
    if card.warnings:
        heading = doc.add_paragraph()
        _font(heading.add_run("履职预警"), 13, bold=True)
        for w in card.warnings:
            _font(doc.add_paragraph().add_run(f"【{w['label']}】{w['message']}"), 11)
    heading = doc.add_paragraph()
    _font(heading.add_run("积分明细"), 13, bold=True)
    detail = doc.add_table(rows=1, cols=5)
    detail.style = "Table Grid"
    for cell, text in zip(detail.rows[0].cells, ["日期", "类别", "事项", "来源", "得分及依据"], strict=True):
        _font(cell.paragraphs[0].add_run(text), 10.5, bold=True)
    for c in card.categories:
        for line in c.lines:
            cells = detail.add_row().cells
            values = [
                f"{line.occurred_on:%Y-%m-%d}" if line.occurred_on else "",
                c.label,
                f"{line.kind_label}{'（' + line.role_label + '）' if line.role_label else ''} {line.title}",
                line.source_label,
                f"{line.points:g}（{line.reason}）",
            ]
            for cell, text in zip(cells, values, strict=True):
                _font(cell.paragraphs[0].add_run(text), 10.5)
    footer = doc.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(footer.add_run(f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}"), 9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def card_pdf(card: Card) -> bytes:
    """The report card as PDF (weasyprint), with the CJK font subset embedded."""
    from weasyprint import HTML

    html = render_to_string("duty/card_pdf.html", {"card": card, "now": timezone.localtime()})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def ranking_xlsx(scores: Iterable[DutyScore]) -> bytes:
    """The ranking as an Excel sheet, one row per member, in the order given."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "履职排名"
    ws.append(RANKING_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(horizontal="center")
    for i, width in enumerate(RANKING_WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for n, s in enumerate(scores, start=1):
        ws.append(
            [
                n,
                str(s.user),
                getattr(s, "committee_name", None) or "",
                getattr(s, "sector_name", None) or "",
                s.total,
                s.level,
                "；".join(f"{c['label']} {c['points']:g}" for c in s.by_category.values()),
                "；".join(w["message"] for w in s.warnings),
            ]
        )
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
