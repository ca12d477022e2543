"""Questionnaire forms: staff set one up and add questions; the answer sheet is read from the POST by
`answers_from_post` (its fields are the questionnaire's own questions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from xieshang.people.models import User

from . import survey as svc
from .models import Deliberation, QuestionKind, SurveyQuestion

_INPUT = {"class": "form-control"}


class SurveyForm(forms.Form):
    """A questionnaire: title, intro, window, audience, links."""

    title = forms.CharField(
        label=gettext_lazy("问卷标题"), max_length=svc.TITLE_MAX, widget=forms.TextInput(_INPUT)
    )
    intro = forms.CharField(
        label=gettext_lazy("问卷说明"), required=False, widget=forms.Textarea({**_INPUT, "rows": 3})
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput({**_INPUT, "type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=forms.DateTimeInput({**_INPUT, "type": "datetime-local"})
    )
    for_members = forms.BooleanField(label=gettext_lazy("本级政协委员作答"), required=False, initial=True)
    for_public = forms.BooleanField(label=gettext_lazy("通过门户网站向公众开放（需验证码）"), required=False)
    panel = forms.ModelMultipleChoiceField(
        label=gettext_lazy("人才库专家组"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple({"class": "form-select", "size": 8}),
    )
    deliberation = forms.ModelChoiceField(
        label=gettext_lazy("关联网络议政议题"),
        queryset=Deliberation.objects.none(),
        required=False,
        widget=forms.Select({"class": "form-select"}),
    )
    activity_id = forms.IntegerField(
        label=gettext_lazy("关联活动编号"), required=False, min_value=1, widget=forms.NumberInput(_INPUT)
    )

    def __init__(self, *args: Any, conference_id: int, panel_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        panel = self.fields["panel"]
        assert isinstance(panel, forms.ModelMultipleChoiceField)
        candidates = svc.panel_candidates(conference_id)
        if panel_q and not self.is_bound:
            candidates = svc.panel_candidates(conference_id, panel_q)
        panel.queryset = candidates
        deliberation = self.fields["deliberation"]
        assert isinstance(deliberation, forms.ModelChoiceField)
        deliberation.queryset = Deliberation.objects.filter(conference_id=conference_id)

    def to_input(self) -> svc.SurveyInput:
        cd = self.cleaned_data
        return svc.SurveyInput(
            title=cd["title"],
            intro=cd["intro"],
            opens_at=cd["opens_at"],
            closes_at=cd["closes_at"],
            for_members=cd["for_members"],
            for_public=cd["for_public"],
            panel_ids=[u.pk for u in cd["panel"]],
            deliberation_id=cd["deliberation"].pk if cd["deliberation"] else None,
            activity_id=cd["activity_id"],
        )


class QuestionForm(forms.Form):
    """One question; options one per line for choice questions."""

    kind = forms.ChoiceField(
        label=gettext_lazy("题型"),
        choices=QuestionKind.choices,
        widget=forms.Select({"class": "form-select"}),
    )
    text = forms.CharField(
        label=gettext_lazy("题目"), max_length=svc.QUESTION_MAX, widget=forms.TextInput(_INPUT)
    )
    required = forms.BooleanField(label=gettext_lazy("必答"), required=False, initial=True)
    choices = forms.CharField(
        label=gettext_lazy("选项（每行一个）"), required=False, widget=forms.Textarea({**_INPUT, "rows": 4})
    )
    max_choices = forms.IntegerField(
        label=gettext_lazy("多选题最多可选（不填不限）"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(_INPUT),
    )
    scale_max = forms.TypedChoiceField(
        label=gettext_lazy("量表"),
        choices=[(5, "1–5"), (10, "1–10")],
        coerce=int,
        required=False,
        widget=forms.Select({"class": "form-select"}),
    )
    low_label = forms.CharField(
        label=gettext_lazy("最低分含义"),
        required=False,
        max_length=svc.LABEL_MAX,
        widget=forms.TextInput(_INPUT),
    )
    high_label = forms.CharField(
        label=gettext_lazy("最高分含义"),
        required=False,
        max_length=svc.LABEL_MAX,
        widget=forms.TextInput(_INPUT),
    )
    text_limit = forms.IntegerField(
        label=gettext_lazy("填空题字数上限"),
        required=False,
        min_value=1,
        max_value=svc.TEXT_LIMIT_MAX,
        initial=500,
        widget=forms.NumberInput(_INPUT),
    )

    def to_input(self) -> svc.QuestionInput:
        cd = self.cleaned_data
        return svc.QuestionInput(
            kind=cd["kind"],
            text=cd["text"],
            required=cd["required"],
            choices=(cd["choices"] or "").splitlines(),
            max_choices=cd["max_choices"],
            scale_max=cd["scale_max"] or None,
            low_label=cd["low_label"],
            high_label=cd["high_label"],
            text_limit=cd["text_limit"] or 500,
        )


class PublicCaptchaForm(forms.Form):
    captcha = forms.CharField(
        label=gettext_lazy("验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput({**_INPUT, "inputmode": "numeric", "autocomplete": "off"}),
    )


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def answers_from_post(data: QueryDict, questions: Sequence[SurveyQuestion]) -> dict[int, svc.AnswerInput]:
    """The answers of an answer sheet: field `q<question id>` holds option ids, a scale or a text.
    Option ids and scales that are not numbers are kept as impossible values, so they are refused."""
    answers: dict[int, svc.AnswerInput] = {}
    for question in questions:
        values = [v for v in data.getlist(f"q{question.pk}") if v.strip()]
        if not values:
            continue
        given = svc.AnswerInput()
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            given.choice_ids = [(_int(v) or 0) for v in values]
        elif question.kind == QuestionKind.SCALE:
            given.scale = _int(values[-1]) or 0
        else:
            given.text = values[-1]
        answers[question.pk] = given
    return answers
