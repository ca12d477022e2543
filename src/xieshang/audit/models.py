"""Who did what when, on every state change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded action; append-only."""

    conference = models.ForeignKey(
        "conferences.Conference", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("政协")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    verb = models.CharField(_("操作"), max_length=40)
    target_type = models.CharField(_("对象类型"), max_length=40)
    target_id = models.BigIntegerField(_("对象"))
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an event already written is never rewritten."""
        if not self._state.adding:
            raise PermissionDenied(_("审计记录只能追加，不能修改或删除。"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Never: the trail is append-only."""
        raise PermissionDenied(_("审计记录只能追加，不能修改或删除。"))
