"""Forms of the study pages: they only parse; every rule is checked by study_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.activities.models import Activity
from xieshang.conferences.models import Committee

from .models import Audience, Question, QuestionKind, QuizMode, StudyPlan

LETTERS = "ABCDEFGH"


def _text(label: Any, *, rows: int = 0, maxlength: int = 200, required: bool = False) -> forms.CharField:
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    widget: forms.Widget
    if rows:
        attrs["rows"] = str(rows)
        widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _select(label: Any, choices: Any, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required, widget=forms.Select(attrs={"class": "form-select"})
    )


def _datetime(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"class": "form-control", "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )


def _number(label: Any, *, minimum: int = 0, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=10000,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PlanForm(forms.Form):
    title = _text(_("计划名称"), required=True)
    year = _number(_("年度"), minimum=2000)
    audience = _select(_("学习对象"), Audience.choices)
    committee = forms.ModelChoiceField(
        label=_("专委会（学习对象为专委会时）"),
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    description = _text(_("计划说明"), rows=5, maxlength=50000)

    def __init__(self, *args: Any, conference_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["committee"]
        field.queryset = Committee.objects.filter(conference_id=conference_id)


class MaterialForm(forms.Form):
    title = _text(_("资料标题"), required=True)
    text = _text(_("正文或摘要"), rows=4, maxlength=50000)
    link = _text(_("链接（https://…）"), maxlength=500)
    file = forms.FileField(
        label=_("文件（pdf、docx、doc、txt、jpg、png）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class SessionForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("学习活动"),
        queryset=Activity.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class QuestionForm(forms.Form):
    kind = _select(_("题型"), QuestionKind.choices)
    text = _text(_("题干"), rows=3, maxlength=2000, required=True)
    options = _text(_("选项（每行一个，判断题不填）"), rows=5, maxlength=3000)
    answer = forms.CharField(
        label=_("正确答案（选项字母，如 B 或 ACD；判断题 A 为正确、B 为错误）"),
        max_length=8,
        widget=forms.TextInput(attrs={"class": "form-control", "maxlength": "8"}),
    )
    explanation = _text(_("解析"), rows=3, maxlength=5000)
    tags = _text(_("标签（逗号分隔）"))

    def clean_answer(self) -> list[int]:
        value = "".join(self.cleaned_data["answer"].upper().split()).replace(",", "").replace("，", "")
        if not value or any(ch not in LETTERS for ch in value):
            raise forms.ValidationError(_("请用选项字母填写正确答案，如 B 或 ACD。"))
        return sorted({LETTERS.index(ch) for ch in value})

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "text": question.text,
            "options": "" if question.kind == QuestionKind.TRUE_FALSE else "\n".join(question.options),
            "answer": question.answer_letters,
            "explanation": question.explanation,
            "tags": question.tags,
        }


class QuizForm(forms.Form):
    title = _text(_("测验名称"), required=True)
    description = _text(_("说明"), rows=3, maxlength=5000)
    plan = forms.ModelChoiceField(
        label=_("学习计划"),
        queryset=StudyPlan.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mode = _select(_("组卷方式"), QuizMode.choices)
    draw_count = _number(_("每次抽题数（随机抽题时）"), required=False)
    opens_at = _datetime(_("开始时间"))
    closes_at = _datetime(_("截止时间"))
    pass_mark = _number(_("合格分（百分制）"))
    attempts_allowed = _number(_("允许作答次数"), minimum=1)
    questions = forms.ModelMultipleChoiceField(
        label=_("题目（随机抽题时为题目池）"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tag = forms.ChoiceField(
        label=_("另加入该标签的全部题目"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, conference_id: int, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan: Any = self.fields["plan"]
        plan.queryset = StudyPlan.objects.filter(conference_id=conference_id)
        questions: Any = self.fields["questions"]
        questions.queryset = Question.objects.filter(conference_id=conference_id, is_active=True).order_by(
            "id"
        )
        tag: Any = self.fields["tag"]
        tag.choices = [("", "—"), *[(t, t) for t in tags]]

    def question_ids(self) -> list[int]:
        ids = [q.pk for q in self.cleaned_data.get("questions") or []]
        tag = self.cleaned_data.get("tag")
        if tag:
            field: Any = self.fields["questions"]
            ids += [q.pk for q in field.queryset if tag in q.tag_list]
        return list(dict.fromkeys(ids))


class PaperForm(forms.Form):
    title = _text(_("论文题目"), required=True)
    plan = forms.ModelChoiceField(
        label=_("学习计划"),
        queryset=StudyPlan.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    body = _text(_("正文"), rows=12, maxlength=50000)
    file = forms.FileField(
        label=_("或上传论文文件（pdf、docx、doc、txt）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, plans: list[StudyPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan: Any = self.fields["plan"]
        plan.queryset = StudyPlan.objects.filter(pk__in=[p.pk for p in plans])


class ReviewForm(forms.Form):
    reason = _text(_("意见或理由（退回、不予采用时必填）"), rows=3, maxlength=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
