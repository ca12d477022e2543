"""`xieshang gendata --scale tiny`: the rows it writes, that they form a usable world, and reruns."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from xieshang.activities.models import Activity, Attendance, Invitation
from xieshang.conferences.models import Conference, HandlingUnit, Session
from xieshang.duty.models import PointEvent
from xieshang.opinions.models import JournalIssue, OpinionReport
from xieshang.people.models import Member, Role, User
from xieshang.proposals.models import Assignment, Evaluation, Proposal, Reply
from xieshang.web.gendata import GEN_PASSWORD, SCALES, Generator

pytestmark = pytest.mark.django_db


def _generate(*args: str) -> str:
    out = StringIO()
    call_command("gendata", "--scale", "tiny", "--no-progress", *args, stdout=out)
    return out.getvalue()


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": GEN_PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def test_tiny_scale_writes_the_planned_rows() -> None:
    # When
    output = _generate()
    # Then: the counts of the tiny scale, reported per phase with the total loading time
    tiny = SCALES["tiny"]
    assert Conference.objects.filter(code__startswith="gen-").count() == tiny.conferences
    assert Member.objects.count() == tiny.members
    assert Proposal.objects.count() == tiny.proposals
    assert OpinionReport.objects.count() == tiny.opinions
    assert Activity.objects.count() == tiny.conferences * tiny.years * tiny.activities_per_year
    assert Invitation.objects.count() == Activity.objects.count() * tiny.invitees
    assert Session.objects.count() == tiny.conferences * tiny.years
    assert HandlingUnit.objects.count() == tiny.conferences * tiny.units_per_conference
    for model in (Assignment, Reply, Evaluation, Attendance, JournalIssue, PointEvent):
        assert model.objects.exists(), model.__name__
    for phase in ("structure:", "proposals:", "opinions:", "activities:", "rows loaded in"):
        assert phase in output
    assert f"c01_m0001 / {GEN_PASSWORD}" in output


def test_generated_history_is_consistent() -> None:
    # Given
    _generate()
    # Then: numbers unique per session, every answered proposal has its letter, every evaluation its
    # proposal's letter, and each duty event is written once per source
    numbers = Proposal.objects.exclude(number=None).values("session_id", "number")
    assert numbers.count() == numbers.distinct().count()
    answered = Proposal.objects.filter(state__in=["replied", "evaluated", "closed"])
    assert answered.exists()
    assert not answered.exclude(replies__kind=Reply.Kind.LETTER).exists()
    for evaluation in Evaluation.objects.select_related("reply"):
        assert evaluation.reply.proposal_id == evaluation.proposal_id
        assert evaluation.reply.kind == Reply.Kind.LETTER
    assert not Proposal.objects.filter(state="draft").exclude(submitted_at=None).exists()
    merged = Proposal.objects.filter(state="merged")
    assert not merged.filter(merged_into=None).exists()
    adopted = OpinionReport.objects.filter(state="adopted")
    assert not adopted.filter(adopted_in=None).exists()
    keys = PointEvent.objects.values("conference", "user", "kind", "source_type", "source_id", "role")
    assert keys.annotate(n=Count("id")).filter(n__gt=1).count() == 0
    # Every role points at a user of the right conference; every unit contact at a unit.
    assert Role.objects.filter(kind="unit", handling_unit=None).count() == 0
    assert Counter(Role.objects.values_list("kind", flat=True))["member"] == SCALES["tiny"].members


def test_a_generated_member_logs_in_and_sees_their_proposals() -> None:
    # Given
    _generate()
    member = User.objects.get(username="c01_m0001")
    titles = list(Proposal.objects.filter(proposer=member).values_list("title", flat=True))
    assert titles
    # When
    page = _login("c01_m0001").get("/proposals/")
    # Then
    assert page.status_code == 200
    html = page.content.decode()
    for title in titles:
        assert title.replace('"', "&quot;") in html or title in html


@pytest.mark.parametrize(
    ("username", "urls"),
    [
        ("c01_m0002", ["/", "/proposals/", "/opinions/", "/activities/", "/duty/", "/me/"]),
        (
            "c01_staff",
            [
                "/proposals/work/",
                "/proposals/work/all/",
                "/proposals/work/overdue/",
                "/search/?q=关于",
                "/opinions/work/",
            ],
        ),
        ("c01_u01", ["/proposals/unit/"]),
        ("c01_leader", ["/dashboard/", "/dashboard/?year=2025"]),
        ("c01k01_staff", ["/proposals/work/all/?sort=-number", "/activities/office/"]),
    ],
)
def test_pages_render_with_generated_data(username: str, urls: list[str]) -> None:
    # Given
    _generate()
    client = _login(username)
    # When / Then
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_staff_member_opens_a_generated_proposal() -> None:
    # Given
    _generate()
    proposal = Proposal.objects.filter(conference__code="gen-c01", state="replied").first()
    assert proposal is not None
    # When
    page = _login("c01_staff").get(f"/proposals/{proposal.pk}/")
    # Then
    assert page.status_code == 200
    assert proposal.title in page.content.decode()


def test_a_second_run_refuses_and_writes_nothing() -> None:
    # Given
    _generate()
    before = Proposal.objects.count()
    # When / Then
    with pytest.raises(CommandError, match="已有生成的数据"):
        _generate()
    assert Proposal.objects.count() == before


def test_the_same_seed_gives_the_same_texts() -> None:
    # Given: two trees generated with one seed, side by side under two namespaces
    Generator(SCALES["tiny"], seed=7, namespace="a", progress=False, echo=lambda _: None).run()
    Generator(SCALES["tiny"], seed=7, namespace="b", progress=False, echo=lambda _: None).run()

    def texts(prefix: str) -> list[Any]:
        rows = Proposal.objects.filter(conference__code__startswith=f"gen-{prefix}").order_by("id")
        return list(rows.values_list("title", "state", "number"))

    # Then
    assert texts("a") == texts("b")
    assert len(texts("a")) == SCALES["tiny"].proposals


def test_missing_shared_data_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    # Given
    monkeypatch.setenv("XIESHANG_SHARED_DATA", str(tmp_path / "absent"))
    # When / Then
    with pytest.raises(CommandError, match="找不到共享数据集"):
        _generate()
    assert not Proposal.objects.exists()
