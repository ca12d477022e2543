"""Every write to public-opinion reports: check the rule, then change state in one transaction, audit,
notify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import has_role, users_with_role

from . import workflow
from .models import (
    Attachment,
    Forwarding,
    Instruction,
    InstructionLevel,
    JournalIssue,
    OnBehalf,
    OpinionReport,
    OpinionState,
    RecipientKind,
    Revision,
)
from .rules import actor_roles, can_manage_journal

TITLE_MAX = 200
TEXT_MAX = 20000
NOTE_MAX = 2000
NAME_MAX = 100
CATEGORY_MAX = 50
MAX_ATTACHMENTS = 10
TEXT_FIELDS = ("title", "facts", "analysis", "suggestions")

# ---------------------------------------------------------------------------- helpers


def _url(report: OpinionReport) -> str:
    return reverse("opinions:detail", args=[report.pk])


def _lock(obj: OpinionReport, version: int | None) -> OpinionReport:
    """Re-read the report under a row lock and refuse a stale version."""
    return sm.lock(obj, version, "conference")


def _check(actor: Any, obj: OpinionReport, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the report is in an allowed state."""
    sm.check(workflow.transition(action), actor_roles(actor, obj), obj, _("该信息"))


def _move(
    actor: Any, obj: OpinionReport, action: str, to_state: str, *, summary: str = "", **data: Any
) -> None:
    """Set the new state, bump the version, save and audit; `to_state` must be in the table's row."""
    sm.move(actor, obj, action, workflow.transition(action), to_state, summary=summary, data=data)


def _touch(
    actor: Any, obj: OpinionReport, action: str, *, summary: str = "", fields: Sequence[str] = (), **data: Any
) -> None:
    """Save fields that changed without a state change, bump the version and audit."""
    label = workflow.transition(action).label if action in workflow.TRANSITIONS else action
    sm.touch(actor, obj, action, label=label, summary=summary, fields=fields, data=data)


_text = sm.clean_text


def _date(value: dt.date | None, field: str, label: str) -> dt.date:
    day = value or today()
    if day > today():
        raise invalid({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day


def _staff(conference_id: int) -> Iterable[User]:
    return users_with_role(conference_id, [RoleKind.STAFF])


def _duty_event(**kwargs: Any) -> None:
    """Write a duty point event (the duty app decides the points)."""
    from xieshang.duty import services as duty

    duty.record_event(**kwargs)


# ---------------------------------------------------------------------------- writing and submitting


@dataclass
class ReportInput:
    """What a member (or a party, sector or committee through a member) writes."""

    title: str
    facts: str = ""
    analysis: str = ""
    suggestions: str = ""
    category: str = ""
    on_behalf_kind: str = OnBehalf.MEMBER
    on_behalf_name: str = ""


def _clean_input(data: ReportInput) -> dict[str, Any]:
    if data.on_behalf_kind not in OnBehalf.values:
        raise invalid({"on_behalf_kind": _("报送名义无效。")})
    name = _text(data.on_behalf_name, "on_behalf_name", _("报送单位"), required=False, limit=NAME_MAX)
    if data.on_behalf_kind != OnBehalf.MEMBER and not name:
        raise invalid({"on_behalf_name": _("以党派团体、界别或专委会名义报送时，请填写其名称。")})
    return {
        "title": _text(data.title, "title", _("标题"), required=True, limit=TITLE_MAX),
        "facts": _text(data.facts, "facts", _("基本情况"), required=False, limit=TEXT_MAX),
        "analysis": _text(data.analysis, "analysis", _("问题分析"), required=False, limit=TEXT_MAX),
        "suggestions": _text(data.suggestions, "suggestions", _("意见建议"), required=False, limit=TEXT_MAX),
        "category": _text(data.category, "category", _("类别"), required=False, limit=CATEGORY_MAX),
        "on_behalf_kind": data.on_behalf_kind,
        "on_behalf_name": name,
    }


@transaction.atomic(durable=True)
def create_report(
    actor: User, conference: Conference, data: ReportInput, *, uploads: Sequence[UploadedFile] = ()
) -> OpinionReport:
    """A member starts a draft, with its files in the same transaction (all or nothing)."""
    if not has_role(actor, conference.pk, RoleKind.MEMBER):
        raise denied(_("只有本级政协委员可以撰写社情民意信息。"))
    fields = _clean_input(data)
    names = [check_upload(u, DOCUMENT_TYPES) for u in uploads]
    report = OpinionReport.objects.create(conference=conference, submitted_by=actor, **fields)
    record(actor, "create", report, to_state=report.state, summary=_("创建草稿"))
    for upload, name in zip(uploads, names, strict=True):
        _attach(actor, report, upload, name)
    return report


@transaction.atomic(durable=True)
def update_report(
    actor: User,
    report: OpinionReport,
    data: ReportInput,
    *,
    version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> OpinionReport:
    """The submitter edits a draft (and adds files, all or nothing)."""
    report = _lock(report, version)
    _check(actor, report, "edit")
    cleaned = _clean_input(data)
    names = [check_upload(u, DOCUMENT_TYPES) for u in uploads]
    for name, value in cleaned.items():
        setattr(report, name, value)
    _touch(actor, report, "edit", fields=list(cleaned))
    for upload, name in zip(uploads, names, strict=True):
        _attach(actor, report, upload, name)
    return report


def _attach(actor: User, report: OpinionReport, upload: UploadedFile, name: str) -> Attachment:
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise invalid({"attachments": _("每篇信息最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    attachment = Attachment.objects.create(
        report=report, file=upload, original_name=name, size=upload.size or 0, uploaded_by=actor
    )
    _touch(
        actor, report, "attach", summary=_("上传附件：%(name)s") % {"name": name}, attachment=attachment.pk
    )
    return attachment


@transaction.atomic(durable=True)
def remove_attachment(actor: User, attachment: Attachment) -> None:
    """The submitter removes an attachment from a draft."""
    report = _lock(attachment.report, None)
    _check(actor, report, "edit")
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _touch(actor, report, "detach", summary=_("删除附件：%(name)s") % {"name": name})


@transaction.atomic(durable=True)
def submit_report(actor: User, report: OpinionReport, *, version: int | None = None) -> OpinionReport:
    """The submitter sends the draft to the office; it needs facts or analysis, and suggestions."""
    report = _lock(report, version)
    _check(actor, report, "submit")
    errors = {}
    if not (report.facts.strip() or report.analysis.strip()):
        errors["facts"] = _("报送前请填写基本情况或问题分析。")
    if not report.suggestions.strip():
        errors["suggestions"] = _("报送前请填写意见建议。")
    if errors:
        raise invalid(errors)
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_at"])
    _move(actor, report, "submit", OpinionState.SUBMITTED)
    _notify_staff_new(report)
    return report


def _notify_staff_new(report: OpinionReport) -> None:
    notify_on_commit(
        _staff(report.conference_id),
        verb="opinion_submitted",
        conference_id=report.conference_id,
        title=_("新社情民意信息待编辑：《%(title)s》") % {"title": report.title},
        url=_url(report),
    )


@transaction.atomic
def create_from_proposal(actor: User, proposal: Any) -> OpinionReport:
    """A submitted report made from a proposal the office converts (转社情民意), linked to it.

    Not durable: it runs inside the proposal's own conversion transaction. `proposal` is taken
    duck-typed (conference_id, proposer, title, analysis, recommendations, collective_name) so that
    this app never imports the proposals app. Calling it twice returns the first report.
    """
    if not has_role(actor, proposal.conference_id, RoleKind.STAFF):
        raise denied()
    existing = OpinionReport.objects.filter(
        conference_id=proposal.conference_id, source_proposal_id=proposal.pk
    ).first()
    if existing is not None:
        return existing
    collective = (getattr(proposal, "collective_name", "") or "").strip()
    report = OpinionReport.objects.create(
        conference_id=proposal.conference_id,
        submitted_by=proposal.proposer,
        title=str(proposal.title)[:TITLE_MAX],
        analysis=proposal.analysis or "",
        suggestions=proposal.recommendations or "",
        on_behalf_kind=OnBehalf.PARTY if collective else OnBehalf.MEMBER,
        on_behalf_name=collective[:NAME_MAX],
        state=OpinionState.SUBMITTED,
        source_proposal_id=proposal.pk,
        submitted_at=timezone.now(),
    )
    record(
        actor,
        "create_from_proposal",
        report,
        to_state=report.state,
        summary=_("由提案转为社情民意信息"),
        data={"proposal": proposal.pk},
    )
    notify_on_commit(
        [proposal.proposer],
        verb="opinion_from_proposal",
        conference_id=report.conference_id,
        title=_("您的提案《%(title)s》已转为社情民意信息办理") % {"title": report.title},
        url=_url(report),
    )
    return report


# ---------------------------------------------------------------------------- editing


@transaction.atomic(durable=True)
def claim_report(actor: User, report: OpinionReport, *, version: int | None = None) -> OpinionReport:
    """A staff member starts editing a submitted report and becomes its editor."""
    report = _lock(report, version)
    _check(actor, report, "claim")
    report.editor = actor
    report.save(update_fields=["editor"])
    _move(actor, report, "claim", OpinionState.EDITING)
    return report


@dataclass
class EditInput:
    """The editor's version of the text."""

    title: str
    facts: str = ""
    analysis: str = ""
    suggestions: str = ""
    note: str = ""


@transaction.atomic(durable=True)
def revise_report(
    actor: User, report: OpinionReport, data: EditInput, *, version: int | None = None
) -> Revision | None:
    """The editor changes the text; a revision keeps before and after. Nothing changed: no revision."""
    report = _lock(report, version)
    _check(actor, report, "revise")
    after = {
        "title": _text(data.title, "title", _("标题"), required=True, limit=TITLE_MAX),
        "facts": _text(data.facts, "facts", _("基本情况"), required=False, limit=TEXT_MAX),
        "analysis": _text(data.analysis, "analysis", _("问题分析"), required=False, limit=TEXT_MAX),
        "suggestions": _text(data.suggestions, "suggestions", _("意见建议"), required=False, limit=TEXT_MAX),
    }
    note = _text(data.note, "note", _("修改说明"), required=False, limit=300)
    before = {name: getattr(report, name) for name in TEXT_FIELDS}
    if before == after:
        return None
    revision = Revision.objects.create(
        report=report,
        editor=actor,
        note=note,
        **{f"before_{k}": v for k, v in before.items()},
        **{f"after_{k}": v for k, v in after.items()},
    )
    for name, value in after.items():
        setattr(report, name, value)
    changed = [k for k in TEXT_FIELDS if before[k] != after[k]]
    _touch(actor, report, "revise", fields=changed, summary=note or _("编辑修改"), revision=revision.pk)
    return revision


# ---------------------------------------------------------------------------- journal issues


def _next_issue_number(conference_id: int, year: int) -> int:
    """The next issue number of the conference's year, under a lock on the conference row so two
    adoptions that open an issue at once never clash."""
    Conference.objects.select_for_update().filter(pk=conference_id).first()
    top = JournalIssue.objects.filter(conference_id=conference_id, year=year).aggregate(m=Max("number"))["m"]
    return (top or 0) + 1


def _open_issue(actor: User, conference_id: int, year: int, title: str = "") -> JournalIssue:
    issue = JournalIssue.objects.create(
        conference_id=conference_id,
        year=year,
        number=_next_issue_number(conference_id, year),
        title=_text(title, "title", _("标题"), required=False, limit=TITLE_MAX),
        created_by=actor,
    )
    record(actor, "open_issue", issue, to_state=issue.state, summary=issue.label)
    return issue


@transaction.atomic(durable=True)
def create_issue(
    actor: User, conference: Conference, *, year: int | None = None, title: str = ""
) -> JournalIssue:
    """Staff open the next issue of the journal for a year (第N期, numbered per conference-year)."""
    if not can_manage_journal(actor, conference.pk):
        raise denied()
    year = year or today().year
    if not 1949 <= year <= today().year + 1:
        raise invalid({"year": _("年度无效。")})
    return _open_issue(actor, conference.pk, year, title)


def _lock_issue(issue_id: int, conference_id: int, version: int | None = None) -> JournalIssue:
    issue = JournalIssue.objects.select_for_update().filter(pk=issue_id, conference_id=conference_id).first()
    if issue is None:
        raise invalid({"issue": _("期刊不存在。")})
    if version is not None and issue.version != version:
        raise AppError(ErrorCode.STALE_VERSION)
    return issue


@transaction.atomic(durable=True)
def publish_issue(actor: User, issue: JournalIssue, *, version: int | None = None) -> JournalIssue:
    """Staff publish a draft issue that holds at least one report; its date is today."""
    if not can_manage_journal(actor, issue.conference_id):
        raise denied()
    issue = _lock_issue(issue.pk, issue.conference_id, version)
    if issue.state != JournalIssue.State.DRAFT:
        raise AppError(ErrorCode.INVALID_STATE, _("该期已编发。"))
    if not issue.reports.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("该期还没有采用的信息，不能编发。"))
    issue.state = JournalIssue.State.PUBLISHED
    issue.published_on = today()
    issue.version += 1
    issue.save(update_fields=["state", "published_on", "version"])
    record(actor, "publish_issue", issue, from_state="draft", to_state=issue.state, summary=issue.label)
    submitters = {r.submitted_by for r in issue.reports.select_related("submitted_by")}
    notify_on_commit(
        submitters,
        verb="opinion_issue_published",
        conference_id=issue.conference_id,
        title=_("%(issue)s已编发") % {"issue": issue.label},
    )
    return issue


# ---------------------------------------------------------------------------- decisions


@transaction.atomic(durable=True)
def adopt_report(
    actor: User,
    report: OpinionReport,
    *,
    issue_id: int | None = None,
    new_issue_year: int | None = None,
    version: int | None = None,
) -> OpinionReport:
    """Staff adopt (采用) the report into a draft issue, or into the next new issue of a year when no
    issue is given; the submitter earns the adoption's duty points."""
    report = _lock(report, version)
    _check(actor, report, "adopt")
    if issue_id:
        issue = _lock_issue(issue_id, report.conference_id)
        if issue.state != JournalIssue.State.DRAFT:
            raise invalid({"issue": _("该期已编发，请选择编辑中的一期或新建一期。")})
    else:
        year = new_issue_year or today().year
        if not 1949 <= year <= today().year + 1:
            raise invalid({"year": _("年度无效。")})
        issue = _open_issue(actor, report.conference_id, year)
    top = issue.reports.aggregate(m=Max("position"))["m"]
    report.adopted_in = issue
    report.position = (top or 0) + 1
    report.decided_at = timezone.now()
    report.decline_reason = ""
    report.save(update_fields=["adopted_in", "position", "decided_at", "decline_reason"])
    _move(
        actor,
        report,
        "adopt",
        OpinionState.ADOPTED,
        summary=_("采用，编入%(issue)s") % {"issue": issue.label},
        issue=issue.pk,
    )
    _duty_event(
        conference_id=report.conference_id,
        user_id=report.submitted_by_id,
        kind="opinion_adopted",
        occurred_on=today(),
        source_type="opinion",
        source_id=report.pk,
        title=report.title,
    )
    notify_on_commit(
        [report.submitted_by],
        verb="opinion_adopted",
        conference_id=report.conference_id,
        title=_("您的社情民意信息《%(title)s》已采用，编入%(issue)s")
        % {"title": report.title, "issue": issue.label},
        url=_url(report),
    )
    return report


@transaction.atomic(durable=True)
def decline_report(
    actor: User, report: OpinionReport, *, reason: str, version: int | None = None
) -> OpinionReport:
    """Staff decline the report, with the reason the submitter will read."""
    report = _lock(report, version)
    _check(actor, report, "decline")
    report.decline_reason = _text(reason, "reason", _("理由"), required=True, limit=NOTE_MAX)
    report.decided_at = timezone.now()
    report.save(update_fields=["decline_reason", "decided_at"])
    _move(
        actor,
        report,
        "decline",
        OpinionState.NOT_ADOPTED,
        summary=_("不予采用：%(r)s") % {"r": report.decline_reason},
    )
    notify_on_commit(
        [report.submitted_by],
        verb="opinion_declined",
        conference_id=report.conference_id,
        title=_("您的社情民意信息《%(title)s》未被采用") % {"title": report.title},
        body=report.decline_reason,
        url=_url(report),
    )
    return report


# ---------------------------------------------------------------------------- after adoption


@dataclass
class ForwardInput:
    """Where an adopted report or a published issue was sent."""

    recipient_kind: str
    recipient_name: str
    forwarded_on: dt.date | None = None
    note: str = ""


def _clean_forward(data: ForwardInput) -> dict[str, Any]:
    if data.recipient_kind not in RecipientKind.values:
        raise invalid({"recipient_kind": _("报送对象类型无效。")})
    return {
        "recipient_kind": data.recipient_kind,
        "recipient_name": _text(
            data.recipient_name, "recipient_name", _("报送对象"), required=True, limit=NAME_MAX
        ),
        "forwarded_on": _date(data.forwarded_on, "forwarded_on", _("报送日期")),
        "note": _text(data.note, "note", _("说明"), required=False, limit=300),
    }


@transaction.atomic(durable=True)
def forward_report(
    actor: User, report: OpinionReport, data: ForwardInput, *, version: int | None = None
) -> Forwarding:
    """Staff record that an adopted report was sent to the superior conference, a party committee,
    the government or another body."""
    report = _lock(report, version)
    _check(actor, report, "forward")
    forwarding = Forwarding.objects.create(
        conference_id=report.conference_id, report=report, forwarded_by=actor, **_clean_forward(data)
    )
    _touch(actor, report, "forward", summary=_("报送：%(to)s") % {"to": forwarding.recipient_name})
    return forwarding


@transaction.atomic(durable=True)
def forward_issue(actor: User, issue: JournalIssue, data: ForwardInput) -> Forwarding:
    """Staff record that a published issue was sent to a recipient."""
    if not can_manage_journal(actor, issue.conference_id):
        raise denied()
    issue = _lock_issue(issue.pk, issue.conference_id)
    if issue.state != JournalIssue.State.PUBLISHED:
        raise AppError(ErrorCode.INVALID_STATE, _("该期尚未编发，不能报送。"))
    forwarding = Forwarding.objects.create(
        conference_id=issue.conference_id, issue=issue, forwarded_by=actor, **_clean_forward(data)
    )
    record(actor, "forward_issue", issue, summary=_("报送：%(to)s") % {"to": forwarding.recipient_name})
    return forwarding


@dataclass
class InstructionInput:
    """A leader's instruction as the office transcribes it."""

    leader_name: str
    level: str
    text: str
    given_on: dt.date | None = None


@transaction.atomic(durable=True)
def record_instruction(
    actor: User, report: OpinionReport, data: InstructionInput, *, version: int | None = None
) -> Instruction:
    """Staff record a leader's instruction on an adopted report; the submitter earns points by level."""
    report = _lock(report, version)
    _check(actor, report, "record_instruction")
    if data.level not in InstructionLevel.values:
        raise invalid({"level": _("批示层级无效。")})
    instruction = Instruction.objects.create(
        conference_id=report.conference_id,
        report=report,
        leader_name=_text(data.leader_name, "leader_name", _("批示领导"), required=True, limit=NAME_MAX),
        level=data.level,
        given_on=_date(data.given_on, "given_on", _("批示日期")),
        text=_text(data.text, "text", _("批示内容"), required=True, limit=NOTE_MAX),
        recorded_by=actor,
    )
    _touch(
        actor,
        report,
        "record_instruction",
        summary=_("%(leader)s批示（%(level)s）")
        % {"leader": instruction.leader_name, "level": instruction.get_level_display()},
        instruction=instruction.pk,
    )
    _duty_event(
        conference_id=report.conference_id,
        user_id=report.submitted_by_id,
        kind="instruction_received",
        occurred_on=instruction.given_on,
        source_type="opinion_instruction",
        source_id=instruction.pk,
        title=report.title,
        data={"level": instruction.level},
    )
    notify_on_commit(
        [report.submitted_by],
        verb="opinion_instruction",
        conference_id=report.conference_id,
        title=_("您的社情民意信息《%(title)s》获%(leader)s批示")
        % {"title": report.title, "leader": instruction.leader_name},
        url=_url(report),
    )
    return instruction


@transaction.atomic(durable=True)
def record_feedback(
    actor: User,
    instruction: Instruction,
    *,
    feedback: str,
    feedback_on: dt.date | None = None,
    version: int | None = None,
) -> Instruction:
    """Staff record what was done on an instruction (落实反馈)."""
    report = _lock(instruction.report, version)
    _check(actor, report, "record_feedback")
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk, report=report)
    instruction.feedback = _text(feedback, "feedback", _("落实反馈"), required=True, limit=TEXT_MAX)
    instruction.feedback_on = _date(feedback_on, "feedback_on", _("反馈日期"))
    instruction.save(update_fields=["feedback", "feedback_on"])
    _touch(actor, report, "record_feedback", instruction=instruction.pk)
    notify_on_commit(
        [report.submitted_by],
        verb="opinion_feedback",
        conference_id=report.conference_id,
        title=_("您的社情民意信息《%(title)s》有落实反馈") % {"title": report.title},
        url=_url(report),
    )
    return instruction


# ---------------------------------------------------------------------------- the public portal


@transaction.atomic(durable=True)
def set_public(
    actor: User, report: OpinionReport, *, public: bool, version: int | None = None
) -> OpinionReport:
    """Staff show an adopted report on the public portal, or take it down at once."""
    report = _lock(report, version)
    if not has_role(actor, report.conference_id, RoleKind.STAFF):
        raise denied()
    if public and report.state != OpinionState.ADOPTED:
        raise AppError(ErrorCode.INVALID_STATE, _("只有已采用的信息可以在门户公开。"))
    if report.is_public == public:
        return report
    report.is_public = public
    _touch(
        actor,
        report,
        "set_public",
        fields=["is_public"],
        summary=_("门户公开") if public else _("撤销门户公开"),
    )
    return report
