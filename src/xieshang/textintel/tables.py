"""CSV input and output for the command line: encodings, columns and clear errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


class InputError(Exception):
    """A problem with the user's input, reported as one bilingual line without a traceback."""


def read_csv(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV file in UTF-8 (with or without BOM) or GB18030; return its header and rows."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"找不到文件 / file not found: {file}")
    raw = file.read_bytes()
    if not raw.strip():
        raise InputError(f"文件为空 / the file is empty: {file}")
    text = _decode(raw, file)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header or not any(header):
        raise InputError(f"文件没有表头 / the file has no header row: {file}")
    reader.fieldnames = header
    rows = [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    if not rows:
        raise InputError(f"文件只有表头，没有数据行 / the file has a header but no rows: {file}")
    return header, rows


def _decode(raw: bytes, file: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes almost any bytes; NUL characters mean UTF-16 or a binary file.
        if "\x00" not in text:
            return text
    raise InputError(
        f"无法识别文件编码，请另存为 UTF-8 或 GB18030 / cannot decode {file}: "
        f"save it as UTF-8 or GB18030 ({', '.join(ENCODINGS)} were tried)"
    )


def require_columns(header: Sequence[str], names: Sequence[str], file: str | Path) -> None:
    """Raise InputError naming the missing columns and the available ones."""
    missing = [n for n in names if n not in header]
    if missing:
        raise InputError(
            f"缺少列 / missing column(s) {', '.join(missing)} in {file}; "
            f"现有列 / available: {', '.join(header)}"
        )


def split_columns(spec: str) -> list[str]:
    """Split a column option such as ``subject,detail`` into column names."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if not names:
        raise InputError(f"列名为空 / empty column name: {spec!r}")
    return names


def write_csv(path: str | Path, header: Sequence[str], rows: Sequence[dict[str, object]]) -> None:
    """Write rows as UTF-8 CSV with a BOM so that spreadsheet programs show Chinese correctly."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
