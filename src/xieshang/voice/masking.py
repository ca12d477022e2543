"""Mask personal numbers in texts shown to the public: mobiles and resident ID numbers."""

from __future__ import annotations

import re

# An 18-character resident ID (17 digits and a digit or X), not part of a longer run of digits or letters.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# An 11-digit mainland mobile (1[3-9]…), optionally written +86 / 86-, not inside a longer number.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_personal(text: str | None) -> str:
    """The text with ID numbers as 430102********1234 and mobiles as 138****1234."""
    if not text:
        return ""
    masked = _ID.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", masked)
