"""A locally served arithmetic captcha: the question drawn as inline SVG, the answer kept in the session.

No outside service and no image library. Each question is answered once: checking it, right or wrong,
draws a new one. Tests may fix the answer with the setting XIESHANG_CAPTCHA_FIXED_ANSWER (off by
default, never set in production).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SESSION_KEY = "voice_captcha_answer"


def _fixed() -> str:
    return str(getattr(settings, "XIESHANG_CAPTCHA_FIXED_ANSWER", "") or "")


def _svg(question: str) -> SafeString:
    """The question's characters, each nudged and turned a little, over a few noise lines."""
    rnd = secrets.SystemRandom()
    width, height = 28 + 22 * len(question), 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="验证码图片" data-testid="captcha-image">',
        f'<rect width="{width}" height="{height}" fill="#f6f1ee" rx="6"/>',
    ]
    for _ in range(4):
        x1, y1, x2, y2 = (
            rnd.randint(0, width),
            rnd.randint(0, height),
            rnd.randint(0, width),
            rnd.randint(0, height),
        )
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#c9a9a0" stroke-width="1.5"/>')
    for i, ch in enumerate(question):
        x = 14 + 22 * i + rnd.randint(-2, 2)
        y = 33 + rnd.randint(-4, 4)
        angle = rnd.randint(-18, 18)
        parts.append(
            f'<text x="{x}" y="{y}" font-size="26" font-family="monospace" fill="#7a1f1f" '
            f'transform="rotate({angle} {x} {y})">{escape(ch)}</text>'
        )
    parts.append("</svg>")
    # Every character is escaped above; the markup around them is ours.
    return mark_safe("".join(parts))


def new_challenge(session: Any) -> SafeString:
    """Draw a new question, keep its answer in the session, and return the question as SVG."""
    rnd = secrets.SystemRandom()
    a, b = rnd.randint(2, 19), rnd.randint(1, 9)
    if rnd.random() < 0.5:
        question, answer = f"{a}+{b}=?", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{a}-{b}=?", a - b
    session[SESSION_KEY] = _fixed() or str(answer)
    return _svg(question)


def check(session: Any, given: str | None) -> bool:
    """Whether `given` answers the session's question; the question is used up either way."""
    expected = session.pop(SESSION_KEY, None)
    if expected is None:
        return False
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a 500 on "４２" or "协商").
    return secrets.compare_digest(str(expected).encode(), (given or "").strip().encode())
