"""Fresh rate-limit counters and media in a temporary folder for every voice test."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"
    cache.clear()
    yield
    cache.clear()
