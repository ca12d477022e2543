"""Pages of the cultural-historical archive: the office's (review, collections, volumes, campaigns),
the contributors' submission form, and the portal's public reading view. Thin adapters over
archive.py: parse, call, render; a refused write re-renders the form with the message beside it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error

from . import archive, selectors
from .friends import friend_conference_ids
from .models import (
    ArchiveItem,
    ArchiveItemKind,
    ArchiveItemState,
    ArticleKind,
    ArticleState,
    Collection,
    Solicitation,
    Volume,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 25
QUERY_MAX = 100

# ---------------------------------------------------------------------------- forms


def _text(label: Any, *, rows: int = 0, maxlength: int = 300, required: bool = False) -> forms.CharField:
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    if rows:
        attrs["rows"] = str(rows)
        widget: forms.Widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


class ItemForm(forms.Form):
    """A contribution: what it is, its text, when and where, whom it mentions, an optional file."""

    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=ArchiveItemKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = _text(gettext_lazy("标题"), maxlength=200)
    text = _text(gettext_lazy("正文"), rows=10, maxlength=100000)
    period = _text(gettext_lazy("年代"), maxlength=60)
    place = _text(gettext_lazy("地点"), maxlength=100)
    people = _text(gettext_lazy("涉及人物（逗号分隔）"))
    subjects = _text(gettext_lazy("主题词（逗号分隔）"))
    contributor_name = _text(gettext_lazy("提供人姓名（代政协之友等录入时填写）"), maxlength=60)
    solicitation = forms.ModelChoiceField(
        label=gettext_lazy("征集活动"),
        queryset=Solicitation.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("附件（pdf、jpg、png、docx、txt）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, conference_id: int, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["solicitation"]
        field.queryset = archive.open_solicitations(conference_id)
        if not staff:
            del self.fields["contributor_name"]


class VersionForm(forms.Form):
    """An action with no input but the version the user saw."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PlaceForm(forms.Form):
    """Put an item into one of the conference's volumes (empty: take it out)."""

    volume = forms.ModelChoiceField(
        label=gettext_lazy("编入"),
        queryset=Volume.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CollectionForm(forms.Form):
    title = _text(gettext_lazy("丛书名"), maxlength=200)
    description = _text(gettext_lazy("简介"), rows=2, maxlength=2000)


class VolumeForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=gettext_lazy("丛书"),
        queryset=Collection.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = _text(gettext_lazy("本辑标题"), maxlength=200)


class SolicitationForm(forms.Form):
    topic = _text(gettext_lazy("征集主题"), maxlength=200)
    description = _text(gettext_lazy("征集说明"), rows=2, maxlength=2000)
    deadline = forms.DateField(
        label=gettext_lazy("截止日期"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=QUERY_MAX)
    people = forms.CharField(required=False, max_length=QUERY_MAX)
    place = forms.CharField(required=False, max_length=QUERY_MAX)
    period = forms.CharField(required=False, max_length=QUERY_MAX)
    subjects = forms.CharField(required=False, max_length=QUERY_MAX)


# ---------------------------------------------------------------------------- helpers


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference_id = _conference_id(request)
    if conference_id not in archive.office_conference_ids(request.user):
        raise PermissionDenied
    return conference_id


def _context(request: HttpRequest, conference_id: int) -> dict[str, Any]:
    counts = selectors.state_counts(request.user, conference_id)
    tabs = [(state, label, counts[state]) for state, label in ArticleState.choices]
    return {"menu": [], "name": "publishing", "tabs": tabs, "tab_name": "archive"}


# ---------------------------------------------------------------------------- the office


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The conference's archive items, by state."""
    conference_id = _office(request)
    state = request.GET.get("state", "")
    if state not in ArchiveItemState.values:
        state = ""
    qs = archive.office_items(request.user, conference_id, state)
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "states": ArchiveItemState.choices,
        "state": state,
        **_context(request, conference_id),
    }
    return render(request, "publishing/archive/items.html", context)


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    """Members and staff contribute an item, optionally to an open solicitation."""
    conference_id = _conference_id(request)
    if not archive.can_submit_items(request.user, conference_id):
        raise PermissionDenied
    staff = archive.is_archive_staff(request.user, conference_id)
    form = ItemForm(request.POST or None, request.FILES or None, conference_id=conference_id, staff=staff)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            data = _item_input(cd)
            try:
                item = archive.submit_item(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    data,
                    upload=cd.get("file"),
                    solicitation=cd.get("solicitation"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("文史资料已提交，等待审稿。"))
                if conference_id in archive.office_conference_ids(request.user):
                    return redirect("publishing:archive_item", item.pk)
                if conference_id in friend_conference_ids(request.user):
                    return redirect("publishing:friend_home")
                return redirect("publishing:archive_new")
    return render(request, "publishing/archive/new.html", {"form": form}, status=status)


def _item_context(
    request: HttpRequest, item: ArchiveItem, place_form: PlaceForm | None = None
) -> dict[str, Any]:
    if place_form is None:
        place_form = PlaceForm(initial={"volume": item.volume_id})
    field: Any = place_form.fields["volume"]
    field.queryset = archive.volumes(request.user, item.conference_id)
    return {
        "item": item,
        "actions": [(a, archive.TRANSITIONS[a].label) for a in archive.available_actions(request.user, item)],
        "can_place": archive.is_archive_staff(request.user, item.conference_id),
        "can_edit": archive.is_archive_staff(request.user, item.conference_id)
        and item.state in archive.EDITABLE,
        "place_form": place_form,
        "contributor": archive.contributor_label(item),
        "events": timeline("archiveitem", item.pk),
        **_context(request, item.conference_id),
    }


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its text and metadata, its timeline and the actions allowed to this user."""
    item = archive.get_item(request.user, pk)
    return render(request, "publishing/archive/item.html", _item_context(request, item))


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Review, publish, reject or take down an item."""
    item = archive.get_item(request.user, pk)
    service = archive.ACTIONS.get(action)
    if service is None:
        raise Http404
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        service(request.user, item, version=version)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(label)s。") % {"label": archive.TRANSITIONS[action].label})
    return redirect("publishing:archive_item", item.pk)


def _item_input(cd: dict[str, Any]) -> archive.ItemInput:
    return archive.ItemInput(
        title=cd["title"],
        kind=cd["kind"],
        text=cd["text"],
        period=cd["period"],
        place=cd["place"],
        people=cd["people"],
        subjects=cd["subjects"],
        contributor_name=cd.get("contributor_name") or "",
    )


class ItemEditForm(ItemForm):
    """Staff correct an item; the solicitation stays as submitted, a new file replaces the old one."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["solicitation"]
        self.fields["file"].label = gettext_lazy("替换附件（pdf、jpg、png、docx、txt；不选则保留原附件）")


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff correct an item's text, metadata or file."""
    item = archive.get_item(request.user, pk)
    if not archive.is_archive_staff(request.user, item.conference_id) or item.state not in archive.EDITABLE:
        raise PermissionDenied
    fields = ["kind", "title", "text", "period", "place", "people", "subjects", "contributor_name"]
    initial = {name: getattr(item, name) for name in fields} | {"version": item.version}
    form = ItemEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        conference_id=item.conference_id,
        staff=True,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                archive.update_item(
                    request.user,  # type: ignore[arg-type]
                    item,
                    _item_input(cd),
                    upload=cd.get("file") or None,
                    version=cd.get("version"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("publishing:archive_item", item.pk)
    context = {"form": form, "item": item, **_context(request, item.conference_id)}
    return render(request, "publishing/archive/edit.html", context, status=status)


@login_required
@require_POST
def item_place(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an item into a volume or take it out."""
    item = archive.get_item(request.user, pk)
    form = PlaceForm(request.POST)
    field: Any = form.fields["volume"]
    field.queryset = archive.volumes(request.user, item.conference_id)
    if form.is_valid():
        try:
            archive.place_item(request.user, item, form.cleaned_data.get("volume"))  # type: ignore[arg-type]
        except AppError as error:
            status = apply_error(form, error, "volume")
        else:
            messages.success(request, _("已保存。"))
            return redirect("publishing:archive_item", item.pk)
    else:
        status = 400
    return render(request, "publishing/archive/item.html", _item_context(request, item, form), status=status)


def _file_response(item: ArchiveItem) -> FileResponse:
    if not item.file:
        raise Http404
    # Always a download under the checked original name: the browser never renders it as a page.
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name or "file")


@login_required
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download an item's file (the conference's staff and leaders)."""
    return _file_response(archive.get_item(request.user, pk))


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Collections, their volumes and the solicitation campaigns; staff create them here."""
    conference_id = _office(request)
    user: Any = request.user
    conference: Any = request.conference  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    forms_ = {
        "collection": CollectionForm(request.POST if which == "collection" else None, prefix="c"),
        "volume": VolumeForm(request.POST if which == "volume" else None, prefix="v"),
        "solicitation": SolicitationForm(request.POST if which == "solicitation" else None, prefix="s"),
    }
    field: Any = forms_["volume"].fields["collection"]
    field.queryset = archive.collections(user, conference_id)
    status = 200
    if which in forms_:
        form = forms_[which]
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                if which == "collection":
                    archive.create_collection(
                        user, conference, title=cd["title"], description=cd["description"]
                    )
                elif which == "volume":
                    archive.create_volume(user, cd["collection"], title=cd["title"])
                else:
                    archive.open_solicitation(
                        user,
                        conference,
                        topic=cd["topic"],
                        deadline=cd["deadline"],
                        description=cd["description"],
                    )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("publishing:archive_setup")
    context = {
        "collections": archive.collections(user, conference_id),
        "solicitations": archive.solicitations(conference_id),
        "can_manage": archive.is_archive_staff(user, conference_id),
        "forms": forms_,
        **_context(request, conference_id),
    }
    return render(request, "publishing/archive/setup.html", context, status=status)


@login_required
def volume_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A volume compiled into a book (.docx) from its reviewed and published items."""
    volume = archive.get_volume(request.user, pk)
    content = archive.volume_docx(volume, archive.volume_items(volume))
    response = HttpResponse(content, content_type=DOCX)
    name = f"{volume.collection.title}第{volume.number}辑.docx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def volume_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A volume compiled into a book (.pdf, Chinese font embedded) from its reviewed and published items."""
    volume = archive.get_volume(request.user, pk)
    content = archive.volume_pdf(volume, archive.volume_items(volume))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{volume.collection.title}第{volume.number}辑.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# ---------------------------------------------------------------------------- the public portal


def _portal(code: str) -> tuple[int, dict[str, Any]]:
    conference = selectors.get_portal_conference(code)
    return int(conference.pk), {"portal": conference, "kinds": ArticleKind.choices, "section": "archive"}


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    """The conference's published items, searchable by person, place, period and subject."""
    conference_id, context = _portal(code)
    form = PublicSearchForm(request.GET)
    criteria = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    qs = archive.public_items(conference_id, **criteria)
    context |= {
        "form": form,
        "criteria": criteria,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "web/public/archive.html", context)


def public_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One published item of the conference (404 when unpublished or another conference's)."""
    conference_id, context = _portal(code)
    item = archive.get_public_item(conference_id, pk)
    context |= {"item": item, "contributor": archive.contributor_label(item)}
    return render(request, "web/public/archive_item.html", context)


def public_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """The file of a published item, always as a download."""
    conference_id, _context = _portal(code)
    return _file_response(archive.get_public_item(conference_id, pk))
