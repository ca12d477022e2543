"""The thin adapter between public messages and `textintel`: routing suggestions (category, handling
unit) with confidence, similar messages, and similar proposals already on record.

Units are learnt from the conference's past forwardings of messages, falling back to its proposals'
lead assignments while it has too few; categories from its categorised messages, falling back to
its proposals' categories. Indexes and routers are cached like proposals.intel: keyed by a
fingerprint of their rows, so a new forwarding or message is seen on the next call; over many rows the
worker builds them (core.intelcache), and a page asked before the first build gets `Pending`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from xieshang.conferences.models import Committee, HandlingUnit
from xieshang.core import intelcache
from xieshang.opinions.models import OpinionReport, OpinionState
from xieshang.people.models import Member, User
from xieshang.proposals import intel as proposal_intel
from xieshang.proposals.models import Proposal
from xieshang.textintel import routing, similar, topics

from .models import Forwarding, MessageState, PublicMessage

MIN_TRAINING = 12  # fewer past decisions than this teach a router nothing useful
TEXT_LIMIT = 600

Pending = intelcache.Pending


def _fingerprint(qs: QuerySet[Any], field: str) -> tuple[Any, ...]:
    agg = qs.aggregate(n=Count("pk"), latest=Max(field))
    return (agg["n"], agg["latest"])


def text_of(subject: str, detail: str = "") -> str:
    """The text a message is compared by: its subject weighs most, then the start of its detail."""
    return routing.join_fields(subject, subject, detail[:TEXT_LIMIT])


@dataclass(frozen=True)
class Suggested:
    """A suggested handling unit or category (a name) with its confidence (0..1) and where it was learnt."""

    target: Any
    confidence: float
    source: str  # "messages" or "proposals"


def _router(texts: Sequence[str], labels: Sequence[str]) -> routing.Router | None:
    if len(texts) < MIN_TRAINING or len(set(labels)) < 2:
        return None
    return routing.Router(kind="improved").fit(texts, labels, calibrate=len(texts) >= 40)


def unit_router_spec(conference_id: int) -> intelcache.Spec[routing.Router | None]:
    """The router from a conference's past forwardings of messages to handling units."""
    past = Forwarding.objects.filter(message__conference_id=conference_id)

    def build() -> routing.Router | None:
        rows = list(past.values_list("message__subject", "message__detail", "unit_id"))
        return _router([text_of(*r[:2]) for r in rows], [str(r[2]) for r in rows])

    fingerprint = _fingerprint(past, "forwarded_at")
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def category_router_spec(conference_id: int) -> intelcache.Spec[routing.Router | None]:
    """The router from a conference's categorised messages to their categories."""
    past = PublicMessage.objects.filter(conference_id=conference_id).exclude(category="")

    def build() -> routing.Router | None:
        rows = list(past.values_list("subject", "detail", "category"))
        return _router([text_of(*r[:2]) for r in rows], [r[2] for r in rows])

    fingerprint = _fingerprint(past, "updated_at")
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def suggest_units_batch(conference_id: int, texts: Sequence[str], k: int = 3) -> list[list[Suggested]]:
    """Handling units suggested for each text (one router call for a whole page of the board)."""
    if not texts:
        return []
    router = intelcache.get(unit_router_spec, conference_id)
    if router is None:
        return [
            [Suggested(s.target, s.confidence, "proposals") for s in row]
            for row in proposal_intel.suggest_units_batch(conference_id, texts, k)
        ]
    found = router.suggest(list(texts), k=k)
    units = HandlingUnit.objects.in_bulk({int(s.label) for row in found for s in row})
    return [
        [Suggested(units[int(s.label)], s.confidence, "messages") for s in row if int(s.label) in units]
        for row in found
    ]


def suggest_categories_batch(conference_id: int, texts: Sequence[str], k: int = 3) -> list[list[Suggested]]:
    """Categories (names) suggested for each text."""
    if not texts:
        return []
    router = intelcache.get(category_router_spec, conference_id)
    if router is None:
        return [
            [Suggested(s.target.name, s.confidence, "proposals") for s in row]
            for row in proposal_intel.suggest_categories_batch(conference_id, texts, k)
        ]
    return [
        [Suggested(s.label, s.confidence, "messages") for s in row]
        for row in router.suggest(list(texts), k=k)
    ]


def suggest_units(conference_id: int, text: str, k: int = 3) -> list[Suggested]:
    """Handling units suggested for one text."""
    return suggest_units_batch(conference_id, [text], k)[0]


def suggest_categories(conference_id: int, text: str, k: int = 3) -> list[Suggested]:
    """Categories suggested for one text."""
    return suggest_categories_batch(conference_id, [text], k)[0]


@dataclass(frozen=True)
class SimilarMessage:
    """A message that looks like the text, how much (0..1) and the phrases they share."""

    message: PublicMessage
    score: float
    phrases: list[str]


def similar_index_spec(conference_id: int) -> intelcache.Spec[similar.SimilarIndex]:
    """The similar-text index over a conference's messages (merged ones left out)."""
    qs = PublicMessage.objects.filter(conference_id=conference_id).exclude(state=MessageState.MERGED)

    def build() -> similar.SimilarIndex:
        rows = list(qs.values_list("pk", "subject", "detail"))
        return similar.SimilarIndex().build([str(r[0]) for r in rows], [text_of(*r[1:]) for r in rows])

    fingerprint = _fingerprint(qs, "updated_at")
    return intelcache.Spec(fingerprint, build, fingerprint[0])


def similar_messages(
    conference_id: int, text: str, *, exclude_id: int | None = None, k: int = 5, min_score: float = 0.3
) -> list[SimilarMessage]:
    """Messages of the conference most like `text` (duplicates to merge), best first."""
    if not text.strip():
        return []
    index = intelcache.get(similar_index_spec, conference_id)
    if not len(index):
        return []
    matches = index.query(text, k=k + 1, exclude=str(exclude_id) if exclude_id else None)
    wanted = [m for m in matches if m.score >= min_score][:k]
    found = PublicMessage.objects.in_bulk([int(m.id) for m in wanted])
    return [
        SimilarMessage(found[int(m.id)], round(m.score, 3), m.phrases) for m in wanted if int(m.id) in found
    ]


def similar_proposals(conference_id: int, text: str, k: int = 5) -> list[proposal_intel.SimilarProposal]:
    """Proposals already on record that look like the message."""
    return proposal_intel.similar_proposals(conference_id, text, k=k)


# ---------------------------------------------------------------------------- hot topics for leaders


@dataclass(frozen=True)
class TopicText:
    """One text behind a hot topic: what kind it is, its title, and where to read it."""

    kind: str
    title: str
    url: str
    when: Any


@dataclass(frozen=True)
class LeaderTopic:
    """A hot issue across public messages, proposals and opinion reports."""

    name: str
    phrases: list[str]
    heat: float
    count: int
    growth: float
    places: list[str]
    start: Any
    end: Any
    by_kind: dict[str, int]
    texts: list[TopicText]


def _topic_sources(
    conference_id: int, since: dt.datetime, until: dt.datetime
) -> tuple[QuerySet[PublicMessage], QuerySet[Proposal], QuerySet[OpinionReport]]:
    messages = PublicMessage.objects.filter(
        conference_id=conference_id, submitted_at__gte=since, submitted_at__lt=until
    ).exclude(state=MessageState.MERGED)
    proposals = Proposal.objects.filter(
        conference_id=conference_id, submitted_at__gte=since, submitted_at__lt=until
    ).exclude(state__in=["draft", "merged"])
    reports = OpinionReport.objects.filter(
        conference_id=conference_id, submitted_at__gte=since, submitted_at__lt=until
    ).exclude(state=OpinionState.DRAFT)
    return messages, proposals, reports


def _end_of_this_hour() -> dt.datetime:
    now = timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def leader_topics_spec(conference_id: int, days: int, k: int) -> intelcache.Spec[list[LeaderTopic]]:
    """The hottest issues of the `days` days up to the end of the current hour (the board's view)."""
    until = _end_of_this_hour()
    since = until - dt.timedelta(days=days)
    sources = _topic_sources(conference_id, since, until)
    fingerprint = (since, until, k, *(part for qs in sources for part in _fingerprint(qs, "updated_at")))
    return intelcache.Spec(
        fingerprint,
        lambda: _leader_topics(conference_id, since, until, "", k),
        sum(int(part) for part in fingerprint[3::2]),
    )


def leader_topics(
    conference_id: int,
    days: int = 90,
    place: str = "",
    k: int = 8,
    until: dt.datetime | None = None,
    *,
    wait: bool = False,
) -> list[LeaderTopic]:
    """The hottest issues of the `days` days before `until` over the conference's public messages,
    proposals and opinion reports (support and co-signers weigh in), optionally only those mentioning
    `place`. By default `until` is the end of the current hour, and the result (without a place) is
    kept like the routers: over many rows the worker computes it, and before its first run this raises
    Pending unless `wait`."""
    if until is None and not place:
        return intelcache.get(leader_topics_spec, conference_id, days, k, wait=wait)
    until = until or _end_of_this_hour()
    return _leader_topics(conference_id, until - dt.timedelta(days=days), until, place, k)


def _leader_topics(
    conference_id: int, since: dt.datetime, until: dt.datetime, place: str, k: int
) -> list[LeaderTopic]:
    messages, proposals, reports = _topic_sources(conference_id, since, until)
    rows: list[tuple[str, str, str, Any, float, str]] = []  # kind, title, text, when, weight, url
    for m in messages:
        text = text_of(m.subject, f"{m.place} {m.detail}")
        rows.append(
            (
                "群众建言",
                m.subject,
                text,
                m.submitted_at,
                1.0 + m.support_count,
                reverse("voice:detail", args=[m.pk]),
            )
        )
    for p in proposals.annotate(n=Count("cosigners")):
        text = proposal_intel.text_of(p.title, p.analysis, p.recommendations)
        rows.append(
            ("提案", p.title, text, p.submitted_at, 1.0 + p.n, reverse("proposals:detail", args=[p.pk]))
        )
    for r in reports:
        text = text_of(r.title, f"{r.facts} {r.analysis}")
        rows.append(("社情民意", r.title, text, r.submitted_at, 1.0, reverse("opinions:detail", args=[r.pk])))
    if place:
        rows = [row for row in rows if place in row[2]]
    if len(rows) < 2:
        return []
    found = topics.hot_topics(
        [row[2] for row in rows],
        [timezone.localtime(row[3]).replace(tzinfo=None) for row in rows],
        weights=[row[4] for row in rows],
        k=k,
    )
    result = []
    for t in found:
        members = [rows[i] for i in t.members]
        by_kind: dict[str, int] = {}
        for row in members:
            by_kind[row[0]] = by_kind.get(row[0], 0) + 1
        result.append(
            LeaderTopic(
                name="、".join(t.phrases[:3]),
                phrases=t.phrases,
                heat=round(t.heat, 2),
                count=t.count,
                growth=round(t.growth, 2),
                places=t.places,
                start=t.start,
                end=t.end,
                by_kind=by_kind,
                texts=[TopicText(row[0], row[1], row[5], row[3]) for row in members],
            )
        )
    return result


def request_board_builds(conference_id: int) -> None:
    """Ask the worker to build what the triage board and the hot-topic page of a conference use (after
    an import, say), so that the first visit finds them built."""
    for spec in (unit_router_spec, category_router_spec, similar_index_spec, fit_indexes_spec):
        intelcache.request_build(intelcache.name_of(spec), (conference_id,))
    intelcache.request_build(intelcache.name_of(leader_topics_spec), (conference_id, 90, 8))


# ---------------------------------------------------------------------------- the committee or member to suit


PROFILE_TITLES = 40  # at most this many proposal titles per member profile
PROFILE_BODY = 120  # characters of each proposal's recommendations added to the profile
MIN_FIT = 0.1


@dataclass(frozen=True)
class Fit:
    """A committee or member a message suits, how well (0..1), and the phrases they share."""

    target: Any  # a Committee, or a User (the member)
    confidence: float
    phrases: list[str]


def _profiles(conference_id: int) -> tuple[dict[int, str], dict[int, str]]:
    """Texts describing each member (expertise, their proposals) and each committee (its name, its
    members' expertise and proposals) of the conference."""
    members = list(
        Member.objects.filter(conference_id=conference_id).values_list("user_id", "committee_id", "expertise")
    )
    written: dict[int, list[str]] = {}
    proposals = (
        Proposal.objects.filter(conference_id=conference_id, proposer_id__in=[m[0] for m in members])
        .exclude(state__in=["draft", "merged"])
        .order_by("-id")
        .values_list("proposer_id", "title", "recommendations")
    )
    for proposer_id, title, recommendations in proposals:
        texts = written.setdefault(proposer_id, [])
        if len(texts) < PROFILE_TITLES:
            texts.append(f"{title}。{recommendations[:PROFILE_BODY]}")
    people: dict[int, str] = {}
    committee_parts: dict[int, list[str]] = {}
    for user_id, committee_id, expertise in members:
        parts = [expertise, expertise, *written.get(user_id, [])]
        text = "\n".join(p for p in parts if p)
        if text:
            people[user_id] = text
        if committee_id:
            committee_parts.setdefault(committee_id, []).append(text)
    committees = {
        c.pk: "\n".join([c.name, c.name, *committee_parts.get(c.pk, [])])
        for c in Committee.objects.filter(conference_id=conference_id)
    }
    return people, committees


def fit_indexes_spec(
    conference_id: int,
) -> intelcache.Spec[tuple[similar.SimilarIndex, similar.SimilarIndex]]:
    """The indexes of member profiles and committee profiles a message is matched against."""
    proposals = Proposal.objects.filter(conference_id=conference_id).exclude(state__in=["draft", "merged"])
    members = Member.objects.filter(conference_id=conference_id).order_by("pk")
    fingerprint = (
        *_fingerprint(proposals, "updated_at"),
        hash(tuple(members.values_list("pk", "committee_id", "expertise"))),
        tuple(Committee.objects.filter(conference_id=conference_id).values_list("pk", "name")),
    )

    def build() -> tuple[similar.SimilarIndex, similar.SimilarIndex]:
        people, committees = _profiles(conference_id)
        return (
            similar.SimilarIndex().build([str(k) for k in people], list(people.values())),
            similar.SimilarIndex().build([str(k) for k in committees], list(committees.values())),
        )

    return intelcache.Spec(fingerprint, build, fingerprint[0])


@dataclass(frozen=True)
class Suits:
    """The committees and members a message suits, best first."""

    committees: list[Fit]
    members: list[Fit]


def suggest_fits_batch(
    conference_id: int,
    texts: Sequence[str],
    *,
    committees: int = 1,
    members: int = 3,
    min_score: float = MIN_FIT,
) -> list[Suits]:
    """For each text, the committee(s) and the 1–3 members whose proposals or expertise are most like it."""
    if not any(t.strip() for t in texts):
        return [Suits([], []) for _ in texts]
    people_index, committee_index = intelcache.get(fit_indexes_spec, conference_id)
    raw: list[tuple[list[similar.Match], list[similar.Match]]] = []
    for text in texts:
        if not text.strip():
            raw.append(([], []))
            continue
        found_c = committee_index.query(text, k=committees) if len(committee_index) else []
        found_m = people_index.query(text, k=members) if len(people_index) else []
        raw.append(
            ([m for m in found_c if m.score >= min_score], [m for m in found_m if m.score >= min_score])
        )
    by_committee = Committee.objects.in_bulk({int(m.id) for row in raw for m in row[0]})
    by_user = User.objects.in_bulk({int(m.id) for row in raw for m in row[1]})
    return [
        Suits(
            [
                Fit(by_committee[int(m.id)], round(m.score, 3), m.phrases)
                for m in c
                if int(m.id) in by_committee
            ],
            [Fit(by_user[int(m.id)], round(m.score, 3), m.phrases) for m in p if int(m.id) in by_user],
        )
        for c, p in raw
    ]


def suggest_fits(conference_id: int, text: str) -> Suits:
    """The committee and members one message suits."""
    return suggest_fits_batch(conference_id, [text])[0]
