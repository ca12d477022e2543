"""The editor's changes as a tracked diff: deleted text in <del>, inserted text in <ins>, all escaped."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def tracked_diff(before: str, after: str) -> SafeString:
    """Character-level changes from `before` to `after`, as safe HTML (every piece of text escaped)."""
    parts: list[str] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(before[i1:i2]))
            continue
        if tag in {"delete", "replace"}:
            parts.append(f"<del>{escape(before[i1:i2])}</del>")
        if tag in {"insert", "replace"}:
            parts.append(f"<ins>{escape(after[j1:j2])}</ins>")
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(parts))
