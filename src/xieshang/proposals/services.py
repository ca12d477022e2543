"""Every write to proposals: check the rule, then change state in one transaction, audit, notify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference, HandlingUnit, Session
from xieshang.core import statemachine as sm
from xieshang.core.dates import add_months, today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.notify.services import notify_atomically, notify_on_commit
from xieshang.opinions.services import create_from_proposal
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import has_role, unit_contacts, users_with_role

from . import workflow
from .models import (
    Assignment,
    AssignmentRole,
    Attachment,
    Category,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    Outcome,
    PreReplyConsultation,
    Proposal,
    ProposalKind,
    ProposalState,
    ReassignmentRequest,
    Reminder,
    Reply,
    RequestState,
    UnitRequest,
)
from .rules import actor_roles, is_unit_of_assignment

R = TypeVar("R", bound=UnitRequest)

TITLE_MAX = 200
TEXT_MAX = 20000
NOTE_MAX = 2000
MAX_COSIGNERS = 30

# ---------------------------------------------------------------------------- helpers


def _url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _lock(obj: Proposal, version: int | None) -> Proposal:
    """Re-read the proposal under a row lock and refuse a stale version."""
    return sm.lock(obj, version, "conference")


def _check(actor: Any, obj: Proposal, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the proposal is in an allowed state."""
    sm.check(workflow.transition(action), actor_roles(actor, obj), obj, _("提案"))


def _move(actor: Any, obj: Proposal, action: str, to_state: str, *, summary: str = "", **data: Any) -> None:
    """Set the new state, bump the version, save and audit; `to_state` must be in the table's row."""
    sm.move(actor, obj, action, workflow.transition(action), to_state, summary=summary, data=data)


def _touch(
    actor: Any, obj: Proposal, action: str, *, summary: str = "", fields: Sequence[str] = (), **data: Any
) -> None:
    """Save fields that changed without a state change, bump the version and audit."""
    label = workflow.transition(action).label if action in workflow.TRANSITIONS else action
    sm.touch(actor, obj, action, label=label, summary=summary, fields=fields, data=data)


_text = sm.clean_text


def _staff(conference_id: int) -> Iterable[User]:
    return users_with_role(conference_id, [RoleKind.STAFF])


def _followers(proposal: Proposal) -> list[User]:
    """The proposer and the proposers of proposals merged into this one."""
    people = [proposal.proposer]
    people += [p.proposer for p in proposal.merged_proposals.select_related("proposer")]
    return people


def _current_session(conference: Conference) -> Session:
    session = Session.objects.filter(conference=conference, is_current=True).order_by("-year").first()
    session = session or Session.objects.filter(conference=conference).order_by("-year", "-number").first()
    if session is None:
        raise AppError(ErrorCode.INVALID_STATE, _("本级政协尚未设置会议（届次），请联系管理员。"))
    return session


def _category(conference_id: int, category_id: int | None) -> Category | None:
    if not category_id:
        return None
    category = Category.objects.filter(conference_id=conference_id, pk=category_id).first()
    if category is None:
        raise invalid({"category": _("类别不存在。")})
    return category


# ---------------------------------------------------------------------------- drafting


@dataclass
class ProposalInput:
    """What a member writes."""

    title: str
    analysis: str = ""
    recommendations: str = ""
    category_id: int | None = None
    kind: str = ProposalKind.INDIVIDUAL
    collective_name: str = ""


def _clean_input(data: ProposalInput, conference_id: int) -> dict[str, Any]:
    if data.kind not in ProposalKind.values:
        raise invalid({"kind": _("提案类型无效。")})
    return {
        "title": _text(data.title, "title", _("案由"), required=True, limit=TITLE_MAX),
        "analysis": _text(data.analysis, "analysis", _("情况分析"), required=False, limit=TEXT_MAX),
        "recommendations": _text(
            data.recommendations, "recommendations", _("具体建议"), required=False, limit=TEXT_MAX
        ),
        "category": _category(conference_id, data.category_id),
        "kind": data.kind,
        "collective_name": _text(
            data.collective_name, "collective_name", _("提案单位"), required=False, limit=100
        ),
    }


@transaction.atomic(durable=True)
def create_proposal(
    actor: User,
    conference: Conference,
    data: ProposalInput,
    *,
    cosigner_ids: Iterable[int] = (),
    uploads: Sequence[UploadedFile] = (),
) -> Proposal:
    """A member starts a draft in the conference's current session, with its co-signers and files
    in the same transaction (all or nothing)."""
    if not has_role(actor, conference.pk, RoleKind.MEMBER):
        raise denied(_("只有本级政协委员可以撰写提案。"))
    fields = _clean_input(data, conference.pk)
    names = [check_upload(u, DOCUMENT_TYPES) for u in uploads]
    proposal = Proposal.objects.create(
        conference=conference, session=_current_session(conference), proposer=actor, **fields
    )
    record(actor, "create", proposal, to_state=proposal.state, summary=_("创建草稿"))
    for upload, name in zip(uploads, names, strict=True):
        _attach(actor, proposal, upload, name)
    if cosigner_ids:
        _invite(actor, proposal, cosigner_ids)
    return proposal


@transaction.atomic(durable=True)
def update_proposal(
    actor: User,
    proposal: Proposal,
    data: ProposalInput,
    *,
    version: int | None,
    cosigner_ids: Iterable[int] = (),
    uploads: Sequence[UploadedFile] = (),
) -> Proposal:
    """The proposer edits a draft or a returned proposal (with new co-signers and files, all or nothing)."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "edit")
    cleaned = _clean_input(data, proposal.conference_id)
    names = [check_upload(u, DOCUMENT_TYPES) for u in uploads]
    for name, value in cleaned.items():
        setattr(proposal, name, value)
    _touch(actor, proposal, "edit", fields=list(cleaned))
    for upload, name in zip(uploads, names, strict=True):
        _attach(actor, proposal, upload, name)
    if cosigner_ids:
        _invite(actor, proposal, cosigner_ids)
    return proposal


@transaction.atomic(durable=True)
def add_attachment(actor: User, proposal: Proposal, upload: UploadedFile) -> Attachment:
    """The proposer attaches a checked file to a draft."""
    name = check_upload(upload, DOCUMENT_TYPES)
    proposal = _lock(proposal, None)
    _check(actor, proposal, "edit")
    return _attach(actor, proposal, upload, name)


def _attach(actor: User, proposal: Proposal, upload: UploadedFile, name: str) -> Attachment:
    if proposal.attachments.count() >= 10:
        raise invalid({"file": _("每件提案最多 10 个附件。")})
    attachment = Attachment.objects.create(
        proposal=proposal, file=upload, original_name=name, size=upload.size or 0, uploaded_by=actor
    )
    _touch(
        actor, proposal, "attach", summary=_("上传附件：%(name)s") % {"name": name}, attachment=attachment.pk
    )
    return attachment


@transaction.atomic(durable=True)
def remove_attachment(actor: User, attachment: Attachment) -> None:
    """The proposer removes an attachment from a draft."""
    proposal = _lock(attachment.proposal, None)
    _check(actor, proposal, "edit")
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _touch(actor, proposal, "detach", summary=_("删除附件：%(name)s") % {"name": name})


@transaction.atomic(durable=True)
def invite_cosigners(
    actor: User, proposal: Proposal, user_ids: Iterable[int], *, version: int | None
) -> list[CoSigner]:
    """The proposer invites fellow members of the same conference to co-sign."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "invite_cosigners")
    return _invite(actor, proposal, user_ids)


def _invite(actor: User, proposal: Proposal, user_ids: Iterable[int]) -> list[CoSigner]:
    wanted = {int(i) for i in user_ids} - {actor.pk}
    members = list(
        User.objects.filter(pk__in=wanted, memberships__conference_id=proposal.conference_id).distinct()
    )
    if len(members) != len(wanted):
        raise invalid({"cosigners": _("联名人必须是本级政协委员。")})
    existing = set(proposal.cosigners.values_list("user_id", flat=True))
    if len(existing | wanted) > MAX_COSIGNERS:
        raise invalid({"cosigners": _("联名人不能超过 %(n)s 位。") % {"n": MAX_COSIGNERS}})
    created = CoSigner.objects.bulk_create(
        [CoSigner(proposal=proposal, user=u) for u in members if u.pk not in existing]
    )
    if proposal.cosigners.exists() and proposal.kind == ProposalKind.INDIVIDUAL:
        proposal.kind = ProposalKind.COSIGNED
    names = "、".join(str(c.user) for c in created)
    _touch(
        actor,
        proposal,
        "invite_cosigners",
        fields=["kind"],
        summary=_("邀请联名：%(names)s") % {"names": names},
    )
    return created


@transaction.atomic(durable=True)
def submit_proposal(actor: User, proposal: Proposal, *, version: int | None = None) -> Proposal:
    """The proposer submits; co-signers are asked to confirm, or it goes straight to review."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "submit")
    errors = {}
    if not proposal.analysis.strip():
        errors["analysis"] = _("提交前请填写情况分析。")
    if not proposal.recommendations.strip():
        errors["recommendations"] = _("提交前请填写具体建议。")
    if errors:
        raise invalid(errors)
    # Co-signers who declined before a return stay declined; those who confirmed confirm again.
    proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).update(
        state=CoSigner.State.INVITED, responded_at=None
    )
    pending = list(proposal.cosigners.filter(state=CoSigner.State.INVITED).select_related("user"))
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["submitted_at"])
    if pending:
        _move(actor, proposal, "submit", ProposalState.SUBMITTED)
        notify_on_commit(
            [c.user for c in pending],
            verb="cosign_invited",
            conference_id=proposal.conference_id,
            title=_("%(name)s 邀请您联名提案《%(title)s》") % {"name": actor, "title": proposal.title},
            url=_url(proposal),
        )
    else:
        _move(actor, proposal, "submit", ProposalState.UNDER_REVIEW)
        _notify_staff_new(proposal)
    return proposal


def _notify_staff_new(proposal: Proposal) -> None:
    notify_on_commit(
        _staff(proposal.conference_id),
        verb="proposal_submitted",
        conference_id=proposal.conference_id,
        title=_("新提案待审查：《%(title)s》") % {"title": proposal.title},
        url=_url(proposal),
    )


@transaction.atomic(durable=True)
def respond_to_cosign(
    actor: User, proposal: Proposal, *, accept: bool, version: int | None = None
) -> Proposal:
    """An invited co-signer confirms or declines; the last answer sends the proposal to review."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "respond_cosign")
    invitation = CoSigner.objects.select_for_update().get(proposal=proposal, user=actor)
    if invitation.state != CoSigner.State.INVITED:
        raise AppError(ErrorCode.INVALID_STATE, _("您已答复过该联名邀请。"))
    invitation.state = CoSigner.State.CONFIRMED if accept else CoSigner.State.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    verdict = _("确认联名") if accept else _("谢绝联名")
    still_pending = proposal.cosigners.filter(state=CoSigner.State.INVITED).exists()
    if still_pending:
        _move(actor, proposal, "respond_cosign", ProposalState.SUBMITTED, summary=verdict)
    else:
        _move(actor, proposal, "respond_cosign", ProposalState.UNDER_REVIEW, summary=verdict)
        _notify_staff_new(proposal)
    notify_on_commit(
        [proposal.proposer],
        verb="cosign_answered",
        conference_id=proposal.conference_id,
        title=_("%(name)s %(verdict)s：《%(title)s》")
        % {"name": actor, "verdict": verdict, "title": proposal.title},
        url=_url(proposal),
    )
    return proposal


# ---------------------------------------------------------------------------- review


def _next_number(session: Session) -> int:
    """The next number of the session, under a lock on the session row so two acceptances never clash."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    top = Proposal.objects.filter(session=session).aggregate(m=Max("number"))["m"]
    return (top or 0) + 1


@transaction.atomic(durable=True)
def accept_proposal(
    actor: User,
    proposal: Proposal,
    *,
    version: int | None = None,
    category_id: int | None = None,
    note: str = "",
) -> Proposal:
    """Staff accept (立案): the proposal gets the next number of its session."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "accept")
    if category_id:
        proposal.category = _category(proposal.conference_id, category_id)
    proposal.number = _next_number(proposal.session)
    proposal.accepted_at = timezone.now()
    proposal.review_note = _text(note, "note", _("审查意见"), required=False, limit=NOTE_MAX)
    proposal.save(update_fields=["number", "accepted_at", "category", "review_note"])
    _move(
        actor,
        proposal,
        "accept",
        ProposalState.ACCEPTED,
        summary=_("立案，%(no)s") % {"no": proposal.number_label},
    )
    from xieshang.duty import services as duty  # duty points: lead author, confirmed co-signers, merged

    duty.record_for_authors(
        conference_id=proposal.conference_id,
        kind="proposal_accepted",
        occurred_on=today(),
        source_type="proposal",
        source_id=proposal.pk,
        lead_id=proposal.proposer_id,
        participant_ids=[
            *proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).values_list("user_id", flat=True),
            *proposal.merged_proposals.values_list("proposer_id", flat=True),
        ],
        title=proposal.title,
    )
    notify_on_commit(
        _followers(proposal),
        verb="proposal_accepted",
        conference_id=proposal.conference_id,
        title=_("您的提案《%(title)s》已立案（%(no)s）")
        % {"title": proposal.title, "no": proposal.number_label},
        url=_url(proposal),
    )
    return proposal


def _decline(
    actor: User, proposal: Proposal, action: str, to_state: str, note: str, version: int | None
) -> Proposal:
    proposal = _lock(proposal, version)
    _check(actor, proposal, action)
    proposal.review_note = _text(note, "note", _("理由"), required=True, limit=NOTE_MAX)
    proposal.save(update_fields=["review_note"])
    label = workflow.transition(action).label
    _move(actor, proposal, action, to_state, summary=f"{label}：{proposal.review_note}")
    notify_on_commit(
        [proposal.proposer],
        verb=f"proposal_{action}",
        conference_id=proposal.conference_id,
        title=_("您的提案《%(title)s》：%(label)s") % {"title": proposal.title, "label": label},
        body=proposal.review_note,
        url=_url(proposal),
    )
    return proposal


@transaction.atomic(durable=True)
def reject_proposal(actor: User, proposal: Proposal, *, note: str, version: int | None = None) -> Proposal:
    """Staff decline to accept, with the reason the member will read."""
    return _decline(actor, proposal, "reject", ProposalState.REJECTED, note, version)


@transaction.atomic(durable=True)
def return_proposal(actor: User, proposal: Proposal, *, note: str, version: int | None = None) -> Proposal:
    """Staff send the proposal back to its author for revision."""
    return _decline(actor, proposal, "return", ProposalState.RETURNED, note, version)


@transaction.atomic(durable=True)
def convert_proposal(actor: User, proposal: Proposal, *, note: str, version: int | None = None) -> Proposal:
    """Staff handle the text as a public-opinion report instead of a proposal; the report is created
    in the same transaction, submitted and waiting for the opinion editors."""
    proposal = _decline(actor, proposal, "convert", ProposalState.CONVERTED, note, version)
    report = create_from_proposal(actor, proposal)
    record(
        actor,
        "converted_to",
        proposal,
        summary=_("已转为社情民意信息《%(t)s》") % {"t": report.title},
        data={"report": report.pk},
    )
    return proposal


@transaction.atomic(durable=True)
def merge_proposals(
    actor: User,
    target: Proposal,
    sources: Sequence[Proposal],
    *,
    note: str = "",
    versions: Mapping[int, int] | None = None,
) -> Proposal:
    """Staff merge similar proposals into `target` (并案); the sources follow it from then on."""
    target = _lock(target, None)
    if not actor_roles(actor, target) & {"staff"}:
        raise denied()
    if target.state not in {ProposalState.UNDER_REVIEW, ProposalState.ACCEPTED, ProposalState.ASSIGNED}:
        raise AppError(ErrorCode.INVALID_STATE, _("并案的主提案须处于待审查、已立案或办理中状态。"))
    if not sources:
        raise invalid({"sources": _("请选择要并入的提案。")})
    merged = []
    for source in sources:
        source = _lock(source, (versions or {}).get(source.pk))
        if source.pk == target.pk:
            raise invalid({"sources": _("不能把提案并入它自己。")})
        if source.conference_id != target.conference_id:
            raise denied()
        _check(actor, source, "merge")
        source.merged_into = target
        source.review_note = _text(note, "note", _("说明"), required=False, limit=NOTE_MAX)
        source.save(update_fields=["merged_into", "review_note"])
        _move(
            actor,
            source,
            "merge",
            ProposalState.MERGED,
            summary=_("并入《%(t)s》") % {"t": target.title},
            target=target.pk,
        )
        merged.append(source)
        notify_on_commit(
            [source.proposer],
            verb="proposal_merged",
            conference_id=source.conference_id,
            title=_("您的提案《%(s)s》已并入《%(t)s》办理") % {"s": source.title, "t": target.title},
            url=_url(target),
        )
    _touch(
        actor,
        target,
        "merge_target",
        summary=_("并入 %(n)s 件提案") % {"n": len(merged)},
        sources=[s.pk for s in merged],
    )
    if target.state in {ProposalState.ACCEPTED, ProposalState.ASSIGNED}:
        from xieshang.duty import services as duty  # merged proposers share the accepted target's credit

        duty.record_for_authors(
            conference_id=target.conference_id,
            kind="proposal_accepted",
            occurred_on=today(),
            source_type="proposal",
            source_id=target.pk,
            lead_id=target.proposer_id,
            participant_ids=[s.proposer_id for s in merged],
            title=target.title,
        )
    return target


# ---------------------------------------------------------------------------- assignment


@dataclass(frozen=True)
class UnitPlan:
    """One unit to assign, with its role and (optional) due date."""

    unit_id: int
    role: str
    due_on: dt.date | None = None


def _default_due(conference: Conference, role: str, start: dt.date) -> dt.date:
    if role == AssignmentRole.CO:
        return add_months(start, conference.co_opinion_due_months)
    return add_months(start, conference.reply_due_months)


def _unit_for(conference: Conference, unit_id: int) -> HandlingUnit:
    unit = HandlingUnit.objects.filter(pk=unit_id, is_active=True, conferences=conference).first()
    if unit is None:
        raise invalid({"units": _("承办单位不存在或未服务本级政协。")})
    return unit


def _validate_plan(
    conference: Conference, plan: Sequence[UnitPlan]
) -> list[tuple[HandlingUnit, str, dt.date]]:
    if not plan:
        raise invalid({"units": _("请至少选择一个承办单位。")})
    roles = [p.role for p in plan]
    if any(r not in AssignmentRole.values for r in roles):
        raise invalid({"units": _("办理方式无效。")})
    if len({p.unit_id for p in plan}) != len(plan):
        raise invalid({"units": _("同一承办单位不能重复交办。")})
    leads, separates = roles.count(AssignmentRole.LEAD), roles.count(AssignmentRole.SEPARATE)
    if separates and leads:
        raise invalid({"units": _("分办不能与主办同时使用。")})
    if not separates and leads != 1:
        raise invalid({"units": _("须指定且只能指定一个主办单位。")})
    start = today()
    result = []
    for p in plan:
        due = p.due_on or _default_due(conference, p.role, start)
        if due <= start:
            raise invalid({"units": _("办理时限须晚于今天。")})
        result.append((_unit_for(conference, p.unit_id), p.role, due))
    return result


def _notify_units(assignments: Iterable[Assignment], proposal: Proposal, verb: str, title: str) -> None:
    for a in assignments:
        notify_on_commit(
            unit_contacts(a.conference_id, a.unit_id),
            verb=verb,
            conference_id=a.conference_id,
            title=title,
            url=_url(proposal),
        )


@transaction.atomic(durable=True)
def assign_proposal(
    actor: User, proposal: Proposal, plan: Sequence[UnitPlan], *, version: int | None = None
) -> list[Assignment]:
    """Staff assign an accepted proposal to lead/co-handling units, or to separate units."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "assign")
    rows = _validate_plan(proposal.conference, plan)
    now = timezone.now()
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                proposal=proposal,
                conference=proposal.conference,
                unit=unit,
                role=role,
                due_on=due,
                assigned_at=now,
                assigned_by=actor,
            )
            for unit, role, due in rows
        ]
    )
    summary = "；".join(f"{a.unit}（{a.get_role_display()}，{a.due_on:%Y-%m-%d}前）" for a in assignments)
    _move(actor, proposal, "assign", ProposalState.ASSIGNED, summary=_("交办：%(s)s") % {"s": summary})
    _notify_units(assignments, proposal, "proposal_assigned", _("新交办提案：%(t)s") % {"t": proposal})
    notify_on_commit(
        _followers(proposal),
        verb="proposal_assigned",
        conference_id=proposal.conference_id,
        title=_("您的提案《%(title)s》已交办") % {"title": proposal.title},
        body=summary,
        url=_url(proposal),
    )
    return assignments


def _lock_assignment(
    actor: User, assignment: Assignment, action: str, version: int | None = None
) -> tuple[Assignment, Proposal]:
    """Lock proposal then assignment (always in this order) and check the unit's or staff's right."""
    proposal = _lock(assignment.proposal, version)
    assignment = (
        Assignment.objects.select_for_update().select_related("unit", "conference").get(pk=assignment.pk)
    )
    row = workflow.transition(action)
    if "unit" in row.roles and not is_unit_of_assignment(actor, assignment):
        raise denied()
    if "staff" in row.roles and not has_role(actor, proposal.conference_id, RoleKind.STAFF):
        raise denied()
    if proposal.state not in row.sources:
        raise AppError(ErrorCode.INVALID_STATE)
    return assignment, proposal


@transaction.atomic(durable=True)
def request_reassignment(
    actor: User,
    assignment: Assignment,
    *,
    reason: str,
    suggested_unit_id: int | None = None,
    version: int | None = None,
) -> ReassignmentRequest:
    """A unit asks to be replaced; only within the window after assignment (10 days by default)."""
    assignment, proposal = _lock_assignment(actor, assignment, "request_reassignment", version)
    if assignment.state != Assignment.State.ACTIVE or assignment.round > 1:
        raise AppError(ErrorCode.INVALID_STATE, _("该交办已不在可申请调整的阶段。"))
    window = proposal.conference.reassign_window_days
    # A unit may ask within the window; after that only staff may change units on their own motion.
    if (today() - timezone.localdate(assignment.assigned_at)).days > window:
        raise AppError(
            ErrorCode.WINDOW_CLOSED, _("交办已超过 %(d)s 日，不能再申请调整承办单位。") % {"d": window}
        )
    if assignment.reassignment_requests.filter(state=RequestState.PENDING).exists():
        raise AppError(ErrorCode.DUPLICATE, _("已有待审批的调整申请。"))
    suggested = _unit_for(proposal.conference, suggested_unit_id) if suggested_unit_id else None
    req = ReassignmentRequest.objects.create(
        assignment=assignment,
        reason=_text(reason, "reason", _("理由"), required=True, limit=NOTE_MAX),
        suggested_unit=suggested,
        requested_by=actor,
    )
    _touch(
        actor,
        proposal,
        "request_reassignment",
        summary=_("%(u)s申请调整承办单位：%(r)s") % {"u": assignment.unit, "r": req.reason},
        request=req.pk,
    )
    notify_on_commit(
        _staff(proposal.conference_id),
        verb="reassignment_requested",
        conference_id=proposal.conference_id,
        title=_("%(u)s申请调整承办单位：%(t)s") % {"u": assignment.unit, "t": proposal},
        url=_url(proposal),
    )
    return req


def _decision(actor: User, request: R, approve: bool, note: str) -> R:
    """Record the office's decision on a pending unit request (not yet saved); a refusal needs a reason."""
    if request.state != RequestState.PENDING:
        raise AppError(ErrorCode.INVALID_STATE, _("该申请已处理。"))
    request.decision_note = _text(note, "note", _("审批意见"), required=not approve, limit=NOTE_MAX)
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by, request.decided_at = actor, timezone.now()
    return request


@transaction.atomic(durable=True)
def decide_reassignment(
    actor: User,
    request: ReassignmentRequest,
    *,
    approve: bool,
    new_unit_id: int | None = None,
    note: str = "",
    version: int | None = None,
) -> ReassignmentRequest:
    """Staff approve (the part moves to a new unit with a fresh due date) or refuse a reassignment."""
    assignment, proposal = _lock_assignment(actor, request.assignment, "reassign", version)
    request = _decision(
        actor, ReassignmentRequest.objects.select_for_update().get(pk=request.pk), approve, note
    )
    new_assignment = None
    if approve:
        if not new_unit_id:
            raise invalid({"new_unit": _("请选择新的承办单位。")})
        unit = _unit_for(proposal.conference, new_unit_id)
        if proposal.assignments.filter(unit=unit).exclude(state=Assignment.State.WITHDRAWN).exists():
            raise invalid({"new_unit": _("该单位已在承办本提案。")})
        assignment.state = Assignment.State.WITHDRAWN
        assignment.save(update_fields=["state"])
        new_assignment = Assignment.objects.create(
            proposal=proposal,
            conference=proposal.conference,
            unit=unit,
            role=assignment.role,
            assigned_at=timezone.now(),
            assigned_by=actor,
            due_on=_default_due(proposal.conference, assignment.role, today()),
        )
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    summary = (
        _("同意调整：%(a)s → %(b)s") % {"a": assignment.unit, "b": new_assignment.unit}
        if new_assignment
        else _("不同意%(a)s调整申请：%(n)s") % {"a": assignment.unit, "n": request.decision_note}
    )
    _touch(actor, proposal, "reassign", summary=summary, request=request.pk)
    _notify_units([assignment], proposal, "reassignment_decided", summary)
    if new_assignment:
        _notify_units(
            [new_assignment], proposal, "proposal_assigned", _("新交办提案：%(t)s") % {"t": proposal}
        )
    return request


@transaction.atomic(durable=True)
def request_extension(
    actor: User, assignment: Assignment, *, requested_due_on: dt.date, reason: str, version: int | None = None
) -> ExtensionRequest:
    """A unit asks for a later due date, with a reason."""
    assignment, proposal = _lock_assignment(actor, assignment, "request_extension", version)
    if assignment.state != Assignment.State.ACTIVE:
        raise AppError(ErrorCode.INVALID_STATE, _("该交办已答复，无需延期。"))
    if requested_due_on <= assignment.due_on:
        raise invalid(
            {"requested_due_on": _("申请的日期须晚于现在的办理时限（%(d)s）。") % {"d": assignment.due_on}}
        )
    if requested_due_on > add_months(assignment.due_on, 6):
        raise invalid({"requested_due_on": _("一次延期不能超过 6 个月。")})
    if assignment.extension_requests.filter(state=RequestState.PENDING).exists():
        raise AppError(ErrorCode.DUPLICATE, _("已有待审批的延期申请。"))
    req = ExtensionRequest.objects.create(
        assignment=assignment,
        requested_due_on=requested_due_on,
        requested_by=actor,
        reason=_text(reason, "reason", _("理由"), required=True, limit=NOTE_MAX),
    )
    _touch(
        actor,
        proposal,
        "request_extension",
        summary=_("%(u)s申请延期至 %(d)s") % {"u": assignment.unit, "d": requested_due_on},
        request=req.pk,
    )
    notify_on_commit(
        _staff(proposal.conference_id),
        verb="extension_requested",
        conference_id=proposal.conference_id,
        title=_("%(u)s申请延期：%(t)s") % {"u": assignment.unit, "t": proposal},
        url=_url(proposal),
    )
    return req


@transaction.atomic(durable=True)
def decide_extension(
    actor: User, request: ExtensionRequest, *, approve: bool, note: str = "", version: int | None = None
) -> ExtensionRequest:
    """Staff approve (moving the due date) or refuse an extension request."""
    assignment, proposal = _lock_assignment(actor, request.assignment, "decide_extension", version)
    request = _decision(actor, ExtensionRequest.objects.select_for_update().get(pk=request.pk), approve, note)
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        assignment.due_on = request.requested_due_on
        assignment.save(update_fields=["due_on"])
        summary = _("同意%(u)s延期至 %(d)s") % {"u": assignment.unit, "d": assignment.due_on}
    else:
        summary = _("不同意%(u)s延期：%(n)s") % {"u": assignment.unit, "n": request.decision_note}
    _touch(actor, proposal, "decide_extension", summary=summary, request=request.pk)
    _notify_units([assignment], proposal, "extension_decided", summary)
    return request


# ---------------------------------------------------------------------------- handling


@transaction.atomic(durable=True)
def record_consultation(
    actor: User,
    assignment: Assignment,
    *,
    held_on: dt.date,
    form: str,
    agreed: str,
    version: int | None = None,
) -> PreReplyConsultation:
    """The unit records its consultation with the proposer before answering (办前面商)."""
    assignment, proposal = _lock_assignment(actor, assignment, "record_consultation", version)
    if form not in PreReplyConsultation.Form.values:
        raise invalid({"form": _("面商方式无效。")})
    if held_on > today():
        raise invalid({"held_on": _("面商日期不能晚于今天。")})
    if held_on < timezone.localdate(assignment.assigned_at):
        raise invalid({"held_on": _("面商日期不能早于交办日期。")})
    c = PreReplyConsultation.objects.create(
        assignment=assignment,
        round=assignment.round,
        held_on=held_on,
        form=form,
        recorded_by=actor,
        agreed=_text(agreed, "agreed", _("商定事项"), required=True, limit=TEXT_MAX),
    )
    _touch(
        actor,
        proposal,
        "record_consultation",
        summary=_("%(u)s办前面商（%(f)s，%(d)s）")
        % {"u": assignment.unit, "f": c.get_form_display(), "d": held_on},
    )
    return c


@transaction.atomic(durable=True)
def submit_co_opinion(actor: User, assignment: Assignment, *, body: str, version: int | None = None) -> Reply:
    """A co-handling unit sends its opinion to the lead unit."""
    assignment, proposal = _lock_assignment(actor, assignment, "submit_co_opinion", version)
    if assignment.role != AssignmentRole.CO:
        raise AppError(ErrorCode.INVALID_STATE, _("只有会办单位提交会办意见。"))
    if assignment.state != Assignment.State.ACTIVE:
        raise AppError(ErrorCode.INVALID_STATE, _("会办意见已提交。"))
    now = timezone.now()
    reply = Reply.objects.create(
        assignment=assignment,
        proposal=proposal,
        kind=Reply.Kind.CO_OPINION,
        round=assignment.round,
        body=_text(body, "body", _("会办意见"), required=True, limit=TEXT_MAX),
        submitted_by=actor,
        submitted_at=now,
        on_time=timezone.localdate(now) <= assignment.due_on,
    )
    assignment.state, assignment.answered_at = Assignment.State.ANSWERED, now
    assignment.save(update_fields=["state", "answered_at"])
    _touch(
        actor,
        proposal,
        "submit_co_opinion",
        summary=_("%(u)s提交会办意见") % {"u": assignment.unit},
        reply=reply.pk,
    )
    leads = proposal.assignments.filter(role=AssignmentRole.LEAD).exclude(state=Assignment.State.WITHDRAWN)
    _notify_units(
        leads, proposal, "co_opinion", _("%(u)s已提交会办意见：%(t)s") % {"u": assignment.unit, "t": proposal}
    )
    return reply


@dataclass
class ReplyInput:
    """A reply letter."""

    body: str
    outcome: str
    signed_by: str
    contact_person: str = ""
    contact_phone: str = ""


@transaction.atomic(durable=True)
def submit_reply(
    actor: User,
    assignment: Assignment,
    data: ReplyInput,
    letter: UploadedFile | None = None,
    *,
    version: int | None = None,
) -> Reply:
    """The lead (or a separate) unit submits its signed reply letter with an outcome class."""
    assignment, proposal = _lock_assignment(actor, assignment, "reply", version)
    if assignment.role == AssignmentRole.CO:
        raise AppError(ErrorCode.INVALID_STATE, _("会办单位请向主办单位提交会办意见。"))
    if assignment.state != Assignment.State.ACTIVE:
        raise AppError(ErrorCode.INVALID_STATE, _("本轮已答复。"))
    errors = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = _("请选择办理结果分类（A/B/C/D）。")
    if errors:
        raise invalid(errors)
    body = _text(data.body, "body", _("答复内容"), required=True, limit=TEXT_MAX)
    signed_by = _text(data.signed_by, "signed_by", _("签发人"), required=True, limit=50)
    if not assignment.consultations.exists():
        raise AppError(ErrorCode.CONSULTATION_REQUIRED)
    if letter is not None:
        check_upload(
            letter,
            {".pdf": DOCUMENT_TYPES[".pdf"], ".jpg": DOCUMENT_TYPES[".jpg"], ".png": DOCUMENT_TYPES[".png"]},
        )
    now = timezone.now()
    reply = Reply.objects.create(
        assignment=assignment,
        proposal=proposal,
        kind=Reply.Kind.LETTER,
        round=assignment.round,
        body=body,
        outcome=data.outcome,
        signed_by=signed_by,
        contact_person=_text(data.contact_person, "contact_person", _("联系人"), required=False, limit=50),
        contact_phone=_text(data.contact_phone, "contact_phone", _("联系电话"), required=False, limit=40),
        submitted_by=actor,
        submitted_at=now,
        on_time=timezone.localdate(now) <= assignment.due_on,
    )
    if letter is not None:
        reply.letter_file.save(letter.name or "letter", letter, save=True)
    assignment.state, assignment.answered_at = Assignment.State.ANSWERED, now
    assignment.save(update_fields=["state", "answered_at"])
    outstanding = proposal.assignments.filter(
        role__in=[AssignmentRole.LEAD, AssignmentRole.SEPARATE], state=Assignment.State.ACTIVE
    ).exists()
    summary = _("%(u)s答复（%(o)s类）") % {"u": assignment.unit, "o": data.outcome}
    _move(
        actor,
        proposal,
        "reply",
        ProposalState.ASSIGNED if outstanding else ProposalState.REPLIED,
        summary=summary,
        reply=reply.pk,
    )
    notify_on_commit(
        _followers(proposal),
        verb="reply_submitted",
        conference_id=proposal.conference_id,
        title=_("%(u)s已答复您的提案《%(t)s》，请评价") % {"u": assignment.unit, "t": proposal.title},
        url=_url(proposal),
    )
    return reply


@transaction.atomic(durable=True)
def evaluate_reply(
    actor: User, reply: Reply, *, verdict: str, comment: str = "", version: int | None = None
) -> Evaluation:
    """The proposer evaluates a reply letter; unsatisfied opens a new handling round for that unit."""
    proposal = _lock(reply.proposal, version)
    _check(actor, proposal, "evaluate")
    reply = Reply.objects.select_related("assignment__unit").get(pk=reply.pk)
    assignment = Assignment.objects.select_for_update().get(pk=reply.assignment_id)
    if reply.kind != Reply.Kind.LETTER or reply.round != assignment.round:
        raise AppError(ErrorCode.INVALID_STATE, _("只能评价本轮答复函。"))
    if Evaluation.objects.filter(reply=reply).exists():
        raise AppError(ErrorCode.DUPLICATE, _("该答复已评价。"))
    if verdict not in Evaluation.Verdict.values:
        raise invalid({"verdict": _("请选择满意、基本满意或不满意。")})
    comment = _text(
        comment, "comment", _("意见"), required=verdict == Evaluation.Verdict.UNSATISFIED, limit=NOTE_MAX
    )
    evaluation = Evaluation.objects.create(
        reply=reply, proposal=proposal, verdict=verdict, comment=comment, evaluated_by=actor
    )
    label = evaluation.get_verdict_display()
    if verdict == Evaluation.Verdict.UNSATISFIED:
        # An unsatisfied verdict sends this unit's part into a new round with a fresh, shorter deadline.
        assignment.round += 1
        assignment.state = Assignment.State.ACTIVE
        assignment.due_on = today() + dt.timedelta(days=proposal.conference.rehandle_due_days)
        assignment.answered_at = None
        assignment.save(update_fields=["round", "state", "due_on", "answered_at"])
        _move(
            actor,
            proposal,
            "evaluate",
            ProposalState.ASSIGNED,
            summary=_("对%(u)s答复不满意，重新办理（第%(r)s轮）")
            % {"u": reply.assignment.unit, "r": assignment.round},
            evaluation=evaluation.pk,
        )
        _notify_units(
            [assignment],
            proposal,
            "rehandle",
            _("委员对答复不满意，请重新办理：%(t)s") % {"t": proposal},
        )
    else:
        from xieshang.duty import services as duty  # satisfied or basic: the proposer's quality points

        duty.record_event(
            conference_id=proposal.conference_id,
            user_id=proposal.proposer_id,
            kind="proposal_satisfied",
            occurred_on=today(),
            source_type="proposal",
            source_id=proposal.pk,
            role="lead",
            title=proposal.title,
            data={"verdict": verdict, "outcome": reply.outcome},
        )
        letters = _current_letters(proposal)
        done = all(Evaluation.objects.filter(reply=r).exists() for r in letters)
        to_state = ProposalState.EVALUATED if done else ProposalState.REPLIED
        _move(
            actor,
            proposal,
            "evaluate",
            to_state,
            summary=_("对%(u)s答复%(v)s") % {"u": reply.assignment.unit, "v": label},
            evaluation=evaluation.pk,
        )
    notify_on_commit(
        _staff(proposal.conference_id),
        verb="reply_evaluated",
        conference_id=proposal.conference_id,
        title=_("委员评价（%(v)s）：%(t)s") % {"v": label, "t": proposal},
        body=comment,
        url=_url(proposal),
    )
    return evaluation


def _current_letters(proposal: Proposal) -> list[Reply]:
    """The latest round's letter of every live lead or separate assignment."""
    letters = []
    for a in proposal.assignments.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.SEPARATE]).exclude(
        state=Assignment.State.WITHDRAWN
    ):
        r = a.replies.filter(kind=Reply.Kind.LETTER, round=a.round).first()
        if r is not None:
            letters.append(r)
    return letters


# ---------------------------------------------------------------------------- supervision and closing


@transaction.atomic(durable=True)
def close_proposal(
    actor: User, proposal: Proposal, *, version: int | None = None, note: str = ""
) -> Proposal:
    """Staff close a replied or evaluated proposal (办结)."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "close")
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["closed_at"])
    _move(actor, proposal, "close", ProposalState.CLOSED, summary=note.strip()[:300] or _("办结"))
    notify_on_commit(
        _followers(proposal),
        verb="proposal_closed",
        conference_id=proposal.conference_id,
        title=_("您的提案《%(t)s》已办结") % {"t": proposal.title},
        url=_url(proposal),
    )
    return proposal


def _author_ids(proposal: Proposal) -> list[int]:
    """Co-authors who share the credit: confirmed co-signers and proposers of merged proposals."""
    return [
        *proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).values_list("user_id", flat=True),
        *proposal.merged_proposals.values_list("proposer_id", flat=True),
    ]


@transaction.atomic(durable=True)
def award_proposal(actor: User, proposal: Proposal, *, award: str, version: int | None = None) -> Proposal:
    """Staff record the year's award (优秀提案), or withdraw it with an empty `award`; the authors'
    duty points follow."""
    from xieshang.duty import services as duty

    proposal = _lock(proposal, version)
    _check(actor, proposal, "award")
    proposal.award = _text(award, "award", _("表彰名称"), required=False, limit=50)
    summary = _("评为%(a)s") % {"a": proposal.award} if proposal.award else _("撤销表彰")
    _touch(actor, proposal, "award", fields=["award"], summary=summary)
    duty.retract_source(
        conference_id=proposal.conference_id,
        kind="proposal_outstanding",
        source_type="proposal",
        source_id=proposal.pk,
    )
    if proposal.award:
        duty.record_for_authors(
            conference_id=proposal.conference_id,
            kind="proposal_outstanding",
            occurred_on=today(),
            source_type="proposal",
            source_id=proposal.pk,
            lead_id=proposal.proposer_id,
            participant_ids=_author_ids(proposal),
            title=proposal.title,
        )
        notify_on_commit(
            _followers(proposal),
            verb="proposal_awarded",
            conference_id=proposal.conference_id,
            title=_("您的提案《%(t)s》被评为%(a)s") % {"t": proposal.title, "a": proposal.award},
            url=_url(proposal),
        )
    return proposal


@transaction.atomic(durable=True)
def mark_key(
    actor: User, proposal: Proposal, *, is_key: bool, leader_id: int | None = None, version: int | None = None
) -> Proposal:
    """Staff mark a key proposal (重点提案) with its supervising leader, or unmark it."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "mark_key")
    leader = None
    if is_key:
        if not leader_id:
            raise invalid({"leader": _("重点提案须指定督办领导。")})
        leader = users_with_role(proposal.conference_id, [RoleKind.LEADER]).filter(pk=leader_id).first()
        if leader is None:
            raise invalid({"leader": _("督办领导须是本级政协领导。")})
    proposal.is_key, proposal.key_leader = is_key, leader
    summary = _("设为重点提案，督办领导：%(l)s") % {"l": leader} if leader else _("取消重点提案")
    _touch(actor, proposal, "mark_key", fields=["is_key", "key_leader"], summary=summary)
    from xieshang.duty import services as duty  # key proposal points follow the mark

    if is_key:
        duty.record_for_authors(
            conference_id=proposal.conference_id,
            kind="proposal_key",
            occurred_on=today(),
            source_type="proposal",
            source_id=proposal.pk,
            lead_id=proposal.proposer_id,
            participant_ids=[
                *proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).values_list("user_id", flat=True),
                *proposal.merged_proposals.values_list("proposer_id", flat=True),
            ],
            title=proposal.title,
        )
    else:
        duty.retract_source(
            conference_id=proposal.conference_id,
            kind="proposal_key",
            source_type="proposal",
            source_id=proposal.pk,
        )
    if leader:
        notify_on_commit(
            [leader],
            verb="key_proposal",
            conference_id=proposal.conference_id,
            title=_("请您督办重点提案：%(t)s") % {"t": proposal},
            url=_url(proposal),
        )
    return proposal


@transaction.atomic(durable=True)
def set_published(
    actor: User, proposal: Proposal, *, published: bool, version: int | None = None
) -> Proposal:
    """Staff publish (or withdraw) an accepted proposal and its replies on the public portal."""
    proposal = _lock(proposal, version)
    _check(actor, proposal, "publish")
    proposal.is_published = published
    _touch(
        actor, proposal, "publish", fields=["is_published"], summary=_("公开") if published else _("撤销公开")
    )
    return proposal


@transaction.atomic(durable=True)
def send_reminder(
    actor: User, assignment: Assignment, *, note: str = "", version: int | None = None
) -> Reminder:
    """Staff remind a unit of an assignment it has not answered yet (催办)."""
    assignment, proposal = _lock_assignment(actor, assignment, "remind", version)
    if assignment.state != Assignment.State.ACTIVE:
        raise AppError(ErrorCode.INVALID_STATE, _("该单位已答复，无需催办。"))
    reminder = Reminder.objects.create(
        assignment=assignment,
        kind=Reminder.Kind.MANUAL,
        sent_by=actor,
        sent_on=today(),
        note=_text(note, "note", _("说明"), required=False, limit=300),
    )
    _touch(actor, proposal, "remind", summary=_("催办%(u)s") % {"u": assignment.unit})
    _notify_units(
        [assignment],
        proposal,
        "reminder",
        _("催办：请于 %(d)s 前答复 %(t)s") % {"d": assignment.due_on, "t": proposal},
    )
    return reminder


def send_due_reminders(on: dt.date | None = None) -> dict[str, int]:
    """The daily job: remind units of replies due within the conference's window and of overdue ones.

    Each assignment gets at most one automatic reminder of each kind a day, so reruns are harmless.
    """
    day = on or today()
    counts = {"due_soon": 0, "overdue": 0}
    live = Assignment.objects.filter(state=Assignment.State.ACTIVE, proposal__state=ProposalState.ASSIGNED)
    for a in live.select_related("conference", "proposal", "unit").iterator():
        if a.due_on < day:
            kind = Reminder.Kind.OVERDUE
            title = _("已逾期：%(t)s（时限 %(d)s）") % {"t": a.proposal, "d": a.due_on}
        elif (a.due_on - day).days <= a.conference.due_soon_days:
            kind = Reminder.Kind.DUE_SOON
            title = _("临期提醒：%(t)s 须于 %(d)s 前答复") % {"t": a.proposal, "d": a.due_on}
        else:
            continue
        with transaction.atomic():
            created = Reminder.objects.get_or_create(assignment=a, kind=kind, sent_on=day)[1]
            if not created:
                continue
            record(None, "auto_remind", a.proposal, summary=f"{Reminder.Kind(kind).label}：{a.unit}")
            notify_atomically(
                unit_contacts(a.conference_id, a.unit_id),
                verb=f"reminder_{kind}",
                conference_id=a.conference_id,
                title=title,
                url=_url(a.proposal),
            )
        counts[kind] += 1
    return counts
