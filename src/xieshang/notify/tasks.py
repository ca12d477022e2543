"""Background jobs of the notify app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail to a user who has an address; True when sent.

    The notification is claimed (its `emailed_at` set) before the mail goes out, so a job that runs
    twice (a retry after a killed worker, two workers) never sends the same mail twice.
    """
    n = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if n is None or not n.user.email:
        return False
    if not Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False
    try:
        send_mail(f"[协商] {n.title}", f"{n.body}\n\n{n.url}", settings.DEFAULT_FROM_EMAIL, [n.user.email])
    except Exception:
        # Not sent: release the claim so that a retry of the job may send it.
        Notification.objects.filter(pk=n.pk).update(emailed_at=None)
        raise
    return True
