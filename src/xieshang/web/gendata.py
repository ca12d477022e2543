"""Generated data at scale: a province of conferences with ten years of history, for load tests.

`xieshang gendata --scale {tiny,city,province}` writes conferences, people, proposals with their
assignments, replies and evaluations, public-opinion reports with journal issues, activities with
invitations and attendance, and the duty point events all of these give. Rows are written directly
(PostgreSQL COPY, or batched INSERTs elsewhere) with ids chosen here, so no signal, service or
audit entry runs per row: this is history as it would stand, not a replay of the workflows.

Texts are real sentences resampled from the shared data sets (citizen messages and government work
reports); the same seed gives the same rows. Every generated account shares GEN_PASSWORD.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from xieshang.activities.models import Activity, ActivityKind, ActivityState, Attendance, Invitation
from xieshang.activities.services import absent_kind, attended_kind, half_day_key
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
from xieshang.duty.models import PointEvent
from xieshang.opinions.models import JournalIssue, OnBehalf, OpinionReport, OpinionState
from xieshang.people.models import Member, Role, RoleKind, User
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    Category,
    CoSigner,
    Evaluation,
    Outcome,
    Proposal,
    ProposalKind,
    ProposalState,
    Reply,
)
from xieshang.web.management import demo_data as D

GEN_PASSWORD = "load12345"
CODE_PREFIX = "gen-"
S = ProposalState


class GenDataError(Exception):
    """The generator cannot run (data sets missing, data already generated)."""


# ---------------------------------------------------------------------------- scales


@dataclass(frozen=True)
class Scale:
    """How much to generate; counts are spread over conferences by weight (province 4, city 2, county 1)."""

    name: str
    conferences: int
    members: int
    proposals: int
    opinions: int
    years: int
    activities_per_year: int
    invitees: int
    units_per_conference: int


SCALES = {
    "tiny": Scale("tiny", 2, 30, 200, 300, 2, 2, 6, 4),
    "city": Scale("city", 15, 3_000, 40_000, 100_000, 10, 10, 25, 12),
    "province": Scale("province", 150, 30_000, 400_000, 1_000_000, 10, 10, 25, 20),
}

CITY_NAMES = [
    "江州",
    "云阳",
    "青溪",
    "安平",
    "临川",
    "瑞昌",
    "永宁",
    "南屏",
    "北原",
    "东湖",
    "西陵",
    "长丰",
    "白鹭",
    "梅岭",
    "清河",
    "丰泽",
    "凤台",
    "宁远",
]
COUNTY_FIRST = "东西南北青白云金玉丰永安宁兴和平新长福宝"
COUNTY_SECOND = "阳山川源台林水溪桥坪湾岗"


@dataclass
class Conf:
    """One conference to generate: its rows' ids and the people the history refers to."""

    prefix: str
    name: str
    short: str
    level: str
    parent: Conf | None
    weight: int
    id: int = 0
    members: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    contacts: dict[int, int] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)
    sessions: dict[int, int] = field(default_factory=dict)
    session_opens: dict[int, dt.date] = field(default_factory=dict)
    categories: list[int] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    proposals: int = 0
    opinions: int = 0
    member_count: int = 0


def plan_conferences(scale: Scale, namespace: str = "") -> list[Conf]:
    """The tree: a province with cities and counties, or (small scales) a city with counties.

    A namespace prefixes every code, name and login, so that several generated trees can share a
    database (the query-count tests compare a small one with a larger one)."""
    confs: list[Conf] = []
    if scale.conferences >= 20:
        root = Conf("p", "江南省政协", "江南省", Conference.Level.PROVINCE, None, 4)
        confs.append(root)
        n_cities = max(1, round((scale.conferences - 1) / 10.7))
        parents = []
        for i in range(n_cities):
            city = CITY_NAMES[i % len(CITY_NAMES)] + ("" if i < len(CITY_NAMES) else str(i))
            c = Conf(f"c{i + 1:02d}", f"{city}市政协", f"{city}市", Conference.Level.CITY, root, 2)
            confs.append(c)
            parents.append(c)
    else:
        root = Conf("c01", "江州市政协", "江州市", Conference.Level.CITY, None, 2)
        confs.append(root)
        parents = [root]
    counties = scale.conferences - len(confs)
    names = [a + b for a in COUNTY_FIRST for b in COUNTY_SECOND]
    for k in range(counties):
        parent = parents[k % len(parents)]
        number = k // len(parents) + 1
        county = names[k % len(names)] + ("" if k < len(names) else str(k // len(names)))
        suffix = "县" if k % 3 else "区"
        confs.append(
            Conf(
                f"{parent.prefix}k{number:02d}",
                f"{parent.short}{county}{suffix}政协",
                f"{county}{suffix}",
                Conference.Level.COUNTY,
                parent,
                1,
            )
        )
    if namespace:
        for c in confs:
            c.prefix, c.name, c.short = namespace + c.prefix, namespace + c.name, namespace + c.short
    return confs


def spread(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` by weight, largest remainders first, so the parts add up exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


# ---------------------------------------------------------------------------- texts


def shared_data_dir() -> Path:
    """../shared/data beside the repository, or XIESHANG_SHARED_DATA."""
    default = Path(__file__).resolve().parents[4] / "shared" / "data"
    return Path(os.environ.get("XIESHANG_SHARED_DATA", default))


SENTENCE = re.compile(r"[^。！？!?\n]{10,110}[。！？!?]")


class Corpus:
    """Real sentences to resample: message subjects and details, government replies, work reports."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        teddy, reports = root / "teddy2020c", root / "govreports"
        if not (teddy / "messages_with_replies.csv").exists() or not reports.is_dir():
            raise GenDataError(
                f"找不到共享数据集：{root}"
                "（需要 teddy2020c 与 govreports；可用 XIESHANG_SHARED_DATA 指定目录）"
            )
        self.rng = rng
        subjects: list[str] = []
        details: list[str] = []
        replies: list[str] = []
        self.labels: list[str] = []
        for name in ("messages_with_replies.csv", "messages_labelled.csv", "messages_with_votes.csv"):
            with (teddy / name).open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    subject = (row.get("subject") or "").strip().rstrip("？?！!。.")
                    if 6 <= len(subject) <= 60:
                        subjects.append(subject)
                    details += SENTENCE.findall(row.get("detail") or "")
                    replies += SENTENCE.findall(row.get("reply") or "")
                    if row.get("label"):
                        self.labels.append(row["label"].strip())
        policy: list[str] = []
        for path in sorted(reports.glob("*.txt")):
            policy += SENTENCE.findall(path.read_text(encoding="utf-8"))
        self.subjects = sorted(set(subjects))
        self.details = sorted({s.strip() for s in details})
        self.replies = sorted({s.strip() for s in replies})
        self.policy = sorted({s.strip() for s in policy})
        self.labels = sorted(set(self.labels)) or list(D.CATEGORIES)

    def _pick(self, pool: list[str], n: int) -> str:
        return "".join(self.rng.choice(pool) for _ in range(n))

    def proposal_title(self) -> str:
        """关于…的建议 around a real message subject."""
        return self.rng.choice(D.TITLE_FORMS).format(s=self.rng.choice(self.subjects))[:200]

    def subject(self) -> str:
        return self.rng.choice(self.subjects)[:200]

    def analysis(self) -> str:
        return self._pick(self.details, 3)

    def recommendations(self) -> str:
        return "\n".join(f"{n}、{self.rng.choice(self.policy)}" for n in "一二三")

    def reply(self) -> str:
        return self._pick(self.replies, 2)

    def facts(self) -> str:
        return self._pick(self.details, 2)

    def suggestions(self) -> str:
        return self._pick(self.policy, 2)


# ---------------------------------------------------------------------------- writing rows


class Writer:
    """Writes rows with ids chosen here: COPY on PostgreSQL, batched INSERTs elsewhere."""

    BATCH = 2000

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        self.next_ids: dict[type[models.Model], int] = {}
        self.counts: dict[str, int] = {}
        self.now = timezone.now()

    def ids(self, model: type[models.Model], n: int) -> range:
        """Reserve `n` consecutive ids of `model` (the generator is the only writer while it runs)."""
        if model not in self.next_ids:
            top = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            self.next_ids[model] = int(top) + 1
        start = self.next_ids[model]
        self.next_ids[model] = start + n
        return range(start, start + n)

    def next_id(self, model: type[models.Model]) -> int:
        return self.ids(model, 1)[0]

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert rows given as tuples in `columns` order; other columns take their model default."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for name, f in fields.items() if name not in columns]
        extra: list[Any] = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = self.now
            else:
                value = f.get_default()
            if value is None and not f.null:
                raise ValueError(f"{model.__name__}.{f.attname} needs a value")
            extra.append(value)
        all_fields = [fields[c] for c in columns] + rest
        names = ", ".join(connection.ops.quote_name(str(f.column)) for f in all_fields)
        table = connection.ops.quote_name(model._meta.db_table)
        json_at = [i for i, f in enumerate(all_fields) if isinstance(f, models.JSONField)]
        n = 0
        with connection.cursor() as cursor:
            if self.pg:
                extra_t = tuple(extra)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        full = tuple(row) + extra_t
                        if json_at:
                            full = tuple(json.dumps(v) if i in json_at else v for i, v in enumerate(full))
                        copy.write_row(full)
                        n += 1
            else:
                marks = ", ".join(["%s"] * len(all_fields))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
                batch: list[list[Any]] = []
                for row in rows:
                    full_row = list(row) + extra
                    batch.append(
                        [
                            f.get_db_prep_save(v, connection)
                            for f, v in zip(all_fields, full_row, strict=False)
                        ]
                    )
                    if len(batch) >= self.BATCH:
                        cursor.executemany(sql, batch)
                        n, batch = n + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        key = model._meta.label
        self.counts[key] = self.counts.get(key, 0) + n
        return n

    def reset_sequences(self) -> None:
        """Point each table's id sequence past the ids written here (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


# ---------------------------------------------------------------------------- the generator


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment of `day`, in the current time zone."""
    moment = dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60), rng.randrange(60)))
    return timezone.make_aware(moment)


def _weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


PAST_STATES = [
    (S.CLOSED, 0.84),
    (S.REJECTED, 0.05),
    (S.CONVERTED, 0.03),
    (S.MERGED, 0.04),
    (S.EVALUATED, 0.03),
    (S.REPLIED, 0.01),
]
CURRENT_STATES = [
    (S.DRAFT, 0.04),
    (S.SUBMITTED, 0.02),
    (S.UNDER_REVIEW, 0.12),
    (S.RETURNED, 0.02),
    (S.ACCEPTED, 0.08),
    (S.ASSIGNED, 0.40),
    (S.REPLIED, 0.14),
    (S.EVALUATED, 0.08),
    (S.CLOSED, 0.02),
    (S.REJECTED, 0.04),
    (S.MERGED, 0.02),
    (S.CONVERTED, 0.02),
]
NUMBERED = {S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED}
HANDLED = {S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED}
ANSWERED = {S.REPLIED, S.EVALUATED, S.CLOSED}
# How long ago (days) a current-year proposal in this state was created: later states are older.
CURRENT_AGE = {
    S.DRAFT: (1, 30),
    S.SUBMITTED: (1, 10),
    S.UNDER_REVIEW: (1, 40),
    S.RETURNED: (5, 40),
    S.REJECTED: (20, 200),
    S.CONVERTED: (20, 200),
    S.MERGED: (20, 200),
    S.ACCEPTED: (15, 60),
    S.ASSIGNED: (30, 170),
    S.REPLIED: (120, 260),
    S.EVALUATED: (150, 300),
    S.CLOSED: (200, 320),
}
OUTCOMES = [(Outcome.A, 0.45), (Outcome.B, 0.35), (Outcome.C, 0.12), (Outcome.D, 0.08)]
VERDICTS = [("satisfied", 0.8), ("basic", 0.17), ("unsatisfied", 0.03)]
ACTIVITY_KINDS = [
    (ActivityKind.PLENARY, 0.1),
    (ActivityKind.STANDING_COMMITTEE, 0.1),
    (ActivityKind.THEMATIC_CONSULTATION, 0.15),
    (ActivityKind.INSPECTION, 0.2),
    (ActivityKind.SURVEY, 0.2),
    (ActivityKind.STUDY_SESSION, 0.15),
    (ActivityKind.OUTREACH_EVENT, 0.1),
]
ATTENDANCE = [
    (Attendance.Status.PRESENT, 0.85),
    (Attendance.Status.LATE, 0.05),
    (Attendance.Status.EXCUSED, 0.06),
    (Attendance.Status.ABSENT_UNEXCUSED, 0.04),
]

PROPOSAL_COLUMNS = [
    "id",
    "conference_id",
    "session_id",
    "number",
    "kind",
    "collective_name",
    "title",
    "analysis",
    "recommendations",
    "category_id",
    "proposer_id",
    "state",
    "merged_into_id",
    "is_key",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "accepted_at",
    "closed_at",
]
EVENT_COLUMNS = [
    "id",
    "conference_id",
    "user_id",
    "kind",
    "role",
    "occurred_on",
    "year",
    "source_type",
    "source_id",
    "title",
    "created_at",
]


@dataclass
class PhaseResult:
    name: str
    rows: dict[str, int]
    seconds: float


class Generator:
    """Builds the rows of one scale, phase by phase, each conference in its own transaction."""

    def __init__(
        self,
        scale: Scale,
        *,
        seed: int = 2026,
        namespace: str = "",
        data_dir: Path | None = None,
        progress: bool = True,
        echo: Callable[[str], None] = print,
    ) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.corpus = Corpus(data_dir or shared_data_dir(), self.rng)
        self.progress = progress
        self.echo = echo
        self.w = Writer()
        self.day = today()
        self.years = list(range(self.day.year - scale.years + 1, self.day.year + 1))
        self.confs = plan_conferences(scale, namespace)
        for c, m, p, o in zip(
            self.confs,
            spread(scale.members, [c.weight for c in self.confs]),
            spread(scale.proposals, [c.weight for c in self.confs]),
            spread(scale.opinions, [c.weight for c in self.confs]),
            strict=False,
        ):
            c.member_count, c.proposals, c.opinions = max(m, 3), p, o
        self.results: list[PhaseResult] = []

    # -------------------------------------------------------------- driver

    def run(self) -> list[PhaseResult]:
        """Every phase in order; refuses when generated conferences already exist."""
        if Conference.objects.filter(code=CODE_PREFIX + self.confs[0].prefix).exists():
            raise GenDataError("数据库中已有生成的数据（代码以 gen- 开头的政协）；请换一个空数据库再运行。")
        self._phase("structure", len(self.confs), self.structure)
        self._phase("proposals", sum(c.proposals for c in self.confs), self.proposals)
        self._phase("opinions", sum(c.opinions for c in self.confs), self.opinions)
        n_act = len(self.confs) * len(self.years) * self.scale.activities_per_year
        self._phase("activities", n_act, self.activities)
        if self.w.pg:
            start = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.echo(f"analyze: {time.monotonic() - start:.1f} s")
        return self.results

    def _phase(self, name: str, total: int, step: Callable[[Conf, tqdm[Any]], None]) -> None:
        before = dict(self.w.counts)
        start = time.monotonic()
        with tqdm(total=total, desc=name, unit="row", disable=not self.progress, mininterval=2) as bar:
            for conf in self.confs:
                with transaction.atomic():
                    step(conf, bar)
        self.w.reset_sequences()
        rows = {k: v - before.get(k, 0) for k, v in self.w.counts.items() if v - before.get(k, 0)}
        result = PhaseResult(name, rows, time.monotonic() - start)
        self.results.append(result)
        total_rows = sum(rows.values())
        detail = ", ".join(f"{k.split('.')[-1]} {v:,}" for k, v in rows.items())
        self.echo(f"{name}: {total_rows:,} rows in {result.seconds:.1f} s ({detail})")

    # -------------------------------------------------------------- structure

    def structure(self, c: Conf, bar: tqdm[Any]) -> None:
        """The conference, its terms and sessions, structure, handling units, people and roles."""
        w, rng = self.w, self.rng
        c.id = w.next_id(Conference)
        w.insert(
            Conference,
            ["id", "name", "short_name", "code", "level", "parent_id"],
            [(c.id, c.name, c.short, CODE_PREFIX + c.prefix, c.level, c.parent.id if c.parent else None)],
        )
        first = self.years[0]
        terms: dict[int, int] = {}
        term_rows, session_rows = [], []
        term_base = {"province": 12, "city": 14, "county": 11}[c.level]
        for year in self.years:
            index = (year - first) // 5
            if index not in terms:
                terms[index] = w.next_id(Term)
                start = first + 5 * index
                term_rows.append((terms[index], c.id, term_base - 1 + index, start, start + 4))
            sid = w.next_id(Session)
            opens = dt.date(year, 1, 6 + rng.randrange(10))
            c.sessions[year], c.session_opens[year] = sid, opens
            number = (year - first) % 5 + 1
            session_rows.append((sid, c.id, terms[index], number, year, opens, year == self.day.year))
        w.insert(Term, ["id", "conference_id", "number", "start_year", "end_year"], term_rows)
        w.insert(
            Session,
            ["id", "conference_id", "term_id", "number", "year", "opens_on", "is_current"],
            session_rows,
        )
        structure: dict[type[models.Model], list[int]] = {}
        for model, names in [
            (Committee, D.COMMITTEES),
            (Sector, D.SECTORS),
            (Party, D.PARTIES),
            (Department, D.DEPARTMENTS),
        ]:
            ids = list(w.ids(model, len(names)))
            w.insert(
                model, ["id", "conference_id", "name"], zip(ids, [c.id] * len(names), names, strict=False)
            )
            structure[model] = ids
        c.parties = list(D.PARTIES)
        c.categories = list(w.ids(Category, len(D.CATEGORIES)))
        w.insert(
            Category,
            ["id", "conference_id", "name", "order"],
            [(i, c.id, n, k) for k, (i, n) in enumerate(zip(c.categories, D.CATEGORIES, strict=False))],
        )
        # Handling units: the conference's own government departments.
        n_units = min(self.scale.units_per_conference, len(D.UNITS))
        c.units = list(w.ids(HandlingUnit, n_units))
        unit_rows = []
        for uid, (name, short, _suffix, _contact) in zip(c.units, D.UNITS, strict=False):
            full = c.short + name.removeprefix("市")
            c.unit_names[uid] = full
            unit_rows.append(
                (uid, full, c.short + short.removeprefix("市"), f"0571-8{rng.randrange(10**6, 10**7)}")
            )
        w.insert(HandlingUnit, ["id", "name", "short_name", "contact_phone"], unit_rows)
        through = HandlingUnit.conferences.through
        w.insert(
            through,
            ["id", "handlingunit_id", "conference_id"],
            zip(w.ids(through, n_units), c.units, [c.id] * n_units, strict=False),
        )
        # People: office, members, one contact per unit.
        password = self._password()
        users: list[tuple[Any, ...]] = []
        roles: list[tuple[Any, ...]] = []

        def person(username: str, kind: str, unit: int | None = None, dept: int | None = None) -> int:
            uid = w.next_id(User)
            users.append((uid, username, self._name(), password, f"139{rng.randrange(10**7, 10**8)}"))
            roles.append((w.next_id(Role), uid, c.id, kind, unit, dept))
            return uid

        office = structure[Department][1]
        c.staff = [person(f"{c.prefix}_staff", RoleKind.STAFF, dept=office)]
        c.staff.append(person(f"{c.prefix}_staff2", RoleKind.STAFF, dept=office))
        c.leaders = [
            person(f"{c.prefix}_leader", RoleKind.LEADER),
            person(f"{c.prefix}_leader2", RoleKind.LEADER),
        ]
        person(f"{c.prefix}_admin", RoleKind.ADMIN)
        for k, uid in enumerate(c.units):
            c.contacts[uid] = person(f"{c.prefix}_u{k + 1:02d}", RoleKind.UNIT, unit=uid)
        member_rows = []
        for i in range(c.member_count):
            uid = person(f"{c.prefix}_m{i + 1:04d}", RoleKind.MEMBER)
            c.members.append(uid)
            sector = rng.randrange(len(D.SECTORS))
            member_rows.append(
                (
                    w.next_id(Member),
                    uid,
                    c.id,
                    structure[Sector][sector],
                    rng.choice(structure[Party]),
                    rng.choice(structure[Committee]),
                    rng.random() < 0.2,
                    rng.choice(D.WORKPLACES[D.SECTORS[sector]]).format(p=c.short),
                    D.EXPERTISE[D.SECTORS[sector]],
                )
            )
        w.insert(User, ["id", "username", "display_name", "password", "phone"], users)
        w.insert(Role, ["id", "user_id", "conference_id", "kind", "handling_unit_id", "department_id"], roles)
        w.insert(
            Member,
            [
                "id",
                "user_id",
                "conference_id",
                "sector_id",
                "party_id",
                "committee_id",
                "is_standing",
                "workplace",
                "expertise",
            ],
            member_rows,
        )
        bar.update(1)

    def _password(self) -> str:
        if not hasattr(self, "_hash"):
            self._hash = make_password(GEN_PASSWORD)
        return self._hash

    def _name(self) -> str:
        return self.rng.choice(D.SURNAMES) + self.rng.choice(D.GIVEN_NAMES)

    # -------------------------------------------------------------- proposals

    def proposals(self, c: Conf, bar: tqdm[Any]) -> None:
        """Ten years of proposals with co-signers, assignments, replies, evaluations and duty events."""
        w, rng, corpus = self.w, self.rng, self.corpus
        per_year = spread(c.proposals, [1] * len(self.years))
        rows: list[tuple[Any, ...]] = []
        cosigners: list[tuple[Any, ...]] = []
        assignments: list[tuple[Any, ...]] = []
        replies: list[tuple[Any, ...]] = []
        evaluations: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for year, n in zip(self.years, per_year, strict=False):
            current = year == self.day.year
            opens = c.session_opens[year]
            ids = w.ids(Proposal, n)
            number = 0
            numbered: list[int] = []
            for pid in ids:
                state = _weighted(rng, CURRENT_STATES if current else PAST_STATES)
                if state == S.MERGED and not numbered:
                    state = S.REJECTED
                if current:
                    low, high = CURRENT_AGE[state]
                    created_day = max(opens, self.day - dt.timedelta(days=rng.randint(low, high)))
                else:
                    created_day = opens + dt.timedelta(days=rng.randint(-10, 60))
                created = _at(created_day, rng)
                proposer = rng.choice(c.members)
                kind = _weighted(
                    rng,
                    [
                        (ProposalKind.INDIVIDUAL, 0.8),
                        (ProposalKind.COSIGNED, 0.12),
                        (ProposalKind.COLLECTIVE, 0.08),
                    ],
                )
                submitted: dt.datetime | None = None
                accepted: dt.datetime | None = None
                closed: dt.datetime | None = None
                updated = created
                if state != S.DRAFT:
                    submitted = updated = created + dt.timedelta(hours=rng.randint(1, 72))
                num = None
                if state in NUMBERED:
                    number += 1
                    num = number
                    numbered.append(pid)
                    accepted = updated = (submitted or created) + dt.timedelta(days=rng.randint(7, 25))
                    events.append(
                        (
                            c.id,
                            proposer,
                            "proposal_accepted",
                            "lead",
                            accepted.date(),
                            accepted.year,
                            "proposal",
                            pid,
                        )
                    )
                elif state in {S.REJECTED, S.CONVERTED, S.MERGED, S.RETURNED}:
                    updated = (submitted or created) + dt.timedelta(days=rng.randint(7, 25))
                if kind == ProposalKind.COSIGNED:
                    for other in rng.sample(c.members, 2):
                        if other != proposer:
                            cosigners.append(
                                (w.next_id(CoSigner), pid, other, "confirmed", submitted or created)
                            )
                            if accepted:
                                events.append(
                                    (
                                        c.id,
                                        other,
                                        "proposal_accepted",
                                        "participant",
                                        accepted.date(),
                                        accepted.year,
                                        "proposal",
                                        pid,
                                    )
                                )
                title = corpus.proposal_title()
                if state in HANDLED:
                    assert accepted is not None
                    assigned = accepted + dt.timedelta(days=rng.randint(3, 12))
                    if current and state == S.ASSIGNED:
                        assigned = min(assigned, timezone.now() - dt.timedelta(days=rng.randint(1, 120)))
                    due = (assigned + dt.timedelta(days=90)).date()
                    lead, co = rng.sample(c.units, 2)
                    parts = [(lead, AssignmentRole.LEAD)] + (
                        [(co, AssignmentRole.CO)] if rng.random() < 0.3 else []
                    )
                    answered_at = assigned + dt.timedelta(days=rng.randint(30, 100))
                    updated = assigned
                    for unit, role in parts:
                        aid = w.next_id(Assignment)
                        answered = state in ANSWERED
                        assignments.append(
                            (
                                aid,
                                pid,
                                c.id,
                                unit,
                                role,
                                "answered" if answered else "active",
                                1,
                                assigned,
                                due,
                                rng.choice(c.staff),
                                answered_at if answered else None,
                            )
                        )
                        if not answered:
                            continue
                        rid = w.next_id(Reply)
                        letter = role == AssignmentRole.LEAD
                        at = answered_at if letter else answered_at - dt.timedelta(days=5)
                        replies.append(
                            (
                                rid,
                                aid,
                                pid,
                                Reply.Kind.LETTER if letter else Reply.Kind.CO_OPINION,
                                1,
                                corpus.reply(),
                                _weighted(rng, OUTCOMES) if letter else "",
                                self._name(),
                                self._name(),
                                f"0571-8{rng.randrange(10**6, 10**7)}",
                                c.contacts[unit],
                                at,
                                at.date() <= due,
                            )
                        )
                        updated = max(updated, at)
                        if letter and state in {S.EVALUATED, S.CLOSED}:
                            verdict = _weighted(rng, VERDICTS)
                            evaluated = at + dt.timedelta(days=rng.randint(5, 20))
                            evaluations.append(
                                (w.next_id(Evaluation), rid, pid, verdict, "", proposer, evaluated)
                            )
                            updated = evaluated
                            if state == S.CLOSED:
                                closed = updated = evaluated + dt.timedelta(days=rng.randint(5, 30))
                            if verdict == "satisfied":
                                day = evaluated.date()
                                events.append(
                                    (
                                        c.id,
                                        proposer,
                                        "proposal_satisfied",
                                        "lead",
                                        day,
                                        day.year,
                                        "proposal",
                                        pid,
                                    )
                                )
                rows.append(
                    (
                        pid,
                        c.id,
                        c.sessions[year],
                        num,
                        kind,
                        rng.choice(c.parties) if kind == ProposalKind.COLLECTIVE else "",
                        title,
                        corpus.analysis(),
                        corpus.recommendations(),
                        rng.choice(c.categories),
                        proposer,
                        state,
                        rng.choice(numbered[:-1] or numbered) if state == S.MERGED else None,
                        num is not None and rng.random() < 0.03,
                        1,
                        created,
                        updated,
                        submitted,
                        accepted,
                        closed,
                    )
                )
            bar.update(n)
        w.insert(Proposal, PROPOSAL_COLUMNS, rows)
        w.insert(CoSigner, ["id", "proposal_id", "user_id", "state", "responded_at"], cosigners)
        w.insert(
            Assignment,
            [
                "id",
                "proposal_id",
                "conference_id",
                "unit_id",
                "role",
                "state",
                "round",
                "assigned_at",
                "due_on",
                "assigned_by_id",
                "answered_at",
            ],
            assignments,
        )
        w.insert(
            Reply,
            [
                "id",
                "assignment_id",
                "proposal_id",
                "kind",
                "round",
                "body",
                "outcome",
                "signed_by",
                "contact_person",
                "contact_phone",
                "submitted_by_id",
                "submitted_at",
                "on_time",
            ],
            replies,
        )
        w.insert(
            Evaluation,
            ["id", "reply_id", "proposal_id", "verdict", "comment", "evaluated_by_id", "evaluated_at"],
            evaluations,
        )
        self._events(events)

    def _events(self, events: list[tuple[Any, ...]]) -> None:
        now = self.w.now
        ids = self.w.ids(PointEvent, len(events))
        self.w.insert(
            PointEvent, EVENT_COLUMNS, ((i, *e, "", now) for i, e in zip(ids, events, strict=False))
        )

    # -------------------------------------------------------------- opinions

    def opinions(self, c: Conf, bar: tqdm[Any]) -> None:
        """Public-opinion reports; the adopted ones are published in the year's journal issues."""
        w, rng, corpus = self.w, self.rng, self.corpus
        per_year = spread(c.opinions, [1] * len(self.years))
        issues: list[tuple[Any, ...]] = []
        reports: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for year, n in zip(self.years, per_year, strict=False):
            current = year == self.day.year
            last = self.day if current else dt.date(year, 12, 31)
            span = max((last - dt.date(year, 1, 1)).days, 1)
            table = (
                [
                    ("draft", 0.05),
                    ("submitted", 0.15),
                    ("editing", 0.1),
                    ("adopted", 0.3),
                    ("not_adopted", 0.4),
                ]
                if current
                else [("adopted", 0.35), ("not_adopted", 0.65)]
            )
            states = [_weighted(rng, table) for _ in range(n)]
            adopted = states.count(OpinionState.ADOPTED)
            n_issues = max(1, adopted // 12) if adopted else 0
            issue_ids = list(w.ids(JournalIssue, n_issues))
            for k, iid in enumerate(issue_ids):
                day = dt.date(year, 1, 1) + dt.timedelta(days=span * (k + 1) // (n_issues + 1))
                issues.append(
                    (iid, c.id, year, k + 1, "", "published", day, rng.choice(c.staff), _at(day, rng))
                )
            positions = [0] * n_issues
            for rid, state in zip(w.ids(OpinionReport, n), states, strict=False):
                created = _at(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(span)), rng)
                submitted: dt.datetime | None = None
                decided: dt.datetime | None = None
                editor: int | None = None
                updated = created
                if state != OpinionState.DRAFT:
                    submitted = updated = created + dt.timedelta(hours=rng.randint(1, 48))
                if state in {OpinionState.EDITING, OpinionState.ADOPTED, OpinionState.NOT_ADOPTED}:
                    editor = rng.choice(c.staff)
                issue: int | None = None
                position: int | None = None
                if state in {OpinionState.ADOPTED, OpinionState.NOT_ADOPTED}:
                    decided = updated = (submitted or created) + dt.timedelta(days=rng.randint(1, 20))
                if state == OpinionState.ADOPTED:
                    k = rng.randrange(n_issues)
                    issue, positions[k] = issue_ids[k], positions[k] + 1
                    position = positions[k]
                author = rng.choice(c.members)
                behalf = _weighted(
                    rng, [(OnBehalf.MEMBER, 0.85), (OnBehalf.PARTY, 0.1), (OnBehalf.SECTOR, 0.05)]
                )
                reports.append(
                    (
                        rid,
                        c.id,
                        corpus.subject(),
                        corpus.facts(),
                        rng.choice(corpus.details),
                        corpus.suggestions(),
                        rng.choice(corpus.labels),
                        author,
                        behalf,
                        rng.choice(c.parties) if behalf == OnBehalf.PARTY else "",
                        state,
                        editor,
                        "" if state != OpinionState.NOT_ADOPTED else "内容与已编发信息重复。",
                        issue,
                        position,
                        created,
                        updated,
                        submitted,
                        decided,
                    )
                )
                if state == OpinionState.ADOPTED:
                    assert decided is not None
                    events.append((c.id, author, "opinion_adopted", "", decided.date(), year, "opinion", rid))
            bar.update(n)
        w.insert(
            JournalIssue,
            [
                "id",
                "conference_id",
                "year",
                "number",
                "title",
                "state",
                "published_on",
                "created_by_id",
                "created_at",
            ],
            issues,
        )
        w.insert(
            OpinionReport,
            [
                "id",
                "conference_id",
                "title",
                "facts",
                "analysis",
                "suggestions",
                "category",
                "submitted_by_id",
                "on_behalf_kind",
                "on_behalf_name",
                "state",
                "editor_id",
                "decline_reason",
                "adopted_in_id",
                "position",
                "created_at",
                "updated_at",
                "submitted_at",
                "decided_at",
            ],
            reports,
        )
        self._events(events)

    # -------------------------------------------------------------- activities

    def activities(self, c: Conf, bar: tqdm[Any]) -> None:
        """Activities each year with invitations, attendance of the closed ones and duty events."""
        w, rng = self.w, self.rng
        activities: list[tuple[Any, ...]] = []
        invitations: list[tuple[Any, ...]] = []
        attendance: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        invitees = min(self.scale.invitees, len(c.members))
        for year in self.years:
            current = year == self.day.year
            for k in range(self.scale.activities_per_year):
                aid = w.next_id(Activity)
                kind = _weighted(rng, ACTIVITY_KINDS)
                upcoming = current and k >= self.scale.activities_per_year - 2
                if upcoming:
                    day = self.day + dt.timedelta(days=rng.randint(3, 40))
                else:
                    last = self.day - dt.timedelta(days=1) if current else dt.date(year, 12, 20)
                    day = dt.date(year, 1, 10) + dt.timedelta(
                        days=rng.randrange(max((last - dt.date(year, 1, 10)).days, 1))
                    )
                starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
                ends = starts + dt.timedelta(hours=3)
                state = ActivityState.PUBLISHED if upcoming else ActivityState.CLOSED
                title = f"{c.short}政协{year}年{ActivityKind(kind).label}（第{k + 1}次）"
                activities.append(
                    (
                        aid,
                        c.id,
                        kind,
                        title,
                        starts,
                        ends,
                        f"{c.short}政协会议中心",
                        1,
                        starts - dt.timedelta(minutes=30),
                        ends,
                        starts + dt.timedelta(minutes=10),
                        "",
                        state,
                        rng.choice(c.staff),
                        None if upcoming else ends,
                    )
                )
                probe = Activity(kind=kind)
                for uid in rng.sample(c.members, invitees):
                    invitations.append(
                        (
                            w.next_id(Invitation),
                            aid,
                            uid,
                            c.id,
                            "registered",
                            rng.choice(c.staff),
                            starts - dt.timedelta(days=7),
                            starts - dt.timedelta(days=5),
                        )
                    )
                    if upcoming:
                        continue
                    status = _weighted(rng, ATTENDANCE)
                    present = status in {Attendance.Status.PRESENT, Attendance.Status.LATE}
                    checked = starts + dt.timedelta(
                        minutes=rng.randint(-20, 5) if status == "present" else 15
                    )
                    attendance.append(
                        (
                            w.next_id(Attendance),
                            aid,
                            uid,
                            c.id,
                            status,
                            checked if present else None,
                            "code" if present else "",
                        )
                    )
                    if status == Attendance.Status.EXCUSED:
                        continue
                    ev_kind = attended_kind(probe, status) if present else absent_kind(probe)
                    source = half_day_key(1)[0] if kind == ActivityKind.PLENARY else "activity"
                    events.append((c.id, uid, ev_kind, "", day, year, source, aid))
                bar.update(1)
        w.insert(
            Activity,
            [
                "id",
                "conference_id",
                "kind",
                "title",
                "starts_at",
                "ends_at",
                "place",
                "half_days",
                "checkin_opens_at",
                "checkin_closes_at",
                "late_after",
                "checkin_code",
                "state",
                "created_by_id",
                "closed_at",
            ],
            activities,
        )
        w.insert(
            Invitation,
            [
                "id",
                "activity_id",
                "user_id",
                "conference_id",
                "state",
                "invited_by_id",
                "invited_at",
                "responded_at",
            ],
            invitations,
        )
        w.insert(
            Attendance,
            ["id", "activity_id", "user_id", "conference_id", "status", "checked_in_at", "method"],
            attendance,
        )
        self._events(events)

    # -------------------------------------------------------------- logins

    def login_lines(self, per_kind: int = 3) -> list[str]:
        """Known accounts of the first conferences, one a line as `ROLE: USERNAME / PASSWORD`."""
        lines = []
        for c in self.confs[:per_kind]:
            for role, username in [
                ("member", f"{c.prefix}_m0001"),
                ("staff", f"{c.prefix}_staff"),
                ("unit", f"{c.prefix}_u01"),
                ("leader", f"{c.prefix}_leader"),
                ("admin", f"{c.prefix}_admin"),
            ]:
                lines.append(f"{c.short} {role}: {username} / {GEN_PASSWORD}")
        return lines
