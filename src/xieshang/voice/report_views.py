"""Deliberation report pages: staff send a finished report to leaders (from the manage page); a
leader reads the reports sent to them and records an instruction. Thin adapters over reports.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.conferences.models import HandlingUnit
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error, status_of
from xieshang.opinions.models import InstructionLevel
from xieshang.people.models import User
from xieshang.tasks import selectors as task_selectors

from . import deliberation as svc
from . import reports

_INPUT = {"class": "form-control"}


class SendForm(forms.Form):
    """The leaders a finished report goes to, with an optional note."""

    leaders = forms.ModelMultipleChoiceField(
        label=gettext_lazy("报送领导"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("报送说明"),
        required=False,
        max_length=reports.NOTE_MAX,
        widget=forms.TextInput(_INPUT),
    )

    def __init__(self, *args: Any, conference_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = self.fields["leaders"]
        assert isinstance(leaders, forms.ModelMultipleChoiceField)
        leaders.queryset = reports.leader_candidates(conference_id)
        leaders.label_from_instance = lambda obj: str(obj.display_name or obj.username)  # type: ignore[method-assign]


class InstructionForm(forms.Form):
    """A leader's instruction on the report."""

    level = forms.ChoiceField(
        label=gettext_lazy("批示层级"),
        choices=InstructionLevel.choices,
        widget=forms.Select({"class": "form-select"}),
    )
    given_on = forms.DateField(
        label=gettext_lazy("批示日期"), required=False, widget=forms.DateInput({**_INPUT, "type": "date"})
    )
    text = forms.CharField(
        label=gettext_lazy("批示内容"),
        max_length=reports.TEXT_MAX,
        widget=forms.Textarea({**_INPUT, "rows": 4}),
    )


class InstructionTaskForm(forms.Form):
    """Staff turn an instruction into a deployed task: the units that carry it out and the deadline."""

    lead_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("责任单位"),
        queryset=HandlingUnit.objects.none(),
        widget=forms.SelectMultiple({"class": "form-select"}),
        error_messages={"required": gettext_lazy("请至少选择一个责任单位。")},
    )
    due_on = forms.DateField(
        label=gettext_lazy("完成时限"), required=False, widget=forms.DateInput({**_INPUT, "type": "date"})
    )

    def __init__(self, *args: Any, conference_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["lead_units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = task_selectors.conference_units(conference_id)


def send_form(deliberation: Any, data: Any = None) -> SendForm:
    """The send form of the manage page."""
    return SendForm(data, conference_id=deliberation.conference_id, auto_id="id_send_%s")


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff send the finished report to the chosen leaders."""
    found = svc.get_deliberation(request.user, pk)
    if not svc.is_staff(request.user, found):
        raise Http404
    form = send_form(found, request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要报送的领导。"))
        return redirect("voice:deliberation_manage", found.pk)
    try:
        sent = reports.send_report(
            request.user,  # type: ignore[arg-type]
            found,
            leader_ids=[u.pk for u in form.cleaned_data["leaders"]],
            note=form.cleaned_data["note"],
        )
    except AppError as error:
        if status_of(error) == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("已报送 %(n)s 位领导。") % {"n": len(sent)})
    return redirect("voice:deliberation_manage", found.pk)


def _report_page(
    request: HttpRequest, found: Any, form: InstructionForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "deliberation": found,
        "deliveries": reports.deliveries(found),
        "instructions": reports.instructions(found),
        "is_recipient": reports.is_recipient(request.user, found),
        "form": form or InstructionForm(initial={"given_on": timezone.localdate()}),
        "menu": [],
        "name": "voice",
    }
    return render(request, "voice/deliberation/report.html", context, status=status)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The finished report, for the staff and the leaders it was sent to; a leader's first view is
    recorded as read."""
    found = reports.get_report(request.user, pk)
    if reports.is_recipient(request.user, found):
        reports.mark_read(request.user, found)  # type: ignore[arg-type]
    return _report_page(request, found)


@login_required
@require_POST
def report_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    """A recipient leader records an instruction on the report."""
    found = reports.get_report(request.user, pk)
    if not reports.is_recipient(request.user, found):
        raise PermissionDenied
    form = InstructionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, found, form, status=400)
    cd = form.cleaned_data
    try:
        reports.record_instruction(
            request.user,  # type: ignore[arg-type]
            found,
            reports.InstructionInput(level=cd["level"], text=cd["text"], given_on=cd["given_on"]),
        )
    except AppError as error:
        return _report_page(request, found, form, status=apply_error(form, error, "text"))
    messages.success(request, _("批示已记录。"))
    return redirect("voice:deliberation_report", found.pk)


@login_required
@require_POST
def report_instruction_task(request: HttpRequest, pk: int, instruction_pk: int) -> HttpResponse:
    """Staff turn a leader's instruction on the report into a deployed task."""
    found = svc.get_deliberation(request.user, pk)
    if not svc.is_staff(request.user, found):
        raise Http404
    instruction = found.instructions.filter(pk=instruction_pk).first()
    if instruction is None:
        raise Http404
    form = InstructionTaskForm(request.POST, conference_id=found.conference_id)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("voice:deliberation_manage", found.pk)
    try:
        task = reports.create_task_from_instruction(
            request.user,  # type: ignore[arg-type]
            instruction,
            lead_unit_ids=[u.pk for u in form.cleaned_data["lead_units"]],
            due_on=form.cleaned_data["due_on"],
        )
    except AppError as error:
        if status_of(error) == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("已转为督办事项：%(t)s") % {"t": task.title})
    return redirect("voice:deliberation_manage", found.pk)


@login_required
def report_inbox(request: HttpRequest) -> HttpResponse:
    """A leader's deliberation reports, newest first."""
    page = Paginator(reports.my_reports(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "voice/deliberation/report_inbox.html", {"page": page, "menu": [], "name": "voice"}
    )
