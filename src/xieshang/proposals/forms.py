"""Forms of the proposal pages: they parse and type the input; the rules live in services.py.

Field names match the `fields` keys of the AppError raised by the services, so a refused write puts
each message beside its own field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AssignmentRole, Evaluation, Outcome, PreReplyConsultation, ProposalKind

TITLE_MAX = 200
TEXT_MAX = 20000
NOTE_MAX = 2000
ASSIGN_ROWS = 5

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
    """Every form that changes a proposal carries the version the user saw."""

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


class ProposalForm(VersionForm):
    """A member's draft: text, category, kind, co-signers to invite and attachments."""

    title = _text(_("案由"), maxlength=TITLE_MAX)
    analysis = _text(_("情况分析"), rows=8)
    recommendations = _text(_("具体建议"), rows=8)
    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("类别"), queryset=None, required=False, empty_label=_("（请选择）"), widget=_select()
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=ProposalKind.choices, initial=ProposalKind.INDIVIDUAL, widget=_select()
    )
    collective_name = _text(_("提案单位（集体提案）"), maxlength=100)
    cosigners: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("邀请联名人"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "6", "data-searchable": "1"}),
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args: Any, categories: QuerySet, members: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["cosigners"].queryset = members  # type: ignore[attr-defined]


class AcceptForm(VersionForm):
    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("类别"), queryset=None, required=False, empty_label=_("（不变）"), widget=_select()
    )
    note = _text(_("审查意见"), rows=2, maxlength=NOTE_MAX)

    def __init__(self, *args: Any, categories: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class ReasonForm(VersionForm):
    """Reject, return or convert: the reason is required (the service says so)."""

    note = _text(_("理由"), rows=3, maxlength=NOTE_MAX)


class MergeForm(VersionForm):
    target: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("并入提案"),
        queryset=None,
        empty_label=_("（请选择主提案）"),
        widget=_select(data_searchable="1"),
    )
    note = _text(_("说明"), rows=2, maxlength=NOTE_MAX)

    def __init__(self, *args: Any, targets: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class AssignForm(VersionForm):
    """Up to five units, each with a role and an optional due date (blank: the conference's default)."""

    def __init__(self, *args: Any, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_choices = [("", _("（办理方式）")), *AssignmentRole.choices]
        for i in range(ASSIGN_ROWS):
            self.fields[f"unit_{i}"] = forms.ModelChoiceField(
                label=_("承办单位"),
                queryset=units,
                required=False,
                empty_label=_("（请选择单位）"),
                widget=_select(),
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(
                label=_("办理方式"), choices=role_choices, required=False, widget=_select()
            )
            self.fields[f"due_{i}"] = forms.DateField(label=_("办理时限"), required=False, widget=DATE)
        self.initial.setdefault("role_0", AssignmentRole.LEAD)

    @property
    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"unit_{i}"], self[f"role_{i}"], self[f"due_{i}"]) for i in range(ASSIGN_ROWS)]

    def plan(self) -> list[tuple[int, str, Any]]:
        """(unit id, role, due date or None) for every filled row; a unit without a role counts as co."""
        result = []
        for i in range(ASSIGN_ROWS):
            unit = self.cleaned_data.get(f"unit_{i}")
            if unit is None:
                continue
            role = self.cleaned_data.get(f"role_{i}") or AssignmentRole.CO
            result.append((unit.pk, role, self.cleaned_data.get(f"due_{i}")))
        return result


class DecisionForm(forms.Form):
    """Approve or refuse a unit's request; refusing needs a note (the service says so)."""

    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("refuse", _("不同意"))])
    note = _text(_("审批意见"), rows=2, maxlength=NOTE_MAX)


class ReassignmentDecisionForm(DecisionForm):
    new_unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("新承办单位"),
        queryset=None,
        required=False,
        empty_label=_("（同意时选择）"),
        widget=_select(),
    )

    def __init__(self, *args: Any, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = units  # type: ignore[attr-defined]


class MarkKeyForm(VersionForm):
    is_key = forms.ChoiceField(choices=[("1", _("设为重点提案")), ("0", _("取消重点提案"))])
    leader: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("督办领导"), queryset=None, required=False, empty_label=_("（请选择领导）"), widget=_select()
    )

    def __init__(self, *args: Any, leaders: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]


class PublishForm(VersionForm):
    published = forms.ChoiceField(choices=[("1", _("公开")), ("0", _("撤销公开"))])


class NoteForm(VersionForm):
    """Close or remind, with an optional note."""

    note = _text(_("说明"), rows=2, maxlength=300)


class AwardForm(VersionForm):
    """The year's award of an outstanding proposal; empty withdraws it."""

    award = _text(_("表彰名称（留空为撤销）"), maxlength=50)


class RespondCosignForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认联名")), ("decline", _("谢绝联名"))])


class ReassignmentRequestForm(VersionForm):
    reason = _text(_("申请理由"), rows=3, maxlength=NOTE_MAX)
    suggested_unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("建议承办单位"), queryset=None, required=False, empty_label=_("（可不选）"), widget=_select()
    )

    def __init__(self, *args: Any, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = units  # type: ignore[attr-defined]


class ExtensionRequestForm(VersionForm):
    requested_due_on = forms.DateField(label=_("申请延期至"), widget=DATE)
    reason = _text(_("申请理由"), rows=3, maxlength=NOTE_MAX)


class ConsultationForm(VersionForm):
    held_on = forms.DateField(label=_("面商日期"), widget=DATE)
    form = forms.ChoiceField(label=_("面商方式"), choices=PreReplyConsultation.Form.choices, widget=_select())
    agreed = _text(_("商定事项"), rows=4)


class CoOpinionForm(VersionForm):
    body = _text(_("会办意见"), rows=6)


class ReplyForm(VersionForm):
    body = _text(_("答复内容"), rows=10)
    outcome = forms.ChoiceField(
        label=_("办理结果分类"),
        choices=[("", _("（请选择）")), *Outcome.choices],
        required=False,
        widget=_select(),
    )
    signed_by = _text(_("签发人"), maxlength=50)
    contact_person = _text(_("联系人"), maxlength=50)
    contact_phone = _text(_("联系电话"), maxlength=40)
    letter = forms.FileField(
        label=_("签发件（PDF/JPG/PNG，可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.png"}),
    )


class EvaluateForm(VersionForm):
    verdict = forms.ChoiceField(choices=Evaluation.Verdict.choices)
    comment = _text(_("意见"), rows=3, maxlength=NOTE_MAX)


class ListFilterForm(forms.Form):
    """Filters of the staff work lists; every field optional."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("全部类别")
    )
    state = forms.ChoiceField(required=False)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("全部承办单位")
    )
    key = forms.ChoiceField(
        required=False, choices=[("", _("全部")), ("1", _("重点提案")), ("0", _("非重点提案"))]
    )
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    sort = forms.CharField(required=False, max_length=30)

    def __init__(self, *args: Any, categories: QuerySet, units: QuerySet, **kwargs: Any) -> None:
        from .models import ProposalState

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("全部状态")), *ProposalState.choices]  # type: ignore[attr-defined]
