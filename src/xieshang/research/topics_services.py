"""Every write to research topics and forums: check the rule, then change state in one transaction,
audit, notify, and write the group's duty points when the report is submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.activities.models import Activity
from xieshang.audit.services import record
from xieshang.conferences.models import Committee, Conference, Department, Party
from xieshang.core import statemachine as sm
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import check_upload
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import has_role, users_with_role
from xieshang.proposals.models import Proposal
from xieshang.tasks import services as task_services
from xieshang.tasks.models import SourceType

from . import topics_workflow as workflow
from .models import (
    Forum,
    ForumInvitation,
    ForumState,
    ForumSubmission,
    GroupRole,
    InstructionLevel,
    PartnerKind,
    ProposerKind,
    RecipientKind,
    ResearchTopic,
    TopicDraft,
    TopicInstruction,
    TopicKind,
    TopicMember,
    TopicMilestone,
    TopicPartner,
    TopicState,
    TopicTask,
    TopicTransmission,
)
from .topics_rules import actor_roles, can_host_forum, can_register_topics, can_submit_to_forum

TITLE_MAX = 200
TEXT_MAX = 50000
NOTE_MAX = 2000
NAME_MAX = 100
MAX_GROUP = 60
MAX_INVITE = 50
REPORT_TYPES = {".docx": (b"PK\x03\x04",), ".pdf": (b"%PDF",), ".txt": ()}
DUTY_SOURCE = "research_topic"
DUTY_KIND = "research_report"

# ---------------------------------------------------------------------------- helpers


def _url(topic: ResearchTopic) -> str:
    return reverse("research:topic", args=[topic.pk])


def _forum_url(forum: Forum) -> str:
    return reverse("research:forum", args=[forum.pk])


def _lock(topic: ResearchTopic, version: int | None) -> ResearchTopic:
    """Re-read the topic under a row lock and refuse a stale version."""
    return sm.lock(topic, version, "conference")


def _check(actor: Any, topic: ResearchTopic, action: str) -> None:
    """Refuse unless the actor plays an allowed role and the topic is in an allowed state."""
    sm.check(workflow.transition(action), actor_roles(actor, topic), topic, _("该课题"))


def _move(
    actor: Any, topic: ResearchTopic, action: str, to_state: str, *, summary: str = "", **data: Any
) -> None:
    sm.move(actor, topic, action, workflow.transition(action), to_state, summary=summary, data=data)


def _touch(
    actor: Any,
    topic: ResearchTopic,
    action: str,
    *,
    summary: str = "",
    fields: Sequence[str] = (),
    **data: Any,
) -> None:
    sm.touch(
        actor,
        topic,
        action,
        label=workflow.transition(action).label,
        summary=summary,
        fields=fields,
        data=data,
    )


_text = sm.clean_text


def _past_date(value: dt.date | None, field: str, label: str) -> dt.date:
    day = value or today()
    if day > today():
        raise invalid({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day


def _staff(conference_id: int) -> Iterable[User]:
    return users_with_role(conference_id, [RoleKind.STAFF])


# ---------------------------------------------------------------------------- registering topics


@dataclass
class TopicInput:
    """What a proposed topic says: who proposed it, its kind, lead committee and background."""

    title: str
    kind: str
    proposer_kind: str
    proposer_name: str = ""
    background: str = ""
    lead_committee_id: int | None = None
    year: int | None = None
    origin_proposal_id: int | None = None


def _clean_topic(conference_id: int, data: TopicInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data.kind not in TopicKind.values:
        errors["kind"] = _("课题类型无效。")
    if data.proposer_kind not in ProposerKind.values:
        errors["proposer_kind"] = _("申报方无效。")
    year = data.year or today().year
    if not 2000 <= year <= today().year + 1:
        errors["year"] = _("年度无效。")
    committee = None
    if data.lead_committee_id:
        committee = Committee.objects.filter(pk=data.lead_committee_id, conference_id=conference_id).first()
        if committee is None:
            errors["lead_committee"] = _("牵头专委会不属于本级政协。")
    proposal = None
    if data.origin_proposal_id:
        proposal = (
            Proposal.objects.filter(pk=data.origin_proposal_id, conference_id=conference_id)
            .exclude(state__in=["draft", "submitted"])
            .first()
        )
        if proposal is None:
            errors["origin_proposal"] = _("来源提案不属于本级政协。")
    if errors:
        raise invalid(errors)
    name = _text(data.proposer_name, "proposer_name", _("申报单位"), required=False, limit=NAME_MAX)
    if not name:
        if data.proposer_kind == ProposerKind.CHAIRS:
            name = str(ProposerKind.CHAIRS.label)
        elif data.proposer_kind == ProposerKind.COMMITTEE and committee is not None:
            name = committee.name
        else:
            raise invalid({"proposer_name": _("请填写申报的专委会、党派团体或界别名称。")})
    return {
        "title": _text(data.title, "title", _("课题名称"), required=True, limit=TITLE_MAX),
        "background": _text(data.background, "background", _("选题背景"), required=False, limit=TEXT_MAX),
        "kind": data.kind,
        "proposer_kind": data.proposer_kind,
        "proposer_name": name,
        "lead_committee": committee,
        "origin_proposal": proposal,
        "year": year,
    }


def topic_input_from_proposal(proposal: Proposal) -> TopicInput:
    """A topic prefilled from a proposal: its subject as the title, its analysis as the background."""
    collective = (proposal.collective_name or "").strip()
    return TopicInput(
        title=proposal.title,
        kind=TopicKind.COMMITTEE,
        proposer_kind=ProposerKind.PARTY if collective else ProposerKind.COMMITTEE,
        proposer_name=collective,
        background=proposal.analysis or "",
        origin_proposal_id=proposal.pk,
    )


@transaction.atomic(durable=True)
def create_topic(actor: User, conference: Conference, data: TopicInput) -> ResearchTopic:
    """Staff register a topic proposed by a committee, party, sector or the chairs (optionally from a
    proposal, which becomes its origin)."""
    if not can_register_topics(actor, conference.pk):
        raise denied()
    fields = _clean_topic(conference.pk, data)
    topic = ResearchTopic.objects.create(conference=conference, created_by=actor, **fields)
    summary = _("登记课题申报")
    if topic.origin_proposal is not None:
        summary = _("由提案《%(t)s》形成课题") % {"t": topic.origin_proposal.title}
    record(actor, "create", topic, to_state=topic.state, summary=summary)
    return topic


@transaction.atomic(durable=True)
def update_topic(
    actor: User, topic: ResearchTopic, data: TopicInput, *, version: int | None = None
) -> ResearchTopic:
    """Staff correct a topic before its report is submitted."""
    topic = _lock(topic, version)
    _check(actor, topic, "edit")
    fields = _clean_topic(topic.conference_id, data)
    for name, value in fields.items():
        setattr(topic, name, value)
    _touch(actor, topic, "edit", fields=list(fields))
    return topic


@transaction.atomic(durable=True)
def select_topic(actor: User, topic: ResearchTopic, *, version: int | None = None) -> ResearchTopic:
    """Staff or a leader put the topic into the year's plan (立项)."""
    topic = _lock(topic, version)
    _check(actor, topic, "select")
    topic.decline_reason = ""
    topic.save(update_fields=["decline_reason"])
    _move(actor, topic, "select", TopicState.SELECTED, summary=_("列入%(y)s年度课题计划") % {"y": topic.year})
    notify_on_commit(
        _staff(topic.conference_id),
        verb="topic_selected",
        conference_id=topic.conference_id,
        title=_("课题《%(t)s》已列入年度计划") % {"t": topic.title},
        url=_url(topic),
    )
    return topic


@transaction.atomic(durable=True)
def decline_topic(
    actor: User, topic: ResearchTopic, *, reason: str, version: int | None = None
) -> ResearchTopic:
    """Staff or a leader decline a proposed topic, with the reason the proposer will be told."""
    topic = _lock(topic, version)
    _check(actor, topic, "decline")
    topic.decline_reason = _text(reason, "reason", _("理由"), required=True, limit=NOTE_MAX)
    topic.save(update_fields=["decline_reason"])
    _move(
        actor,
        topic,
        "decline",
        TopicState.DECLINED,
        summary=_("不予立项：%(r)s") % {"r": topic.decline_reason},
    )
    return topic


# ---------------------------------------------------------------------------- the group and the plan


@transaction.atomic(durable=True)
def add_group_member(
    actor: User, topic: ResearchTopic, *, user_id: int, role: str, version: int | None = None
) -> TopicMember:
    """Staff add a member of the conference (an expert from the talent pool, too) to the topic group;
    naming a new lead makes the former lead an ordinary member."""
    topic = _lock(topic, version)
    _check(actor, topic, "plan")
    if role not in GroupRole.values:
        raise invalid({"role": _("分工无效。")})
    member = (
        Member.objects.select_related("user")
        .filter(user_id=user_id, conference_id=topic.conference_id)
        .first()
    )
    if member is None:
        raise invalid({"user": _("只能选择本级政协的委员。")})
    if topic.group.filter(user_id=user_id).exists():
        raise AppError(ErrorCode.DUPLICATE, _("%(name)s已在课题组中。") % {"name": member.user})
    if topic.group.count() >= MAX_GROUP:
        raise invalid({"user": _("课题组最多 %(n)s 人。") % {"n": MAX_GROUP}})
    if role == GroupRole.LEAD:
        topic.group.filter(role=GroupRole.LEAD).update(role=GroupRole.MEMBER)
    entry = TopicMember.objects.create(topic=topic, user=member.user, role=role)
    _touch(
        actor,
        topic,
        "plan",
        summary=_("课题组增加%(name)s（%(role)s）") % {"name": member.user, "role": entry.get_role_display()},
        member=entry.pk,
    )
    notify_on_commit(
        [member.user],
        verb="topic_group_joined",
        conference_id=topic.conference_id,
        title=_("您已加入课题《%(t)s》课题组（%(role)s）")
        % {"t": topic.title, "role": entry.get_role_display()},
    )
    return entry


@transaction.atomic(durable=True)
def remove_group_member(
    actor: User, topic: ResearchTopic, *, entry_id: int, version: int | None = None
) -> None:
    """Staff take someone out of the topic group while the research goes on."""
    topic = _lock(topic, version)
    _check(actor, topic, "plan")
    entry = topic.group.select_related("user").filter(pk=entry_id).first()
    if entry is None:
        raise invalid({"member": _("课题组中没有这位成员。")})
    name = str(entry.user)
    entry.delete()
    _touch(actor, topic, "plan", summary=_("课题组移除%(name)s") % {"name": name})


@dataclass
class PartnerInput:
    """A partner organisation: a party or a department of the conference, or any named unit."""

    kind: str
    name: str = ""
    party_id: int | None = None
    department_id: int | None = None


@transaction.atomic(durable=True)
def add_partner(
    actor: User, topic: ResearchTopic, data: PartnerInput, *, version: int | None = None
) -> TopicPartner:
    """Staff name a party, department or other unit that studies the topic with the lead committee."""
    topic = _lock(topic, version)
    _check(actor, topic, "plan")
    if data.kind not in PartnerKind.values:
        raise invalid({"kind": _("合作单位类型无效。")})
    party = department = None
    name = _text(data.name, "name", _("名称"), required=False, limit=NAME_MAX)
    if data.kind == PartnerKind.PARTY and data.party_id:
        party = Party.objects.filter(pk=data.party_id, conference_id=topic.conference_id).first()
        if party is None:
            raise invalid({"party": _("党派团体不属于本级政协。")})
        name = name or party.name
    if data.kind == PartnerKind.DEPARTMENT and data.department_id:
        department = Department.objects.filter(
            pk=data.department_id, conference_id=topic.conference_id
        ).first()
        if department is None:
            raise invalid({"department": _("部门不属于本级政协。")})
        name = name or department.name
    if not name:
        raise invalid({"name": _("请填写合作单位名称。")})
    partner = TopicPartner.objects.create(
        topic=topic, kind=data.kind, party=party, department=department, name=name
    )
    _touch(actor, topic, "plan", summary=_("增加合作单位：%(n)s") % {"n": name}, partner=partner.pk)
    return partner


@transaction.atomic(durable=True)
def remove_partner(actor: User, topic: ResearchTopic, *, partner_id: int, version: int | None = None) -> None:
    """Staff remove a partner organisation."""
    topic = _lock(topic, version)
    _check(actor, topic, "plan")
    partner = topic.partners.filter(pk=partner_id).first()
    if partner is None:
        raise invalid({"partner": _("没有这个合作单位。")})
    name = partner.name
    partner.delete()
    _touch(actor, topic, "plan", summary=_("移除合作单位：%(n)s") % {"n": name})


@dataclass
class MilestoneInput:
    """A step of the timetable; a research trip names the activity that runs it."""

    title: str
    due_on: dt.date | None
    activity_id: int | None = None


@transaction.atomic(durable=True)
def add_milestone(
    actor: User, topic: ResearchTopic, data: MilestoneInput, *, version: int | None = None
) -> TopicMilestone:
    """Staff add a step to the timetable, optionally linked to an activity of the conference."""
    topic = _lock(topic, version)
    _check(actor, topic, "plan")
    title = _text(data.title, "title", _("事项"), required=True, limit=TITLE_MAX)
    if data.due_on is None:
        raise invalid({"due_on": _("请填写计划日期。")})
    activity = None
    if data.activity_id:
        activity = (
            Activity.objects.filter(pk=data.activity_id)
            .filter(Q(conference_id=topic.conference_id) | Q(participants__id=topic.conference_id))
            .distinct()
            .first()
        )
        if activity is None:
            raise invalid({"activity": _("该活动不属于本级政协。")})
    milestone = TopicMilestone.objects.create(topic=topic, title=title, due_on=data.due_on, activity=activity)
    _touch(actor, topic, "plan", summary=_("进度安排：%(d)s %(t)s") % {"d": data.due_on, "t": title})
    return milestone


@transaction.atomic(durable=True)
def complete_milestone(
    actor: User, milestone: TopicMilestone, *, done_on: dt.date | None = None, version: int | None = None
) -> TopicMilestone:
    """Staff mark a step of the timetable done (today unless a past date is given)."""
    topic = _lock(milestone.topic, version)
    _check(actor, topic, "plan")
    milestone = TopicMilestone.objects.select_for_update().get(pk=milestone.pk, topic=topic)
    milestone.done_on = _past_date(done_on, "done_on", _("完成日期"))
    milestone.save(update_fields=["done_on"])
    _touch(actor, topic, "plan", summary=_("完成：%(t)s") % {"t": milestone.title})
    return milestone


@transaction.atomic(durable=True)
def start_research(actor: User, topic: ResearchTopic, *, version: int | None = None) -> ResearchTopic:
    """Staff start the research of a selected topic; its group needs a lead first."""
    topic = _lock(topic, version)
    _check(actor, topic, "start")
    if not topic.group.filter(role=GroupRole.LEAD).exists():
        raise AppError(ErrorCode.INVALID_STATE, _("请先指定课题组组长。"))
    _move(actor, topic, "start", TopicState.RESEARCHING)
    group = [m.user for m in topic.group.select_related("user")]
    notify_on_commit(
        group,
        verb="topic_started",
        conference_id=topic.conference_id,
        title=_("课题《%(t)s》已启动调研") % {"t": topic.title},
    )
    return topic


# ---------------------------------------------------------------------------- drafts and the report


@dataclass
class DraftInput:
    """A version of the report: a title and its text, a file, or both."""

    title: str
    text: str = ""
    note: str = ""


@transaction.atomic(durable=True)
def add_draft(
    actor: User,
    topic: ResearchTopic,
    data: DraftInput,
    *,
    upload: UploadedFile | None = None,
    version: int | None = None,
) -> TopicDraft:
    """Staff add the next numbered draft of the report (text, a checked .docx/.pdf/.txt, or both)."""
    topic = _lock(topic, version)
    _check(actor, topic, "add_draft")
    title = _text(data.title, "title", _("报告标题"), required=True, limit=TITLE_MAX)
    text = _text(data.text, "text", _("正文"), required=False, limit=TEXT_MAX)
    note = _text(data.note, "note", _("修改说明"), required=False, limit=300)
    name = check_upload(upload, REPORT_TYPES) if upload is not None else ""
    if not text and upload is None:
        raise invalid({"text": _("请填写报告正文或上传报告文件。")})
    top = topic.drafts.aggregate(m=Max("number"))["m"]
    draft = TopicDraft.objects.create(
        topic=topic,
        number=(top or 0) + 1,
        title=title,
        text=text,
        note=note,
        author=actor,
        **({"file": upload, "original_name": name, "size": upload.size or 0} if upload is not None else {}),
    )
    _move(
        actor,
        topic,
        "add_draft",
        TopicState.DRAFTED,
        summary=_("报告第%(n)s稿%(note)s") % {"n": draft.number, "note": f"：{note}" if note else ""},
        draft=draft.pk,
    )
    return draft


def _group_ids(topic: ResearchTopic) -> tuple[int | None, list[int]]:
    lead = None
    others = []
    for entry in topic.group.all():
        if entry.role == GroupRole.LEAD:
            lead = entry.user_id
        else:
            others.append(entry.user_id)
    return lead, others


@transaction.atomic(durable=True)
def submit_report(actor: User, topic: ResearchTopic, *, version: int | None = None) -> ResearchTopic:
    """Staff submit the latest draft as the topic's report; the group earns research_report points
    (the lead as lead, everyone else as participant), once however often this is replayed."""
    topic = _lock(topic, version)
    _check(actor, topic, "submit_report")
    draft = topic.drafts.order_by("-number").first()
    if draft is None:
        raise AppError(ErrorCode.INVALID_STATE, _("还没有报告稿。"))
    lead, others = _group_ids(topic)
    if lead is None:
        raise AppError(ErrorCode.INVALID_STATE, _("请先指定课题组组长。"))
    topic.report = draft
    topic.report_submitted_on = today()
    topic.save(update_fields=["report", "report_submitted_on"])
    _move(
        actor,
        topic,
        "submit_report",
        TopicState.SUBMITTED,
        summary=_("提交成果报告（第%(n)s稿）") % {"n": draft.number},
        draft=draft.pk,
    )
    from xieshang.duty import services as duty

    duty.record_for_authors(
        conference_id=topic.conference_id,
        kind=DUTY_KIND,
        occurred_on=topic.report_submitted_on,
        source_type=DUTY_SOURCE,
        source_id=topic.pk,
        lead_id=lead,
        participant_ids=others,
        title=topic.title,
    )
    notify_on_commit(
        [e.user for e in topic.group.select_related("user")],
        verb="topic_report_submitted",
        conference_id=topic.conference_id,
        title=_("课题《%(t)s》成果报告已提交") % {"t": topic.title},
    )
    return topic


@transaction.atomic(durable=True)
def withdraw_report(
    actor: User, topic: ResearchTopic, *, reason: str, version: int | None = None
) -> ResearchTopic:
    """Staff withdraw a submitted report for more work; the group's research_report points go."""
    topic = _lock(topic, version)
    _check(actor, topic, "withdraw_report")
    why = _text(reason, "reason", _("理由"), required=True, limit=NOTE_MAX)
    topic.report = None
    topic.report_submitted_on = None
    topic.save(update_fields=["report", "report_submitted_on"])
    _move(actor, topic, "withdraw_report", TopicState.DRAFTED, summary=_("撤回成果报告：%(r)s") % {"r": why})
    from xieshang.duty import services as duty

    duty.retract_source(
        conference_id=topic.conference_id, kind=DUTY_KIND, source_type=DUTY_SOURCE, source_id=topic.pk
    )
    return topic


@dataclass
class TransmitInput:
    """Where the report was sent (党委、政府…) and when."""

    recipient_kind: str
    recipient_name: str
    sent_on: dt.date | None = None
    note: str = ""


@transaction.atomic(durable=True)
def transmit_report(
    actor: User, topic: ResearchTopic, data: TransmitInput, *, version: int | None = None
) -> TopicTransmission:
    """Staff record that the report was sent to the party committee, the government or another body."""
    topic = _lock(topic, version)
    _check(actor, topic, "transmit")
    if data.recipient_kind not in RecipientKind.values:
        raise invalid({"recipient_kind": _("报送对象类型无效。")})
    sent = TopicTransmission.objects.create(
        topic=topic,
        recipient_kind=data.recipient_kind,
        recipient_name=_text(
            data.recipient_name, "recipient_name", _("报送对象"), required=True, limit=NAME_MAX
        ),
        sent_on=_past_date(data.sent_on, "sent_on", _("报送日期")),
        note=_text(data.note, "note", _("说明"), required=False, limit=300),
        sent_by=actor,
    )
    _move(
        actor,
        topic,
        "transmit",
        TopicState.TRANSMITTED,
        summary=_("报送：%(to)s（%(d)s）") % {"to": sent.recipient_name, "d": sent.sent_on},
        transmission=sent.pk,
    )
    return sent


@dataclass
class InstructionInput:
    """A leader's instruction on the report; a leader recording their own may leave the name empty."""

    text: str
    level: str
    leader_name: str = ""
    given_on: dt.date | None = None


@transaction.atomic(durable=True)
def record_instruction(
    actor: User, topic: ResearchTopic, data: InstructionInput, *, version: int | None = None
) -> TopicInstruction:
    """Staff transcribe, or a leader gives, an instruction (批示) on the transmitted report."""
    topic = _lock(topic, version)
    _check(actor, topic, "record_instruction")
    if data.level not in InstructionLevel.values:
        raise invalid({"level": _("批示层级无效。")})
    leader_name = _text(data.leader_name, "leader_name", _("批示领导"), required=False, limit=NAME_MAX)
    if not leader_name:
        if not has_role(actor, topic.conference_id, RoleKind.LEADER):
            raise invalid({"leader_name": _("请填写批示领导。")})
        leader_name = str(actor)
    instruction = TopicInstruction.objects.create(
        conference_id=topic.conference_id,
        topic=topic,
        leader_name=leader_name,
        level=data.level,
        given_on=_past_date(data.given_on, "given_on", _("批示日期")),
        text=_text(data.text, "text", _("批示内容"), required=True, limit=NOTE_MAX),
        recorded_by=actor,
    )
    _touch(
        actor,
        topic,
        "record_instruction",
        summary=_("%(l)s批示：%(t)s") % {"l": leader_name, "t": instruction.text[:80]},
        instruction=instruction.pk,
    )
    notify_on_commit(
        [*_staff(topic.conference_id), *(e.user for e in topic.group.select_related("user"))],
        verb="topic_instruction",
        conference_id=topic.conference_id,
        title=_("课题《%(t)s》获%(l)s批示") % {"t": topic.title, "l": leader_name},
        url=_url(topic),
    )
    return instruction


@dataclass
class FollowUpInput:
    """A follow-up task: the action, its units and deadline; `instruction_id` when it carries one out."""

    action: str
    lead_unit_ids: Sequence[int]
    coop_unit_ids: Sequence[int] = ()
    due_on: dt.date | None = None
    instruction_id: int | None = None


@transaction.atomic(durable=True)
def create_follow_up_task(actor: User, topic: ResearchTopic, data: FollowUpInput) -> TopicTask:
    """Staff turn the report (or an instruction on it) into a deployed task for handling units; the
    task and its link to the topic are written in one transaction."""
    topic = _lock(topic, None)
    _check(actor, topic, "create_task")
    instruction = None
    if data.instruction_id:
        instruction = topic.instructions.filter(pk=data.instruction_id).first()
        if instruction is None:
            raise invalid({"instruction": _("该批示不属于本课题。")})
    if instruction is not None:
        title = _("落实%(l)s对课题《%(t)s》的批示") % {"l": instruction.leader_name, "t": topic.title}
        evidence = instruction.text
    else:
        title = _("课题《%(t)s》成果转化") % {"t": topic.title}
        evidence = topic.report.title if topic.report else topic.title
    task = task_services.add_task(
        actor,
        topic.conference,
        task_services.TaskInput(
            action=data.action,
            lead_unit_ids=list(data.lead_unit_ids),
            coop_unit_ids=list(data.coop_unit_ids),
            due_on=data.due_on,
            title=title[:TITLE_MAX],
            evidence=evidence,
        ),
        source_type=SourceType.RESEARCH_TOPIC,
        source_id=topic.pk,
    )
    link = TopicTask.objects.create(topic=topic, task=task, instruction=instruction, created_by=actor)
    _touch(actor, topic, "create_task", summary=_("转督办事项：%(t)s") % {"t": task.title}, task=task.pk)
    return link


@transaction.atomic(durable=True)
def close_topic(actor: User, topic: ResearchTopic, *, version: int | None = None) -> ResearchTopic:
    """Staff close a transmitted topic (结题)."""
    topic = _lock(topic, version)
    _check(actor, topic, "close")
    _move(actor, topic, "close", TopicState.CLOSED)
    return topic


# ---------------------------------------------------------------------------- forums


@dataclass
class ForumInput:
    """A forum's theme, date and place."""

    theme: str
    held_on: dt.date | None
    place: str = ""


@transaction.atomic(durable=True)
def create_forum(actor: User, conference: Conference, data: ForumInput) -> Forum:
    """Staff of the host conference open a forum (政协论坛)."""
    if not can_register_topics(actor, conference.pk):
        raise denied()
    if data.held_on is None:
        raise invalid({"held_on": _("请填写举办日期。")})
    forum = Forum.objects.create(
        conference=conference,
        theme=_text(data.theme, "theme", _("论坛主题"), required=True, limit=TITLE_MAX),
        held_on=data.held_on,
        place=_text(data.place, "place", _("地点"), required=False, limit=200),
        created_by=actor,
    )
    record(actor, "create", forum, to_state=forum.state, summary=_("举办论坛：%(t)s") % {"t": forum.theme})
    return forum


def _lock_forum(forum: Forum, version: int | None) -> Forum:
    return sm.lock(forum, version, "conference")


@transaction.atomic(durable=True)
def invite_conferences(
    actor: User, forum: Forum, conference_ids: Iterable[int], *, version: int | None = None
) -> list[ForumInvitation]:
    """The host's staff invite other conferences (a city cluster's); already invited ones are skipped."""
    forum = _lock_forum(forum, version)
    if not can_host_forum(actor, forum):
        raise denied()
    if forum.state != ForumState.OPEN:
        raise AppError(ErrorCode.INVALID_STATE, _("论坛已结束征集，不能再邀请。"))
    wanted = {int(i) for i in conference_ids} - {forum.conference_id}
    if not wanted:
        raise invalid({"conferences": _("请选择要邀请的其他政协。")})
    if len(wanted) > MAX_INVITE:
        raise invalid({"conferences": _("一次最多邀请 %(n)s 个政协。") % {"n": MAX_INVITE}})
    found = list(Conference.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise invalid({"conferences": _("所选政协不存在。")})
    already = set(forum.invitations.values_list("conference_id", flat=True))
    created = ForumInvitation.objects.bulk_create(
        [ForumInvitation(forum=forum, conference=c, invited_by=actor) for c in found if c.pk not in already]
    )
    if created:
        forum.version += 1
        forum.save(update_fields=["version", "updated_at"])
        record(
            actor,
            "invite",
            forum,
            summary=_("邀请：%(n)s") % {"n": "、".join(i.conference.short_name for i in created)},
        )
        for invitation in created:
            notify_on_commit(
                _staff(invitation.conference_id),
                verb="forum_invited",
                conference_id=invitation.conference_id,
                title=_("%(host)s邀请参加“%(t)s”，请报送课题成果")
                % {"host": forum.conference.short_name, "t": forum.theme},
                url=_forum_url(forum),
            )
    return created


@dataclass
class SubmissionInput:
    """A conference's forum report: one of its topics with a report, or a title with text and/or a file."""

    topic_id: int | None = None
    title: str = ""
    text: str = ""


def _docx_text(upload: UploadedFile) -> str:
    """The paragraphs of an uploaded .docx, for the proceedings; empty when it cannot be read."""
    from docx import Document

    try:
        upload.seek(0)
        paragraphs = [p.text.strip() for p in Document(upload).paragraphs]
    except Exception:  # a damaged file still counts as uploaded; the proceedings name it instead
        return ""
    finally:
        upload.seek(0)
    return "\n".join(p for p in paragraphs if p)[:TEXT_MAX]


@transaction.atomic(durable=True)
def submit_to_forum(
    actor: User,
    forum: Forum,
    conference: Conference,
    data: SubmissionInput,
    *,
    upload: UploadedFile | None = None,
) -> ForumSubmission:
    """Staff of an invited (or the host) conference submit, or replace, their topic report."""
    forum = _lock_forum(forum, None)
    taking_part = (
        conference.pk == forum.conference_id or forum.invitations.filter(conference=conference).exists()
    )
    if not taking_part:
        raise AppError(ErrorCode.NOT_FOUND)
    if not can_submit_to_forum(actor, conference.pk):
        raise denied()
    if forum.state != ForumState.OPEN:
        raise AppError(ErrorCode.INVALID_STATE, _("论坛已结束征集。"))
    topic = None
    title = _text(data.title, "title", _("报告标题"), required=False, limit=TITLE_MAX)
    text = _text(data.text, "text", _("报告正文"), required=False, limit=TEXT_MAX)
    if data.topic_id:
        topic = (
            ResearchTopic.objects.filter(pk=data.topic_id, conference=conference, report__isnull=False)
            .select_related("report")
            .first()
        )
        if topic is None:
            raise invalid({"topic": _("请选择本级政协已提交成果报告的课题。")})
        assert topic.report is not None
        title = title or topic.report.title
        text = text or topic.report.text
    name = check_upload(upload, REPORT_TYPES) if upload is not None else ""
    if upload is not None and not text and name.lower().endswith(".docx"):
        text = _docx_text(upload)
    if not title:
        raise invalid({"title": _("请填写报告标题或选择课题。")})
    if topic is None and not text and upload is None:
        raise invalid({"text": _("请选择课题、填写报告正文或上传报告文件。")})
    submission = ForumSubmission.objects.filter(forum=forum, conference=conference).first()
    if submission is None:
        submission = ForumSubmission(forum=forum, conference=conference)
    elif submission.file and upload is not None:
        submission.file.delete(save=False)
    submission.topic = topic
    submission.title = title
    submission.text = text
    submission.submitted_by = actor
    if upload is not None:
        submission.file = upload  # type: ignore[assignment]
        submission.original_name = name
        submission.size = upload.size or 0
    submission.save()
    record(
        actor,
        "submit",
        forum,
        summary=_("%(c)s报送：%(t)s") % {"c": conference.short_name, "t": title},
        data={"conference": conference.pk, "submission": submission.pk},
    )
    if conference.pk != forum.conference_id:
        notify_on_commit(
            _staff(forum.conference_id),
            verb="forum_submission",
            conference_id=forum.conference_id,
            title=_("%(c)s报送了“%(f)s”交流报告") % {"c": conference.short_name, "f": forum.theme},
            url=_forum_url(forum),
        )
    return submission


@transaction.atomic(durable=True)
def close_forum(actor: User, forum: Forum, *, version: int | None = None) -> Forum:
    """The host's staff end the collection; the proceedings are compiled from what was submitted."""
    forum = _lock_forum(forum, version)
    if not can_host_forum(actor, forum):
        raise denied()
    if forum.state != ForumState.OPEN:
        raise AppError(ErrorCode.INVALID_STATE, _("论坛已结束征集。"))
    if not forum.submissions.exists():
        raise AppError(ErrorCode.INVALID_STATE, _("还没有收到交流报告。"))
    forum.state = ForumState.CLOSED
    forum.version += 1
    forum.save(update_fields=["state", "version", "updated_at"])
    record(actor, "close", forum, from_state=ForumState.OPEN, to_state=forum.state, summary=_("结束征集"))
    return forum
