"""Forms of the activity pages: they parse and type the input; the rules live in services.py.

Field names match the `fields` keys of the AppError raised by the services, so a refused write puts
each message beside its own field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xieshang.proposals.forms import MultipleFileField

from .models import ActivityKind, ActivityState, Attendance, Outreach, Speech

TEXT_MAX = 20000
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _text(
    label: Any, *, rows: int = 0, maxlength: int = TEXT_MAX, required: bool = False, **attrs: Any
) -> forms.CharField:
    """A text field; emptiness and length are checked by the service so the message is the same everywhere."""
    widget_attrs = {"class": "form-control", "maxlength": str(maxlength), **attrs}
    if rows:
        widget_attrs["rows"] = str(rows)
        widget: forms.Widget = forms.Textarea(attrs=widget_attrs)
    else:
        widget = forms.TextInput(attrs=widget_attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _when(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME, input_formats=DATETIME_FORMATS, help_text=help_text
    )


def _select(**kwargs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **kwargs})


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ActivityForm(VersionForm):
    """Staff's form of an activity."""

    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices, widget=_select())
    title = _text(_("活动名称"), maxlength=200)
    starts_at = _when(_("开始时间"))
    ends_at = _when(_("结束时间"))
    place = _text(_("地点"), maxlength=200)
    agenda = _text(_("议程"), rows=5)
    committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("牵头专委会"), queryset=None, required=False, empty_label=_("（无）"), widget=_select()
    )
    sector: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("界别"), queryset=None, required=False, empty_label=_("（无）"), widget=_select()
    )
    half_days = forms.IntegerField(
        label=_("半天会期数（全体会议）"),
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    checkin_opens_at = _when(_("签到开始"), required=False, help_text=_("留空为开始前1小时"))
    checkin_closes_at = _when(_("签到截止"), required=False, help_text=_("留空为开始后30分钟"))
    late_after = _when(_("迟到时间点"), required=False, help_text=_("留空为开始后15分钟"))
    participants: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("联合参加的政协（下级政协；政协论坛可选其他城市政协）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    documents = MultipleFileField(label=_("会议材料"), required=False)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Any],
        sectors: QuerySet[Any],
        conferences: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]
        self.fields["participants"].queryset = conferences  # type: ignore[attr-defined]


class CancelForm(VersionForm):
    reason = _text(_("取消原因"), rows=2, maxlength=500)


class CodeForm(forms.Form):
    """The short code a member types at the venue."""

    code = forms.CharField(
        label=_("签到码"),
        max_length=16,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center xs-code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "inputmode": "text",
                "placeholder": "例如 K7M3QP",
            }
        ),
    )


class LeaveForm(forms.Form):
    reason = _text(_("请假事由"), rows=3, maxlength=500)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("准假")), ("refuse", _("不准假"))])
    note = _text(_("审批意见"), maxlength=500)


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("register", _("报名")), ("decline", _("不参加"))])


class MarkForm(forms.Form):
    user = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices)


class SpeechForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("发言委员"), queryset=None, empty_label=_("（请选择）"), widget=_select()
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Speech.Kind.choices, widget=_select())
    title = _text(_("发言题目"), maxlength=200)
    text = _text(_("发言内容"), rows=3)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: str(u)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    minutes = _text(_("会议纪要"), rows=6, maxlength=100000)
    suggestions = _text(_("意见建议清单（每行一条）"), rows=5)
    attachments = MultipleFileField(label=_("成果附件"), required=False)


class GroupInviteForm(forms.Form):
    """Invite a whole committee, sector or party at once."""

    committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("按专委会"), queryset=None, required=False, empty_label=_("（不选）"), widget=_select()
    )
    sector: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("按界别"), queryset=None, required=False, empty_label=_("（不选）"), widget=_select()
    )
    party: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("按党派团体"), queryset=None, required=False, empty_label=_("（不选）"), widget=_select()
    )
    standing = forms.BooleanField(label=_("全体常委"), required=False)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Any],
        sectors: QuerySet[Any],
        parties: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        label = lambda o: f"{o.conference.short_name} · {o.name}"  # noqa: E731
        for name, qs in [("committee", committees), ("sector", sectors), ("party", parties)]:
            self.fields[name].queryset = qs  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = label  # type: ignore[attr-defined]


class PoolSearchForm(forms.Form):
    """The talent-pool search (人才库): words over expertise, workplace and name, and filters."""

    q = forms.CharField(required=False, max_length=100)
    committee = forms.IntegerField(required=False, min_value=1)
    sector = forms.IntegerField(required=False, min_value=1)
    party = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", _("全部类型")), *ActivityKind.choices])
    state = forms.ChoiceField(required=False, choices=[("", _("全部状态")), *ActivityState.choices])
    sort = forms.CharField(required=False, max_length=20)


class OutreachForm(forms.Form):
    contact_kind = forms.ChoiceField(
        label=_("联系对象类型"), choices=Outreach.ContactKind.choices, widget=_select()
    )
    contact = _text(_("联系对象（姓名或群体）"), maxlength=100)
    contacted_on = forms.DateField(label=_("联系日期"), widget=DATE)
    channel = forms.ChoiceField(label=_("方式"), choices=Outreach.Channel.choices, widget=_select())
    topic = _text(_("反映的问题"), maxlength=200)
    notes = _text(_("情况记录"), rows=4)
    follow_up = _text(_("后续跟进"), rows=2)
