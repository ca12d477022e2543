"""The ledger (台账) as .xlsx in its usual layout; loads everything with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import OwnerRole, Task

HEADERS = ["序号", "工作任务", "责任单位", "配合单位", "完成时限", "目标", "进展情况", "状态"]
WIDTHS = [6, 50, 24, 24, 14, 20, 40, 12]
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _units(task: Task, role: str) -> str:
    return "、".join(o.unit.name for o in task.owners.all() if o.role == role)


def ledger_xlsx(title: str, tasks: Iterable[Task], day: dt.date) -> bytes:
    """The tasks (owners prefetched) as a sheet: a title row, then 序号 … 状态; overdue marked."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "督办台账"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for n, task in enumerate(tasks, start=1):
        state = str(task.get_state_display())
        if task.is_overdue_on(day):
            state += "（逾期）"
        sheet.append(
            [
                n,
                task.action,
                _units(task, OwnerRole.LEAD),
                _units(task, OwnerRole.COOP),
                task.due_on.isoformat() if task.due_on else "",
                task.target,
                task.latest_progress,
                state,
            ]
        )
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
