"""Forms of the duty pages: parse and check types only; the rules live in services and scoring."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .rulesets import BUILTIN


class RuleSetForm(forms.Form):
    """A new version of the year's scoring rules, edited as JSON."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("细则名称"), max_length=100)
    rules = forms.CharField(
        label=_("细则（JSON）"),
        widget=forms.Textarea(
            attrs={"rows": 24, "class": "form-control font-monospace", "spellcheck": "false"}
        ),
        help_text=_(
            "points：每类事件的分值（可按 lead 领衔 / participant 参与 分别设置）；categories：类别、"
            "基础分 base、封顶 cap、保底 floor；max_per_year：每年计分次数上限；quality：按办理结果、"
            "评价、批示层级加权；levels：等次线；warnings：预警规则。"
        ),
    )
    note = forms.CharField(label=_("修改说明"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year", "name", "note"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean_rules(self) -> dict[str, Any]:
        raw = self.cleaned_data["rules"]
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行第 %(col)s 列附近有误。"),
                params={"line": error.lineno, "col": error.colno},
            ) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("细则须为 JSON 对象（以 { 开头）。"))
        return value


BASE_CHOICES = [("", _("当前生效版本")), *((k, v) for k, v in BUILTIN.items())]


class AdjustmentForm(forms.Form):
    """A manual adjustment with its reason."""

    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("委员"), queryset=None)  # type: ignore[arg-type]
    points = forms.FloatField(label=_("调整分值（扣分填负数）"))
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    occurred_on = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, members: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if f is field else "form-control")
