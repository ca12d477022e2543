"""Import past messages (with replies and votes) from .csv or .xlsx, in the column layout of the Teddy
Cup 2020 data (id, user, subject, time, detail, likes, dislikes, reply, reply_time) or a given mapping.

Rows are checked one by one: bad rows are reported with their line and skipped, good rows are
written. A row already imported (same source id, or same content when the file has no id) is
skipped, so a second run imports nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from xieshang.audit.services import record
from xieshang.conferences.models import Conference

from .models import MessageState, PublicMessage
from .services import CATEGORY_MAX, DETAIL_MAX, SUBJECT_MAX, content_hash, new_tracking_code

FIELDS = [
    "source_id",
    "user",
    "subject",
    "time",
    "detail",
    "likes",
    "dislikes",
    "reply",
    "reply_time",
    "category",
    "place",
]
DEFAULT_MAPPING = {
    "source_id": "id",
    "user": "user",
    "subject": "subject",
    "time": "time",
    "detail": "detail",
    "likes": "likes",
    "dislikes": "dislikes",
    "reply": "reply",
    "reply_time": "reply_time",
    "category": "label",
    "place": "place",
}
ENCODINGS = ("utf-8-sig", "gb18030")
BATCH = 500
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command's output."""
        return f"导入 {self.created} 条，跳过已有 {self.skipped} 条，错误 {len(self.errors)} 行。"


def parse_mapping(text: str | None) -> dict[str, str]:
    """`subject=主题,detail=留言详情` over the default layout; unknown fields are refused."""
    mapping = dict(DEFAULT_MAPPING)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, column = part.partition("=")
        name = name.strip()
        if name not in FIELDS or not column.strip():
            raise ValueError(f"映射“{part}”无效：字段应为 {', '.join(FIELDS)} 之一，格式为 字段=列名。")
        mapping[name] = column.strip()
    return mapping


def read_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a .csv (utf-8, utf-8-sig or gb18030) or .xlsx file."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    elif path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ENCODINGS:
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("无法识别文件编码（支持 UTF-8 和 GB18030）。")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise ValueError("只支持 .csv 和 .xlsx 文件。")
    if not rows:
        raise ValueError("文件是空的。")
    return [str(h or "").strip() for h in rows[0]], rows[1:]


def _time(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip()
        for fmt in TIME_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _count(value: Any) -> int:
    if value in (None, ""):
        return 0
    number = int(float(str(value).strip()))
    if number < 0:
        raise ValueError(value)
    return number


def _cell(row: list[Any], index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


def _build(
    conference: Conference,
    row: list[Any],
    cols: dict[str, int | None],
    line: int,
    errors: list[RowError],
    open_new: bool,
) -> PublicMessage | None:
    get = {name: _cell(row, idx) for name, idx in cols.items()}
    bad = len(errors)
    if not get["subject"]:
        errors.append(RowError(line, "subject", "主题为空"))
    elif len(get["subject"]) > SUBJECT_MAX:
        errors.append(RowError(line, "subject", f"主题超过 {SUBJECT_MAX} 字"))
    if not get["detail"]:
        errors.append(RowError(line, "detail", "内容为空"))
    detail = get["detail"][:DETAIL_MAX]
    parsed: dict[str, Any] = {}
    for name, parse in (("time", _time), ("reply_time", _time), ("likes", _count), ("dislikes", _count)):
        index = cols[name]
        try:
            parsed[name] = parse(row[index] if index is not None and index < len(row) else None)
        except (ValueError, TypeError):
            errors.append(RowError(line, name, f"无法识别的值“{get[name]}”"))
    if len(errors) > bad:
        return None
    reply = get["reply"]
    state = MessageState.ANSWERED if reply else (MessageState.RECEIVED if open_new else MessageState.CLOSED)
    submitted = parsed["time"] or timezone.now()
    return PublicMessage(
        conference=conference,
        subject=get["subject"],
        detail=detail,
        place=get["place"][:100],
        category=get["category"][:CATEGORY_MAX],
        contact_name=get["user"][:50],
        tracking_code=new_tracking_code(),
        state=state,
        public_reply=reply,
        replied_at=(parsed["reply_time"] or submitted) if reply else None,
        published=bool(reply),
        support_count=parsed["likes"],
        oppose_count=parsed["dislikes"],
        source_id=get["source_id"][:64],
        content_hash=content_hash(
            get["subject"], detail, parsed["time"].isoformat() if parsed["time"] else ""
        ),
        submitted_at=submitted,
    )


def import_messages(
    conference: Conference,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    open_new: bool = False,
    progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
) -> ImportReport:
    """Load the file's messages into the conference; answered rows are published with their replies,
    others are kept as closed history (or as new messages to triage with `open_new`)."""
    mapping = mapping or DEFAULT_MAPPING
    header, rows = read_rows(path)
    cols = {name: (header.index(mapping[name]) if mapping.get(name) in header else None) for name in FIELDS}
    report = ImportReport()
    for required in ("subject", "detail"):
        if cols[required] is None:
            report.errors.append(RowError(1, required, f"找不到列“{mapping[required]}”"))
            return report
    existing_ids = set(
        PublicMessage.objects.filter(conference=conference)
        .exclude(source_id="")
        .values_list("source_id", flat=True)
    )
    existing_hashes = set(
        PublicMessage.objects.filter(conference=conference).values_list("content_hash", flat=True)
    )
    pending: list[PublicMessage] = []
    iterator: Iterable[Any] = enumerate(rows, start=2)
    if progress is not None:
        iterator = progress(iterator, len(rows))
    for line, row in iterator:
        if not any(str(c or "").strip() for c in row):
            continue
        message = _build(conference, row, cols, line, report.errors, open_new)
        if message is None:
            continue
        seen = (
            message.source_id in existing_ids
            if message.source_id
            else message.content_hash in existing_hashes
        )
        if seen:
            report.skipped += 1
            continue
        existing_ids.add(message.source_id)
        existing_hashes.add(message.content_hash)
        pending.append(message)
        if len(pending) >= BATCH:
            _write(pending, report)
    _write(pending, report)
    if report.created:
        record(None, "import_messages", conference, summary=f"导入群众建言：{path.name}，{report.summary()}")
    return report


def _write(pending: list[PublicMessage], report: ImportReport) -> None:
    if not pending:
        return
    with transaction.atomic():
        PublicMessage.objects.bulk_create(pending)
    report.created += len(pending)
    pending.clear()
