"""An indicator across regions and periods as .xlsx."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .selectors import Board

BELOW_FILL = PatternFill("solid", fgColor="F8D7DA")


def board_xlsx(b: Board) -> bytes:
    """Two sheets: the ranking of the period (below target filled red) and the trend over periods."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "排名"
    sheet.append([f"{b.indicator}　{b.period}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["排名", "地区", "数值", "是否达标"])
    for row in b.rows:
        sheet.append([row.rank, row.region.name, row.value, "未达标" if row.below else "达标"])
        if row.below:
            for cell in sheet[sheet.max_row]:
                cell.fill = BELOW_FILL
    if b.average is not None:
        sheet.append(["", "全省平均", b.average, ""])
    if b.bar is not None:
        sheet.append(["", "目标", b.bar, ""])
    trend = book.create_sheet("趋势")
    trend.append(["地区", *b.periods])
    for name, values in b.trend.items():
        trend.append([name, *values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
