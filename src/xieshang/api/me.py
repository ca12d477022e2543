"""The caller: who they are, their notifications, and the office's work lists and statistics."""

import dataclasses
import importlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from xieshang.api.pagination import Pages
from xieshang.core.dates import today
from xieshang.notify import selectors as notify_selectors
from xieshang.notify import services as notify_services
from xieshang.notify.models import Notification
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conferences_of, members_of, role_kinds, unit_ids, users_with_role
from xieshang.proposals import selectors
from xieshang.proposals.models import Proposal

from . import access
from .auth import actor
from .errors import ErrorOut, error_body
from .proposals import ERRORS
from .schemas import (
    DirectoryOut,
    Id,
    MarkedOut,
    MarkReadIn,
    MeOut,
    NotificationOut,
    ProposalItemOut,
    WorkListsOut,
    Year,
)

router = Router(tags=["me"])

OFFICE = (RoleKind.STAFF, RoleKind.LEADER)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller and their roles in each conference."""
    user = actor(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "roles": [
            {
                "conference_id": c.pk,
                "conference": c.name,
                "short_name": c.short_name,
                "roles": sorted(role_kinds(user, c.pk)),
                "unit_ids": sorted(unit_ids(user, c.pk)),
            }
            for c in conferences_of(user)
        ],
    }


@router.get("/conferences/{conference_id}/directory", response={200: DirectoryOut, **ERRORS})
def directory(request: HttpRequest, conference_id: Id) -> dict[str, Any]:
    """The conference's categories, active handling units, members and leaders (any role there)."""
    conference = access.conference(actor(request), conference_id)

    def named(rows: Any) -> list[dict[str, Any]]:
        return [{"id": r.pk, "name": str(r)} for r in rows]

    return {
        "conference_id": conference.pk,
        "categories": named(selectors.categories(conference.pk)),
        "units": named(conference.handling_units.filter(is_active=True).order_by("name")),
        "members": named(members_of(conference.pk).order_by("id")),
        "leaders": named(users_with_role(conference.pk, [RoleKind.LEADER]).order_by("id")),
    }


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages, page_size=20, max_page_size=100)
def notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    """The caller's notifications, newest first (only unread ones with `unread=true`)."""
    qs = notify_selectors.notifications_for(actor(request))
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/notifications/read", response=MarkedOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    """Mark the caller's notifications read: those in `ids`, or all."""
    return {"marked": notify_services.mark_read(actor(request), payload.ids)}


@router.get("/worklists", response={200: WorkListsOut, **ERRORS})
def work_lists(request: HttpRequest, conference_id: Id) -> dict[str, Any]:
    """How many proposals wait in each of the office's work lists (staff and leaders)."""
    access.conference(actor(request), conference_id, *OFFICE)
    lists = selectors.work_lists(conference_id)
    return {"conference_id": conference_id, "counts": {name: qs.count() for name, qs in lists.items()}}


class FiguresEncoder(DjangoJSONEncoder):
    """JSON for figures: records become small objects (a proposal its list row), sets become lists."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Proposal):
            return ProposalItemOut.model_validate(o).model_dump(mode="json")
        if isinstance(o, Model):
            return {"id": o.pk, "label": str(o)}
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        return super().default(o)


def _jsonable(value: Any) -> Any:
    """A dataclass or dict of figures as plain JSON values (dates as ISO strings, decimals as strings)."""
    return json.loads(json.dumps(value, cls=FiguresEncoder))


def _figures(request: HttpRequest, name: str, conference_id: Id, year: Year | None) -> Status[Any]:
    access.conference(actor(request), conference_id, *OFFICE)
    try:
        stats = importlib.import_module("xieshang.proposals.stats")
    except ModuleNotFoundError as exc:
        if exc.name != "xieshang.proposals.stats":
            raise
        return Status(503, error_body("unavailable", "统计功能暂不可用，请稍后再试。"))
    return Status(200, _jsonable(getattr(stats, name)(conference_id, year or today().year)))


@router.get("/stats/dashboard", response={200: dict[str, Any], 503: ErrorOut, **ERRORS})
def dashboard(request: HttpRequest, conference_id: Id, year: Year | None = None) -> Status[Any]:
    """The leader's dashboard figures of one conference and year (staff and leaders)."""
    return _figures(request, "dashboard", conference_id, year)


@router.get("/stats/annual-report", response={200: dict[str, Any], 503: ErrorOut, **ERRORS})
def annual_report(request: HttpRequest, conference_id: Id, year: Year | None = None) -> Status[Any]:
    """The year's figures for the annual proposal work report (staff and leaders)."""
    return _figures(request, "annual_report", conference_id, year)
