"""Every write to indicator values: by hand, from an .xlsx import (all rows or none), or from figures
found in a source document and confirmed by staff."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import SPREADSHEET_TYPES, check_upload
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from .models import Indicator, IndicatorValue, Region

PERIOD_MAX = 40
EVIDENCE_MAX = 2000
IMPORT_HEADERS = ["地区", "指标", "期间", "数值"]
IMPORT_MAX_ROWS = 5000


def can_manage_indicators(user: Any, conference_id: int) -> bool:
    """Office staff record and import indicator values."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


@dataclass
class ValueInput:
    """One figure: which region and indicator, which period, how much, and where it was read."""

    region_id: int
    indicator_id: int
    period: str
    value: float
    evidence: str = ""


def _period(text: str, key: str = "period") -> str:
    period = (text or "").strip()
    if not period:
        raise invalid({key: _("期间不能为空。")})
    if len(period) > PERIOD_MAX:
        raise invalid({key: _("期间不能超过 %(n)s 字。") % {"n": PERIOD_MAX}})
    return period


def _number(value: Any, key: str = "value") -> float:
    try:
        number = float(str(value).strip().rstrip("%").replace(",", ""))
    except (TypeError, ValueError):
        raise invalid({key: _("数值“%(v)s”不是数字。") % {"v": value}}) from None
    if not math.isfinite(number):
        raise invalid({key: _("数值无效。")})
    return number


def _save(actor: Any, conference_id: int, data: ValueInput, source: str) -> IndicatorValue:
    region = Region.objects.filter(pk=data.region_id, conference_id=conference_id).first()
    indicator = Indicator.objects.filter(pk=data.indicator_id, conference_id=conference_id).first()
    if region is None:
        raise invalid({"region": _("地区不属于本级政协。")})
    if indicator is None:
        raise invalid({"indicator": _("指标不属于本级政协。")})
    value, _created = IndicatorValue.objects.update_or_create(
        region=region,
        indicator=indicator,
        period=_period(data.period),
        defaults={
            "value": _number(data.value),
            "source": source,
            "evidence": (data.evidence or "").replace("\x00", "")[:EVIDENCE_MAX],
            "recorded_by": actor,
        },
    )
    return value


@transaction.atomic(durable=True)
def record_values(
    actor: Any,
    conference: Conference,
    rows: Sequence[ValueInput],
    *,
    source: str = IndicatorValue.Source.MANUAL,
) -> list[IndicatorValue]:
    """Staff record figures by hand or confirm extracted ones; a figure already there is replaced."""
    if not can_manage_indicators(actor, conference.pk):
        raise denied()
    if source not in IndicatorValue.Source.values:
        raise invalid({"source": _("来源无效。")})
    saved = [_save(actor, conference.pk, row, source) for row in rows]
    for value in saved:
        record(actor, f"indicator_{source}", value.indicator, summary=str(value))
    return saved


@dataclass
class RowError:
    """What is wrong with one row of an import."""

    row: int
    message: str


def _read_rows(upload: UploadedFile) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a damaged workbook
        raise AppError(ErrorCode.FILE_TYPE_NOT_ALLOWED, _("无法打开该 Excel 文件。")) from error
    sheet = book.worksheets[0]
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


@transaction.atomic(durable=True)
def import_values(actor: Any, conference: Conference, upload: UploadedFile) -> int:
    """Import an .xlsx with the columns 地区, 指标, 期间, 数值; every row is checked first and nothing is
    written when any row is wrong (the error names each wrong row)."""
    if not can_manage_indicators(actor, conference.pk):
        raise denied()
    check_upload(upload, SPREADSHEET_TYPES)
    rows = _read_rows(upload)
    if not rows or [str(c or "").strip() for c in rows[0][:4]] != IMPORT_HEADERS:
        raise invalid({"file": _("第一行应为表头：%(h)s。") % {"h": "、".join(IMPORT_HEADERS)}})
    body = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    if len(body) > IMPORT_MAX_ROWS:
        raise invalid({"file": _("一次最多导入 %(n)s 行。") % {"n": IMPORT_MAX_ROWS}})
    regions = {r.name: r for r in Region.objects.filter(conference=conference)}
    indicators = {i.name: i for i in Indicator.objects.filter(conference=conference)}
    errors: list[RowError] = []
    parsed: list[ValueInput] = []
    for n, row in enumerate(body, start=2):
        cells = [*row, None, None, None, None][:4]
        region, indicator, period, value = (str(c).strip() if c is not None else "" for c in cells)
        problems = []
        if region not in regions:
            problems.append(_("地区“%(v)s”不存在") % {"v": region})
        if indicator not in indicators:
            problems.append(_("指标“%(v)s”不存在") % {"v": indicator})
        if not period or len(period) > PERIOD_MAX:
            problems.append(_("期间无效"))
        try:
            number = _number(value)
        except AppError:
            problems.append(_("数值“%(v)s”不是数字") % {"v": value})
            number = 0.0
        if problems:
            errors.append(RowError(n, "；".join(problems)))
        else:
            parsed.append(ValueInput(regions[region].pk, indicators[indicator].pk, period, number))
    if errors:
        report = "\n".join(_("第 %(n)s 行：%(m)s") % {"n": e.row, "m": e.message} for e in errors[:50])
        raise invalid({"file": report}, _("有 %(n)s 行数据有误，未导入任何数据。") % {"n": len(errors)})
    for item in parsed:
        _save(actor, conference.pk, item, IndicatorValue.Source.IMPORT)
    record(actor, "indicator_import", conference, summary=_("导入指标数据 %(n)s 条") % {"n": len(parsed)})
    return len(parsed)
