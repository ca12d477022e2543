"""Forms of the indicator pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class ValueForm(forms.Form):
    """One figure by hand, or one extracted figure to confirm."""

    keep = forms.BooleanField(label=_("采用"), required=False, initial=True)
    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("地区"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    indicator: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("指标"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    period = forms.CharField(
        label=_("期间"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "2026年1-6月"}),
    )
    value = forms.FloatField(
        label=_("数值"),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
    )
    evidence = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, regions: QuerySet[Any], indicators: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx，表头：地区、指标、期间、数值）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
