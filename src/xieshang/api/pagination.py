"""Page-number pagination with bounded numbers: django-ninja's accepts any page, and a page of 10^40
overflowed the database's 64-bit OFFSET (a 500 on PostgreSQL and SQLite alike; schemathesis found it)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
