"""Forms of the publishing office pages: they parse and type the input; the rules live in services.py.

Field names match the `fields` keys of the AppError raised by the services, so a refused write puts
each message beside its own field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ArticleKind, ArticleState, Journal

TITLE_MAX = 200


def _text(label: Any, *, rows: int = 0, maxlength: int = 50000, required: bool = False) -> forms.CharField:
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
    """An action with no input but the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ArticleForm(VersionForm):
    """An article's text: plain paragraphs, never HTML."""

    title = _text(_("标题"), maxlength=TITLE_MAX)
    kind = forms.ChoiceField(label=_("栏目"), choices=ArticleKind.choices, widget=_select())
    summary = _text(_("摘要"), rows=2, maxlength=500)
    body = _text(_("正文"), rows=14)
    note = _text(_("修改说明"), maxlength=300)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("纯文本，每段一行；不支持 HTML。")
        if not editing:
            del self.fields["note"]


class ReasonForm(VersionForm):
    """Why the reviewer returns the article."""

    reason = _text(_("退回理由"), rows=3, maxlength=300)


class PublishForm(VersionForm):
    """Publish now, or at a later time (定时发布)."""

    publish_at = forms.DateTimeField(
        label=_("定时发布（留空为立即发布）"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
    )


class CoverForm(VersionForm):
    """A cover picture (.jpg or .png)."""

    cover = forms.FileField(
        label=_("题图"),
        required=True,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".jpg,.jpeg,.png"}),
    )


class ArticleFilterForm(forms.Form):
    """The article list's search, filters and sort (all optional)."""

    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", _("全部栏目")), *ArticleKind.choices])
    state = forms.ChoiceField(required=False, choices=[("", _("全部状态")), *ArticleState.choices])
    sort = forms.CharField(required=False, max_length=20)


class JournalForm(forms.Form):
    """A new periodical of the conference."""

    name = _text(_("刊名"), maxlength=60)
    kind = forms.ChoiceField(label=_("类型"), choices=Journal.Kind.choices, widget=_select())


class IssueForm(forms.Form):
    """The next issue of a journal."""

    journal = forms.ModelChoiceField(
        label=_("刊物"), queryset=Journal.objects.none(), empty_label=None, widget=_select()
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=1949,
        max_value=2200,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    title = _text(_("本期标题"), maxlength=TITLE_MAX)

    def __init__(self, *args: Any, journals: QuerySet[Journal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals  # type: ignore[attr-defined]


class ItemForm(VersionForm):
    """One piece to add to an issue: an article, a proposal or a report (exactly one)."""

    article = forms.TypedChoiceField(
        label=_("文章"), required=False, coerce=int, empty_value=None, widget=_select()
    )
    proposal = forms.TypedChoiceField(
        label=_("提案"), required=False, coerce=int, empty_value=None, widget=_select()
    )
    report = forms.TypedChoiceField(
        label=_("社情民意信息"), required=False, coerce=int, empty_value=None, widget=_select()
    )

    def __init__(self, *args: Any, candidates: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, key in [("article", "articles"), ("proposal", "proposals"), ("report", "reports")]:
            field = self.fields[name]
            field.choices = [("", "—"), *[(c.pk, c.title) for c in candidates[key]]]  # type: ignore[attr-defined]
