"""Fixtures for the textintel tests: plain Python, no Django, small files in fixtures/."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of a fixture CSV."""
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def messages() -> list[dict[str, str]]:
    """Thirty-six short citizen messages in six categories, with times and likes."""
    return read_rows("messages.csv")


@pytest.fixture(scope="session")
def replies() -> list[dict[str, str]]:
    """Three messages with replies of different quality."""
    return read_rows("replies.csv")


@pytest.fixture
def messages_csv() -> Path:
    """Path of the messages fixture."""
    return FIXTURES / "messages.csv"


@pytest.fixture
def replies_csv() -> Path:
    """Path of the replies fixture."""
    return FIXTURES / "replies.csv"
