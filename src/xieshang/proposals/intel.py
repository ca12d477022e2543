"""The thin adapter between proposals and `textintel`: similar proposals, merge candidates, routing
suggestions, reply quality and hot topics.

Indexes and routers are built from the database on demand and kept in memory, keyed by a
fingerprint of the rows they were built from (count and latest change), so a new or edited proposal
is seen on the next call. A conference holds a few thousand proposals over ten years: building an
index takes well under a second, a router a few seconds; a larger one is built by the worker
(core.intelcache) and, until its first build, these hints are simply empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from xieshang.conferences.models import HandlingUnit
from xieshang.core import intelcache
from xieshang.textintel import replyquality, routing, similar, topics

from .models import Assignment, AssignmentRole, Category, Proposal, ProposalState, Reply

S = ProposalState
# What counts as "already proposed": everything submitted that was not turned away.
COMPARABLE = [S.UNDER_REVIEW, S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED, S.MERGED]
MERGEABLE = [S.UNDER_REVIEW, S.ACCEPTED]
MIN_TRAINING = 12  # fewer past decisions than this teach a router nothing useful
TEXT_LIMIT = 600

T = TypeVar("T")


def _get(spec_fn: Callable[[int], intelcache.Spec[T]], conference_id: int) -> T | None:
    """The object, or None while the worker builds it for the first time (a hint, not worth a wait)."""
    try:
        return intelcache.get(spec_fn, conference_id)
    except intelcache.Pending:
        return None


def _fingerprint(qs: QuerySet[Any], field: str = "updated_at") -> tuple[Any, ...]:
    agg = qs.aggregate(n=Count("pk"), latest=Max(field))
    return (agg["n"], agg["latest"])


def text_of(title: str, analysis: str = "", recommendations: str = "") -> str:
    """The text a proposal is compared by: its subject weighs most, then the start of its body."""
    body = f"{analysis[:TEXT_LIMIT]}{recommendations[:TEXT_LIMIT]}"
    return routing.join_fields(title, title, body)


def _proposal_text(p: Proposal) -> str:
    return text_of(p.title, p.analysis, p.recommendations)


# ---------------------------------------------------------------------------- similar proposals


@dataclass(frozen=True)
class SimilarProposal:
    """A proposal that looks like the text, how much (0..1) and the phrases they share."""

    proposal: Proposal
    score: float
    phrases: list[str]


def _comparable(conference_id: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(conference_id=conference_id, state__in=COMPARABLE)


def similar_index_spec(conference_id: int) -> intelcache.Spec[similar.SimilarIndex]:
    """The similar-text index over a conference's comparable proposals."""
    qs = _comparable(conference_id)

    def build() -> similar.SimilarIndex:
        rows = list(qs.values_list("pk", "title", "analysis", "recommendations"))
        return similar.SimilarIndex().build([str(r[0]) for r in rows], [text_of(*r[1:]) for r in rows])

    fingerprint = _fingerprint(qs)
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def similar_proposals(
    conference_id: int, text: str, *, exclude_id: int | None = None, k: int = 5, min_score: float = 0.25
) -> list[SimilarProposal]:
    """Proposals of the conference most like `text` (e.g. a draft being written), best first."""
    if not text.strip():
        return []
    index = _get(similar_index_spec, conference_id)
    if index is None or not len(index):
        return []
    matches = index.query(text, k=k + 1, exclude=str(exclude_id) if exclude_id else None)
    wanted = [m for m in matches if m.score >= min_score][:k]
    found = Proposal.objects.select_related("session").in_bulk([int(m.id) for m in wanted])
    return [
        SimilarProposal(found[int(m.id)], round(m.score, 3), m.phrases) for m in wanted if int(m.id) in found
    ]


@dataclass(frozen=True)
class MergeCandidate:
    """Two proposals of a session that look like the same issue (并案)."""

    first: Proposal
    second: Proposal
    score: float
    phrases: list[str]


def merge_candidates(conference_id: int, session_id: int, threshold: float = 0.5) -> list[MergeCandidate]:
    """Pairs of a session's proposals under review or accepted that read like one issue, best first."""
    rows = list(
        Proposal.objects.filter(conference_id=conference_id, session_id=session_id, state__in=MERGEABLE)
        .order_by("pk")
        .values_list("pk", "title", "analysis", "recommendations")
    )
    if len(rows) < 2:
        return []
    ids = [str(r[0]) for r in rows]
    pairs = similar.merge_suggestions(ids, [text_of(*r[1:]) for r in rows], threshold=threshold)
    found = Proposal.objects.select_related("proposer").in_bulk([int(i) for p in pairs for i in (p.a, p.b)])
    return [MergeCandidate(found[int(p.a)], found[int(p.b)], round(p.score, 3), p.phrases) for p in pairs]


# ---------------------------------------------------------------------------- routing


@dataclass(frozen=True)
class Suggested:
    """A suggested handling unit or category with its confidence (0..1)."""

    target: Any
    confidence: float


def _router(
    kind: str, conference_id: int, texts: Sequence[str], labels: Sequence[str]
) -> routing.Router | None:
    if len(texts) < MIN_TRAINING or len(set(labels)) < 2:
        return None
    return routing.Router(kind="improved").fit(texts, labels, calibrate=len(texts) >= 40)


def unit_router_spec(conference_id: int) -> intelcache.Spec[routing.Router | None]:
    """The router from a conference's past lead assignments to handling units.

    Staff corrections are learnt too: a reassignment withdraws the old assignment and the new one
    is what the next router sees.
    """
    past = Assignment.objects.filter(
        conference_id=conference_id,
        role=AssignmentRole.LEAD,
        state__in=[Assignment.State.ACTIVE, Assignment.State.ANSWERED],
    )

    def build() -> routing.Router | None:
        rows = list(
            past.values_list("proposal__title", "proposal__analysis", "proposal__recommendations", "unit_id")
        )
        return _router("units", conference_id, [text_of(*r[:3]) for r in rows], [str(r[3]) for r in rows])

    fingerprint = _fingerprint(past, "assigned_at")
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def _suggest_batch(
    router: routing.Router | None, texts: Sequence[str], k: int, lookup: Callable[[set[int]], dict[int, Any]]
) -> list[list[Suggested]]:
    """One router call and one lookup of the suggested rows for a whole page of texts."""
    wanted = [i for i, t in enumerate(texts) if t.strip()]
    found: list[list[Suggested]] = [[] for _ in texts]
    if router is None or not wanted:
        return found
    rows = router.suggest([texts[i] for i in wanted], k=k)
    targets = lookup({int(s.label) for row in rows for s in row})
    for i, row in zip(wanted, rows, strict=True):
        found[i] = [Suggested(targets[int(s.label)], s.confidence) for s in row if int(s.label) in targets]
    return found


def suggest_units_batch(conference_id: int, texts: Sequence[str], k: int = 3) -> list[list[Suggested]]:
    """Lead units suggested for each text, learnt from the conference's past lead assignments."""
    return _suggest_batch(_get(unit_router_spec, conference_id), texts, k, HandlingUnit.objects.in_bulk)


def suggest_units(conference_id: int, text: str, k: int = 3) -> list[Suggested]:
    """Lead units suggested for a text."""
    return suggest_units_batch(conference_id, [text], k)[0]


def category_router_spec(conference_id: int) -> intelcache.Spec[routing.Router | None]:
    """The router from a conference's categorised proposals to their categories."""
    past = _comparable(conference_id).filter(category__isnull=False)

    def build() -> routing.Router | None:
        rows = list(past.values_list("title", "analysis", "recommendations", "category_id"))
        return _router(
            "categories", conference_id, [text_of(*r[:3]) for r in rows], [str(r[3]) for r in rows]
        )

    fingerprint = _fingerprint(past)
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def suggest_categories_batch(conference_id: int, texts: Sequence[str], k: int = 3) -> list[list[Suggested]]:
    """Categories suggested for each text, learnt from the conference's categorised proposals."""
    return _suggest_batch(_get(category_router_spec, conference_id), texts, k, Category.objects.in_bulk)


def suggest_categories(conference_id: int, text: str, k: int = 3) -> list[Suggested]:
    """Categories suggested for a text."""
    return suggest_categories_batch(conference_id, [text], k)[0]


# ---------------------------------------------------------------------------- reply quality


def reply_quality(reply: Reply) -> replyquality.ReplyScore:
    """Relevance, completeness and concreteness of a reply letter against its proposal, with reasons;
    timeliness comes from the assignment's own due date, not a fixed number of days."""
    proposal = reply.proposal
    question = routing.join_fields(proposal.title, proposal.analysis, proposal.recommendations)
    score = replyquality.score_reply(question, reply.body)
    due = reply.assignment.due_on
    answered = timezone.localdate(reply.submitted_at)
    late_days = (answered - due).days
    if late_days <= 0:
        timeliness, reason = 1.0, f"在办理时限（{due}）内答复"
    else:
        # A reply a full extra reply period late scores zero.
        period = max((due - timezone.localdate(reply.assignment.assigned_at)).days, 30)
        timeliness = round(max(0.0, 1 - late_days / period), 4)
        reason = f"超过办理时限 {late_days} 天（时限 {due}）"
    reasons = {**score.reasons, "timeliness": [reason]}
    return dataclasses.replace(score, timeliness=timeliness, reasons=reasons)


# ---------------------------------------------------------------------------- hot topics


@dataclass(frozen=True)
class HotTopic:
    """A group of recent proposals about one issue, with its heat and its proposals."""

    name: str
    phrases: list[str]
    heat: float
    count: int
    growth: float
    start: dt.datetime
    end: dt.datetime
    description: str
    proposals: list[Proposal]


def hot_topics(conference_id: int, days: int = 365, k: int = 8) -> list[HotTopic]:
    """The hottest issues among the conference's proposals submitted in the last `days` days;
    co-signers count as support."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = list(
        _comparable(conference_id)
        .filter(submitted_at__gte=since)
        .annotate(support=Count("cosigners"))
        .values_list("pk", "title", "analysis", "recommendations", "submitted_at", "support")
    )
    if len(rows) < 2:
        return []
    found = topics.hot_topics(
        [text_of(*r[1:4]) for r in rows],
        [timezone.localtime(r[4]).replace(tzinfo=None) for r in rows],
        weights=[1.0 + r[5] for r in rows],
        k=k,
    )
    by_id = Proposal.objects.select_related("session").in_bulk([rows[i][0] for t in found for i in t.members])
    return [
        HotTopic(
            name="、".join(t.phrases[:3]),
            phrases=t.phrases,
            heat=round(t.heat, 2),
            count=t.count,
            growth=round(t.growth, 2),
            start=t.start,
            end=t.end,
            description=t.description,
            proposals=[by_id[rows[i][0]] for i in t.members if rows[i][0] in by_id],
        )
        for t in found
    ]
