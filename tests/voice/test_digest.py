"""The weekly digest of hot topics: leaders subscribe; the weekly job tells each subscribed leader
once a week (a second run the same week sends nothing), only subscribers, each about their own
conference; the page and its .docx; the worker schedules the job."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError
from xieshang.notify.models import Notification
from xieshang.people.models import Role
from xieshang.people.selectors import forget_roles
from xieshang.voice import digest, services
from xieshang.voice.models import DigestSent, DigestSubscription, PublicMessage

ELEVATOR = "老旧小区加装电梯审批难、费用分摊难，老年人上下楼不便，希望出台补贴政策。"
TODAY = timezone.localdate()
WEEK = digest.week_of(TODAY)


def _last_week_messages(side: Any, n: int = 3, subject: str = "加装电梯太难了") -> None:
    when = timezone.make_aware(dt.datetime.combine(WEEK - dt.timedelta(days=3), dt.time(10)))
    for i in range(n):
        m = services.submit_message(
            side.conference,
            services.MessageInput(subject=f"{subject}（{i}）", detail=ELEVATOR, place="城东街道"),
        )
        PublicMessage.objects.filter(pk=m.pk).update(submitted_at=when)


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notes(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user, verb="voice_digest"))


def test_the_job_tells_each_subscriber_once_a_week(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    _last_week_messages(world.city)
    digest.set_subscription(world.city.leader, world.city.conference, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests(TODAY) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests(TODAY) == 0  # the same week: nothing more
        assert digest.send_weekly_digests(WEEK + dt.timedelta(days=6)) == 0  # Sunday, same week
    [note] = _notes(world.city.leader)
    assert note.url == f"{reverse('voice:digest')}?week={WEEK.isoformat()}"
    assert note.conference_id == world.city.conference.pk
    assert "电梯" in note.body
    assert DigestSent.objects.filter(user=world.city.leader, week=WEEK).count() == 1
    # next week is a new digest
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests(TODAY + dt.timedelta(days=7)) == 1
    assert len(_notes(world.city.leader)) == 2


def test_only_subscribers_and_only_current_leaders_are_told(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    _last_week_messages(world.city)
    digest.set_subscription(world.city.leader, world.city.conference, on=True)
    # a second subscriber who then stops being a leader
    vice = world.county.leader
    digest.set_subscription(vice, world.county.conference, on=True)
    Role.objects.filter(user=vice, conference=world.county.conference).delete()
    forget_roles(vice)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests(TODAY) == 1
    assert len(_notes(world.city.leader)) == 1
    for who in (vice, world.city.staff, world.city.member, world.outsider):
        assert _notes(who) == []


def test_each_leader_is_told_about_their_own_conference(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    _last_week_messages(world.city)
    _last_week_messages(world.county, subject="县城菜市场脏乱差")
    digest.set_subscription(world.city.leader, world.city.conference, on=True)
    digest.set_subscription(world.county.leader, world.county.conference, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests(TODAY) == 2
    [city_note] = _notes(world.city.leader)
    [county_note] = _notes(world.county.leader)
    assert city_note.conference_id == world.city.conference.pk
    assert county_note.conference_id == world.county.conference.pk
    # the county leader's digest page shows the county's topics, not the city's
    page = _login(world.county.leader).get(county_note.url).content.decode()
    assert "电梯" not in page


def test_only_leaders_subscribe_and_the_toggle_is_audited(world):  # type: ignore[no-untyped-def]
    for who in (world.city.staff, world.city.member, world.county.leader):
        with pytest.raises(AppError):
            digest.set_subscription(who, world.city.conference, on=True)
    assert DigestSubscription.objects.count() == 0
    leader = _login(world.city.leader)
    assert leader.post(reverse("voice:digest_subscribe"), {"on": "1"}).status_code == 302
    assert digest.is_subscribed(world.city.leader, world.city.conference.pk)
    assert leader.post(reverse("voice:digest_subscribe"), {"on": "1"}).status_code == 302
    assert DigestSubscription.objects.count() == 1
    assert 'data-testid="digest-unsubscribe"' in leader.get(reverse("voice:digest")).content.decode()
    leader.post(reverse("voice:digest_subscribe"), {"on": "0"})
    assert DigestSubscription.objects.count() == 0
    verbs = list(AuditEvent.objects.filter(actor=world.city.leader).values_list("verb", flat=True))
    assert verbs == ["digest_subscribe", "digest_unsubscribe"]
    assert _login(world.city.staff).post(reverse("voice:digest_subscribe"), {"on": "1"}).status_code == 403
    assert _login(world.city.member).post(reverse("voice:digest_subscribe"), {"on": "1"}).status_code == 403


def test_the_page_and_the_docx(world):  # type: ignore[no-untyped-def]
    _last_week_messages(world.city)
    leader = _login(world.city.leader)
    page = leader.get(reverse("voice:digest"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="digest-topic"') >= 1
    # an earlier week has nothing; a junk week falls back to this week
    assert "还不足以形成热点" in leader.get(reverse("voice:digest"), {"week": "2001-01-01"}).content.decode()
    assert leader.get(reverse("voice:digest"), {"week": "junk"}).status_code == 200
    response = leader.get(reverse("voice:digest_docx"), {"week": WEEK.isoformat()})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "热点民意周报" in text and "电梯" in text
    for who in (world.city.member, world.city.unit_user, world.outsider):
        assert _login(who).get(reverse("voice:digest")).status_code == 403
        assert _login(who).get(reverse("voice:digest_docx")).status_code == 403
    assert _login(world.city.staff).get(reverse("voice:digest")).status_code == 200


def test_the_worker_schedules_the_weekly_job(world, monkeypatch):  # type: ignore[no-untyped-def]
    from xieshang.web.management.commands import worker

    enqueued: list[str] = []
    for name in ("remind_due_replies", "remind_due_tasks", "remind_overdue_messages", "send_weekly_digest"):
        monkeypatch.setattr(worker, name, SimpleNamespace(enqueue=lambda n=name: enqueued.append(n)))
    worker.enqueue_reminders()
    assert "send_weekly_digest" in enqueued
