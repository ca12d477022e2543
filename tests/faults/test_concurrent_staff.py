"""Two staff act on the same record at the same moment: one wins, the other is told of the conflict.

Each side runs in its own thread with its own database connection; a barrier makes both read the
same version before either acts, so the row lock and the version check are what decide.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.opinions import services as opinions
from xieshang.opinions.models import OpinionReport, OpinionState
from xieshang.people.models import RoleKind
from xieshang.proposals import services as proposals
from xieshang.proposals.models import Proposal, ProposalState
from xieshang.tasks import services as tasks
from xieshang.tasks.models import Task, TaskState
from xieshang.voice import services as voice
from xieshang.voice.models import MessageState, PublicMessage

from ..factories import UserFactory, give_role
from ..opinions import walk as opinion_walk
from ..proposals import walk as proposal_walk
from ..tasks import walk as task_walk
from ..voice import walk as voice_walk
from .helpers import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

CONFLICT = "该记录已被他人修改，请刷新页面后重试。"


@dataclass
class Outcome:
    name: str
    value: Any = None
    error: BaseException | None = None


def race(**acts: Callable[[], Any]) -> dict[str, Outcome]:
    """Run each act in its own thread (own connection), all released at once by a barrier."""
    barrier = threading.Barrier(len(acts))
    outcomes = {name: Outcome(name) for name in acts}

    def run(name: str, act: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[name].value = act()
        except BaseException as error:  # the outcome under test
            outcomes[name].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in acts.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a side is still waiting: a deadlock"
    return outcomes


def one_wins(outcomes: dict[str, Outcome]) -> tuple[Outcome, Outcome]:
    """The winner and the loser; the loser got the conflict error with its Chinese message."""
    winners = [o for o in outcomes.values() if o.error is None]
    losers = [o for o in outcomes.values() if o.error is not None]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    error = losers[0].error
    assert isinstance(error, AppError), repr(error)
    assert error.code == ErrorCode.STALE_VERSION
    assert error.message == CONFLICT
    return winners[0], losers[0]


def _second_staff(world: Any) -> Any:
    return give_role(UserFactory(username="city_staff2"), world.city.conference, RoleKind.STAFF)


def _audited(obj: Any, *verbs: str) -> list[str]:
    events = AuditEvent.objects.filter(target_id=obj.pk, verb__in=verbs)
    return list(events.values_list("verb", flat=True))


def test_accept_and_reject_of_one_proposal_at_once(world):
    # given: a proposal under review, read by two staff at the same version
    p = proposal_walk.under_review(world.city)
    staff2 = _second_staff(world)
    # when
    outcomes = race(
        accept=lambda: proposals.accept_proposal(
            world.city.staff, Proposal.objects.get(pk=p.pk), version=p.version
        ),
        reject=lambda: proposals.reject_proposal(
            staff2, Proposal.objects.get(pk=p.pk), note="不属于政协履职范围", version=p.version
        ),
    )
    # then: one action took effect, and the record and its history show only that one
    winner, _ = one_wins(outcomes)
    p.refresh_from_db()
    expected = {"accept": ProposalState.ACCEPTED, "reject": ProposalState.REJECTED}[winner.name]
    assert p.state == expected
    assert p.version == 3
    assert _audited(p, "accept", "reject") == [winner.name]
    assert (p.number is not None) == (winner.name == "accept")


def test_two_staff_claim_one_opinion_report_at_once(world):
    # given
    report = opinion_walk.submitted(world.city)
    staff2 = _second_staff(world)
    claimers = {"first": world.city.staff, "second": staff2}
    # when
    outcomes = race(
        **{
            name: (
                lambda user=user: opinions.claim_report(
                    user, OpinionReport.objects.get(pk=report.pk), version=report.version
                )
            )
            for name, user in claimers.items()
        }
    )
    # then: the report has one editor, the winner, and one claim in its history
    winner, _ = one_wins(outcomes)
    report.refresh_from_db()
    assert report.state == OpinionState.EDITING
    assert report.editor == claimers[winner.name]
    assert _audited(report, "claim") == ["claim"]


def test_close_and_send_back_of_one_deployed_task_at_once(world):
    # given: units reported the task done; two staff verify it at once
    task = task_walk.reported_done(world.city)
    staff2 = _second_staff(world)
    # when
    outcomes = race(
        close=lambda: tasks.close_task(world.city.staff, Task.objects.get(pk=task.pk), version=task.version),
        send_back=lambda: tasks.send_back_task(
            staff2, Task.objects.get(pk=task.pk), reason="投资计划未附明细", version=task.version
        ),
    )
    # then
    winner, _ = one_wins(outcomes)
    task.refresh_from_db()
    expected = {"close": TaskState.VERIFIED_CLOSED, "send_back": TaskState.IN_PROGRESS}[winner.name]
    assert task.state == expected
    assert (task.closed_at is not None) == (winner.name == "close")
    assert _audited(task, "close", "send_back") == [winner.name]


def test_two_staff_triage_one_public_message_at_once(world):
    # given
    message = voice_walk.build(world.city, MessageState.RECEIVED)
    staff2 = _second_staff(world)
    categories = {"first": "城乡建设", "second": "交通出行"}
    users = {"first": world.city.staff, "second": staff2}
    # when
    outcomes = race(
        **{
            name: (
                lambda name=name: voice.triage_message(
                    users[name],
                    PublicMessage.objects.get(pk=message.pk),
                    category=categories[name],
                    version=message.version,
                )
            )
            for name in users
        }
    )
    # then: the winner's category stands
    winner, _ = one_wins(outcomes)
    message.refresh_from_db()
    assert message.state == MessageState.TRIAGED
    assert message.category == categories[winner.name]
    assert _audited(message, "triage") == ["triage"]


def test_two_staff_posting_the_same_proposal_form_at_once(world):
    # given: two signed-in staff with the review form of the same proposal (same version)
    p = proposal_walk.under_review(world.city)
    clients = {"accept": Client(), "reject": Client()}
    clients["accept"].force_login(world.city.staff)
    clients["reject"].force_login(_second_staff(world))
    forms = {
        "accept": {"version": str(p.version), "note": ""},
        "reject": {"version": str(p.version), "note": "不属于政协履职范围"},
    }
    # when: both post at the same moment
    outcomes = race(
        **{
            action: (
                lambda action=action: clients[action].post(f"/proposals/{p.pk}/act/{action}/", forms[action])
            )
            for action in clients
        }
    )
    # then: one is sent to the proposal with a success message, the other sees the conflict (409)
    responses = {name: o.value for name, o in outcomes.items()}
    assert all(o.error is None for o in outcomes.values()), outcomes
    assert sorted(r.status_code for r in responses.values()) == [302, 409]
    winner = next(name for name, r in responses.items() if r.status_code == 302)
    loser = next(name for name, r in responses.items() if r.status_code == 409)
    assert responses[winner]["Location"] == f"/proposals/{p.pk}/"
    assert CONFLICT in responses[loser].content.decode()
    p.refresh_from_db()
    assert p.state == {"accept": ProposalState.ACCEPTED, "reject": ProposalState.REJECTED}[winner]
    assert _audited(p, "accept", "reject") == [winner]
