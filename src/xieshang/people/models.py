"""Users, their roles in each conference, members and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.conferences.models import Committee, Conference, Department, HandlingUnit, Party, Sector


class User(AbstractUser):
    """A person who signs in; what they may do comes from their roles."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleKind(models.TextChoices):
    """What a user does in one conference."""

    MEMBER = "member", _("委员")
    STAFF = "staff", _("机关工作人员")
    UNIT = "unit", _("承办单位联系人")
    LEADER = "leader", _("领导")
    ADMIN = "admin", _("系统管理员")
    FRIEND = "friend", _("政协之友")


class Role(models.Model):
    """A user's role in a conference; a unit contact is bound to one handling unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("用户"))
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="roles", verbose_name=_("政协")
    )
    kind = models.CharField(_("角色"), max_length=10, choices=RoleKind.choices)
    handling_unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("承办单位")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("部门")
    )

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "conference", "kind"], name="role_unique_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="unit") | models.Q(handling_unit__isnull=False),
                name="role_unit_needs_handling_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.conference.short_name} · {self.get_kind_display()}"


class Member(models.Model):
    """A member (委员) of a conference; the talent pool searches `expertise`."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="members", verbose_name=_("政协")
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("界别")
    )
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("党派"))
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("专委会")
    )
    is_standing = models.BooleanField(_("常委"), default=False)
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    expertise = models.CharField(_("专长"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        constraints = [models.UniqueConstraint(fields=["user", "conference"], name="member_unique_user")]

    def __str__(self) -> str:
        return str(self.user)


def hash_token(key: str) -> str:
    """Tokens are stored hashed; the clear key is shown once."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
