"""Forms of the task pages: they parse and type the input; the rules live in services.py.

Field names match the `fields` keys of the AppError raised by the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ChecklistKind, LedgerLine, SourceKind, TaskState

TEXT_MAX = 200_000
NOTE_MAX = 2000

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text(label: Any, *, rows: int = 0, maxlength: int = NOTE_MAX, required: bool = False) -> forms.CharField:
    """A text field; emptiness and length are checked by the service so the message is the same everywhere."""
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    if rows:
        attrs["rows"] = str(rows)
        widget: forms.Widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _units(label: Any) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "4"}),
    )


class SourceForm(forms.Form):
    """A speech or minutes: a file, or the pasted text."""

    kind = forms.ChoiceField(
        label=_("类型"), choices=SourceKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = _text(_("标题"), maxlength=200)
    date = forms.DateField(label=_("日期"), required=False, widget=DATE)
    speaker = _text(_("讲话人"), maxlength=100)
    file = forms.FileField(
        label=_("上传文件（.txt、.docx、.pdf）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx,.pdf"}),
    )
    text = _text(_("或粘贴正文"), rows=10, maxlength=TEXT_MAX)


DECISION_CHOICES = [("confirm", _("确认")), ("merge", _("合并到")), ("drop", _("删除"))]


class LineForm(forms.Form):
    """Staff's decision on one proposed ledger line."""

    decision = forms.ChoiceField(
        label=_("处理"), choices=DECISION_CHOICES, initial="confirm", widget=forms.RadioSelect
    )
    merge_into = forms.TypedChoiceField(
        label=_("合并到第几条"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    action = _text(_("工作任务"), rows=2, maxlength=5000)
    lead_units = _units(_("责任单位"))
    coop_units = _units(_("配合单位"))
    due_on = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    target = _text(_("目标"), maxlength=300)

    def __init__(
        self, *args: Any, line: LedgerLine, units: QuerySet[Any], others: list[LedgerLine], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault(
            "initial",
            {
                "decision": "confirm",
                "action": line.action,
                "lead_units": [u.pk for u in line.units.all()],
                "coop_units": [u.pk for u in line.coop_units.all()],
                "due_on": line.due_on,
                "target": line.target,
            },
        )
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["lead_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["coop_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["merge_into"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (o.pk, _("第 %(n)s 条") % {"n": o.position}) for o in others if o.pk != line.pk
        ]


class VersionForm(forms.Form):
    """Every form that changes a task carries the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ProgressForm(VersionForm):
    text = _text(_("进展情况"), rows=4)
    percent = forms.IntegerField(
        label=_("完成进度（%）"),
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    done = forms.BooleanField(
        label=_("已全部完成，申请核实销号"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    attachment = forms.FileField(
        label=_("佐证材料"), required=False, widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


class RemindForm(VersionForm):
    note = _text(_("催办说明"), maxlength=300)


class ExtendForm(VersionForm):
    due_on = forms.DateField(label=_("新的完成时限"), widget=DATE)
    reason = _text(_("延期理由"), rows=2)


class CloseForm(VersionForm):
    note = _text(_("核实意见"), rows=2)


class SendBackForm(VersionForm):
    reason = _text(_("退回理由"), rows=2)


class LedgerFilterForm(forms.Form):
    """The ledger's search, filters and sort (all optional)."""

    q = forms.CharField(required=False, max_length=100)
    unit = forms.IntegerField(required=False, min_value=1)
    document = forms.IntegerField(required=False, min_value=1)
    state = forms.ChoiceField(required=False, choices=[("", _("全部状态")), *TaskState.choices])
    overdue = forms.BooleanField(required=False)
    sort = forms.CharField(required=False, max_length=20)


class ChecklistForm(forms.Form):
    """A new list of the year."""

    kind = forms.ChoiceField(
        label=_("清单"), choices=ChecklistKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(
        label=_("名称"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class ChecklistItemForm(forms.Form):
    """One item of a list: a task with its units, deadline and target."""

    action = _text(_("事项"), rows=2, maxlength=5000)
    lead_units = _units(_("责任单位"))
    coop_units = _units(_("配合单位"))
    due_on = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    target = _text(_("目标"), maxlength=300)

    def __init__(self, *args: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["coop_units"].queryset = units  # type: ignore[attr-defined]
