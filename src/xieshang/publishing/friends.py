"""Friends of the conference (政协之友): people outside the membership who take part in culture work.

Staff create a friend with a light account: a user (username = mobile number, a random first password
shown once to staff) holding only the `friend` role in the conference. A friend signs in and sees
their culture projects, the archive's open solicitations (and contributes items through the archive
services), their own contributions and their awards — nothing else: every other page asks for the
member, staff, unit or leader role, which a friend does not hold.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.people.models import Role, RoleKind, User
from xieshang.people.selectors import conference_ids, forget_roles, has_role

from .culture import is_culture_staff, office_conference_ids
from .models import ArchiveItem, AwardState, CultureProject, Friend, Nomination

PHONE = re.compile(r"^1\d{10}$")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


@dataclass
class FriendInput:
    """What staff record about a friend."""

    name: str
    phone: str
    expertise: str = ""
    notes: str = ""


def _clean(data: FriendInput) -> dict[str, str]:
    phone = (data.phone or "").strip().replace(" ", "").replace("-", "")
    if not PHONE.match(phone):
        raise invalid({"phone": _("请填写11位手机号码。")})
    return {
        "name": sm.clean_text(data.name, "name", _("姓名"), required=True, limit=50),
        "phone": phone,
        "expertise": sm.clean_text(data.expertise, "expertise", _("专长"), required=False, limit=200),
        "notes": sm.clean_text(data.notes, "notes", _("备注"), required=False, limit=2000),
    }


def new_password() -> str:
    """A random first password, without look-alike characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@transaction.atomic(durable=True)
def create_friend(actor: User, conference: Conference, data: FriendInput) -> tuple[Friend, str]:
    """Staff record a friend and open their light account; returns the friend and the first password
    (shown once, stored only hashed). A mobile number that already signs in is refused."""
    if not is_culture_staff(actor, conference.pk):
        raise denied(_("只有本级政协机关工作人员可以添加政协之友。"))
    fields = _clean(data)
    if User.objects.filter(username=fields["phone"]).exists():
        raise AppError(ErrorCode.DUPLICATE, fields={"phone": _("该手机号已有账号。")})
    password = new_password()
    user = User(username=fields["phone"], display_name=fields["name"], phone=fields["phone"])
    user.set_password(password)
    user.save()
    Role.objects.create(user=user, conference=conference, kind=RoleKind.FRIEND)
    friend = Friend.objects.create(conference=conference, user=user, created_by=actor, **fields)
    record(actor, "create", friend, summary=_("添加政协之友"))
    return friend, password


@transaction.atomic(durable=True)
def update_friend(actor: User, friend: Friend, data: FriendInput) -> Friend:
    """Staff correct a friend's record; the account's name and phone follow (the username stays)."""
    friend = Friend.objects.select_for_update().select_related("user").get(pk=friend.pk)
    if not is_culture_staff(actor, friend.conference_id):
        raise denied()
    fields = _clean(data)
    for name, value in fields.items():
        setattr(friend, name, value)
    friend.save(update_fields=list(fields))
    friend.user.display_name, friend.user.phone = fields["name"], fields["phone"]
    friend.user.save(update_fields=["display_name", "phone"])
    record(actor, "edit", friend, summary=_("修改政协之友信息"))
    return friend


@transaction.atomic(durable=True)
def set_friend_active(actor: User, friend: Friend, *, active: bool) -> Friend:
    """Staff end or restore a friend's access: the friend role in this conference goes or comes back,
    and an account left without any role cannot sign in."""
    friend = Friend.objects.select_for_update().select_related("user").get(pk=friend.pk)
    if not is_culture_staff(actor, friend.conference_id):
        raise denied()
    if friend.is_active == active:
        return friend
    user = friend.user
    if active:
        Role.objects.get_or_create(user=user, conference_id=friend.conference_id, kind=RoleKind.FRIEND)
    else:
        Role.objects.filter(user=user, conference_id=friend.conference_id, kind=RoleKind.FRIEND).delete()
    user.is_active = Role.objects.filter(user=user).exists()
    user.save(update_fields=["is_active"])
    forget_roles(user)
    friend.is_active = active
    friend.save(update_fields=["is_active"])
    record(
        actor,
        "activate" if active else "deactivate",
        friend,
        summary=_("恢复账号") if active else _("停用账号"),
    )
    return friend


@transaction.atomic(durable=True)
def reset_password(actor: User, friend: Friend) -> str:
    """Staff give an active friend a new random password, returned once."""
    friend = Friend.objects.select_for_update().select_related("user").get(pk=friend.pk)
    if not is_culture_staff(actor, friend.conference_id):
        raise denied()
    if not friend.is_active:
        raise AppError(ErrorCode.INVALID_STATE, _("账号已停用，请先恢复。"))
    password = new_password()
    friend.user.set_password(password)
    friend.user.save(update_fields=["password"])
    record(actor, "reset_password", friend, summary=_("重置密码"))
    return password


# ---------------------------------------------------------------------------- selectors


def office_friends(user: Any, conference_id: int, q: str = "") -> QuerySet[Friend]:
    """The conference's friends for its staff and leaders (otherwise none), by name."""
    if conference_id not in office_conference_ids(user):
        return Friend.objects.none()
    qs = Friend.objects.filter(conference_id=conference_id).select_related("user")
    for word in q.split()[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(expertise__icontains=word) | Q(phone__icontains=word))
    return qs


def get_friend(user: Any, friend_id: int) -> Friend:
    """A friend of a conference where the user is staff or a leader, or 404."""
    friend = (
        Friend.objects.select_related("user", "conference")
        .filter(pk=friend_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if friend is None:
        raise Http404
    return friend


def is_friend(user: Any, conference_id: int) -> bool:
    """Whether the user is a friend of the conference (holds the friend role there)."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.FRIEND))


def friend_conference_ids(user: Any) -> set[int]:
    """Conferences where the user is a friend."""
    return conference_ids(user, RoleKind.FRIEND) if user.is_authenticated else set()


def my_projects(user: Any, conference_id: int) -> QuerySet[CultureProject]:
    """The conference's culture projects the user takes part in."""
    return CultureProject.objects.filter(conference_id=conference_id, participants=user).select_related(
        "activity"
    )


def my_items(user: Any, conference_id: int) -> QuerySet[ArchiveItem]:
    """The archive items the user contributed to the conference, newest first."""
    return ArchiveItem.objects.filter(conference_id=conference_id, contributor=user).select_related(
        "solicitation"
    )


def my_awards(user: Any, conference_id: int) -> QuerySet[Nomination]:
    """Published winning nominations honouring the user: in person or through a project they joined."""
    return (
        Nomination.objects.filter(
            conference_id=conference_id,
            award__state=AwardState.PUBLISHED,
            is_winner=True,
        )
        .filter(Q(person=user) | Q(project__participants=user))
        .select_related("award", "project")
        .distinct()
        .order_by("-award__year", "rank")
    )
