"""Turn a refused action (AppError) into messages beside the form's fields, never a 500."""

from __future__ import annotations

from django import forms

from xieshang.core.errors import AppError, ErrorCode


def apply_error(form: forms.Form, error: AppError, default_field: str | None = None) -> int:
    """Put the error's messages on the form; returns the HTTP status to answer with."""
    placed = False
    for field, message in error.fields.items():
        target = field if field in form.fields else None
        form.add_error(target, message)
        placed = True
    if not placed:
        target = default_field if default_field in form.fields else None
        form.add_error(target, error.message)
    return status_of(error)


def status_of(error: AppError) -> int:
    """400 for bad input, 409 for a conflict (stale version, wrong state), 403 for a refusal."""
    if error.code == ErrorCode.NOT_FOUND:
        return 404
    return error.http_status
