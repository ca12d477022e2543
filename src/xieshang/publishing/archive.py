"""The cultural-historical archive (文史资料): the item state table, every write (services) and every
read (selectors) of collections, volumes, solicitations and items, and a volume compiled into .docx.

Roles on an item: `staff` (office staff of the item's conference: review, publish, reject, take down,
place in a volume). Members, staff and friends of the conference (政协之友, light accounts, see
friends.py) submit items; staff may also record an item for someone without an account, by name.
The portal shows only published items of one conference.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import conference_ids, has_role

from .exports import BODY_FONT, HEADING_FONT, TITLE_FONT, _new_document, _para, _paragraphs
from .models import ArchiveItem, ArchiveItemKind, ArchiveItemState, Collection, Solicitation, Volume

S = ArchiveItemState

ARCHIVE_TYPES = {ext: DOCUMENT_TYPES[ext] for ext in (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".txt")}
ARCHIVE_MAX_MB = 20
TITLE_MAX = 200
TEXT_MAX = 100000
SHORT_MAX = {"period": 60, "place": 100, "people": 300, "subjects": 300, "contributor_name": 60}
SUBMIT_ROLES = (RoleKind.MEMBER, RoleKind.STAFF, RoleKind.LEADER, RoleKind.FRIEND)
OFFICE_ROLES = (RoleKind.STAFF, RoleKind.LEADER)

TRANSITIONS: dict[str, sm.Transition] = {
    "review": sm.transition(str(gettext_lazy("审稿通过")), {S.SUBMITTED}, {"staff"}, {S.REVIEWED}),
    "publish": sm.transition(
        str(gettext_lazy("发布")), {S.REVIEWED}, {"staff"}, {S.PUBLISHED}, "visible on the portal at once"
    ),
    "reject": sm.transition(
        str(gettext_lazy("不予采用")), {S.SUBMITTED, S.REVIEWED}, {"staff"}, {S.REJECTED}
    ),
    "unpublish": sm.transition(
        str(gettext_lazy("撤下")), {S.PUBLISHED}, {"staff"}, {S.REVIEWED}, "gone from the portal at once"
    ),
}

# ---------------------------------------------------------------------------- rules


def is_archive_staff(user: Any, conference_id: int) -> bool:
    """Office staff of the conference edit its archive."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_submit_items(user: Any, conference_id: int) -> bool:
    """Members, staff, leaders and friends of the conference contribute items."""
    return bool(user.is_authenticated and has_role(user, conference_id, *SUBMIT_ROLES))


def item_roles(user: Any, item: ArchiveItem) -> set[str]:
    """Every workflow role the user plays on this item."""
    return {"staff"} if is_archive_staff(user, item.conference_id) else set()


# ---------------------------------------------------------------------------- services


@dataclass
class ItemInput:
    """What a contributor writes; people and subjects are comma-separated lists."""

    title: str
    kind: str
    text: str = ""
    period: str = ""
    place: str = ""
    people: str = ""
    subjects: str = ""
    contributor_name: str = ""


def _normalise_list(value: str) -> str:
    """'张三， 李四,张三' → '张三,李四': one separator, no blanks, no repeats."""
    parts = [p.strip() for p in value.replace("，", ",").replace("、", ",").split(",")]
    return ",".join(dict.fromkeys(p for p in parts if p))


def _clean_item(data: ItemInput) -> dict[str, str]:
    if data.kind not in ArchiveItemKind.values:
        raise invalid({"kind": _("类别无效。")})
    labels = {
        "period": _("年代"),
        "place": _("地点"),
        "people": _("涉及人物"),
        "subjects": _("主题词"),
        "contributor_name": _("提供人"),
    }
    fields = {
        "kind": data.kind,
        "title": sm.clean_text(data.title, "title", _("标题"), required=True, limit=TITLE_MAX),
        "text": sm.clean_text(data.text, "text", _("正文"), required=False, limit=TEXT_MAX).replace(
            "\r\n", "\n"
        ),
    }
    for name, limit in SHORT_MAX.items():
        fields[name] = sm.clean_text(getattr(data, name), name, labels[name], required=False, limit=limit)
    for name in ("people", "subjects"):
        fields[name] = _normalise_list(fields[name])
    return fields


def _check_solicitation(conference: Conference, solicitation: Solicitation | None) -> None:
    """A campaign of the same conference, still open and not past its deadline."""
    if solicitation is None:
        return
    if solicitation.conference_id != conference.pk:
        raise AppError(ErrorCode.NOT_FOUND)
    if not solicitation.is_open or solicitation.deadline < today():
        raise AppError(
            ErrorCode.WINDOW_CLOSED,
            _("征集活动“%(topic)s”已截止，不再接收稿件。") % {"topic": solicitation.topic},
            fields={"solicitation": _("该征集活动已截止。")},
        )


@transaction.atomic(durable=True)
def submit_item(
    actor: User,
    conference: Conference,
    data: ItemInput,
    *,
    upload: UploadedFile | None = None,
    solicitation: Solicitation | None = None,
) -> ArchiveItem:
    """A member or staff contributes an item (with an optional checked file, stored under a random
    name); only staff may name another contributor, e.g. a friend of the conference."""
    if not can_submit_items(actor, conference.pk):
        raise denied(_("只有本级政协委员、政协之友和机关工作人员可以提交文史资料。"))
    fields = _clean_item(data)
    if fields["contributor_name"] and not is_archive_staff(actor, conference.pk):
        fields["contributor_name"] = ""
    _check_solicitation(conference, solicitation)
    original = ""
    if upload is not None:
        try:
            original = check_upload(upload, ARCHIVE_TYPES, max_mb=ARCHIVE_MAX_MB)
        except AppError as error:
            raise AppError(error.code, error.message, fields={"file": error.message}) from error
    item = ArchiveItem(
        conference=conference, contributor=actor, solicitation=solicitation, original_name=original, **fields
    )
    if upload is not None:
        item.file.save(original, upload, save=False)
    item.save()
    record(actor, "submit", item, to_state=item.state, summary=_("提交文史资料"))
    return item


def _act(actor: User, item: ArchiveItem, action: str, to_state: str, version: int | None) -> ArchiveItem:
    item = sm.lock(item, version)
    row = TRANSITIONS[action]
    sm.check(row, item_roles(actor, item), item, _("该文史资料"))
    sm.move(actor, item, action, row, to_state)
    return item


@transaction.atomic(durable=True)
def review_item(actor: User, item: ArchiveItem, *, version: int | None = None) -> ArchiveItem:
    """Staff accept a submitted item after editorial review."""
    return _act(actor, item, "review", S.REVIEWED, version)


@transaction.atomic(durable=True)
def publish_item(actor: User, item: ArchiveItem, *, version: int | None = None) -> ArchiveItem:
    """Staff publish a reviewed item on the portal."""
    return _act(actor, item, "publish", S.PUBLISHED, version)


@transaction.atomic(durable=True)
def reject_item(actor: User, item: ArchiveItem, *, version: int | None = None) -> ArchiveItem:
    """Staff decline a submitted or reviewed item."""
    return _act(actor, item, "reject", S.REJECTED, version)


@transaction.atomic(durable=True)
def unpublish_item(actor: User, item: ArchiveItem, *, version: int | None = None) -> ArchiveItem:
    """Staff take a published item off the portal at once."""
    return _act(actor, item, "unpublish", S.REVIEWED, version)


EDITABLE = {S.SUBMITTED, S.REVIEWED, S.PUBLISHED}


@transaction.atomic(durable=True)
def update_item(
    actor: User,
    item: ArchiveItem,
    data: ItemInput,
    *,
    upload: UploadedFile | None = None,
    version: int | None = None,
) -> ArchiveItem:
    """Staff correct an item's text and metadata (and may replace its file, checked like a new one);
    a published item changes on the portal at once. Rejected items stay as they were."""
    item = sm.lock(item, version)
    if not is_archive_staff(actor, item.conference_id):
        raise denied()
    if item.state not in EDITABLE:
        raise AppError(ErrorCode.INVALID_STATE, _("不予采用的文史资料不能再修改。"))
    fields = _clean_item(data)
    original = ""
    if upload is not None:
        try:
            original = check_upload(upload, ARCHIVE_TYPES, max_mb=ARCHIVE_MAX_MB)
        except AppError as error:
            raise AppError(error.code, error.message, fields={"file": error.message}) from error
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if upload is not None:
        item.file.save(original, upload, save=False)
        item.original_name = original
        changed += ["file", "original_name"]
    if changed:
        sm.touch(actor, item, "edit", label=_("修改文史资料"), fields=changed, data={"fields": changed})
    return item


ACTIONS = {
    "review": review_item,
    "publish": publish_item,
    "reject": reject_item,
    "unpublish": unpublish_item,
}


@transaction.atomic(durable=True)
def place_item(actor: User, item: ArchiveItem, volume: Volume | None) -> ArchiveItem:
    """Staff put a reviewed or published item into a volume of the same conference (None: take it out)."""
    item = sm.lock(item, None)
    if not is_archive_staff(actor, item.conference_id):
        raise denied()
    if volume is not None and volume.conference_id != item.conference_id:
        raise AppError(ErrorCode.NOT_FOUND)
    if volume is not None and item.state not in {S.REVIEWED, S.PUBLISHED}:
        raise AppError(ErrorCode.INVALID_STATE, _("只有审稿通过的文史资料可以编入文史资料辑。"))
    item.volume = volume
    sm.touch(actor, item, "place", label=_("编入文史资料辑"), fields=["volume"])
    return item


@transaction.atomic(durable=True)
def create_collection(
    actor: User, conference: Conference, *, title: str, description: str = ""
) -> Collection:
    """Staff start a series (文史丛书) of their conference; titles are unique per conference."""
    if not is_archive_staff(actor, conference.pk):
        raise denied()
    title = sm.clean_text(title, "title", _("丛书名"), required=True, limit=TITLE_MAX)
    description = sm.clean_text(description, "description", _("简介"), required=False, limit=2000)
    if Collection.objects.filter(conference=conference, title=title).exists():
        raise AppError(ErrorCode.DUPLICATE, fields={"title": _("已有同名丛书。")})
    collection = Collection.objects.create(conference=conference, title=title, description=description)
    record(actor, "create", collection, summary=_("新建文史丛书"))
    return collection


@transaction.atomic(durable=True)
def create_volume(actor: User, collection: Collection, *, title: str = "") -> Volume:
    """Staff open the next volume of a collection, numbered after the last one."""
    if not is_archive_staff(actor, collection.conference_id):
        raise denied()
    title = sm.clean_text(title, "title", _("本辑标题"), required=False, limit=TITLE_MAX)
    Collection.objects.select_for_update().get(pk=collection.pk)
    last = Volume.objects.filter(collection=collection).aggregate(n=Max("number"))["n"] or 0
    volume = Volume.objects.create(
        collection=collection, conference_id=collection.conference_id, number=last + 1, title=title
    )
    record(actor, "create", volume, to_state=volume.state, summary=_("新建文史资料辑"))
    return volume


@transaction.atomic(durable=True)
def publish_volume(actor: User, volume: Volume) -> Volume:
    """Staff mark a volume as printed; it needs at least one item."""
    if not is_archive_staff(actor, volume.conference_id):
        raise denied()
    volume = Volume.objects.select_for_update().get(pk=volume.pk)
    if volume.state != Volume.State.DRAFT:
        raise AppError(ErrorCode.INVALID_STATE)
    if not volume.items.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("本辑还没有收录文史资料。"))
    volume.state = Volume.State.PUBLISHED
    volume.save(update_fields=["state"])
    record(actor, "publish", volume, from_state=Volume.State.DRAFT, to_state=volume.state)
    return volume


@transaction.atomic(durable=True)
def open_solicitation(
    actor: User, conference: Conference, *, topic: str, deadline: Any, description: str = ""
) -> Solicitation:
    """Staff open a campaign for materials on a topic until `deadline` (inclusive)."""
    if not is_archive_staff(actor, conference.pk):
        raise denied()
    topic = sm.clean_text(topic, "topic", _("征集主题"), required=True, limit=TITLE_MAX)
    description = sm.clean_text(description, "description", _("征集说明"), required=False, limit=2000)
    if deadline < today():
        raise invalid({"deadline": _("截止日期不能早于今天。")})
    solicitation = Solicitation.objects.create(
        conference=conference, topic=topic, description=description, deadline=deadline
    )
    record(actor, "create", solicitation, summary=_("发起文史资料征集"))
    return solicitation


@transaction.atomic(durable=True)
def close_solicitation(actor: User, solicitation: Solicitation) -> Solicitation:
    """Staff end a campaign before its deadline."""
    if not is_archive_staff(actor, solicitation.conference_id):
        raise denied()
    solicitation.is_open = False
    solicitation.save(update_fields=["is_open"])
    record(actor, "close", solicitation, summary=_("结束征集"))
    return solicitation


# ---------------------------------------------------------------------------- office selectors


def office_conference_ids(user: Any) -> set[int]:
    """The conferences where the user is staff or a leader."""
    return conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()


def office_items(user: Any, conference_id: int, state: str = "") -> QuerySet[ArchiveItem]:
    """The conference's items for its staff and leaders (otherwise none), newest first."""
    if conference_id not in office_conference_ids(user):
        return ArchiveItem.objects.none()
    qs = ArchiveItem.objects.filter(conference_id=conference_id).select_related(
        "contributor", "volume__collection", "solicitation"
    )
    return qs.filter(state=state) if state else qs


def get_item(user: Any, item_id: int) -> ArchiveItem:
    """An item of a conference where the user is staff or a leader, or 404."""
    item = (
        ArchiveItem.objects.select_related("conference", "contributor", "volume__collection", "solicitation")
        .filter(pk=item_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if item is None:
        raise Http404
    return item


def available_actions(user: Any, item: ArchiveItem) -> list[str]:
    """Workflow actions the user may start on the item now (the buttons to show)."""
    roles = item_roles(user, item)
    return [name for name, row in TRANSITIONS.items() if item.state in row.sources and row.roles & roles]


def collections(user: Any, conference_id: int) -> QuerySet[Collection]:
    """The conference's collections with their volumes (staff and leaders; otherwise none)."""
    if conference_id not in office_conference_ids(user):
        return Collection.objects.none()
    return Collection.objects.filter(conference_id=conference_id).prefetch_related("volumes")


def volumes(user: Any, conference_id: int) -> QuerySet[Volume]:
    """Every volume of the conference's collections (staff and leaders; otherwise none)."""
    if conference_id not in office_conference_ids(user):
        return Volume.objects.none()
    return Volume.objects.filter(conference_id=conference_id).select_related("collection")


def get_volume(user: Any, volume_id: int) -> Volume:
    """A volume of a conference where the user is staff or a leader, or 404."""
    volume = (
        Volume.objects.select_related("collection", "conference")
        .filter(pk=volume_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if volume is None:
        raise Http404
    return volume


def solicitations(conference_id: int) -> QuerySet[Solicitation]:
    """The conference's campaigns, latest deadline first."""
    return Solicitation.objects.filter(conference_id=conference_id)


def open_solicitations(conference_id: int) -> QuerySet[Solicitation]:
    """The conference's campaigns still receiving materials today."""
    return solicitations(conference_id).filter(is_open=True, deadline__gte=today())


def volume_items(volume: Volume) -> list[ArchiveItem]:
    """The items of a volume that passed review, in title order."""
    return list(
        volume.items.filter(state__in=[S.REVIEWED, S.PUBLISHED])
        .select_related("contributor")
        .order_by("title", "id")
    )


# ---------------------------------------------------------------------------- the public portal

SEARCH_FIELDS = ("people", "place", "period", "subjects")


def public_items(conference_id: int, **criteria: str) -> QuerySet[ArchiveItem]:
    """Published items of one conference, narrowed by `q` (any text) and by person, place, period and
    subject (each a substring match, so "1950" finds "1950年代")."""
    qs = ArchiveItem.objects.filter(conference_id=conference_id, state=S.PUBLISHED).select_related(
        "contributor"
    )
    for name in SEARCH_FIELDS:
        value = (criteria.get(name) or "").strip()
        if value:
            qs = qs.filter(**{f"{name}__icontains": value})
    for word in (criteria.get("q") or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(text__icontains=word) | Q(subjects__icontains=word))
    return qs.order_by("-updated_at", "-id")


def get_public_item(conference_id: int, item_id: int) -> ArchiveItem:
    """A published item of the conference, or 404."""
    item = public_items(conference_id).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


# ---------------------------------------------------------------------------- the book


def contributor_label(item: ArchiveItem) -> str:
    """The name printed under an item: the typed name, else the contributing user."""
    return item.contributor_name or (str(item.contributor) if item.contributor else "")


def volume_docx(volume: Volume, items: list[ArchiveItem]) -> bytes:
    """The volume as one .docx: series and volume, contents, then every item with its byline and text."""
    doc = _new_document()
    _para(doc, volume.collection.title, font=TITLE_FONT, size=32, bold=True, center=True)
    _para(doc, f"第{volume.number}辑", size=18, center=True)
    if volume.title:
        _para(doc, volume.title, font=TITLE_FONT, size=20, bold=True, center=True)
    _para(doc, f"{volume.conference.name}文史资料委员会　编", size=14, center=True)
    _para(doc, "目　录", font=TITLE_FONT, size=16, bold=True, center=True)
    for index, item in enumerate(items, start=1):
        _para(doc, f"{index}．{item.title}", size=14)
    for item in items:
        _para(doc, item.title, font=TITLE_FONT, size=22, bold=True, center=True)
        byline = "　".join(x for x in (contributor_label(item), item.period, item.place) if x)
        if byline:
            _para(doc, byline, size=14, center=True)
        if item.people:
            _para(doc, f"涉及人物：{item.people.replace(',', '、')}", font=HEADING_FONT, size=12)
        for line in _paragraphs(item.text):
            _para(doc, line, font=BODY_FONT, indent=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def volume_pdf(volume: Volume, items: list[ArchiveItem]) -> bytes:
    """The volume as a PDF book (A4, serif CJK font whose subset is embedded): title page, contents,
    then every item on its own page with byline and text."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    pieces = [
        {
            "title": item.title,
            "byline": "　".join(x for x in (contributor_label(item), item.period, item.place) if x),
            "people": item.people.replace(",", "、"),
            "lines": _paragraphs(item.text),
        }
        for item in items
    ]
    html = render_to_string("publishing/archive/volume_pdf.html", {"volume": volume, "pieces": pieces})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
