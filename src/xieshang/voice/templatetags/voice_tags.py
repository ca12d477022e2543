"""Template filters of the voice app."""

from __future__ import annotations

from django import template

from xieshang.voice.masking import mask_personal

register = template.Library()


@register.filter(name="masked")
def masked(value: object) -> str:
    """Mask phone and ID numbers (the result is still escaped by the template)."""
    return mask_personal("" if value is None else str(value))
