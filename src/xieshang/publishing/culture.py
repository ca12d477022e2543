"""Culture projects and awards (文化项目、文化公益奖): the award state table, every write (services) and
every read (selectors) of projects, awards, nominations and scores, and the results computation.

Roles: `staff` (office staff of the conference: plan projects, run awards, publish results). Members
and staff nominate while nominations are open; the jury (named users of the conference, fixed when
scoring opens) scores each nomination once, 0–100, and may change the score until the jury closes.
Results rank nominations by mean score; winners are the top N (ties share a rank and all win) or
those at or above a score line, as configured on the award. Publishing shows the results on the
portal and gives each winner who is a member one `culture_award` duty event per award (a person
nominated wins it; for a project, its participants who are members do); taking the results down
retracts those events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.duty import services as duty
from xieshang.duty.models import EventKind
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import conference_ids, has_role

from .models import (
    Award,
    AwardState,
    CultureProject,
    CultureProjectKind,
    Nomination,
    Score,
    WinnerRule,
)

S = AwardState
TITLE_MAX = 200
NAME_MAX = 100
TEXT_MAX = 5000
PLACE_MAX = 100
COMMENT_MAX = 300
DUTY_SOURCE = "award"
OFFICE_ROLES = (RoleKind.STAFF, RoleKind.LEADER)
NOMINATOR_ROLES = (RoleKind.STAFF, RoleKind.MEMBER)
PARTICIPANT_ROLES = (RoleKind.MEMBER, RoleKind.FRIEND)
JUROR_ROLES = (RoleKind.STAFF, RoleKind.LEADER, RoleKind.MEMBER, RoleKind.FRIEND)
YEAR_MIN, YEAR_MAX = 1949, 2100

TRANSITIONS: dict[str, sm.Transition] = {
    "open_scoring": sm.transition(
        str(gettext_lazy("结束提名，开始评审")),
        {S.NOMINATING},
        {"staff"},
        {S.SCORING},
        "needs a nomination and a juror; the jury is fixed; notify jurors",
    ),
    "decide": sm.transition(
        str(gettext_lazy("结束评审，确定结果")),
        {S.SCORING},
        {"staff"},
        {S.DECIDED},
        "the jury closes; mean, rank and winners computed",
    ),
    "reopen_scoring": sm.transition(
        str(gettext_lazy("重新评审")), {S.DECIDED}, {"staff"}, {S.SCORING}, "results cleared"
    ),
    "publish": sm.transition(
        str(gettext_lazy("公布结果")),
        {S.DECIDED},
        {"staff"},
        {S.PUBLISHED},
        "on the portal at once; duty points for winning members (once); notify winners",
    ),
    "unpublish": sm.transition(
        str(gettext_lazy("撤回公布")),
        {S.PUBLISHED},
        {"staff"},
        {S.DECIDED},
        "gone from the portal at once; duty points retracted",
    ),
}

# ---------------------------------------------------------------------------- rules


def is_culture_staff(user: Any, conference_id: int) -> bool:
    """Office staff of the conference plan its culture projects and run its awards."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_view_office(user: Any, conference_id: int) -> bool:
    """Staff and leaders open the culture office pages."""
    return bool(user.is_authenticated and has_role(user, conference_id, *OFFICE_ROLES))


def can_nominate(user: Any, conference_id: int) -> bool:
    """Staff and members of the conference put nominations forward."""
    return bool(user.is_authenticated and has_role(user, conference_id, *NOMINATOR_ROLES))


def is_juror(user: Any, award: Award) -> bool:
    """Whether the user sits on the award's jury."""
    return bool(user.is_authenticated and award.jurors.filter(pk=user.pk).exists())


def award_roles(user: Any, award: Award) -> set[str]:
    """Every workflow role the user plays on this award."""
    return {"staff"} if is_culture_staff(user, award.conference_id) else set()


# ---------------------------------------------------------------------------- projects


@dataclass
class ProjectInput:
    """What staff plan: a titled project of a kind, for a year, optionally run as an activity."""

    title: str
    kind: str
    year: int
    description: str = ""
    place: str = ""
    starts_on: dt.date | None = None
    activity_id: int | None = None


def _check_year(year: int, field: str = "year") -> int:
    if not isinstance(year, int) or not YEAR_MIN < year < YEAR_MAX:
        raise invalid({field: _("年度无效。")})
    return year


def _clean_project(conference_id: int, data: ProjectInput) -> dict[str, Any]:
    from xieshang.activities.models import Activity

    if data.kind not in CultureProjectKind.values:
        raise invalid({"kind": _("类别无效。")})
    activity = None
    if data.activity_id is not None:
        activity = Activity.objects.filter(pk=data.activity_id, conference_id=conference_id).first()
        if activity is None:
            raise invalid({"activity": _("找不到本级政协的该活动。")})
    return {
        "title": sm.clean_text(data.title, "title", _("项目名称"), required=True, limit=TITLE_MAX),
        "kind": data.kind,
        "year": _check_year(data.year),
        "description": sm.clean_text(
            data.description, "description", _("项目简介"), required=False, limit=TEXT_MAX
        ).replace("\r\n", "\n"),
        "place": sm.clean_text(data.place, "place", _("地点"), required=False, limit=PLACE_MAX),
        "starts_on": data.starts_on,
        "activity": activity,
    }


def _eligible(conference_id: int, users: Iterable[User], kinds: Iterable[str], field: str) -> list[User]:
    """The users, each holding one of `kinds` in the conference; anyone else refuses the whole list."""
    chosen = list(dict.fromkeys(users))
    for user in chosen:
        if not has_role(user, conference_id, *kinds):
            raise invalid({field: _("“%(name)s”不是本级政协的委员或政协之友。") % {"name": user}})
    return chosen


@transaction.atomic(durable=True)
def create_project(
    actor: User, conference: Conference, data: ProjectInput, participants: Iterable[User] = ()
) -> CultureProject:
    """Staff plan a culture project of their conference with its participants (members, friends)."""
    if not is_culture_staff(actor, conference.pk):
        raise denied(_("只有本级政协机关工作人员可以安排文化项目。"))
    fields = _clean_project(conference.pk, data)
    people = _eligible(conference.pk, participants, PARTICIPANT_ROLES, "participants")
    project = CultureProject.objects.create(conference=conference, created_by=actor, **fields)
    project.participants.set(people)
    record(actor, "create", project, summary=_("安排文化项目"))
    return project


@transaction.atomic(durable=True)
def update_project(
    actor: User, project: CultureProject, data: ProjectInput, participants: Iterable[User] | None = None
) -> CultureProject:
    """Staff change a project (and, when given, its participants)."""
    project = CultureProject.objects.select_for_update().get(pk=project.pk)
    if not is_culture_staff(actor, project.conference_id):
        raise denied()
    fields = _clean_project(project.conference_id, data)
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=[*fields, "updated_at"])
    if participants is not None:
        project.participants.set(
            _eligible(project.conference_id, participants, PARTICIPANT_ROLES, "participants")
        )
    record(actor, "edit", project, summary=_("修改文化项目"))
    return project


@transaction.atomic(durable=True)
def set_project_public(actor: User, project: CultureProject, *, public: bool) -> CultureProject:
    """Staff show a project on the portal or take it off at once."""
    project = CultureProject.objects.select_for_update().get(pk=project.pk)
    if not is_culture_staff(actor, project.conference_id):
        raise denied()
    if project.is_public != public:
        project.is_public = public
        project.save(update_fields=["is_public", "updated_at"])
        record(
            actor,
            "publish" if public else "unpublish",
            project,
            summary=_("门户公开") if public else _("撤下"),
        )
    return project


# ---------------------------------------------------------------------------- awards: set-up


@dataclass
class AwardInput:
    """An award's name, year and how its winners are picked."""

    name: str
    year: int
    description: str = ""
    rule: str = WinnerRule.TOP
    top_n: int = 3
    min_score: Decimal = Decimal(85)


def _clean_award(data: AwardInput) -> dict[str, Any]:
    if data.rule not in WinnerRule.values:
        raise invalid({"rule": _("获奖规则无效。")})
    if not isinstance(data.top_n, int) or not 1 <= data.top_n <= 100:
        raise invalid({"top_n": _("获奖名额应为 1 至 100。")})
    try:
        min_score = Decimal(str(data.min_score)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise invalid({"min_score": _("分数线应为 0 至 100 的数。")}) from None
    if not Decimal(0) <= min_score <= Decimal(100):
        raise invalid({"min_score": _("分数线应为 0 至 100 的数。")})
    return {
        "name": sm.clean_text(data.name, "name", _("奖项名称"), required=True, limit=NAME_MAX),
        "year": _check_year(data.year),
        "description": sm.clean_text(
            data.description, "description", _("评选说明"), required=False, limit=TEXT_MAX
        ),
        "rule": data.rule,
        "top_n": data.top_n,
        "min_score": min_score,
    }


@transaction.atomic(durable=True)
def create_award(actor: User, conference: Conference, data: AwardInput) -> Award:
    """Staff open an award of their conference for nominations; one name per year."""
    if not is_culture_staff(actor, conference.pk):
        raise denied(_("只有本级政协机关工作人员可以设立奖项。"))
    fields = _clean_award(data)
    if Award.objects.filter(conference=conference, year=fields["year"], name=fields["name"]).exists():
        raise AppError(ErrorCode.DUPLICATE, fields={"name": _("本年度已有同名奖项。")})
    award = Award.objects.create(conference=conference, created_by=actor, **fields)
    record(actor, "create", award, to_state=award.state, summary=_("设立奖项，开始提名"))
    return award


@transaction.atomic(durable=True)
def update_award(actor: User, award: Award, data: AwardInput, *, version: int | None = None) -> Award:
    """Staff change the award's description and winner rule until the results are decided."""
    award = sm.lock(award, version)
    if not award_roles(actor, award):
        raise denied()
    if award.state not in {S.NOMINATING, S.SCORING}:
        raise AppError(ErrorCode.INVALID_STATE, _("结果确定后不能再修改奖项设置。"))
    fields = _clean_award(data)
    clash = Award.objects.filter(conference_id=award.conference_id, year=fields["year"], name=fields["name"])
    if clash.exclude(pk=award.pk).exists():
        raise AppError(ErrorCode.DUPLICATE, fields={"name": _("本年度已有同名奖项。")})
    for name, value in fields.items():
        setattr(award, name, value)
    sm.touch(actor, award, "edit", label=_("修改奖项设置"), fields=list(fields))
    return award


@transaction.atomic(durable=True)
def set_jurors(actor: User, award: Award, jurors: Iterable[User], *, version: int | None = None) -> Award:
    """Staff name the jury while nominations are open; jurors hold a role in the conference."""
    award = sm.lock(award, version)
    if not award_roles(actor, award):
        raise denied()
    if award.state != S.NOMINATING:
        raise AppError(ErrorCode.INVALID_STATE, _("评审开始后评委不能再调整。"))
    people = list(dict.fromkeys(jurors))
    for user in people:
        if not has_role(user, award.conference_id, *JUROR_ROLES):
            raise invalid({"jurors": _("“%(name)s”不属于本级政协，不能担任评委。") % {"name": user}})
    award.jurors.set(people)
    sm.touch(actor, award, "jurors", label=_("确定评委"), data={"jurors": [u.pk for u in people]})
    return award


# ---------------------------------------------------------------------------- nominations and scores


@transaction.atomic(durable=True)
def nominate(
    actor: User,
    award: Award,
    *,
    reason: str,
    project: CultureProject | None = None,
    person: User | None = None,
) -> Nomination:
    """Staff or a member put a project or a person (a member or friend of the conference) forward while
    nominations are open; nobody nominates themselves, and each nominee appears once."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not can_nominate(actor, award.conference_id):
        raise denied(_("只有本级政协委员和机关工作人员可以提名。"))
    if award.state != S.NOMINATING:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("该奖项的提名已经结束。"))
    if (project is None) == (person is None):
        raise invalid({"project": _("请选择一个文化项目或一位被提名人。")})
    reason = sm.clean_text(reason, "reason", _("提名理由"), required=True, limit=TEXT_MAX)
    if project is not None:
        if project.conference_id != award.conference_id:
            raise AppError(ErrorCode.NOT_FOUND)
        if award.nominations.filter(project=project).exists():
            raise AppError(ErrorCode.DUPLICATE, fields={"project": _("该项目已被提名。")})
    if person is not None:
        if person.pk == actor.pk:
            raise invalid({"person": _("不能提名自己。")})
        _eligible(award.conference_id, [person], PARTICIPANT_ROLES, "person")
        if award.nominations.filter(person=person).exists():
            raise AppError(ErrorCode.DUPLICATE, fields={"person": _("此人已被提名。")})
    nomination = Nomination.objects.create(
        award=award,
        conference_id=award.conference_id,
        project=project,
        person=person,
        reason=reason,
        nominated_by=actor,
    )
    record(actor, "nominate", award, summary=_("提名：%(label)s") % {"label": nomination.label})
    return nomination


@transaction.atomic(durable=True)
def withdraw_nomination(actor: User, nomination: Nomination) -> None:
    """Staff or the nominator withdraw a nomination while nominations are open."""
    award = Award.objects.select_for_update().get(pk=nomination.award_id)
    if not (award_roles(actor, award) or nomination.nominated_by_id == actor.pk):
        raise denied()
    if award.state != S.NOMINATING:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("该奖项的提名已经结束。"))
    label = nomination.label
    nomination.delete()
    record(actor, "withdraw", award, summary=_("撤回提名：%(label)s") % {"label": label})


def is_own_nomination(user: User, nomination: Nomination) -> bool:
    """Whether the nomination is of the user or of a project the user takes part in."""
    if nomination.person_id == user.pk:
        return True
    return bool(nomination.project_id and nomination.project.participants.filter(pk=user.pk).exists())  # type: ignore[union-attr]


@transaction.atomic(durable=True)
def score_nomination(actor: User, nomination: Nomination, value: int, comment: str = "") -> Score:
    """A juror scores a nomination 0–100 while the jury sits; scoring again replaces the score (one per
    juror and nomination). A juror never scores a nomination of themselves or of their own project."""
    award = Award.objects.select_for_update().get(pk=nomination.award_id)
    if not is_juror(actor, award):
        raise denied(_("只有本奖项的评委可以打分。"))
    if award.state != S.SCORING:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("评审已经结束，不能再打分或修改分数。"))
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise invalid({"value": _("分数应为 0 至 100 的整数。")})
    if is_own_nomination(actor, nomination):
        raise denied(_("评委须回避：不能为本人或本人参与的项目打分。"))
    comment = sm.clean_text(comment, "comment", _("评语"), required=False, limit=COMMENT_MAX)
    score, created = Score.objects.update_or_create(
        nomination=nomination, juror=actor, defaults={"value": value, "comment": comment}
    )
    record(
        actor,
        "score",
        award,
        summary=(_("打分") if created else _("修改分数")) + f"：{nomination.label}",
        data={"nomination": nomination.pk},
    )
    return score


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    """One nomination's place in the results."""

    nomination_id: int
    mean: Decimal | None
    rank: int | None
    is_winner: bool


def compute_results(
    means: dict[int, Decimal | None], rule: str, top_n: int, min_score: Decimal
) -> list[Result]:
    """Rank by mean score (highest first; equal means share a rank, 1, 2, 2, 4); nominations without a
    score are unranked and never win. Winners: rank ≤ top_n, or mean ≥ min_score, by `rule`."""
    scored = sorted(((m, pk) for pk, m in means.items() if m is not None), key=lambda x: (-x[0], x[1]))
    results: list[Result] = []
    previous: Decimal | None = None
    rank = 0
    for position, (mean, pk) in enumerate(scored, start=1):
        if mean != previous:
            rank, previous = position, mean
        wins = rank <= top_n if rule == WinnerRule.TOP else mean >= min_score
        results.append(Result(pk, mean, rank, wins))
    results.extend(Result(pk, None, None, False) for pk in sorted(pk for pk, m in means.items() if m is None))
    return results


def _means(award: Award) -> dict[int, Decimal | None]:
    """Each nomination's mean score, rounded half up to two decimals."""
    out: dict[int, Decimal | None] = {}
    for nomination in award.nominations.prefetch_related("scores"):
        values = [s.value for s in nomination.scores.all()]
        out[nomination.pk] = (
            (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if values
            else None
        )
    return out


def _act(actor: User, award: Award, action: str, version: int | None) -> Award:
    award = sm.lock(award, version, "conference")
    sm.check(TRANSITIONS[action], award_roles(actor, award), award, _("该奖项"))
    return award


def _url(award: Award) -> str:
    return reverse("publishing:award", args=[award.pk])


@transaction.atomic(durable=True)
def open_scoring(actor: User, award: Award, *, version: int | None = None) -> Award:
    """Staff close nominations and let the jury score; needs at least one nomination and one juror."""
    award = _act(actor, award, "open_scoring", version)
    if not award.nominations.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("还没有提名，不能开始评审。"))
    jurors = list(award.jurors.all())
    if not jurors:
        raise AppError(ErrorCode.INVALID_STATE, _("请先确定评委。"))
    sm.move(actor, award, "open_scoring", TRANSITIONS["open_scoring"], S.SCORING)
    notify_on_commit(
        jurors,
        verb="award_scoring",
        conference_id=award.conference_id,
        title=_("请为“%(award)s”的提名打分") % {"award": award},
        url=reverse("publishing:award_score", args=[award.pk]),
    )
    return award


@transaction.atomic(durable=True)
def decide_results(actor: User, award: Award, *, version: int | None = None) -> Award:
    """Staff close the jury: each nomination gets its mean score, rank and whether it won."""
    award = _act(actor, award, "decide", version)
    if not Score.objects.filter(nomination__award=award).exists():
        raise AppError(ErrorCode.INVALID_STATE, _("评委还没有打分，不能确定结果。"))
    results = compute_results(_means(award), award.rule, award.top_n, award.min_score)
    by_pk = {n.pk: n for n in award.nominations.all()}
    for result in results:
        nomination = by_pk[result.nomination_id]
        nomination.mean_score, nomination.rank, nomination.is_winner = (
            result.mean,
            result.rank,
            result.is_winner,
        )
    Nomination.objects.bulk_update(by_pk.values(), ["mean_score", "rank", "is_winner"])
    winners = [by_pk[r.nomination_id].label for r in results if r.is_winner]
    sm.move(actor, award, "decide", TRANSITIONS["decide"], S.DECIDED, data={"winners": winners})
    return award


@transaction.atomic(durable=True)
def reopen_scoring(actor: User, award: Award, *, version: int | None = None) -> Award:
    """Staff send a decided award back to the jury; the computed results are cleared."""
    award = _act(actor, award, "reopen_scoring", version)
    award.nominations.update(mean_score=None, rank=None, is_winner=False)
    sm.move(actor, award, "reopen_scoring", TRANSITIONS["reopen_scoring"], S.SCORING)
    return award


def winning_members(award: Award) -> list[int]:
    """Users who are members of the award's conference and won: nominated persons, project participants."""
    ids: set[int] = set()
    for nomination in award.nominations.filter(is_winner=True).select_related("project"):
        if nomination.person_id:
            ids.add(nomination.person_id)
        elif nomination.project is not None:
            ids.update(nomination.project.participants.values_list("pk", flat=True))
    members = Member.objects.filter(conference_id=award.conference_id, user_id__in=ids)
    return sorted(set(members.values_list("user_id", flat=True)))


def winning_users(award: Award) -> list[User]:
    """Everyone the results honour (persons, project participants), for the notification."""
    ids: set[int] = set()
    for nomination in award.nominations.filter(is_winner=True).select_related("project"):
        if nomination.person_id:
            ids.add(nomination.person_id)
        elif nomination.project is not None:
            ids.update(nomination.project.participants.values_list("pk", flat=True))
    return list(User.objects.filter(pk__in=ids))


@transaction.atomic(durable=True)
def publish_results(actor: User, award: Award, *, version: int | None = None) -> Award:
    """Staff publish the results on the portal; each winning member gets one culture_award event."""
    award = _act(actor, award, "publish", version)
    occurred = today()
    for user_id in winning_members(award):
        duty.record_event(
            conference_id=award.conference_id,
            user_id=user_id,
            kind=EventKind.CULTURE_AWARD,
            occurred_on=occurred,
            source_type=DUTY_SOURCE,
            source_id=award.pk,
            title=str(award),
        )
    award.published_at = timezone.now()
    award.save(update_fields=["published_at"])
    sm.move(actor, award, "publish", TRANSITIONS["publish"], S.PUBLISHED)
    notify_on_commit(
        winning_users(award),
        verb="award_won",
        conference_id=award.conference_id,
        title=_("祝贺！您获得%(award)s") % {"award": award},
        url=reverse("public:award", args=[award.conference.code, award.pk]),
    )
    return award


@transaction.atomic(durable=True)
def unpublish_results(actor: User, award: Award, *, version: int | None = None) -> Award:
    """Staff take the results off the portal at once; the winners' culture_award events are removed."""
    award = _act(actor, award, "unpublish", version)
    duty.retract_source(
        conference_id=award.conference_id,
        kind=EventKind.CULTURE_AWARD,
        source_type=DUTY_SOURCE,
        source_id=award.pk,
    )
    sm.move(actor, award, "unpublish", TRANSITIONS["unpublish"], S.DECIDED)
    return award


ACTIONS = {
    "open_scoring": open_scoring,
    "decide": decide_results,
    "reopen_scoring": reopen_scoring,
    "publish": publish_results,
    "unpublish": unpublish_results,
}

# ---------------------------------------------------------------------------- office selectors


def office_conference_ids(user: Any) -> set[int]:
    """The conferences where the user is staff or a leader."""
    return conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()


def office_projects(
    user: Any, conference_id: int, *, year: int | None = None, q: str = ""
) -> QuerySet[CultureProject]:
    """The conference's projects for its staff and leaders (otherwise none), newest year first."""
    if conference_id not in office_conference_ids(user):
        return CultureProject.objects.none()
    qs = CultureProject.objects.filter(conference_id=conference_id).select_related("activity")
    if year:
        qs = qs.filter(year=year)
    for word in q.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word) | Q(place__icontains=word))
    return qs.annotate(participant_count=Count("participants", distinct=True)).order_by(
        "-year", "-starts_on", "-id"
    )


def get_project(user: Any, project_id: int) -> CultureProject:
    """A project of a conference where the user is staff or a leader, or 404."""
    project = (
        CultureProject.objects.select_related("conference", "activity")
        .filter(pk=project_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if project is None:
        raise Http404
    return project


@dataclass(frozen=True)
class ProjectCounts:
    """Projects per year of one conference and the running total since the first year."""

    total: int
    since: int | None
    by_year: list[tuple[int, int]]
    by_kind: list[tuple[str, int]]


def project_counts(conference_id: int, *, public_only: bool = False) -> ProjectCounts:
    """How many culture projects the conference ran each year ("N projects since YEAR")."""
    qs = CultureProject.objects.filter(conference_id=conference_id)
    if public_only:
        qs = qs.filter(is_public=True)
    by_year = [(r["year"], r["n"]) for r in qs.values("year").annotate(n=Count("id")).order_by("year")]
    labels = dict(CultureProjectKind.choices)
    by_kind = [
        (str(labels.get(r["kind"], r["kind"])), r["n"])
        for r in qs.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    first = qs.aggregate(y=Min("year"))["y"]
    return ProjectCounts(sum(n for _y, n in by_year), first, by_year, by_kind)


def office_awards(user: Any, conference_id: int) -> QuerySet[Award]:
    """The conference's awards (staff and leaders; otherwise none), with nomination counts."""
    if conference_id not in office_conference_ids(user):
        return Award.objects.none()
    return (
        Award.objects.filter(conference_id=conference_id)
        .annotate(nomination_count=Count("nominations"))
        .order_by("-year", "-id")
    )


def get_award(user: Any, award_id: int) -> Award:
    """An award of a conference where the user is staff or a leader, or 404."""
    award = (
        Award.objects.select_related("conference")
        .filter(pk=award_id, conference_id__in=office_conference_ids(user))
        .first()
    )
    if award is None:
        raise Http404
    return award


def get_nominating_award(user: Any, award_id: int) -> Award:
    """An award of the user's conference where they may nominate, or 404."""
    ids = conference_ids(user, *NOMINATOR_ROLES) if user.is_authenticated else set()
    award = Award.objects.select_related("conference").filter(pk=award_id, conference_id__in=ids).first()
    if award is None:
        raise Http404
    return award


def open_awards(user: Any, conference_id: int) -> QuerySet[Award]:
    """Awards taking nominations in a conference where the user may nominate."""
    if not can_nominate(user, conference_id):
        return Award.objects.none()
    return Award.objects.filter(conference_id=conference_id, state=S.NOMINATING)


def jury_awards(user: Any) -> QuerySet[Award]:
    """Awards whose jury the user sits on, still within the user's conferences."""
    if not user.is_authenticated:
        return Award.objects.none()
    return Award.objects.filter(jurors=user, conference_id__in=conference_ids(user)).select_related(
        "conference"
    )


def get_jury_award(user: Any, award_id: int) -> Award:
    """An award whose jury the user sits on, or 404."""
    award = jury_awards(user).filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


def nominations(award: Award) -> QuerySet[Nomination]:
    """The award's nominations in result order (ranked first), with nominee and scores."""
    return (
        award.nominations.select_related("project", "person", "nominated_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("juror")))
        .order_by("rank", "id")
    )


def get_nomination(award: Award, nomination_id: int) -> Nomination:
    """A nomination of this award, or 404."""
    nomination = award.nominations.select_related("project", "person").filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404
    return nomination


def my_scores(user: Any, award: Award) -> dict[int, Score]:
    """The juror's scores on the award, by nomination."""
    return {s.nomination_id: s for s in Score.objects.filter(nomination__award=award, juror=user)}


def available_actions(user: Any, award: Award) -> list[str]:
    """Workflow actions the user may start on the award now (the buttons to show)."""
    roles = award_roles(user, award)
    return [name for name, row in TRANSITIONS.items() if award.state in row.sources and row.roles & roles]


def eligible_people(conference_id: int) -> QuerySet[User]:
    """Members and friends of the conference (project participants, nominees)."""
    return (
        User.objects.filter(
            roles__conference_id=conference_id, roles__kind__in=PARTICIPANT_ROLES, is_active=True
        )
        .distinct()
        .order_by("display_name", "username")
    )


def eligible_jurors(conference_id: int) -> QuerySet[User]:
    """Users who may sit on a jury of the conference."""
    return (
        User.objects.filter(roles__conference_id=conference_id, roles__kind__in=JUROR_ROLES, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


# ---------------------------------------------------------------------------- the public portal


def public_projects(conference_id: int) -> QuerySet[CultureProject]:
    """The conference's projects staff chose to show, newest first."""
    return CultureProject.objects.filter(conference_id=conference_id, is_public=True)


def public_awards(conference_id: int) -> QuerySet[Award]:
    """The conference's awards whose results are published, newest first."""
    return Award.objects.filter(conference_id=conference_id, state=S.PUBLISHED).prefetch_related(
        Prefetch(
            "nominations",
            queryset=Nomination.objects.filter(is_winner=True)
            .select_related("project", "person")
            .order_by("rank", "id"),
            to_attr="winners",
        )
    )


def get_public_award(conference_id: int, award_id: int) -> Award:
    """A published award of the conference, or 404 (also while its results are not published)."""
    award = public_awards(conference_id).filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


def public_results(award: Award) -> QuerySet[Nomination]:
    """A published award's ranked nominations (only what the results decided; no juror's score)."""
    return (
        award.nominations.filter(rank__isnull=False)
        .select_related("project", "person")
        .order_by("rank", "id")
    )
