"""Background jobs of the notify app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail to a user who has an address; True when sent."""
    n = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if n is None or not n.user.email:
        return False
    send_mail(f"[协商] {n.title}", f"{n.body}\n\n{n.url}", settings.DEFAULT_FROM_EMAIL, [n.user.email])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return True
