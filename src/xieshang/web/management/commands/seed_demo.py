"""`xieshang seed_demo [--proposals N]`: a city conference, two counties, their people and proposals.

Idempotent: does nothing when the demo city conference exists. Proposals go through the real services
in xieshang.proposals.services, so every state, audit event and notification is what users would
produce. Demo only: all accounts share one password.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import DateField, ExpressionWrapper, F
from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from xieshang.audit.models import AuditEvent
from xieshang.conferences.models import (
    Committee,
    Conference,
    Department,
    HandlingUnit,
    Party,
    Sector,
    Session,
    Term,
)
from xieshang.core.dates import today
from xieshang.notify.models import Notification
from xieshang.people.models import Member, Role, RoleKind, User
from xieshang.proposals import services
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    Category,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    PreReplyConsultation,
    Proposal,
    ProposalState,
    ReassignmentRequest,
    Reminder,
    Reply,
)
from xieshang.proposals.services import ProposalInput, ReplyInput, UnitPlan
from xieshang.publishing import culture_demo
from xieshang.research import study_demo, topics_demo
from xieshang.voice import survey_demo
from xieshang.web.management import demo_more

from .. import demo_data as D

HISTORY_YEAR, CURRENT_YEAR = 2025, 2026
DEMO_LOGINS = [
    ("member", "jz_member"),
    ("staff", "jz_staff"),
    ("unit", "jz_unit"),
    ("leader", "jz_leader"),
    ("admin", "jz_admin"),
    ("friend of the conference", "13900001111"),
    ("county member", "lj_member"),
    ("county staff", "lj_staff"),
    ("county leader", "lj_leader"),
    ("county admin", "lj_admin"),
    ("county member", "qs_member"),
    ("county staff", "qs_staff"),
]
S = ProposalState
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"


def login_lines() -> list[str]:
    """The demo accounts, one a line as `ROLE: USERNAME / PASSWORD`."""
    return [f"{role}: {username} / {D.DEMO_PASSWORD}" for role, username in DEMO_LOGINS]


@dataclass
class Side:
    """One seeded conference and its people."""

    conference: Conference
    prefix: str
    sessions: dict[int, Session]
    categories: dict[str, Category]
    members: list[User]
    staff: User
    leader: User
    merge_targets: list[tuple[int, D.Topic]] = field(default_factory=list)

    @property
    def demo_member(self) -> User:
        return self.members[0]


# ---------------------------------------------------------------------------- back-dating


def shift(proposal_id: int, days: int) -> None:
    """Move everything recorded about one proposal `days` into the past.

    Demo only: the services stamp every action with the present, so the seed runs each step now and
    then back-dates what exists so far with queryset updates (timestamps and due dates, never states).
    The next step then happens "later"; due dates and on-time flags stay consistent.
    """
    if days <= 0:
        return
    d = dt.timedelta(days=days)

    def back(name: str) -> Any:
        return F(name) - d

    def back_date(name: str) -> Any:
        return ExpressionWrapper(F(name) - d, output_field=DateField())

    by_proposal = {"proposal_id": proposal_id}
    by_assignment = {"assignment__proposal_id": proposal_id}
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal_id).update(
            created_at=back("created_at"),
            updated_at=back("updated_at"),
            submitted_at=back("submitted_at"),
            accepted_at=back("accepted_at"),
            closed_at=back("closed_at"),
        )
        CoSigner.objects.filter(**by_proposal).update(responded_at=back("responded_at"))
        Assignment.objects.filter(**by_proposal).update(
            assigned_at=back("assigned_at"), due_on=back_date("due_on"), answered_at=back("answered_at")
        )
        Reply.objects.filter(**by_proposal).update(submitted_at=back("submitted_at"))
        Evaluation.objects.filter(**by_proposal).update(evaluated_at=back("evaluated_at"))
        PreReplyConsultation.objects.filter(**by_assignment).update(
            held_on=back_date("held_on"), recorded_at=back("recorded_at")
        )
        for model in (ReassignmentRequest, ExtensionRequest):
            model.objects.filter(**by_assignment).update(  # type: ignore[attr-defined]
                requested_at=back("requested_at"), decided_at=back("decided_at")
            )
        ExtensionRequest.objects.filter(**by_assignment).update(
            requested_due_on=back_date("requested_due_on")
        )
        Reminder.objects.filter(**by_assignment).update(
            sent_on=back_date("sent_on"), created_at=back("created_at")
        )
        events = AuditEvent.objects.filter(target_type="proposal", target_id=proposal_id)
        events.update(created_at=back("created_at"))
        notes = Notification.objects.filter(url=reverse("proposals:detail", args=[proposal_id]))
        notes.update(created_at=back("created_at"))
        # Summaries and titles quote due dates ("2026-05-01前"); they move with everything else.
        dated = list(events.filter(summary__regex=DATE_PATTERN))
        for e in dated:
            e.summary = _back_text(e.summary, d)
        AuditEvent.objects.bulk_update(dated, ["summary"])
        dated_notes = list(notes.filter(title__regex=DATE_PATTERN))
        for n in dated_notes:
            n.title = _back_text(n.title, d)
        Notification.objects.bulk_update(dated_notes, ["title"])


def _back_text(text: str, d: dt.timedelta) -> str:
    return re.sub(DATE_PATTERN, lambda m: str(dt.date.fromisoformat(m.group()) - d), text)


def _opened(session: Session) -> dt.date:
    return session.opens_on or dt.date(session.year, 1, 8)


class Clock:
    """Per-proposal elapsed time, so that each proposal ends `age` days after it was created."""

    def __init__(self) -> None:
        self.elapsed: dict[int, int] = {}

    def wait(self, p: Proposal, days: int) -> None:
        shift(p.pk, days)
        self.elapsed[p.pk] = self.elapsed.get(p.pk, 0) + max(days, 0)

    def finish(self, p: Proposal, age: int) -> None:
        self.wait(p, age - self.elapsed.get(p.pk, 0))


# ---------------------------------------------------------------------------- the structure


class Seeder:
    """Builds the demo world, then walks proposals through the services."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.clock = Clock()
        self.sides: dict[str, Side] = {}
        self.units: dict[str, HandlingUnit] = {}
        self.contacts: dict[int, User] = {}
        self.password = make_password(D.DEMO_PASSWORD)
        self.names = self._names()

    def _names(self) -> list[str]:
        names = [s + g for s in D.SURNAMES for g in D.GIVEN_NAMES]
        self.rng.shuffle(names)
        return names

    def _user(self, username: str, name: str, **extra: Any) -> User:
        return User(username=username, display_name=name, password=self.password, **extra)

    @transaction.atomic
    def build(self) -> None:
        """Conferences, sessions, structure, units and every person, in one transaction."""
        users: list[User] = []
        roles: list[tuple[User, Conference, str, HandlingUnit | None, Department | None]] = []
        members: list[tuple[User, Conference, dict[str, Any]]] = []
        for code, name, short, level, parent, prefix in D.CONFERENCES:
            conference = Conference.objects.create(
                name=name,
                short_name=short,
                code=code,
                level=level,
                parent=self.sides[parent].conference if parent else None,
            )
            term = Term.objects.create(
                conference=conference,
                number=D.TERMS[level],
                start_year=D.TERM_START,
                end_year=D.TERM_START + 5,
            )
            sessions = {
                year: Session.objects.create(
                    conference=conference,
                    term=term,
                    number=year - D.TERM_START + 1,
                    year=year,
                    opens_on=dt.date(year, 1, 8 if level == "city" else 6),
                    is_current=year == CURRENT_YEAR,
                )
                for year in (HISTORY_YEAR, CURRENT_YEAR)
            }
            for model, names in [(Committee, D.COMMITTEES), (Sector, D.SECTORS), (Party, D.PARTIES)]:
                model.objects.bulk_create([model(conference=conference, name=n) for n in names])  # type: ignore[attr-defined]
            departments = Department.objects.bulk_create(
                [Department(conference=conference, name=n) for n in D.DEPARTMENTS]
            )
            categories = Category.objects.bulk_create(
                [Category(conference=conference, name=n, order=i) for i, n in enumerate(D.CATEGORIES)]
            )
            office = {
                "staff": self._user(f"{prefix}_staff", self.names.pop(), phone="0571-87001001"),
                "staff2": self._user(f"{prefix}_staff2", self.names.pop()),
                "leader": self._user(f"{prefix}_leader", self.names.pop()),
                "leader2": self._user(f"{prefix}_leader2", self.names.pop()),
                "admin": self._user(
                    f"{prefix}_admin", f"{short}政协系统管理员", is_staff=True, is_superuser=level == "city"
                ),
            }
            users += office.values()
            proposal_office = departments[1]
            roles += [
                (office["staff"], conference, RoleKind.STAFF, None, proposal_office),
                (office["staff2"], conference, RoleKind.STAFF, None, proposal_office),
                (office["leader"], conference, RoleKind.LEADER, None, None),
                (office["leader2"], conference, RoleKind.LEADER, None, None),
                (office["admin"], conference, RoleKind.ADMIN, None, None),
            ]
            people = []
            for i in range(36 if level == "city" else 12):
                username = f"{prefix}_member" if i == 0 else f"{prefix}_m{i + 1:02d}"
                user = self._user(
                    username, self.names.pop(), phone=f"139{self.rng.randint(10000000, 99999999)}"
                )
                people.append(user)
                roles.append((user, conference, RoleKind.MEMBER, None, None))
                members.append((user, conference, self._member_fields(conference, short)))
            users += people
            self.sides[code] = Side(
                conference=conference,
                prefix=prefix,
                sessions=sessions,
                categories={c.name: c for c in categories},
                members=people,
                staff=office["staff"],
                leader=office["leader"],
            )
        contacts = {}
        for unit_name, short, suffix, contact in D.UNITS:
            unit = HandlingUnit.objects.create(
                name=unit_name, short_name=short, contact_phone=f"0571-8{self.rng.randint(1000000, 9999999)}"
            )
            unit.conferences.add(*(s.conference for s in self.sides.values()))
            self.units[unit_name] = unit
            username = "jz_unit" if suffix == "fgw" else f"unit_{suffix}"
            contacts[unit.pk] = self._user(username, contact)
            roles += [
                (contacts[unit.pk], s.conference, RoleKind.UNIT, unit, None) for s in self.sides.values()
            ]
        users += contacts.values()
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        self.contacts = {pk: saved[u.username] for pk, u in contacts.items()}
        for side in self.sides.values():
            side.members = [saved[u.username] for u in side.members]
            side.staff, side.leader = saved[side.staff.username], saved[side.leader.username]
        Role.objects.bulk_create(
            [
                Role(user=saved[u.username], conference=c, kind=k, handling_unit=unit, department=dep)
                for u, c, k, unit, dep in roles
            ]
        )
        Member.objects.bulk_create(
            [Member(user=saved[u.username], conference=c, **fields) for u, c, fields in members]
        )

    def _member_fields(self, conference: Conference, place: str) -> dict[str, Any]:
        sector_name = self.rng.choice(D.SECTORS)
        party_name = self.rng.choice(D.PARTIES[:1] * 3 + D.PARTIES[1:])
        return {
            "sector": Sector.objects.get(conference=conference, name=sector_name),
            "party": Party.objects.get(conference=conference, name=party_name),
            "committee": Committee.objects.get(conference=conference, name=self.rng.choice(D.COMMITTEES)),
            "is_standing": self.rng.random() < 0.25,
            "workplace": self.rng.choice(D.WORKPLACES[sector_name]).format(p=place),
            "expertise": D.EXPERTISE[sector_name],
        }

    def set_current(self, year: int) -> None:
        """Which session new proposals go to (create_proposal uses the conference's current session)."""
        Session.objects.filter(conference__in=[s.conference for s in self.sides.values()]).update(
            is_current=False
        )
        Session.objects.filter(conference__in=[s.conference for s in self.sides.values()], year=year).update(
            is_current=True
        )

    # ------------------------------------------------------------------------ texts

    def write(self, side: Side, topic: D.Topic) -> ProposalInput:
        s = topic.subject
        p1, p2, p3 = topic.problems
        r1, r2, r3 = topic.remedies
        recommendations = D.RECOMMENDATIONS.format(r1=r1, r2=r2, r3=r3)
        if self.rng.random() < 0.4:
            recommendations += D.EXTRA_RECOMMENDATION.format(s=s)
        return ProposalInput(
            title=self.rng.choice(D.TITLE_FORMS).format(s=s),
            analysis=D.ANALYSIS.format(place=D.PLACE[side.conference.level], s=s, p1=p1, p2=p2, p3=p3),
            recommendations=recommendations,
            category_id=side.categories[topic.category].pk,
        )

    # ------------------------------------------------------------------------ workflow steps

    def draft(self, side: Side, topic: D.Topic, proposer: User, cosigners: int = 0) -> Proposal:
        p = services.create_proposal(proposer, side.conference, self.write(side, topic))
        if cosigners:
            others = [m for m in side.members if m.pk != proposer.pk]
            invited = self.rng.sample(others, cosigners)
            services.invite_cosigners(proposer, p, [u.pk for u in invited], version=None)
        return p

    def submit(self, p: Proposal, *, confirm: bool = True) -> Proposal:
        p = services.submit_proposal(p.proposer, p)
        if confirm:
            for c in p.cosigners.select_related("user"):
                services.respond_to_cosign(c.user, p, accept=self.rng.random() < 0.9)
        return p

    def accept(self, side: Side, p: Proposal) -> Proposal:
        return services.accept_proposal(side.staff, p, note="符合立案标准，予以立案。")

    def assign(self, side: Side, p: Proposal, topic: D.Topic, *, separate: bool = False) -> list[Assignment]:
        """Lead unit alone, lead with a co-handling unit, or (when `separate`) two separate units.

        Separate units are only used for proposals that are not evaluated in the demo: evaluating one
        of two separate letters fails in services.evaluate_reply (reported as a bug).
        """
        lead, co = self.units[topic.lead], self.units[topic.co]
        roll = self.rng.random()
        if separate and roll < 0.2:
            plan = [UnitPlan(lead.pk, AssignmentRole.SEPARATE), UnitPlan(co.pk, AssignmentRole.SEPARATE)]
        elif roll < 0.55:
            plan = [UnitPlan(lead.pk, AssignmentRole.LEAD), UnitPlan(co.pk, AssignmentRole.CO)]
        else:
            plan = [UnitPlan(lead.pk, AssignmentRole.LEAD)]
        return services.assign_proposal(side.staff, p, plan)

    def live(self, p: Proposal, *roles: str) -> list[Assignment]:
        return list(
            Assignment.objects.filter(
                proposal=p, role__in=roles, state=Assignment.State.ACTIVE
            ).select_related("proposal", "unit")
        )

    def co_opinions(self, p: Proposal, topic: D.Topic) -> None:
        for a in self.live(p, AssignmentRole.CO):
            body = D.CO_OPINION.format(t=p.title, s=topic.subject)
            services.submit_co_opinion(self.contacts[a.unit_id], a, body=body)

    def consult(self, p: Proposal, topic: D.Topic, days_ago: int) -> None:
        for a in self.live(p, AssignmentRole.LEAD, AssignmentRole.SEPARATE):
            if not a.consultations.exists():
                services.record_consultation(
                    self.contacts[a.unit_id],
                    a,
                    held_on=today() - dt.timedelta(days=days_ago),
                    form=self.rng.choice(PreReplyConsultation.Form.values),
                    agreed=D.CONSULTATION.format(s=topic.subject),
                )

    def reply(self, p: Proposal, topic: D.Topic, outcome: str | None = None) -> None:
        self.consult(p, topic, 0)
        for a in self.live(p, AssignmentRole.LEAD, AssignmentRole.SEPARATE):
            klass = outcome or self.rng.choices("ABCD", weights=[35, 45, 15, 5])[0]
            body = D.REPLIES[klass].format(
                t=p.title, s=topic.subject, r1=topic.remedies[0], r2=topic.remedies[1]
            )
            leader = self.rng.choice(D.SURNAMES) + self.rng.choice(["局长", "主任", "副局长"])
            services.submit_reply(
                self.contacts[a.unit_id],
                a,
                ReplyInput(
                    body=body,
                    outcome=klass,
                    signed_by=leader,
                    contact_person=str(self.contacts[a.unit_id]),
                    contact_phone=a.unit.contact_phone,
                ),
            )

    def evaluate(self, p: Proposal, topic: D.Topic, verdict: str | None = None) -> None:
        letters = Reply.objects.filter(proposal=p, kind=Reply.Kind.LETTER, evaluation__isnull=True)
        for r in letters.select_related("assignment"):
            if r.round != r.assignment.round:
                continue
            v = verdict or self.rng.choices(["satisfied", "basic"], weights=[75, 25])[0]
            comment = D.UNSATISFIED.format(r1=topic.remedies[0]) if v == "unsatisfied" else ""
            services.evaluate_reply(p.proposer, r, verdict=v, comment=comment)
            if v == "unsatisfied":
                break  # that unit goes into a new round; the others are evaluated after it answers

    def fresh(self, p: Proposal) -> Proposal:
        return Proposal.objects.get(pk=p.pk)

    # ------------------------------------------------------------------------ scenarios

    def handled(
        self,
        side: Side,
        topic: D.Topic,
        p: Proposal,
        *,
        late: bool = False,
        separate: bool = False,
        outcome: str | None = None,
    ) -> None:
        """Assign, wait, (co-handling opinion,) consult, reply; the reply is on time unless `late`."""
        self.assign(side, p, topic, separate=separate)
        p = self.fresh(p)
        if self.rng.random() < 0.3:
            self.key(side, p)
        self.clock.wait(p, self.rng.randint(8, 25))
        self.co_opinions(p, topic)
        handling = self.rng.randint(100, 130) if late else self.rng.randint(15, 60)
        self.clock.wait(p, handling)
        self.consult(p, topic, self.rng.randint(1, 12))
        self.reply(p, topic, outcome)

    def key(self, side: Side, p: Proposal) -> None:
        if self.rng.random() < 0.35:
            services.mark_key(side.staff, p, is_key=True, leader_id=side.leader.pk)

    def reviewed(self, side: Side, topic: D.Topic, proposer: User) -> Proposal:
        """Drafted (sometimes co-signed), submitted, confirmed, after a few days accepted."""
        p = self.draft(side, topic, proposer, cosigners=self.rng.choice([0, 0, 0, 2, 3]))
        self.submit(p)
        self.clock.wait(p, self.rng.randint(3, 12))
        p = self.accept(side, self.fresh(p))
        self.clock.wait(p, self.rng.randint(5, 15))
        return p

    def run(self, scenario: str, side: Side, topic: D.Topic, proposer: User) -> Proposal:
        """Walk one proposal to the scenario's end state; returns it."""
        plenary = (today() - _opened(side.sessions[CURRENT_YEAR])).days + self.rng.randint(-3, 3)
        history = (today() - _opened(side.sessions[HISTORY_YEAR])).days + self.rng.randint(-3, 3)
        recent = self.rng.randint(2, 25)
        step: Callable[[], tuple[Proposal, int]] = getattr(self, f"_{scenario}")
        self._ctx = (side, topic, proposer, plenary, history, recent)
        p, age = step()
        self.clock.finish(p, age)
        return p

    def _draft(self) -> tuple[Proposal, int]:
        side, topic, proposer, _, _, recent = self._ctx
        return self.draft(side, topic, proposer), recent

    def _submitted(self) -> tuple[Proposal, int]:
        side, topic, proposer, _, _, recent = self._ctx
        # The demo member finds an invitation to co-sign in the inbox.
        author = self.rng.choice(side.members[1:]) if proposer == side.demo_member else proposer
        p = self.draft(side, topic, author)
        others = [m for m in side.members if m.pk != author.pk][:1] + self.rng.sample(side.members[2:], 2)
        services.invite_cosigners(author, p, {u.pk for u in others if u.pk != author.pk}, version=None)
        self.submit(p, confirm=False)
        return p, min(recent, 6)

    def _under_review(self) -> tuple[Proposal, int]:
        side, topic, proposer, _, _, recent = self._ctx
        p = self.draft(side, topic, proposer, cosigners=self.rng.choice([0, 0, 2]))
        self.submit(p)
        return p, recent

    def _decline(self, action: str) -> tuple[Proposal, int]:
        side, topic, proposer, plenary, _, recent = self._ctx
        p = self.draft(side, topic, proposer)
        self.submit(p)
        self.clock.wait(p, self.rng.randint(3, 10))
        decline = {
            "reject": services.reject_proposal,
            "return": services.return_proposal,
            "convert": services.convert_proposal,
        }[action]
        decline(side.staff, self.fresh(p), note=D.REVIEW_NOTES[action])
        return p, recent + 10 if action == "return" else plenary

    def _returned(self) -> tuple[Proposal, int]:
        return self._decline("return")

    def _rejected(self) -> tuple[Proposal, int]:
        return self._decline("reject")

    def _converted(self) -> tuple[Proposal, int]:
        return self._decline("convert")

    def _accepted(self) -> tuple[Proposal, int]:
        side, topic, proposer, _, _, recent = self._ctx
        p = self.reviewed(side, topic, proposer)
        side.merge_targets.append((p.pk, topic))
        return p, recent + 15

    def _merged(self) -> tuple[Proposal, int]:
        side, _, proposer, plenary, _, _ = self._ctx
        if not side.merge_targets:
            target, age = self._assigned()
            self.clock.finish(target, age)
        target_id, topic = self.rng.choice(side.merge_targets)
        p = self.draft(side, topic, proposer)
        self.submit(p)
        self.clock.wait(p, self.rng.randint(3, 10))
        services.merge_proposals(
            side.staff, self.fresh(Proposal(pk=target_id)), [self.fresh(p)], note="内容相近，并案办理。"
        )
        return p, plenary

    def _assigned(self) -> tuple[Proposal, int]:
        """Being handled, due in the future; some with a co-handling opinion, a request or a reminder."""
        side, topic, proposer, _, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        assignments = self.assign(side, p, topic, separate=True)
        side.merge_targets.append((p.pk, topic))
        self.key(side, self.fresh(p))
        roll = self.rng.random()
        lead = next(a for a in assignments if a.role != AssignmentRole.CO)
        contact = self.contacts[lead.unit_id]
        if roll < 0.2:
            # A unit may ask to be replaced within 10 days of assignment.
            self.clock.wait(p, self.rng.randint(1, 6))
            services.request_reassignment(
                contact, lead, reason="所提事项主要涉及其他部门职责，建议调整承办单位。"
            )
            age = 8
        elif roll < 0.4:
            self.clock.wait(p, self.rng.randint(40, 70))
            services.request_extension(
                contact,
                lead,
                requested_due_on=lead.due_on + dt.timedelta(days=60),
                reason="涉及多部门协调和资金安排，需要延期答复。",
            )
            age = self.rng.randint(5, 12)
        elif roll < 0.55:
            self.clock.wait(p, self.rng.randint(30, 60))
            services.send_reminder(side.staff, lead, note="请抓紧办理，按时答复。")
            age = self.rng.randint(2, 10)
        else:
            self.clock.wait(p, self.rng.randint(10, 25))
            self.co_opinions(p, topic)
            self.consult(p, topic, self.rng.randint(0, 5))
            age = self.rng.randint(5, 40)
        return p, self.clock.elapsed[p.pk] + age

    def _overdue(self) -> tuple[Proposal, int]:
        """Assigned and not answered by the due date: the reminder job's business."""
        side, topic, proposer, plenary, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        self.assign(side, p, topic, separate=True)
        self.key(side, self.fresh(p))
        self.clock.wait(p, self.rng.randint(20, 40))
        self.co_opinions(p, topic)
        self.clock.wait(p, self.rng.randint(95, 160))
        return p, max(plenary, self.clock.elapsed[p.pk] + 1)

    def _due_soon(self) -> tuple[Proposal, int]:
        side, topic, proposer, _, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        [lead, *_] = [a for a in self.assign(side, p, topic) if a.role != AssignmentRole.CO]
        self.clock.wait(p, (lead.due_on - today()).days - self.rng.randint(1, 6))
        self.consult(p, topic, self.rng.randint(1, 10))
        return p, self.clock.elapsed[p.pk] + 1

    def _replied(self) -> tuple[Proposal, int]:
        side, topic, proposer, plenary, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        self.handled(side, topic, p, late=self.rng.random() < 0.15, separate=True)
        self.publish(side, p)
        return p, plenary

    def _evaluated(self) -> tuple[Proposal, int]:
        side, topic, proposer, plenary, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        self.handled(side, topic, p, late=self.rng.random() < 0.1)
        self.clock.wait(p, self.rng.randint(5, 20))
        self.evaluate(p, topic)
        self.publish(side, p)
        return p, plenary

    def _closed(self, age: int | None = None) -> tuple[Proposal, int]:
        side, plenary = self._ctx[0], self._ctx[3]
        p, _ = self._evaluated()
        self.clock.wait(p, self.rng.randint(3, 15))
        services.close_proposal(side.staff, self.fresh(p), note="办理完毕，予以办结。")
        return p, age or plenary

    def _rehandling(self) -> tuple[Proposal, int]:
        """The proposer was not satisfied; the unit is in its second round."""
        side, topic, proposer, plenary, _, _ = self._ctx
        p = self.reviewed(side, topic, proposer)
        self.handled(side, topic, p, outcome=self.rng.choice("CD"))
        self.clock.wait(p, self.rng.randint(5, 15))
        self.evaluate(p, topic, verdict="unsatisfied")
        return p, max(plenary, self.clock.elapsed[p.pk] + self.rng.randint(3, 20))

    def _rehandled_closed(self, age: int | None = None) -> tuple[Proposal, int]:
        side, topic, plenary = self._ctx[0], self._ctx[1], self._ctx[3]
        p, _ = self._rehandling()
        self.clock.wait(p, self.rng.randint(10, 25))
        self.reply(p, topic, outcome=self.rng.choice("AB"))
        self.clock.wait(p, self.rng.randint(5, 15))
        self.evaluate(p, topic)
        self.clock.wait(p, self.rng.randint(3, 10))
        services.close_proposal(side.staff, self.fresh(p))
        return p, age or plenary

    def _history_closed(self) -> tuple[Proposal, int]:
        return self._closed(age=self._ctx[4])

    def _history_rehandled(self) -> tuple[Proposal, int]:
        return self._rehandled_closed(age=self._ctx[4])

    def _history_rejected(self) -> tuple[Proposal, int]:
        p, _ = self._decline("reject")
        return p, self._ctx[4]

    def publish(self, side: Side, p: Proposal) -> None:
        if self.rng.random() < 0.4:
            services.set_published(side.staff, self.fresh(p), published=True)


# Every state is reached by the first scenarios, whatever --proposals says (beyond 16).
REQUIRED = [
    "history_closed",
    "draft",
    "submitted",
    "under_review",
    "returned",
    "accepted",
    "rejected",
    "converted",
    "assigned",
    "merged",
    "overdue",
    "replied",
    "evaluated",
    "closed",
    "rehandling",
    "rehandled_closed",
]
WEIGHTS = {
    "draft": 4,
    "submitted": 3,
    "under_review": 8,
    "returned": 3,
    "accepted": 6,
    "rejected": 4,
    "converted": 3,
    "merged": 4,
    "assigned": 12,
    "overdue": 6,
    "due_soon": 4,
    "replied": 10,
    "evaluated": 10,
    "closed": 20,
    "rehandling": 3,
    "rehandled_closed": 4,
}
HISTORY_WEIGHTS = {"history_closed": 12, "history_rehandled": 2, "history_rejected": 2}
HANDLED_BY_DEMO_UNIT = {"assigned", "overdue", "replied", "rehandling", "closed"}


class Command(BaseCommand):
    help = "生成演示数据（江州市政协及其指导的两个县政协）；已存在时不做任何事。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--proposals", type=int, default=200, help="提案数量（默认 200）")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子")
        parser.add_argument("--no-logins", action="store_true", help="不打印演示账号")

    def handle(self, *args: Any, **options: Any) -> None:
        if Conference.objects.filter(code=D.CITY_CODE).exists():
            self.stdout.write("演示数据已存在，未做改动。")
            if not options["no_logins"]:
                self._print_logins()
            return
        started = time.monotonic()
        rng = random.Random(options["seed"])
        seeder = Seeder(rng)
        seeder.build()
        plan = self._plan(rng, options["proposals"])
        history = [item for item in plan if item[0].startswith("history")]
        current = [item for item in plan if not item[0].startswith("history")]
        bar = tqdm(
            total=len(plan),
            desc="提案",
            unit="件",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        )
        for year, items in [(HISTORY_YEAR, history), (CURRENT_YEAR, current)]:
            seeder.set_current(year)
            for scenario, code, demo in items:
                side = seeder.sides[code]
                topics = D.TOPICS
                if code == D.CITY_CODE and scenario in HANDLED_BY_DEMO_UNIT and (demo or rng.random() < 0.3):
                    # The demo unit contact (市发改委) should find work in every list of the inbox.
                    topics = [t for t in D.TOPICS if t.lead == D.FGW]
                proposer = side.demo_member if demo else rng.choice(side.members)
                seeder.run(scenario, side, rng.choice(topics), proposer)
                bar.update()
            if year == HISTORY_YEAR:
                # Last year's notifications were read long ago.
                Notification.objects.filter(
                    conference__in=[s.conference for s in seeder.sides.values()]
                ).update(read_at=timezone.now())
        bar.close()
        city = seeder.sides[D.CITY_CODE]
        # Beyond proposals: an activity held today and one to come, opinion reports, deployed tasks.
        demo_more.seed_activities(city.conference, city.staff, city.members, rng)
        demo_more.seed_opinions(city.conference, city.staff, city.members, CURRENT_YEAR)
        demo_more.seed_tasks(city.conference, city.staff, seeder.contacts)
        demo_more.seed_publishing(city.conference, city.staff, city.leader)
        demo_more.seed_voice(city.conference, city.staff, city.members, seeder.contacts)
        demo_more.seed_archive(city.conference, city.staff, city.members)
        study_demo.seed(city.conference, city.staff, city.members, city.leader)
        topics_demo.seed(city.conference, city.staff, city.members, city.leader)
        culture_demo.seed(city.conference, city.staff, city.members, city.leader)
        survey_demo.seed(city.conference, city.staff, city.members, city.leader)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示数据：3 个政协，{User.objects.count()} 个账号，"
                f"{Proposal.objects.count()} 件提案，用时 {seconds:.1f} 秒。"
            )
        )
        if not options["no_logins"]:
            self._print_logins()

    def _plan(self, rng: random.Random, n: int) -> list[tuple[str, str, bool]]:
        """(scenario, conference code, by the demo member): the required ones first, then a weighted mix."""
        codes = [c[0] for c in D.CONFERENCES]
        plan = [(s, D.CITY_CODE, True) for s in REQUIRED[:n]]
        weights = {**WEIGHTS, **HISTORY_WEIGHTS}
        for _ in range(max(0, n - len(plan))):
            history = rng.random() < 0.2
            pool = HISTORY_WEIGHTS if history else WEIGHTS
            scenario = rng.choices(list(pool), weights=[weights[k] for k in pool])[0]
            code = rng.choices(codes, weights=[6, 2, 2])[0]
            plan.append((scenario, code, code == D.CITY_CODE and rng.random() < 0.1))
        return plan

    def _print_logins(self) -> None:
        self.stdout.write(f"演示账号（仅供演示，密码均为 {D.DEMO_PASSWORD}）：")
        for line in login_lines():
            self.stdout.write(line)
