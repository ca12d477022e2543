"""Proposal exports: the list as .xlsx, the official reply form and the session compilation as .docx.

Each function loads what it prints with a fixed number of queries (select/prefetch), whatever the rows.
The .docx files name Chinese fonts (宋体 for titles, 仿宋 for text); the reader's machine supplies them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xieshang.conferences.models import Session

from . import stats
from .models import Assignment, AssignmentRole, CoSigner, Evaluation, Proposal, ProposalState, Reply

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
LIST_HEADERS = ["案号", "案由", "提案人", "类别", "状态", "承办单位", "办理时限", "答复结果", "评价"]
LIST_WIDTHS = [12, 48, 16, 12, 12, 40, 14, 12, 14]
COMPILED_STATES = [
    ProposalState.ACCEPTED,
    ProposalState.ASSIGNED,
    ProposalState.REPLIED,
    ProposalState.EVALUATED,
    ProposalState.CLOSED,
]
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")

# ---------------------------------------------------------------------------- loading


def _with_handling(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The proposals with everything the exports print, in a fixed number of queries."""
    return queryset.select_related("proposer", "category", "session", "conference").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(state=Assignment.State.WITHDRAWN).select_related("unit"),
        ),
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("assignment__unit", "evaluation").order_by(
                "submitted_at", "id"
            ),
        ),
        Prefetch("cosigners", queryset=CoSigner.objects.select_related("user").order_by("id")),
    )


def _proposer(p: Proposal) -> str:
    """The author, or the collective's name; confirmed co-signers follow the author."""
    if p.collective_name:
        return p.collective_name
    names = [str(p.proposer)]
    names += [str(c.user) for c in p.cosigners.all() if c.state == CoSigner.State.CONFIRMED]
    return "、".join(names)


def _units(p: Proposal) -> str:
    return "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in p.assignments.all())


def _letters(p: Proposal) -> list[Reply]:
    return [r for r in p.replies.all() if r.kind == Reply.Kind.LETTER]


def _evaluation(reply: Reply) -> Evaluation | None:
    try:
        return reply.evaluation
    except Evaluation.DoesNotExist:
        return None


def _latest_letters(p: Proposal) -> list[Reply]:
    """The last letter of each unit (a re-handled unit's second letter replaces its first)."""
    latest: dict[int, Reply] = {}
    for r in _letters(p):
        latest[r.assignment_id] = r
    return list(latest.values())


# ---------------------------------------------------------------------------- xlsx


def _sheet_header(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "A2"


def _finish_sheet(ws: Worksheet) -> None:
    ws.auto_filter.ref = ws.dimensions
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def proposals_xlsx(queryset: QuerySet[Proposal]) -> bytes:
    """The (filtered) proposal list as a spreadsheet with a frozen, filterable Chinese header row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "提案列表"
    _sheet_header(ws, LIST_HEADERS, LIST_WIDTHS)
    for p in _with_handling(queryset):
        letters = _latest_letters(p)
        dues = [a.due_on for a in p.assignments.all() if a.role != AssignmentRole.CO]
        verdicts = [e.get_verdict_display() for r in letters if (e := _evaluation(r))]
        ws.append(
            [
                p.number_label,
                p.title,
                _proposer(p),
                p.category.name if p.category else "",
                p.get_state_display(),
                _units(p),
                max(dues) if dues else None,
                "、".join(f"{r.outcome}类" for r in letters if r.outcome),
                "、".join(verdicts),
            ]
        )
        ws.cell(row=ws.max_row, column=7).number_format = "yyyy-mm-dd"
    _finish_sheet(ws)
    return _workbook_bytes(wb)


def _pct(value: float) -> str:
    return f"{value:.1%}"


def annual_report_xlsx(conference_id: int, year: int) -> bytes:
    """The annual report's figures on one sheet and the per-unit table on another."""
    report = stats.annual_report(conference_id, year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "年度概况"
    _sheet_header(ws, ["项目", "数值"], [28, 18])
    rows: list[tuple[str, Any]] = [
        ("政协", report.conference),
        ("年度", report.year),
        ("收到提案（件）", report.received),
        ("立案（件）", report.accepted),
        ("并案（件）", report.merged),
        ("不予立案（件）", report.rejected),
        ("转社情民意（件）", report.converted),
        ("退回修改（件）", report.returned),
        ("待审查（件）", report.pending),
        ("立案率", _pct(report.acceptance_rate)),
        ("交办（件）", report.assigned),
        ("已答复（件）", report.replied),
        ("办复率", _pct(report.reply_rate)),
        ("答复函（份）", report.letters),
        ("按时答复率", _pct(report.on_time_rate)),
    ]
    rows += [(f"{o}类答复占比", _pct(report.outcome_shares[o])) for o in stats.OUTCOMES]
    rows += [
        ("委员评价（份）", report.evaluations),
        ("满意", report.satisfied),
        ("基本满意", report.basic),
        ("不满意", report.unsatisfied),
        ("满意率", _pct(report.satisfaction_rate)),
        ("重点提案（件）", report.key_proposals),
    ]
    for row in rows:
        ws.append(list(row))
    _finish_sheet(ws)
    units = wb.create_sheet("承办单位")
    _sheet_header(
        units,
        [
            "承办单位",
            "交办（件）",
            "答复（次）",
            "按时答复（次）",
            "按时答复率",
            "评价（份）",
            "满意率",
            "逾期（件）",
        ],
        [30, 12, 12, 14, 12, 12, 12, 12],
    )
    for u in report.units:
        units.append(
            [
                u.unit,
                u.assigned,
                u.replied,
                u.on_time,
                _pct(u.on_time_rate),
                u.evaluations,
                _pct(u.satisfied_rate),
                u.overdue,
            ]
        )
    _finish_sheet(units)
    return _workbook_bytes(wb)


# ---------------------------------------------------------------------------- docx


def _font(run: Any, name: str, size: float | None = None, *, bold: bool = False) -> Any:
    """Name the font for Latin and East Asian text alike; Word needs the eastAsia attribute for Chinese."""
    run.font.name = name
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _new_document() -> DocxDocument:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(12)  # type: ignore[attr-defined]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.6)
    return doc


def _title(doc: DocxDocument, text: str, level: int = 0, size: float = 20) -> Paragraph:
    heading = doc.add_heading(level=level)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 0 else WD_ALIGN_PARAGRAPH.LEFT
    _font(heading.add_run(text), TITLE_FONT, size, bold=True)
    return heading


def _para(doc: DocxDocument | _Cell, text: str, *, size: float = 12, bold: bool = False) -> Paragraph:
    paragraph = doc.add_paragraph()
    _font(paragraph.add_run(text), BODY_FONT, size, bold=bold)
    return paragraph


def _cell(cell: _Cell, text: str, *, bold: bool = False) -> None:
    """Write text (keeping its line breaks as paragraphs) into a table cell."""
    lines = (text or "").splitlines() or [""]
    first = cell.paragraphs[0]
    _font(first.add_run(lines[0]), BODY_FONT, 12, bold=bold)
    for line in lines[1:]:
        _para(cell, line)


def _docx_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%Y年%m月%d日}"


def _reply_form(doc: DocxDocument, p: Proposal, reply: Reply | None) -> None:
    _title(doc, f"{p.conference.name}提案办理情况答复表")
    _para(
        doc, f"{p.session}　　　　填表日期：{_date(timezone.now())}", size=11
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    evaluation = _evaluation(reply) if reply else None
    contact = " / ".join(x for x in [reply.contact_person, reply.contact_phone] if x) if reply else ""
    rows = [
        ("案号", p.number_label),
        ("案由", p.title),
        ("提案人", _proposer(p)),
        (
            "承办单位",
            f"{reply.assignment.unit.name}（{reply.assignment.get_role_display()}）" if reply else _units(p),
        ),
        ("交办日期", _date(reply.assignment.assigned_at) if reply else ""),
        ("答复日期", _date(reply.submitted_at) if reply else ""),
        ("办理轮次", f"第{reply.round}轮" if reply else ""),
        ("办理结果分类", reply.get_outcome_display() if reply and reply.outcome else "□A　□B　□C　□D"),
        ("答复内容", reply.body if reply else ""),
        ("签发人", reply.signed_by if reply else ""),
        ("联系人/电话", contact),
        (
            "委员意见",
            f"{evaluation.get_verdict_display()}　{evaluation.comment}".strip()
            if evaluation
            else "□满意　□基本满意　□不满意",
        ),
        ("评价日期", _date(evaluation.evaluated_at) if evaluation else ""),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (label, value), row in zip(rows, table.rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(3.6), Cm(12.4)
        _cell(row.cells[0], label, bold=True)
        _cell(row.cells[1], value)


def reply_form_docx(proposal: Proposal) -> bytes:
    """The official reply form (提案办理情况答复表): one page per reply letter, or a blank form before any."""
    p = _with_handling(Proposal.objects.filter(pk=proposal.pk)).get()
    letters = _letters(p)
    doc = _new_document()
    for i, reply in enumerate(letters or [None]):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _reply_form(doc, p, reply)
    return _docx_bytes(doc)


def _compiled(session: Session, proposals: Iterable[Proposal] | None) -> list[Proposal]:
    if proposals is None:
        qs = Proposal.objects.all()
    elif isinstance(proposals, QuerySet):
        qs = proposals
    else:
        qs = Proposal.objects.filter(pk__in=[p.pk for p in proposals])
    qs = qs.filter(session=session, state__in=COMPILED_STATES).order_by(
        "category__order", "category__name", "number"
    )
    return list(_with_handling(qs))


def compilation_docx(session: Session, proposals: Iterable[Proposal] | None = None) -> bytes:
    """The session's accepted proposals as a compilation (提案汇编): contents by category, then each text."""
    items = _compiled(session, proposals)
    doc = _new_document()
    _title(doc, f"{session.conference.name}{session}")
    _title(doc, "提案汇编", size=26)
    _para(doc, f"共收录提案 {len(items)} 件", size=12).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _title(doc, "目　录", size=16)
    groups: dict[str, list[Proposal]] = {}
    for p in items:
        groups.setdefault(p.category.name if p.category else stats.UNCATEGORISED, []).append(p)
    for category, members in groups.items():
        _para(doc, category, size=14, bold=True)
        for p in members:
            _para(doc, f"{p.number_label}　{p.title}（{_proposer(p)}）")
    for category, members in groups.items():
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(doc, category, level=1, size=16)
        for p in members:
            _title(doc, f"{p.number_label}　{p.title}", level=2, size=14)
            _para(doc, f"提案人：{_proposer(p)}")
            _para(doc, "情况分析", bold=True)
            for line in p.analysis.splitlines() or [""]:
                _para(doc, line)
            _para(doc, "具体建议", bold=True)
            for line in p.recommendations.splitlines() or [""]:
                _para(doc, line)
    return _docx_bytes(doc)
