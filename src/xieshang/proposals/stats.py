"""Proposal statistics for the leader's dashboard and the annual proposal work report.

Every figure is an aggregate query over one session year (`Proposal.session.year`); the number of
queries does not grow with the number of proposals, units or guided county conferences. Drafts are
private to their authors and never counted. A rate whose denominator is zero is 0.0.

Definitions (as in the annual proposal work report):
- received (收到提案): proposals submitted for review — every state except draft and "awaiting co-signers";
- 立案率: accepted or later (accepted, assigned, replied, evaluated, closed) plus merged proposals, which
  are handled as part of an accepted one (并案), over received;
- 办复率: replied or later (replied, evaluated, closed) over assigned or later;
- on-time rate: reply letters sent by their due date over reply letters (every round);
- A/B/C/D shares: each outcome class over reply letters;
- 满意率: satisfied plus basically satisfied over final evaluations: after a re-handling round only the
  latest verdict on each unit's part counts (an unsatisfied verdict still awaiting its new reply counts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xieshang.conferences.models import Conference
from xieshang.core.dates import today

from .models import Assignment, Evaluation, Outcome, Proposal, ProposalState, Reply

S = ProposalState
COUNTED_STATES = [s for s in S.values if s != S.DRAFT]
RECEIVED_STATES = frozenset(COUNTED_STATES) - {S.SUBMITTED}
ACCEPTED_STATES = frozenset({S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED, S.MERGED})
ASSIGNED_STATES = frozenset({S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED})
REPLIED_STATES = frozenset({S.REPLIED, S.EVALUATED, S.CLOSED})
GOOD_VERDICTS = [Evaluation.Verdict.SATISFIED, Evaluation.Verdict.BASIC]
OUTCOMES = list(Outcome.values)
UNCATEGORISED = "未分类"


def rate(part: int, whole: int) -> float:
    """part / whole rounded to four places; 0.0 when there is nothing to divide."""
    return round(part / whole, 4) if whole else 0.0


@dataclass
class UnitFigures:
    """One handling unit's row: live assignments, replies sent (letters and co-handling opinions,
    every round), replies on time, evaluations of its letters, and assignments overdue today."""

    unit: str
    assigned: int = 0
    replied: int = 0
    on_time: int = 0
    on_time_rate: float = 0.0
    evaluations: int = 0
    satisfied: int = 0
    satisfied_rate: float = 0.0
    overdue: int = 0


@dataclass
class Headline:
    """The headline figures of one conference for one year."""

    conference_id: int
    conference: str
    states: dict[str, int] = field(default_factory=dict)
    letters: int = 0
    letters_on_time: int = 0
    outcome_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    evaluations: int = 0
    verdict_counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(Evaluation.Verdict.values, 0)
    )

    def count(self, states: frozenset[str] | list[str]) -> int:
        """How many proposals are in any of `states`."""
        return sum(self.states.get(s, 0) for s in states)

    @property
    def total(self) -> int:
        return self.count(COUNTED_STATES)

    @property
    def received(self) -> int:
        return self.count(RECEIVED_STATES)

    @property
    def acceptance_rate(self) -> float:
        return rate(self.count(ACCEPTED_STATES), self.received)

    @property
    def reply_rate(self) -> float:
        return rate(self.count(REPLIED_STATES), self.count(ASSIGNED_STATES))

    @property
    def on_time_rate(self) -> float:
        return rate(self.letters_on_time, self.letters)

    @property
    def satisfied(self) -> int:
        return sum(self.verdict_counts[v] for v in GOOD_VERDICTS)

    @property
    def satisfaction_rate(self) -> float:
        return rate(self.satisfied, self.evaluations)

    @property
    def outcome_shares(self) -> dict[str, float]:
        return {o: rate(n, self.letters) for o, n in self.outcome_counts.items()}

    def rates(self) -> dict[str, Any]:
        """The figures a city office sees for each of its counties."""
        return {
            "conference_id": self.conference_id,
            "conference": self.conference,
            "total": self.total,
            "acceptance_rate": self.acceptance_rate,
            "reply_rate": self.reply_rate,
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
        }


def _headlines(conferences: list[Conference], year: int) -> dict[int, Headline]:
    """Headline figures for several conferences at once: three grouped queries in all."""
    ids = [c.pk for c in conferences]
    result = {c.pk: Headline(conference_id=c.pk, conference=c.name) for c in conferences}
    states = (
        Proposal.objects.filter(conference_id__in=ids, session__year=year)
        .exclude(state=S.DRAFT)
        .values("conference_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in states:
        result[row["conference_id"]].states[row["state"]] = row["n"]
    letters = (
        Reply.objects.filter(
            proposal__conference_id__in=ids, proposal__session__year=year, kind=Reply.Kind.LETTER
        )
        .values("proposal__conference_id")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            **{f"o_{o}": Count("id", filter=Q(outcome=o)) for o in OUTCOMES},
        )
        .order_by()
    )
    for letter_row in letters:
        h = result[letter_row["proposal__conference_id"]]
        h.letters, h.letters_on_time = letter_row["n"], letter_row["on_time"]
        h.outcome_counts = {o: letter_row[f"o_{o}"] for o in OUTCOMES}  # type: ignore[literal-required]
    verdicts = (
        _final(Evaluation.objects.filter(proposal__conference_id__in=ids, proposal__session__year=year))
        .values("proposal__conference_id", "verdict")
        .annotate(n=Count("id"))
        .order_by()
    )
    for verdict_row in verdicts:
        h = result[verdict_row["proposal__conference_id"]]
        h.verdict_counts[verdict_row["verdict"]] = verdict_row["n"]
        h.evaluations += verdict_row["n"]
    return result


def _final(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Only the latest verdict on each assignment: a re-handled part is judged by its last round."""
    later = Evaluation.objects.filter(
        reply__assignment=OuterRef("reply__assignment"), reply__round__gt=OuterRef("reply__round")
    )
    return evaluations.filter(~Exists(later))


def _units(conference_id: int, year: int, day: dt.date) -> list[UnitFigures]:
    """Per-unit figures in three grouped queries, busiest unit first."""
    units: dict[int, UnitFigures] = {}
    assignments = (
        Assignment.objects.filter(conference_id=conference_id, proposal__session__year=year)
        .exclude(state=Assignment.State.WITHDRAWN)
        .values("unit_id", "unit__name")
        .annotate(
            n=Count("id"),
            overdue=Count(
                "id",
                filter=Q(state=Assignment.State.ACTIVE, proposal__state=S.ASSIGNED, due_on__lt=day),
            ),
        )
        .order_by()
    )
    for row in assignments:
        units[row["unit_id"]] = UnitFigures(row["unit__name"], assigned=row["n"], overdue=row["overdue"])
    replies = (
        Reply.objects.filter(assignment__conference_id=conference_id, proposal__session__year=year)
        .values("assignment__unit_id", "assignment__unit__name")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
        .order_by()
    )
    for reply_row in replies:
        u = units.setdefault(
            reply_row["assignment__unit_id"], UnitFigures(reply_row["assignment__unit__name"])
        )
        u.replied, u.on_time = reply_row["n"], reply_row["on_time"]
    verdicts = (
        _final(Evaluation.objects.filter(proposal__conference_id=conference_id, proposal__session__year=year))
        .values("reply__assignment__unit_id", "reply__assignment__unit__name")
        .annotate(n=Count("id"), good=Count("id", filter=Q(verdict__in=GOOD_VERDICTS)))
        .order_by()
    )
    for verdict_row in verdicts:
        u = units.setdefault(
            verdict_row["reply__assignment__unit_id"],
            UnitFigures(verdict_row["reply__assignment__unit__name"]),
        )
        u.evaluations, u.satisfied = verdict_row["n"], verdict_row["good"]
    for u in units.values():
        u.on_time_rate = rate(u.on_time, u.replied)
        u.satisfied_rate = rate(u.satisfied, u.evaluations)
    return sorted(units.values(), key=lambda u: (-u.assigned, u.unit))


def _by_category(conference_id: int, year: int) -> list[tuple[str, int]]:
    rows = (
        Proposal.objects.filter(conference_id=conference_id, session__year=year)
        .exclude(state=S.DRAFT)
        .values("category__name", "category__order")
        .annotate(n=Count("id"))
        .order_by("category__order", "category__name")
    )
    by_name: dict[str, int] = defaultdict(int)
    for row in rows:
        by_name[row["category__name"] or UNCATEGORISED] += row["n"]
    return list(by_name.items())


def dashboard(conference_id: int, year: int) -> dict[str, Any]:
    """The leader's dashboard of one conference for one session year, with its guided counties' rates."""
    conference = Conference.objects.get(pk=conference_id)
    children = list(Conference.objects.filter(parent_id=conference_id).order_by("id"))
    heads = _headlines([conference, *children], year)
    head = heads[conference_id]
    units = _units(conference_id, year, today())
    key_proposals = list(
        Proposal.objects.filter(conference_id=conference_id, session__year=year, is_key=True)
        .exclude(state=S.DRAFT)
        .select_related("proposer", "key_leader", "category", "session")
        .order_by("number", "id")
    )
    return {
        "conference": conference,
        "year": year,
        "total": head.total,
        "received": head.received,
        "by_state": [(str(S(s).label), head.states.get(s, 0)) for s in COUNTED_STATES],
        "by_category": _by_category(conference_id, year),
        "by_unit": [asdict(u) for u in units],
        "acceptance_rate": head.acceptance_rate,
        "reply_rate": head.reply_rate,
        "on_time_rate": head.on_time_rate,
        "satisfaction_rate": head.satisfaction_rate,
        "outcome_shares": head.outcome_shares,
        "key_proposals": key_proposals,
        "children": [heads[c.pk].rates() for c in children],
        "overdue_by_unit": [
            (u.unit, u.overdue) for u in sorted(units, key=lambda u: -u.overdue) if u.overdue
        ],
    }


@dataclass
class AnnualReport:
    """The year's figures for the annual proposal work report (年度提案工作报告)."""

    conference: str
    year: int
    received: int
    accepted: int
    rejected: int
    converted: int
    merged: int
    returned: int
    pending: int
    assigned: int
    replied: int
    acceptance_rate: float
    reply_rate: float
    letters: int
    on_time_rate: float
    outcome_counts: dict[str, int]
    outcome_shares: dict[str, float]
    evaluations: int
    satisfied: int
    basic: int
    unsatisfied: int
    satisfaction_rate: float
    key_proposals: int
    units: list[UnitFigures]


def annual_report(conference_id: int, year: int) -> AnnualReport:
    """The annual report's figures; `accepted` counts accepted-or-later proposals, `merged` those merged."""
    conference = Conference.objects.get(pk=conference_id)
    head = _headlines([conference], year)[conference_id]
    verdicts = head.verdict_counts
    return AnnualReport(
        conference=conference.name,
        year=year,
        received=head.received,
        accepted=head.count(ACCEPTED_STATES - {S.MERGED}),
        rejected=head.count([S.REJECTED]),
        converted=head.count([S.CONVERTED]),
        merged=head.count([S.MERGED]),
        returned=head.count([S.RETURNED]),
        pending=head.count([S.SUBMITTED, S.UNDER_REVIEW]),
        assigned=head.count(ASSIGNED_STATES),
        replied=head.count(REPLIED_STATES),
        acceptance_rate=head.acceptance_rate,
        reply_rate=head.reply_rate,
        letters=head.letters,
        on_time_rate=head.on_time_rate,
        outcome_counts=head.outcome_counts,
        outcome_shares=head.outcome_shares,
        evaluations=head.evaluations,
        satisfied=verdicts[Evaluation.Verdict.SATISFIED],
        basic=verdicts[Evaluation.Verdict.BASIC],
        unsatisfied=verdicts[Evaluation.Verdict.UNSATISFIED],
        satisfaction_rate=head.satisfaction_rate,
        key_proposals=Proposal.objects.filter(conference_id=conference_id, session__year=year, is_key=True)
        .exclude(state=S.DRAFT)
        .count(),
        units=_units(conference_id, year, today()),
    )
