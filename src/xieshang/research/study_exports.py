"""Study exports: a quiz's results as .xlsx (takers with their best mark, then each question's rate)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .models import Quiz
from .study_selectors import QuizResults

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
RESULT_HEADERS = ["序号", "姓名", "得分", "答对题数", "题数", "是否合格", "第几次作答", "交卷时间"]
QUESTION_HEADERS = ["序号", "题型", "题干", "作答人次", "答对人次", "正确率（%）"]


def _header(ws: object, row: int) -> None:
    for cell in ws[row]:  # type: ignore[index]
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")


def results_xlsx(quiz: Quiz, results: QuizResults) -> bytes:
    """Two sheets: 成绩 (one line per taker, then the figures) and 各题正确率."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "成绩"
    ws.append([quiz.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"合格分：{quiz.pass_mark}　参加人数：{results.takers}　合格人数：{results.passers}"
            f"　合格率：{results.pass_rate}%　平均分：{results.average}"
        ]
    )
    ws.append(RESULT_HEADERS)
    _header(ws, 3)
    for n, attempt in enumerate(results.rows, start=1):
        submitted = (
            timezone.localtime(attempt.submitted_at).strftime("%Y-%m-%d %H:%M")
            if attempt.submitted_at
            else ""
        )
        ws.append(
            [
                n,
                str(attempt.user),
                attempt.score,
                attempt.correct_count,
                attempt.total,
                "合格" if attempt.passed else "不合格",
                attempt.number,
                submitted,
            ]
        )
    for column, width in zip("ABCDEFGH", [6, 16, 8, 10, 8, 10, 12, 18], strict=True):
        ws.column_dimensions[column].width = width
    qs = wb.create_sheet("各题正确率")
    qs.append(QUESTION_HEADERS)
    _header(qs, 1)
    for n, (question, answered, correct) in enumerate(results.per_question, start=1):
        rate = round(100 * correct / answered, 1) if answered else 0
        qs.append([n, str(question.get_kind_display()), question.text, answered, correct, rate])
    qs.column_dimensions["C"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
