"""Every write to public messages: check the rule, then change state in one transaction, audit, notify."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Committee, Conference, HandlingUnit
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.notify.services import notify_atomically, notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import has_role, unit_contacts, users_with_role

from . import throttle, workflow
from .models import Forwarding, Lead, MessageAttachment, MessageReminder, MessageState, PublicMessage
from .rules import actor_roles

SUBJECT_MAX = 200
DETAIL_MAX = 5000
PLACE_MAX = 100
CATEGORY_MAX = 60
REPLY_MAX = 5000
NOTE_MAX = 300
MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_MB = 5
# Photos and documents only: what a citizen sends with a suggestion.
PUBLIC_TYPES = {
    ext: DOCUMENT_TYPES[ext] for ext in (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".doc", ".txt")
}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out on the phone
CODE_LENGTH = 10

_text = sm.clean_text

# ---------------------------------------------------------------------------- helpers


def new_tracking_code() -> str:
    """An unguessable code of 10 characters from an alphabet people can read out (31^10 ≈ 8·10^14)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str | None) -> str:
    """A code as typed (spaces, lower case, O for 0) in its stored form."""
    return "".join((code or "").split()).upper()[: CODE_LENGTH + 6]


def content_hash(subject: str, detail: str, when: str = "") -> str:
    """What identifies a message's content (duplicate imports, duplicate submissions)."""
    return hashlib.sha256(f"{subject.strip()}\n{detail.strip()}\n{when}".encode()).hexdigest()


def _url(message: PublicMessage) -> str:
    return reverse("voice:detail", args=[message.pk])


def _lock(message: PublicMessage, version: int | None) -> PublicMessage:
    """Re-read the message under a row lock and refuse a stale version."""
    return sm.lock(message, version, "conference")


def _check(actor: Any, message: PublicMessage, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the message is in an allowed state."""
    sm.check(workflow.transition(action), actor_roles(actor, message), message, _("该留言"))


def _move(
    actor: Any, message: PublicMessage, action: str, to_state: str, summary: str = "", **data: Any
) -> None:
    sm.move(actor, message, action, workflow.transition(action), to_state, summary=summary, data=data)


def _notify_staff(message: PublicMessage, verb: str, title: str) -> None:
    notify_on_commit(
        users_with_role(message.conference_id, [RoleKind.STAFF]),
        verb=verb,
        title=title,
        url=_url(message),
        conference_id=message.conference_id,
    )


def _unit_of(conference_id: int, unit_id: int | None) -> HandlingUnit:
    unit = HandlingUnit.objects.filter(pk=unit_id or 0, conferences__id=conference_id, is_active=True).first()
    if unit is None:
        raise invalid({"unit": _("请选择本级政协的承办单位。")})
    return unit


def _withdraw_forwardings(message: PublicMessage) -> None:
    Forwarding.objects.filter(message=message, is_current=True, answered_at__isnull=True).update(
        is_current=False
    )


# ---------------------------------------------------------------------------- the public submits


@dataclass
class MessageInput:
    """What a member of the public writes."""

    subject: str
    detail: str
    place: str = ""
    category: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def _clean_input(data: MessageInput) -> dict[str, Any]:
    email = _text(data.contact_email, "contact_email", _("电子邮箱"), required=False, limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise invalid({"contact_email": _("电子邮箱格式不正确。")}) from None
    phone = _text(data.contact_phone, "contact_phone", _("联系电话"), required=False, limit=30)
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        raise invalid({"contact_phone": _("联系电话只能包含数字、空格、“+”和“-”。")})
    return {
        "subject": _text(data.subject, "subject", _("主题"), required=True, limit=SUBJECT_MAX),
        "detail": _text(data.detail, "detail", _("留言内容"), required=True, limit=DETAIL_MAX),
        "place": _text(data.place, "place", _("地点"), required=False, limit=PLACE_MAX),
        "category": _text(data.category, "category", _("类别"), required=False, limit=CATEGORY_MAX),
        "contact_name": _text(data.contact_name, "contact_name", _("联系人"), required=False, limit=50),
        "contact_phone": phone,
        "contact_email": email,
    }


def check_submission_allowed(client: str) -> None:
    """Refuse a client address that already sent its hourly number of messages."""
    if client and throttle.exceeded("submit", client, throttle.submit_limit()):
        raise AppError(
            ErrorCode.INVALID_INPUT,
            _("您提交得太频繁了：每个网络地址每小时最多提交 %(n)s 条留言，请稍后再试。")
            % {"n": throttle.submit_limit()},
        )


@transaction.atomic(durable=True)
def submit_message(
    conference: Conference, data: MessageInput, *, uploads: Sequence[UploadedFile] = (), client: str = ""
) -> PublicMessage:
    """Anyone leaves a message (no sign-in); the caller checked the captcha. Returns it with its code.

    Texts are stored as typed (a <script> tag stays text and is escaped wherever it is shown).
    """
    check_submission_allowed(client)
    fields = _clean_input(data)
    if len(uploads) > MAX_ATTACHMENTS:
        raise invalid({"attachments": _("最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    names = []
    for upload in uploads:
        try:
            names.append(check_upload(upload, PUBLIC_TYPES, max_mb=ATTACHMENT_MAX_MB))
        except AppError as error:
            raise AppError(error.code, error.message, fields={"attachments": error.message}) from error
    message = PublicMessage.objects.create(
        conference=conference,
        tracking_code=new_tracking_code(),
        client_hash=client,
        content_hash=content_hash(fields["subject"], fields["detail"]),
        **fields,
    )
    for upload, name in zip(uploads, names, strict=True):
        MessageAttachment.objects.create(
            message=message, file=upload, original_name=name, size=upload.size or 0
        )
    record(None, "submit", message, to_state=message.state, summary=_("群众提交留言"))
    if client:
        throttle.count("submit", client)
    _notify_staff(message, "message_received", _("新群众建言：%(s)s") % {"s": message.subject})
    return message


# ---------------------------------------------------------------------------- staff triage


@transaction.atomic(durable=True)
def triage_message(
    actor: User, message: PublicMessage, *, category: str, place: str = "", version: int | None = None
) -> PublicMessage:
    """Staff set the category and place (分拣)."""
    message = _lock(message, version)
    _check(actor, message, "triage")
    message.category = _text(category, "category", _("类别"), required=True, limit=CATEGORY_MAX)
    message.place = _text(place, "place", _("地点"), required=False, limit=PLACE_MAX) or message.place
    message.save(update_fields=["category", "place"])
    _move(actor, message, "triage", MessageState.TRIAGED, _("分拣：%(c)s") % {"c": message.category})
    return message


@transaction.atomic(durable=True)
def merge_message(
    actor: User, message: PublicMessage, target_id: int, *, version: int | None = None
) -> PublicMessage:
    """Staff merge a duplicate into another message of the conference; it follows the target's reply."""
    message = _lock(message, version)
    _check(actor, message, "merge")
    target = PublicMessage.objects.filter(pk=target_id, conference_id=message.conference_id).first()
    if target is None or target.pk == message.pk:
        raise invalid({"target": _("请选择本级政协的另一条留言。")})
    while target.merged_into_id is not None and target.merged_into is not None:
        target = target.merged_into
    if target.pk == message.pk:
        raise invalid({"target": _("不能合并到已合并到本留言的留言。")})
    message.merged_into = target
    message.save(update_fields=["merged_into"])
    target.support_count += message.support_count + 1
    target.save(update_fields=["support_count"])
    _move(
        actor,
        message,
        "merge",
        MessageState.MERGED,
        _("合并到：%(s)s") % {"s": target.subject},
        target=target.pk,
    )
    return message


@transaction.atomic(durable=True)
def answer_message(
    actor: User, message: PublicMessage, *, reply: str, publish: bool = True, version: int | None = None
) -> PublicMessage:
    """Staff answer the public directly (withdrawing a forwarding still unanswered)."""
    message = _lock(message, version)
    _check(actor, message, "answer")
    message.public_reply = _text(reply, "reply", _("答复内容"), required=True, limit=REPLY_MAX)
    message.replied_at = timezone.now()
    message.reply_unit = None
    message.published = publish
    message.save(update_fields=["public_reply", "replied_at", "reply_unit", "published"])
    _withdraw_forwardings(message)
    _move(actor, message, "answer", MessageState.ANSWERED, _("直接答复") + (_("（公开）") if publish else ""))
    return message


@transaction.atomic(durable=True)
def forward_message(
    actor: User,
    message: PublicMessage,
    *,
    unit_id: int,
    due_on: dt.date,
    note: str = "",
    version: int | None = None,
) -> Forwarding:
    """Staff forward a message to a handling unit with a due date (a new forwarding replaces the old)."""
    message = _lock(message, version)
    _check(actor, message, "forward")
    unit = _unit_of(message.conference_id, unit_id)
    if due_on is None or due_on < today():
        raise invalid({"due_on": _("答复时限不能早于今天。")})
    note = _text(note, "note", _("转办意见"), required=False, limit=NOTE_MAX)
    Forwarding.objects.filter(message=message, is_current=True).update(is_current=False)
    forwarding = Forwarding.objects.create(
        message=message, unit=unit, due_on=due_on, note=note, forwarded_by=actor
    )
    _move(
        actor,
        message,
        "forward",
        MessageState.FORWARDED,
        _("转办%(u)s，%(d)s 前答复") % {"u": unit.name, "d": due_on},
        forwarding=forwarding.pk,
    )
    notify_on_commit(
        unit_contacts(message.conference_id, unit.pk),
        verb="message_forwarded",
        title=_("群众建言转办：%(s)s，请于 %(d)s 前答复") % {"s": message.subject, "d": due_on},
        url=_url(message),
        conference_id=message.conference_id,
    )
    return forwarding


@transaction.atomic(durable=True)
def unit_answer(
    actor: User, message: PublicMessage, *, answer: str, version: int | None = None
) -> Forwarding:
    """The forwarded unit's contact answers; the answer becomes the public reply, published by staff."""
    message = _lock(message, version)
    _check(actor, message, "unit_answer")
    forwarding = Forwarding.objects.select_for_update().filter(message=message, is_current=True).first()
    if forwarding is None:
        raise denied()
    text = _text(answer, "answer", _("答复内容"), required=True, limit=REPLY_MAX)
    forwarding.answer, forwarding.answered_by, forwarding.answered_at = text, actor, timezone.now()
    forwarding.save(update_fields=["answer", "answered_by", "answered_at"])
    message.public_reply, message.replied_at, message.reply_unit = (
        text,
        forwarding.answered_at,
        forwarding.unit,
    )
    message.save(update_fields=["public_reply", "replied_at", "reply_unit"])
    _move(actor, message, "unit_answer", MessageState.ANSWERED, _("%(u)s答复") % {"u": forwarding.unit.name})
    _notify_staff(message, "message_answered", _("承办单位已答复群众建言：%(s)s") % {"s": message.subject})
    return forwarding


@transaction.atomic(durable=True)
def publish_answer(
    actor: User, message: PublicMessage, *, published: bool, version: int | None = None
) -> PublicMessage:
    """Staff show the answer in the public answers list, or take it down."""
    message = _lock(message, version)
    _check(actor, message, "publish")
    message.published = published
    label = _("公开答复") if published else _("撤回公开")
    sm.touch(actor, message, "publish", label=label, fields=["published"])
    return message


@transaction.atomic(durable=True)
def mark_lead(
    actor: User,
    message: PublicMessage,
    *,
    committee_id: int | None = None,
    member_id: int | None = None,
    note: str = "",
    version: int | None = None,
) -> Lead:
    """Staff mark a message as a proposal lead for a committee or a member, who are notified."""
    message = _lock(message, version)
    _check(actor, message, "mark_lead")
    committee = Committee.objects.filter(pk=committee_id or 0, conference_id=message.conference_id).first()
    member = User.objects.filter(pk=member_id or 0).first() if member_id else None
    if committee_id and committee is None:
        raise invalid({"committee": _("专委会不存在。")})
    if member_id and (member is None or not has_role(member, message.conference_id, RoleKind.MEMBER)):
        raise invalid({"member": _("请选择本级政协的委员。")})
    if committee is None and member is None:
        raise invalid({"member": _("请选择专委会或委员。")})
    lead = Lead.objects.create(
        message=message,
        conference_id=message.conference_id,
        committee=committee,
        member=member,
        note=_text(note, "note", _("说明"), required=False, limit=NOTE_MAX),
        created_by=actor,
    )
    _move(
        actor,
        message,
        "mark_lead",
        MessageState.LEAD,
        _("标记为提案线索：%(w)s") % {"w": member or committee},
        lead=lead.pk,
    )
    recipients: list[Any] = [member] if member else []
    if committee is not None:
        recipients += [m.user for m in Member.objects.filter(committee=committee).select_related("user")]
    notify_on_commit(
        recipients,
        verb="lead_marked",
        title=_("新的提案线索：%(s)s") % {"s": message.subject},
        url=reverse("voice:leads"),
        conference_id=message.conference_id,
    )
    return lead


@transaction.atomic(durable=True)
def close_message(
    actor: User, message: PublicMessage, *, reason: str = "", version: int | None = None
) -> PublicMessage:
    """Staff close a message (no further handling), with the reason on record."""
    message = _lock(message, version)
    _check(actor, message, "close")
    reason = _text(reason, "reason", _("办结说明"), required=False, limit=NOTE_MAX)
    _withdraw_forwardings(message)
    _move(actor, message, "close", MessageState.CLOSED, _("办结") + (f"：{reason}" if reason else ""))
    return message


# ---------------------------------------------------------------------------- members take up leads


def _lead_text(message: PublicMessage) -> tuple[str, str]:
    place = _("（地点：%(p)s）") % {"p": message.place} if message.place else ""
    body = _("来自群众建言（查询码 %(c)s）%(p)s：\n%(d)s") % {
        "c": message.tracking_code,
        "p": place,
        "d": message.detail,
    }
    return message.subject[:200], body


def _ready(actor: User, lead: Lead, action: str) -> None:
    """The check before calling another app's durable service (which opens its own transaction)."""
    message = PublicMessage.objects.get(pk=lead.message_id)
    _check(actor, message, action)
    if lead.adopted_proposal_id or message.opinion_report_id:
        raise AppError(ErrorCode.DUPLICATE, _("该线索已被转化。"))


def adopt_lead(actor: User, lead: Lead) -> Any:
    """A member turns a lead into a proposal draft with one click; the lead keeps the proposal's id.

    create_proposal is durable (its own transaction), so the link is written right after it; if
    another member adopted the lead in between, the new draft stays with its author and this refuses.
    """
    from xieshang.proposals.services import ProposalInput, create_proposal

    _ready(actor, lead, "adopt")
    title, body = _lead_text(lead.message)
    proposal = create_proposal(actor, lead.message.conference, ProposalInput(title=title, analysis=body))
    _link_proposal(actor, lead, proposal.pk)
    return proposal


@transaction.atomic(durable=True)
def _link_proposal(actor: User, lead: Lead, proposal_id: int) -> None:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.adopted_proposal_id:
        raise AppError(ErrorCode.DUPLICATE, _("该线索已被其他委员转化为提案。"))
    lead.adopted_proposal_id, lead.adopted_by, lead.adopted_at = proposal_id, actor, timezone.now()
    lead.save(update_fields=["adopted_proposal_id", "adopted_by", "adopted_at"])
    message = _lock(lead.message, None)
    sm.touch(actor, message, "adopt", label=_("转化为提案"), data={"proposal": proposal_id})


def convert_lead(actor: User, lead: Lead) -> Any:
    """A member turns a lead into an opinion report draft (社情民意信息) written in their name."""
    from xieshang.opinions.services import ReportInput, create_report

    _ready(actor, lead, "convert")
    message = lead.message
    title, body = _lead_text(message)
    report = create_report(
        actor, message.conference, ReportInput(title=title, facts=body, category=message.category[:50])
    )
    _link_report(actor, message, report.pk)
    return report


@transaction.atomic(durable=True)
def _link_report(actor: User, message: PublicMessage, report_id: int) -> None:
    message = _lock(message, None)
    _check(actor, message, "convert")
    message.opinion_report_id = report_id
    message.save(update_fields=["opinion_report_id"])
    _move(actor, message, "convert", MessageState.CONVERTED, _("转为社情民意信息"), report=report_id)


# ---------------------------------------------------------------------------- the daily job


def send_message_reminders(on: dt.date | None = None) -> int:
    """Remind the units of late forwardings; at most once a day each, so reruns are harmless."""
    day = on or today()
    sent = 0
    late = Forwarding.objects.filter(
        is_current=True, answered_at__isnull=True, due_on__lt=day, message__state=MessageState.FORWARDED
    ).select_related("message", "unit")
    for forwarding in late.iterator():
        with transaction.atomic():
            if not MessageReminder.objects.get_or_create(forwarding=forwarding, sent_on=day)[1]:
                continue
            message = forwarding.message
            record(
                None,
                "auto_remind",
                message,
                from_state=message.state,
                to_state=message.state,
                summary=_("逾期催办"),
            )
            notify_atomically(
                unit_contacts(message.conference_id, forwarding.unit_id),
                verb="message_overdue",
                title=_("群众建言转办已逾期：%(s)s（时限 %(d)s）")
                % {"s": message.subject, "d": forwarding.due_on},
                url=_url(message),
                conference_id=message.conference_id,
            )
        sent += 1
    return sent
