"""Staff triage, forwarding and the unit's reply, leads adopted into proposals, reminders, permissions
and conference isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.proposals.models import Proposal
from xieshang.voice import selectors, services
from xieshang.voice.models import Forwarding, Lead, MessageReminder, MessageState, PublicMessage

from . import walk


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_forwarding_goes_to_the_units_inbox_and_its_answer_reaches_the_public(
    world, django_capture_on_commit_callbacks
):
    message = walk.submit(world.city)
    due = dt.date.today() + dt.timedelta(days=10)
    # given staff forward the message to a unit
    with django_capture_on_commit_callbacks(execute=True):
        services.forward_message(
            world.city.staff, message, unit_id=world.city.unit.pk, due_on=due, note="请核实"
        )
    assert Notification.objects.filter(user=world.city.unit_user, verb="message_forwarded").exists()
    # then it is in the unit's inbox and nobody else's
    inbox = _client(world.city.unit_user).get(reverse("voice:inbox")).content.decode()
    assert message.subject in inbox
    assert message.subject not in _client(world.city.unit2_user).get(reverse("voice:inbox")).content.decode()
    # when the unit answers on the message page
    page = _client(world.city.unit_user)
    message.refresh_from_db()
    response = page.post(
        reverse("voice:act", args=[message.pk, "unit_answer"]),
        {"answer": "已修复路灯。", "version": message.version},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.ANSWERED and message.reply_unit == world.city.unit
    assert Forwarding.objects.get().answered_at is not None
    # then the citizen reads it by the code
    track = Client().post(reverse("voice:track"), {"code": message.tracking_code}).content.decode()
    assert "已修复路灯。" in track and world.city.unit.name in track
    assert AuditEvent.objects.filter(
        target_type="publicmessage", target_id=message.pk, verb="unit_answer"
    ).exists()


def test_a_unit_of_another_conference_or_unit_cannot_see_or_answer(world):
    message = walk.build(world.city, MessageState.FORWARDED)
    for user in (world.county.unit_user, world.city.unit2_user, world.outsider, world.county.staff):
        assert _client(user).get(reverse("voice:detail", args=[message.pk])).status_code == 404
        with pytest.raises(AppError) as caught:
            services.unit_answer(user, message, answer="越权")
        assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_staff_of_another_conference_cannot_triage_or_see_the_board(world):
    message = walk.submit(world.city)
    with pytest.raises(AppError) as caught:
        services.triage_message(world.county.staff, message, category="城乡建设")
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    county_board = _client(world.county.staff).get(reverse("voice:board")).content.decode()
    assert message.subject not in county_board
    assert _client(world.city.member).get(reverse("voice:board")).status_code == 403
    assert _client(world.city.unit_user).get(reverse("voice:board")).status_code == 403
    assert _client(world.city.staff).get(reverse("voice:board")).status_code == 200
    # a unit cannot be chosen from another conference's registry
    with pytest.raises(AppError) as caught:
        services.forward_message(
            world.city.staff, message, unit_id=world.county.unit.pk, due_on=dt.date.today()
        )
    assert "unit" in caught.value.fields


def test_the_board_shows_messages_with_suggestions_and_filters(world):
    walk.submit(world.city, "学校门口交通拥堵", "上学高峰期拥堵严重")
    walk.submit(world.city, "路灯坏了", "幸福路路灯坏了")
    client = _client(world.city.staff)
    page = client.get(reverse("voice:board"), {"q": "学校"}).content.decode()
    assert "学校门口交通拥堵" in page and "路灯坏了" not in page
    detail = client.get(reverse("voice:detail", args=[PublicMessage.objects.first().pk])).content.decode()  # type: ignore[union-attr]
    assert 'data-testid="suggestions"' in detail and 'data-testid="similar-messages"' in detail


def test_merging_a_duplicate_follows_the_targets_reply(world):
    first = walk.submit(world.city)
    second = walk.submit(world.city)
    services.merge_message(world.city.staff, second, first.pk)
    services.answer_message(world.city.staff, first, reply="统一答复")
    first.refresh_from_db()
    assert first.support_count == 1
    page = Client().post(reverse("voice:track"), {"code": second.tracking_code}).content.decode()
    assert "统一答复" in page and "合并办理" in page


def test_a_member_adopts_a_lead_into_a_proposal_and_the_link_is_kept_both_ways(world):
    message = walk.submit(world.city, "建议增设社区养老服务点", "老旧小区老人多，缺少日间照料。")
    lead = services.mark_lead(world.city.staff, message, member_id=world.city.member.pk, note="适合提案")
    # another member, or a member of another conference, cannot adopt it
    for user in (world.city.member2, world.county.member):
        with pytest.raises(AppError):
            services.adopt_lead(user, lead)
    # when the member adopts it with one click
    response = _client(world.city.member).post(reverse("voice:adopt", args=[lead.pk]))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "proposals:edit", args=[proposal.pk]
    )
    # then the draft carries the message and the lead the proposal
    assert proposal.proposer == world.city.member and proposal.title == message.subject
    assert message.tracking_code in proposal.analysis
    lead.refresh_from_db()
    assert lead.adopted_proposal_id == proposal.pk
    # and the public sees it became a proposal, with its number once accepted
    track = Client().post(reverse("voice:track"), {"code": message.tracking_code}).content.decode()
    assert "已转化为提案" in track and "第" not in track.split("已转化为提案")[1][:20]
    Proposal.objects.filter(pk=proposal.pk).update(number=12)
    track = Client().post(reverse("voice:track"), {"code": message.tracking_code}).content.decode()
    assert "已转化为提案 第0012号" in track
    # and adopting twice is refused
    with pytest.raises(AppError) as caught:
        services.adopt_lead(world.city.member, Lead.objects.get())
    assert caught.value.code == ErrorCode.DUPLICATE


def test_a_committee_member_may_turn_a_lead_into_an_opinion_report(world):
    from xieshang.conferences.models import Committee
    from xieshang.opinions.models import OpinionReport
    from xieshang.people.models import Member

    committee = Committee.objects.create(conference=world.city.conference, name="社会法制委员会")
    Member.objects.filter(user=world.city.member2, conference=world.city.conference).update(
        committee=committee
    )
    message = walk.submit(world.city)
    lead = services.mark_lead(world.city.staff, message, committee_id=committee.pk)
    assert list(selectors.my_leads(world.city.member2, world.city.conference.pk)) == [lead]
    assert not selectors.my_leads(world.city.member, world.city.conference.pk).exists()
    report = services.convert_lead(world.city.member2, lead)
    message.refresh_from_db()
    assert message.state == MessageState.CONVERTED and message.opinion_report_id == report.pk
    assert OpinionReport.objects.get().submitted_by == world.city.member2


def test_overdue_forwardings_are_reminded_once_a_day(world, django_capture_on_commit_callbacks):
    message = walk.build(world.city, MessageState.FORWARDED)
    Forwarding.objects.filter(message=message).update(due_on=dt.date.today() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_message_reminders() == 1
        assert services.send_message_reminders() == 0
    assert MessageReminder.objects.count() == 1
    assert Notification.objects.filter(user=world.city.unit_user, verb="message_overdue").count() == 1
    assert services.send_message_reminders(dt.date.today() + dt.timedelta(days=1)) == 1
    page = _client(world.city.staff).get(reverse("voice:board"), {"state": "forwarded", "overdue": "on"})
    assert message.subject in page.content.decode()


def test_a_stale_version_is_refused(world):
    message = walk.submit(world.city)
    services.triage_message(world.city.staff, message, category="城乡建设", version=1)
    with pytest.raises(AppError) as caught:
        services.close_message(world.city.staff, message, version=1)
    assert caught.value.code == ErrorCode.STALE_VERSION
