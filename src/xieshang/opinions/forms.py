"""Forms of the opinion pages: they parse and type the input; the rules live in services.py.

Field names match the `fields` keys of the AppError raised by the services, so a refused write puts
each message beside its own field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import InstructionLevel, OnBehalf, RecipientKind

TITLE_MAX = 200
TEXT_MAX = 20000
NOTE_MAX = 2000

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text(label: Any, *, rows: int = 0, maxlength: int = TEXT_MAX, required: bool = False) -> forms.CharField:
    """A text field; emptiness and length are checked by the service so the message is the same everywhere."""
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    if rows:
        attrs["rows"] = str(rows)
        widget: forms.Widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _select(**kwargs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **kwargs})


class VersionForm(forms.Form):
    """Every form that changes a report carries the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(VersionForm):
    """A member's draft."""

    title = _text(_("标题"), maxlength=TITLE_MAX)
    on_behalf_kind = forms.ChoiceField(
        label=_("报送名义"), choices=OnBehalf.choices, initial=OnBehalf.MEMBER, widget=_select()
    )
    on_behalf_name = _text(_("党派团体、界别或专委会名称"), maxlength=100)
    category = _text(_("类别"), maxlength=50)
    facts = _text(_("基本情况"), rows=6)
    analysis = _text(_("问题分析"), rows=6)
    suggestions = _text(_("意见建议"), rows=6)
    attachments = MultipleFileField(label=_("附件"), required=False)


class ReviseForm(VersionForm):
    """The editor's version of the text."""

    title = _text(_("标题"), maxlength=TITLE_MAX)
    facts = _text(_("基本情况"), rows=8)
    analysis = _text(_("问题分析"), rows=8)
    suggestions = _text(_("意见建议"), rows=8)
    note = _text(_("修改说明"), maxlength=300)


class AdoptForm(VersionForm):
    """Into which issue: an open one, or the next new one of a year."""

    issue: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("编入期刊"), queryset=None, required=False, empty_label=_("新建一期"), widget=_select()
    )
    year = forms.IntegerField(
        label=_("新建期刊年度"),
        required=False,
        min_value=1949,
        max_value=2200,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, issues: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = issues  # type: ignore[attr-defined]


class ReasonForm(VersionForm):
    reason = _text(_("理由"), rows=3, maxlength=NOTE_MAX)


class ForwardForm(VersionForm):
    recipient_kind = forms.ChoiceField(
        label=_("报送对象类型"), choices=RecipientKind.choices, widget=_select()
    )
    recipient_name = _text(_("报送对象"), maxlength=100)
    forwarded_on = forms.DateField(label=_("报送日期"), required=False, widget=DATE)
    note = _text(_("说明"), maxlength=300)


class InstructionForm(VersionForm):
    leader_name = _text(_("批示领导"), maxlength=100)
    level = forms.ChoiceField(label=_("批示层级"), choices=InstructionLevel.choices, widget=_select())
    given_on = forms.DateField(label=_("批示日期"), required=False, widget=DATE)
    text = _text(_("批示内容"), rows=3, maxlength=NOTE_MAX)


class FeedbackForm(VersionForm):
    feedback = _text(_("落实反馈"), rows=3)
    feedback_on = forms.DateField(label=_("反馈日期"), required=False, widget=DATE)


class IssueForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=1949,
        max_value=2200,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    title = _text(_("标题（可选）"), maxlength=TITLE_MAX)


class ListFilterForm(forms.Form):
    """The work lists' search, filters and sort (all optional)."""

    q = forms.CharField(required=False, max_length=100)
    on_behalf_kind = forms.ChoiceField(required=False, choices=[("", _("全部名义")), *OnBehalf.choices])
    category = forms.CharField(required=False, max_length=50)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2200)
    sort = forms.CharField(required=False, max_length=20)
