"""Forms of the voice pages: parse and type only; the services check lengths and rules in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.dates import today

DEFAULT_DUE_DAYS = 15  # a unit answers a citizen within about two weeks


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos of the problem)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.doc,.docx,.txt"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


def _text(label: Any, *, rows: int = 0, help_text: Any = "", autocomplete: str = "") -> forms.CharField:
    attrs: dict[str, Any] = {"class": "form-control"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget, help_text=help_text)


class SubmitForm(forms.Form):
    """What the public fills in on the phone."""

    subject = _text(_("主题"))
    detail = _text(
        _("留言内容"), rows=6, help_text=_("请写明事情经过、地点和您的建议；请勿填写身份证号等个人信息。")
    )
    place = _text(_("地点（选填）"))
    category = forms.CharField(
        label=_("类别（选填）"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "list": "voice-categories"}),
    )
    contact_name = _text(_("联系人（选填，不公开）"), autocomplete="name")
    contact_phone = _text(_("联系电话（选填，不公开）"), autocomplete="tel")
    contact_email = _text(_("电子邮箱（选填，不公开）"), autocomplete="email")
    attachments = MultipleFileField(
        label=_("附件（选填）"), help_text=_("图片或文档，最多 3 个，每个不超过 5 MB。")
    )
    captcha = forms.CharField(
        label=_("验证码"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}
        ),
        help_text=_("请填写图中算式的结果。"),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    state = forms.CharField(required=False, max_length=20)
    category = forms.CharField(required=False, max_length=60)
    overdue = forms.BooleanField(required=False)
    sort = forms.CharField(required=False, max_length=20)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class TriageForm(VersionForm):
    category = forms.CharField(
        label=_("类别"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "list": "voice-categories"}),
    )
    place = forms.CharField(
        label=_("地点"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class MergeForm(VersionForm):
    target = forms.IntegerField(
        label=_("合并到留言（编号）"), min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"})
    )


class AnswerForm(VersionForm):
    reply = forms.CharField(
        label=_("答复内容"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 4})
    )
    publish = forms.BooleanField(label=_("在答复公开栏公开"), required=False, initial=True)


class ForwardForm(VersionForm):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),  # type: ignore[arg-type]
    )
    due_on = forms.DateField(
        label=_("答复时限"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    note = forms.CharField(
        label=_("转办意见"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["due_on"].initial = today() + dt.timedelta(days=DEFAULT_DUE_DAYS)


class UnitAnswerForm(VersionForm):
    answer = forms.CharField(
        label=_("答复内容"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 5})
    )


class PublishForm(VersionForm):
    published = forms.BooleanField(label=_("公开"), required=False)


class LeadForm(VersionForm):
    committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("专委会"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),  # type: ignore[arg-type]
    )
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("委员"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),  # type: ignore[arg-type]
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, committees: Any = None, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class CloseForm(VersionForm):
    reason = forms.CharField(
        label=_("办结说明"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
