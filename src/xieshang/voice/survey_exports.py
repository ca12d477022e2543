"""A questionnaire's results as .xlsx: one sheet of raw answers (a row per answer sheet, a column per
question) and one sheet of summaries (counts per option, scale means, free-text themes)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from . import survey as svc
from .models import QuestionKind, Survey, SurveyAnswer

RAW_SHEET = "原始答卷"
SUMMARY_SHEET = "汇总"
HEADER_FILL = PatternFill("solid", fgColor="F3E8E8")
PUBLIC = "公众"


def _cell(value: Any) -> Any:
    """Texts that a spreadsheet would read as a formula are kept as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _header(ws: Any, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def survey_xlsx(survey: Survey) -> bytes:
    """The workbook of one questionnaire's answers."""
    questions = svc.questions_of(survey)
    results = svc.results(survey)
    wb = Workbook()
    raw = wb.active
    raw.title = RAW_SHEET
    _header(raw, ["答卷编号", "提交时间", "答卷人", *[f"{q.position}. {q.text}" for q in questions]])
    cells: dict[tuple[int, int], list[str]] = {}
    rows = SurveyAnswer.objects.filter(response__survey=survey).select_related("choice").order_by("id")
    for a in rows:
        if a.choice_id and a.choice is not None:
            value = a.choice.label
        elif a.scale is not None:
            value = str(a.scale)
        else:
            value = a.text
        cells.setdefault((a.response_id, a.question_id), []).append(value)
    for response in survey.responses.select_related("respondent").order_by("id"):
        who = str(getattr(response.respondent, "display_name", "") or response.respondent or PUBLIC)
        line: list[Any] = [
            response.pk,
            timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M"),
            who,
        ]
        for q in questions:
            values = cells.get((response.pk, q.pk), [])
            if q.kind == QuestionKind.SCALE and values:
                line.append(int(values[0]))
            else:
                line.append(_cell("；".join(values)))
        raw.append(line)
    raw.column_dimensions["B"].width = 18
    summary = wb.create_sheet(SUMMARY_SHEET)
    _header(summary, ["题号", "题目", "选项 / 分值 / 主题", "人数", "占比（%）", "平均分"])
    summary.append(["", "答卷总数", "", results.responses, "", ""])
    if results.rate is not None:
        summary.append(["", "应答人数（委员和专家组）", "", results.audience, "", ""])
        summary.append(["", "回收率", "", results.known_responses, results.rate, ""])
    for r in results.questions:
        q = r.question
        head = [q.position, _cell(q.text)]
        if q.kind == QuestionKind.TEXT:
            summary.append([*head, "（作答人数）", r.answered, "", ""])
            for theme in r.themes:
                summary.append(["", "", _cell(theme.name), theme.count, "", ""])
            continue
        summary.append([*head, "（作答人数）", r.answered, "", r.mean if r.mean is not None else ""])
        for row in r.options or r.distribution:
            summary.append(["", "", _cell(row.label), row.count, row.percent, ""])
    for ws, widths in ((summary, [8, 40, 30, 10, 12, 10]),):
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
