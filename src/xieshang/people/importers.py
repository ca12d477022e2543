"""Roster import from Excel: members and handling units, all rows or none, with a per-row error report.

A roster is an .xlsx file whose first row names the columns (in any order); every later non-empty row
is one person or unit. Every row is checked before anything is written; if any row is wrong the report
lists each problem as (row number as Excel shows it, column, message) and nothing is written. New users
get a generated initial password, returned once in the report, which they should change at first login.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from xieshang.audit.services import record
from xieshang.conferences.models import Committee, Conference, HandlingUnit, Party, Sector
from xieshang.core.errors import AppError, ErrorCode, denied
from xieshang.core.uploads import SPREADSHEET_TYPES, check_upload

from .models import Member, Role, RoleKind, User
from .selectors import has_role

T = TypeVar("T")
Progress = Callable[[Iterable[Any], int], Iterable[Any]]

MAX_ROWS = 5000
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{2,150}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,40}$")
YES, NO = {"是", "y", "yes", "1", "true", "√"}, {"否", "n", "no", "0", "false", ""}

MEMBER_COLUMNS = ["姓名", "用户名", "手机", "界别", "党派", "专委会", "常委", "工作单位及职务", "专长"]
MEMBER_REQUIRED = {"姓名", "用户名"}
UNIT_COLUMNS = ["单位名称", "简称", "联系人姓名", "联系人用户名", "联系电话"]
UNIT_REQUIRED = {"单位名称"}
LIMITS = {
    "姓名": 50,
    "手机": 20,
    "界别": 100,
    "党派": 100,
    "专委会": 100,
    "工作单位及职务": 200,
    "专长": 200,
    "单位名称": 100,
    "简称": 40,
    "联系人姓名": 50,
    "联系电话": 40,
}
TEMPLATE_EXAMPLES = {
    "members": [
        "王建国",
        "wangjianguo",
        "13800138000",
        "经济界",
        "民建",
        "经济委员会",
        "是",
        "某某集团董事长",
        "企业管理",
    ],
    "units": ["市发展和改革委员会", "市发改委", "李明", "fgw_liming", "0571-88000000"],
}


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (row 1 is the header row)."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did, or why it wrote nothing."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    passwords: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def summary(self) -> str:
        """One Chinese sentence for messages and the audit trail."""
        if self.errors:
            return _("导入失败：%(n)s 处错误，未写入任何数据。") % {"n": len(self.errors)}
        return _("导入 %(rows)s 行：新增 %(c)s，更新 %(u)s，新建账号 %(p)s 个。") % {
            "rows": self.rows,
            "c": self.created,
            "u": self.updated,
            "p": len(self.passwords),
        }


class _RowFailed(Exception):
    """Raised inside the write transaction to roll it back after a row failed at write time."""


# ---------------------------------------------------------------------------- reading


def _authorise(actor: User | None, conference: Conference) -> None:
    """`None` is the command line, trusted like a superuser; otherwise the conference's admin."""
    if actor is None or actor.is_superuser or has_role(actor, conference.pk, RoleKind.ADMIN):
        return
    raise denied(_("只有本级政协的系统管理员可以导入名册。"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_name(value: Any) -> str:
    """'常委(是/否)' and '常委（是/否）' both name the 常委 column."""
    return re.split(r"[（(]", _text(value), maxsplit=1)[0].strip()


def _read(file: Any, columns: list[str], required: set[str], report: ImportReport) -> list[dict[str, Any]]:
    """The data rows as dicts keyed by column (with `_row`, the Excel row number)."""
    try:
        file.seek(0)
        book = load_workbook(io.BytesIO(file.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise AppError(ErrorCode.INVALID_INPUT, _("无法读取该 Excel 文件，请另存为 .xlsx 后重试。")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_header_name(v) for v in next(rows, ())]
    for name in columns:
        if name in required and name not in header:
            report.error(1, name, _("缺少“%(c)s”列。") % {"c": name})
    if report.errors:
        return []
    index = {name: header.index(name) for name in columns if name in header}
    result: list[dict[str, Any]] = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(result) >= MAX_ROWS:
            report.error(number, "", _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
            break
        row: dict[str, Any] = {"_row": number}
        for name, i in index.items():
            row[name] = _text(values[i]) if i < len(values) else ""
        for name in columns:
            row.setdefault(name, "")
        result.append(row)
    book.close()
    if not result and not report.errors:
        report.error(2, "", _("文件中没有数据行。"))
    report.rows = len(result)
    return result


def _check_cells(rows: list[dict[str, Any]], required: set[str], report: ImportReport) -> None:
    for row in rows:
        for name, limit in LIMITS.items():
            if len(row.get(name, "")) > limit:
                report.error(row["_row"], name, _("不能超过 %(n)s 个字。") % {"n": limit})
        for name in required:
            if not row[name]:
                report.error(row["_row"], name, _("不能为空。"))


def _check_usernames(rows: list[dict[str, Any]], column: str, name_column: str, report: ImportReport) -> None:
    """Usernames well-formed, not repeated in the file, and not someone else's already."""
    seen: dict[str, int] = {}
    for row in rows:
        username = row[column]
        if not username:
            continue
        if not USERNAME_RE.match(username):
            report.error(row["_row"], column, _("用户名只能由 2 位以上的字母、数字或 _ . @ + - 组成。"))
        elif username.lower() in seen:
            report.error(
                row["_row"], column, _("与第 %(r)s 行的用户名重复。") % {"r": seen[username.lower()]}
            )
        else:
            seen[username.lower()] = row["_row"]
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=[r[column] for r in rows])}
    for row in rows:
        user = existing.get(row[column].lower())
        row["_user"] = user
        if user and user.display_name and row[name_column] and user.display_name != row[name_column]:
            report.error(
                row["_row"],
                column,
                _("用户名“%(u)s”已被“%(n)s”使用。") % {"u": row[column], "n": user.display_name},
            )


def _new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def _user_for(row: dict[str, Any], username: str, name: str, phone: str, report: ImportReport) -> User:
    user: User | None = row.get("_user")
    if user is not None:
        return user
    password = _new_password()
    user = User.objects.create(
        username=username, display_name=name, phone=phone, password=make_password(password)
    )
    report.passwords.append((username, password))
    return user


def _audited(actor: User | None, conference: Conference, verb: str, report: ImportReport, file: Any) -> None:
    record(
        actor,
        verb,
        conference,
        summary=report.summary(),
        data={"file": str(getattr(file, "name", ""))},
        conference_id=conference.pk,
    )


def _progress(rows: list[T], progress: Progress | None) -> Iterator[T]:
    yield from (progress(rows, len(rows)) if progress else rows)


def _write(
    rows: list[dict[str, Any]],
    report: ImportReport,
    write_row: Callable[[dict[str, Any]], bool],
    *,
    progress: Progress | None,
) -> None:
    """Write every row in one transaction; a failure at write time rolls back all and is reported."""
    try:
        with transaction.atomic():
            for row in _progress(rows, progress):
                try:
                    with transaction.atomic():
                        created = write_row(row)
                except IntegrityError as exc:
                    report.error(row["_row"], "", _("无法写入：%(e)s") % {"e": exc})
                    raise _RowFailed from exc
                if created:
                    report.created += 1
                else:
                    report.updated += 1
    except _RowFailed:
        report.created = report.updated = 0
        report.passwords.clear()


# ---------------------------------------------------------------------------- members


def import_members(
    actor: User | None, conference: Conference, file: Any, *, progress: Progress | None = None
) -> ImportReport:
    """Create or update the conference's members (users, Member rows, member roles) from a roster."""
    _authorise(actor, conference)
    check_upload(file, SPREADSHEET_TYPES)
    report = ImportReport(kind="members")
    rows = _read(file, MEMBER_COLUMNS, MEMBER_REQUIRED, report)
    _check_cells(rows, MEMBER_REQUIRED, report)
    for row in rows:
        if row["手机"] and not MOBILE_RE.match(row["手机"]):
            report.error(row["_row"], "手机", _("手机号码应为 11 位数字。"))
        flag = row["常委"].lower()
        if flag not in YES | NO:
            report.error(row["_row"], "常委", _("请填写“是”或“否”。"))
        row["_standing"] = flag in YES
    _check_usernames(rows, "用户名", "姓名", report)
    if not report.ok:
        return report
    lookups: dict[str, dict[str, Any]] = {
        "界别": {s.name: s for s in Sector.objects.filter(conference=conference)},
        "党派": {p.name: p for p in Party.objects.filter(conference=conference)},
        "专委会": {c.name: c for c in Committee.objects.filter(conference=conference)},
    }
    models: dict[str, Any] = {"界别": Sector, "党派": Party, "专委会": Committee}

    def named(column: str, name: str) -> Any:
        if not name:
            return None
        if name not in lookups[column]:
            lookups[column][name] = models[column].objects.create(conference=conference, name=name)
        return lookups[column][name]

    def write_row(row: dict[str, Any]) -> bool:
        user = _user_for(row, row["用户名"], row["姓名"], row["手机"], report)
        _, created = Member.objects.update_or_create(
            user=user,
            conference=conference,
            defaults={
                "sector": named("界别", row["界别"]),
                "party": named("党派", row["党派"]),
                "committee": named("专委会", row["专委会"]),
                "is_standing": row["_standing"],
                "workplace": row["工作单位及职务"],
                "expertise": row["专长"],
            },
        )
        Role.objects.get_or_create(user=user, conference=conference, kind=RoleKind.MEMBER)
        return created

    _write(rows, report, write_row, progress=progress)
    if report.ok:
        _audited(actor, conference, "import_members", report, file)
    return report


# ---------------------------------------------------------------------------- handling units


def import_units(
    actor: User | None, conference: Conference, file: Any, *, progress: Progress | None = None
) -> ImportReport:
    """Create or link handling units serving the conference, each with its contact user and unit role."""
    _authorise(actor, conference)
    check_upload(file, SPREADSHEET_TYPES)
    report = ImportReport(kind="units")
    rows = _read(file, UNIT_COLUMNS, UNIT_REQUIRED, report)
    _check_cells(rows, UNIT_REQUIRED, report)
    names: dict[str, int] = {}
    for row in rows:
        if row["联系电话"] and not PHONE_RE.match(row["联系电话"]):
            report.error(row["_row"], "联系电话", _("电话号码只能包含数字、空格和 + - ( )。"))
        if row["单位名称"] in names:
            report.error(
                row["_row"], "单位名称", _("与第 %(r)s 行的单位重复。") % {"r": names[row["单位名称"]]}
            )
        names.setdefault(row["单位名称"], row["_row"])
    _check_usernames(rows, "联系人用户名", "联系人姓名", report)
    for row in rows:
        if row["联系人用户名"] and row["_user"] is None and not row["联系人姓名"]:
            report.error(row["_row"], "联系人姓名", _("新建联系人账号须填写姓名。"))
    contacts = Role.objects.filter(
        conference=conference, kind=RoleKind.UNIT, user__username__in=[r["联系人用户名"] for r in rows]
    ).select_related("user", "handling_unit")
    bound = {r.user.username.lower(): r.handling_unit for r in contacts}
    for row in rows:
        unit = bound.get(row["联系人用户名"].lower())
        if unit is not None and unit.name != row["单位名称"]:
            report.error(row["_row"], "联系人用户名", _("该用户已是“%(u)s”的联系人。") % {"u": unit.name})
    if not report.ok:
        return report
    existing = {u.name: u for u in HandlingUnit.objects.filter(name__in=list(names))}

    def write_row(row: dict[str, Any]) -> bool:
        unit = existing.get(row["单位名称"])
        created = unit is None
        if unit is None:
            unit = HandlingUnit.objects.create(
                name=row["单位名称"], short_name=row["简称"], contact_phone=row["联系电话"]
            )
        else:
            unit.short_name = row["简称"] or unit.short_name
            unit.contact_phone = row["联系电话"] or unit.contact_phone
            unit.save(update_fields=["short_name", "contact_phone"])
        unit.conferences.add(conference)
        if row["联系人用户名"]:
            user = _user_for(row, row["联系人用户名"], row["联系人姓名"], "", report)
            Role.objects.get_or_create(
                user=user, conference=conference, kind=RoleKind.UNIT, defaults={"handling_unit": unit}
            )
        return created

    _write(rows, report, write_row, progress=progress)
    if report.ok:
        _audited(actor, conference, "import_units", report, file)
    return report


def template_xlsx(kind: str) -> bytes:
    """An empty roster with its header row and one example row, for download."""
    columns = {"members": MEMBER_COLUMNS, "units": UNIT_COLUMNS}[kind]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "委员名册" if kind == "members" else "承办单位"
    sheet.append([f"{c}(是/否)" if c == "常委" else c for c in columns])
    sheet.append(TEMPLATE_EXAMPLES[kind])
    for i in range(1, len(columns) + 1):
        sheet.column_dimensions[chr(64 + i)].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
