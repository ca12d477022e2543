"""Activity exports: the attendance sheet (.xlsx), the sign-in sheet (.pdf) and the check-in QR code (SVG).

The PDF is drawn by WeasyPrint from HTML with the locally installed Noto CJK fonts, which it embeds.
"""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Activity
from .selectors import RosterRow, roster_counts

HEADERS = ["序号", "姓名", "所在政协", "报名", "请假", "出席情况", "签到时间", "签到方式"]
WIDTHS = [6, 16, 16, 10, 22, 14, 18, 12]
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _conference_names(activity: Activity) -> dict[int, str]:
    names = {activity.conference_id: activity.conference.short_name}
    names.update({c.pk: c.short_name for c in activity.participants.all()})
    return names


def attendance_xlsx(activity: Activity, rows: list[RosterRow]) -> bytes:
    """The attendance sheet: one line per expected member, then the figures."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "出席情况"
    when = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")
    ws.append([f"{activity.title}（{activity.get_kind_display()}）"])
    ws.append([f"时间：{when}　地点：{activity.place or '—'}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    names = _conference_names(activity)
    for n, r in enumerate(rows, start=1):
        att = r.attendance
        leave = f"{r.leave.get_state_display()}：{r.leave.reason}" if r.leave else ""
        ws.append(
            [
                n,
                str(r.user),
                names.get(r.conference_id, ""),
                r.invitation.get_state_display() if r.invitation else "",
                leave,
                att.get_status_display() if att else "未签到",
                timezone.localtime(att.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if att and att.checked_in_at
                else "",
                att.get_method_display() if att and att.method else "",
            ]
        )
    counts = roster_counts(rows)
    ws.append([])
    ws.append(
        [
            "合计",
            f"应到 {counts['expected']}",
            f"出席 {counts['present']}",
            f"迟到 {counts['late']}",
            f"请假 {counts['excused']}",
            f"缺席 {counts['absent']}",
        ]
    )
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def signin_pdf(activity: Activity, rows: list[RosterRow]) -> bytes:
    """The printed sign-in sheet: a line per expected member with a box to sign, Chinese fonts embedded."""
    from weasyprint import HTML

    html = render_to_string(
        "activities/signin_sheet.html",
        {"activity": activity, "rows": rows, "names": _conference_names(activity)},
    )
    return bytes(HTML(string=html).write_pdf())


def qr_svg(url: str) -> str:
    """The check-in URL as an inline SVG QR code, drawn large enough to scan off a projector."""
    return str(segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff"))
