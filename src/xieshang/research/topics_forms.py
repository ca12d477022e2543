"""Forms of the research-topic and forum pages: they parse and type the input; the rules live in
topics_services.py. Field names match the `fields` keys of the services' AppError, so a refused write
puts each message beside its own field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import (
    GroupRole,
    InstructionLevel,
    PartnerKind,
    ProposerKind,
    RecipientKind,
    TopicKind,
    TopicState,
)

TITLE_MAX = 200


def _text(label: Any, *, rows: int = 0, maxlength: int = 50000, required: bool = False) -> forms.CharField:
    """A text field; emptiness and length are checked by the service so the message is the same everywhere."""
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    widget: forms.Widget = (
        forms.Textarea(attrs={**attrs, "rows": str(rows)}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _select(**kwargs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **kwargs})


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class TopicFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    state = forms.ChoiceField(required=False, choices=_blank(TopicState.choices))
    kind = forms.ChoiceField(required=False, choices=_blank(TopicKind.choices))
    year = forms.IntegerField(required=False, min_value=2000, max_value=2200)


class VersionForm(forms.Form):
    """An action with no input but the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicForm(VersionForm):
    title = _text(_("课题名称"), maxlength=TITLE_MAX)
    kind = forms.ChoiceField(label=_("课题类型"), choices=TopicKind.choices, widget=_select())
    proposer_kind = forms.ChoiceField(label=_("申报方"), choices=ProposerKind.choices, widget=_select())
    proposer_name = _text(_("申报单位（专委会、党派团体或界别名称）"), maxlength=100)
    lead_committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("牵头专委会"), queryset=None, required=False, widget=_select()
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    background = _text(_("选题背景"), rows=6)
    origin_proposal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, committees: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = committees  # type: ignore[attr-defined]


class ReasonForm(VersionForm):
    reason = _text(_("理由"), rows=3, maxlength=2000)


class GroupMemberForm(VersionForm):
    user = forms.TypedChoiceField(label=_("委员"), coerce=int, choices=(), widget=_select())
    role = forms.ChoiceField(label=_("分工"), choices=GroupRole.choices, widget=_select())

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = candidates  # type: ignore[attr-defined]


class RemoveForm(VersionForm):
    item = forms.IntegerField(widget=forms.HiddenInput)


class PartnerForm(VersionForm):
    kind = forms.ChoiceField(label=_("类型"), choices=PartnerKind.choices, widget=_select())
    party: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("党派团体"), queryset=None, required=False, widget=_select()
    )
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("部门"), queryset=None, required=False, widget=_select()
    )
    name = _text(_("名称（其他单位必填）"), maxlength=100)

    def __init__(self, *args: Any, parties: QuerySet[Any], departments: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class MilestoneForm(VersionForm):
    title = _text(_("事项"), maxlength=TITLE_MAX)
    due_on = _date(_("计划日期"))
    activity: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("调研活动"), queryset=None, required=False, widget=_select()
    )

    def __init__(self, *args: Any, activities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]


class CompleteForm(VersionForm):
    item = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date(_("完成日期"))


class DraftForm(VersionForm):
    title = _text(_("报告标题"), maxlength=TITLE_MAX)
    text = _text(_("正文"), rows=10)
    note = _text(_("修改说明"), maxlength=300)
    file = forms.FileField(
        label=_("报告文件（.docx、.pdf 或 .txt）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class TransmitForm(VersionForm):
    recipient_kind = forms.ChoiceField(
        label=_("报送对象类型"), choices=RecipientKind.choices, widget=_select()
    )
    recipient_name = _text(_("报送对象"), maxlength=100)
    sent_on = _date(_("报送日期"))
    note = _text(_("说明"), maxlength=300)


class InstructionForm(VersionForm):
    leader_name = _text(_("批示领导（领导本人批示可不填）"), maxlength=100)
    level = forms.ChoiceField(label=_("批示层级"), choices=InstructionLevel.choices, widget=_select())
    given_on = _date(_("批示日期"))
    text = _text(_("批示内容"), rows=4, maxlength=2000)


class FollowUpForm(VersionForm):
    action = _text(_("工作任务"), rows=3, maxlength=2000)
    lead_units: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("责任单位"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "5"}),
    )
    coop_units: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "4"}),
    )
    due_on = _date(_("完成时限"))
    instruction: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("落实的批示"), queryset=None, required=False, widget=_select()
    )

    def __init__(self, *args: Any, units: QuerySet[Any], instructions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["coop_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["instruction"].queryset = instructions  # type: ignore[attr-defined]


class ForumForm(forms.Form):
    theme = _text(_("论坛主题"), maxlength=TITLE_MAX)
    held_on = _date(_("举办日期"))
    place = _text(_("地点"), maxlength=200)


class InviteForm(VersionForm):
    conferences: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("邀请的政协"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "6"}),
    )

    def __init__(self, *args: Any, conferences: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conferences"].queryset = conferences  # type: ignore[attr-defined]


class SubmissionForm(forms.Form):
    conference = forms.TypedChoiceField(label=_("报送的政协"), coerce=int, choices=(), widget=_select())
    topic = forms.TypedChoiceField(
        label=_("课题成果"), coerce=int, choices=(), required=False, empty_value=None, widget=_select()
    )
    title = _text(_("报告标题（选课题时可不填）"), maxlength=TITLE_MAX)
    text = _text(_("报告正文"), rows=8)
    file = forms.FileField(
        label=_("报告文件（.docx、.pdf 或 .txt）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self, *args: Any, conferences: list[tuple[int, str]], topics: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conference"].choices = conferences  # type: ignore[attr-defined]
        self.fields["topic"].choices = [("", _("（不选课题，填写或上传报告）")), *topics]  # type: ignore[attr-defined]
