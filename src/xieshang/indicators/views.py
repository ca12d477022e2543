"""Indicator pages: the dashboard per indicator and period, manual values, .xlsx import and export,
and confirming figures found in a source document. Thin adapters over services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from . import exports, forms, selectors, services
from .models import IndicatorValue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request: HttpRequest, *kinds: str) -> int:
    conference = getattr(request, "conference", None)
    if conference is None or not has_role(
        request.user,  # type: ignore[arg-type]
        conference.pk,
        *(kinds or (RoleKind.STAFF, RoleKind.LEADER)),
    ):
        raise PermissionDenied
    return int(conference.pk)


def _value_form(conference_id: int, user: Any, data: Any = None, **kw: Any) -> forms.ValueForm:
    return forms.ValueForm(
        data,
        regions=selectors.regions(conference_id),
        indicators=selectors.indicators(user, conference_id),
        **kw,
    )


def _home_context(request: HttpRequest, conference_id: int) -> dict[str, Any]:
    return {
        "indicators": selectors.indicators(request.user, conference_id),
        "is_staff": has_role(request.user, conference_id, RoleKind.STAFF),  # type: ignore[arg-type]
        "menu": [],
        "name": "indicators",
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The conference's indicators, with forms to add a figure or import a sheet."""
    conference_id = _office(request)
    context = {
        "value_form": _value_form(conference_id, request.user),
        "import_form": forms.ImportForm(),
        **_home_context(request, conference_id),
    }
    return render(request, "indicators/home.html", context)


@login_required
@require_POST
def add_value(request: HttpRequest) -> HttpResponse:
    """Staff record one figure by hand."""
    conference_id = _office(request, RoleKind.STAFF)
    form = _value_form(conference_id, request.user, request.POST)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        row = services.ValueInput(cd["region"].pk, cd["indicator"].pk, cd["period"], cd["value"])
        try:
            services.record_values(request.user, request.conference, [row])  # type: ignore[attr-defined]
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("数据已保存。"))
            return redirect("indicators:home")
    context = {"value_form": form, "import_form": forms.ImportForm(), **_home_context(request, conference_id)}
    return render(request, "indicators/home.html", context, status=status)


@login_required
@require_POST
def import_xlsx(request: HttpRequest) -> HttpResponse:
    """Staff import figures from .xlsx: all rows or none, with the wrong rows named."""
    conference_id = _office(request, RoleKind.STAFF)
    form = forms.ImportForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            n = services.import_values(request.user, request.conference, form.cleaned_data["file"])  # type: ignore[attr-defined]
        except AppError as error:
            status = apply_error(form, error, default_field="file")
            if error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("已导入 %(n)s 条数据。") % {"n": n})
            return redirect("indicators:home")
    context = {
        "value_form": _value_form(conference_id, request.user),
        "import_form": form,
        **_home_context(request, conference_id),
    }
    return render(request, "indicators/home.html", context, status=status)


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator in one period: each region against the province average and the target, the
    ranking, the regions below target, and the trend over periods."""
    conference_id = _office(request)
    indicator = selectors.get_indicator(request.user, pk)
    if indicator.conference_id != conference_id:
        raise PermissionDenied
    b = selectors.board(indicator, request.GET.get("period"))
    context = {"board": b, "charts": selectors.chart_data(b), **_home_context(request, conference_id)}
    return render(request, "indicators/dashboard.html", context)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator's ranking and trend as .xlsx."""
    _office(request)
    indicator = selectors.get_indicator(request.user, pk)
    b = selectors.board(indicator, request.GET.get("period"))
    response = HttpResponse(exports.board_xlsx(b), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{indicator.name}-{b.period}.xlsx")
    return response


def _guess(items: list[Any], conference_id: int, user: Any) -> list[dict[str, Any]]:
    """Initial values of the confirmation forms: the region and indicator whose names match."""
    regions = list(selectors.regions(conference_id))
    indicators = list(selectors.indicators(user, conference_id))
    rows = []
    for item in items:
        # The extractor names the speech's own area as region; a county named in the indicator wins.
        region = next((r for r in regions if r.name in str(item.indicator)), None) or next(
            (r for r in regions if r.name == item.region), None
        )
        indicator = next(
            (
                i
                for i in indicators
                if i.name == item.indicator
                or str(item.indicator or "-") in i.name
                or i.name in str(item.indicator)
            ),
            None,
        )
        rows.append(
            {
                "keep": region is not None and indicator is not None,
                "region": region.pk if region else None,
                "indicator": indicator.pk if indicator else None,
                "period": item.period or "",
                "value": item.value,
                "evidence": item.evidence,
            }
        )
    return rows


@login_required
def from_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """Figures found in a source document, each with region, indicator, period and value to confirm."""
    from xieshang.tasks import selectors as task_selectors
    from xieshang.tasks.services import extract_items

    conference_id = _office(request, RoleKind.STAFF)
    document = task_selectors.get_document(request.user, document_id)
    items = [i for i in extract_items(document.text, document.conference) if hasattr(i, "indicator")]
    initials = _guess(items, conference_id, request.user)
    value_forms = [
        _value_form(
            conference_id,
            request.user,
            request.POST if request.method == "POST" else None,
            prefix=f"v{n}",
            initial=init,
        )
        for n, init in enumerate(initials)
    ]
    status = 200
    if request.method == "POST":
        kept = [f for f in value_forms if f.data.get(f"{f.prefix}-keep")]
        if all(f.is_valid() for f in kept):
            rows = [
                services.ValueInput(
                    f.cleaned_data["region"].pk,
                    f.cleaned_data["indicator"].pk,
                    f.cleaned_data["period"],
                    f.cleaned_data["value"],
                    f.cleaned_data["evidence"],
                )
                for f in kept
            ]
            try:
                services.record_values(
                    request.user, document.conference, rows, source=IndicatorValue.Source.EXTRACTION
                )
            except AppError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(request, _("已采用 %(n)s 条指标数据。") % {"n": len(rows)})
                return redirect("indicators:home")
        else:
            status = 400
    context = {"document": document, "value_forms": value_forms, **_home_context(request, conference_id)}
    return render(request, "indicators/from_document.html", context, status=status)
