"""Research topics and forums over the REST API (mounted at /api/v1/research/topics): the office's list,
the workflow actions of the state table, and forums across conferences. Errors go through the API's
AppError handler; reads are limited by the selectors (404 across conferences)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text, Year

from . import topics_selectors as selectors
from . import topics_services as services
from .models import Forum, ForumSubmission, ResearchTopic

router = Router(tags=["research"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}

# ---------------------------------------------------------------------------- schemas


class TopicItemOut(Schema):
    id: int
    conference_id: int
    year: int
    title: str
    kind: str
    proposer_kind: str
    proposer_name: str
    lead_committee_id: int | None
    origin_proposal_id: int | None
    state: str
    state_label: str
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["state_label"])
        return str(obj.get_state_display())


class GroupOut(Schema):
    id: int
    user_id: int
    name: str
    role: str


class DraftOut(Schema):
    id: int
    number: int
    title: str
    text: str
    original_name: str


class ResearchInstructionOut(Schema):
    id: int
    leader_name: str
    level: str
    given_on: dt.date
    text: str


class FollowUpOut(Schema):
    id: int
    task_id: int
    instruction_id: int | None
    title: str
    state: str


class ResearchTopicDetailOut(TopicItemOut):
    background: str
    decline_reason: str
    report_id: int | None
    report_submitted_on: dt.date | None
    actions: list[str]
    group: list[GroupOut]
    drafts: list[DraftOut]
    instructions: list[ResearchInstructionOut]
    follow_ups: list[FollowUpOut]


class ResearchTopicFilter(Schema):
    conference_id: Id
    q: Text | None = None
    state: Text | None = None
    kind: Text | None = None
    year: Year | None = None


class ResearchTopicIn(Schema):
    title: Text
    kind: Text = Field(description="standing / committee / joint")
    proposer_kind: Text = Field(description="committee / party / sector / chairs")
    proposer_name: Text = ""
    background: Text = ""
    lead_committee_id: Id | None = None
    year: Year | None = None
    origin_proposal_id: Id | None = Field(None, description="The proposal the topic starts from.")


class TopicCreateIn(ResearchTopicIn):
    conference_id: Id = Field(description="The conference to register in; the caller must be its staff.")


class ResearchVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class TopicEditIn(ResearchTopicIn, ResearchVersionIn):
    pass


class ResearchReasonIn(ResearchVersionIn):
    reason: Text


class MemberIn(ResearchVersionIn):
    user_id: Id
    role: Text = Field("member", description="lead / member / expert")


class PartnerIn(ResearchVersionIn):
    kind: Text = Field(description="party / department / conference / other")
    name: Text = ""
    party_id: Id | None = None
    department_id: Id | None = None


class MilestoneIn(ResearchVersionIn):
    title: Text
    due_on: dt.date
    activity_id: Id | None = None


class DraftIn(ResearchVersionIn):
    title: Text
    text: Text = ""
    note: Text = ""


class TransmitIn(ResearchVersionIn):
    recipient_kind: Text = Field(description="party_committee / government / superior / other")
    recipient_name: Text
    sent_on: dt.date | None = None
    note: Text = ""


class ResearchInstructionIn(ResearchVersionIn):
    text: Text
    level: Text = Field(description="provincial / city / county / conference")
    leader_name: Text = Field("", description="May be empty when a leader records their own instruction.")
    given_on: dt.date | None = None


class FollowUpIn(Schema):
    action: Text
    lead_unit_ids: list[Id] = Field(max_length=50)
    coop_unit_ids: list[Id] = Field([], max_length=50)
    due_on: dt.date | None = None
    instruction_id: Id | None = None


class ResearchStatusOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    created_id: int | None = None


def _status(topic: ResearchTopic, created_id: int | None = None) -> dict[str, Any]:
    topic.refresh_from_db(fields=["state", "version"])
    return {
        "id": topic.pk,
        "state": topic.state,
        "state_label": str(topic.get_state_display()),
        "version": topic.version,
        "created_id": created_id,
    }


def _input(payload: ResearchTopicIn) -> services.TopicInput:
    return services.TopicInput(
        title=payload.title,
        kind=payload.kind,
        proposer_kind=payload.proposer_kind,
        proposer_name=payload.proposer_name,
        background=payload.background,
        lead_committee_id=payload.lead_committee_id,
        year=payload.year,
        origin_proposal_id=payload.origin_proposal_id,
    )


# ---------------------------------------------------------------------------- forums


class ForumOut(Schema):
    id: int
    conference_id: int
    theme: str
    held_on: dt.date
    place: str
    state: str
    version: int


class SubmissionOut(Schema):
    id: int
    conference_id: int
    topic_id: int | None
    title: str
    text: str
    original_name: str


class ForumDetailOut(ForumOut):
    invited_conference_ids: list[int] = Field(description="Shown to the host only; empty for the invited.")
    submissions: list[SubmissionOut] = Field(
        description="All for the host; the caller's own for the invited."
    )


class ForumIn(Schema):
    conference_id: Id
    theme: Text
    held_on: dt.date
    place: Text = ""


class InviteIn(ResearchVersionIn):
    conference_ids: list[Id] = Field(max_length=50)


class SubmissionIn(Schema):
    conference_id: Id = Field(description="The submitting conference; the caller must be its staff.")
    topic_id: Id | None = None
    title: Text = ""
    text: Text = ""


@router.get("/forums", response={200: list[ForumOut], **ERRORS})
@paginate(Pages, page_size=20, max_page_size=100)
def list_forums(request: HttpRequest, conference_id: Id) -> QuerySet[Forum]:
    """Forums the conference hosts or is invited to (its staff and leaders)."""
    user = actor(request)
    access.conference(user, conference_id, "staff", "leader")
    return selectors.forums(user, conference_id)


@router.post("/forums", response={201: ForumOut, **ERRORS})
def create_forum(request: HttpRequest, payload: ForumIn) -> Status[Forum]:
    """The host's staff open a forum."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    forum = services.create_forum(
        user, conference, services.ForumInput(payload.theme, payload.held_on, payload.place)
    )
    return Status(201, forum)


def _forum_detail(user: Any, forum: Forum) -> dict[str, Any]:
    host = selectors.is_host(user, forum)
    return {
        "id": forum.pk,
        "conference_id": forum.conference_id,
        "theme": forum.theme,
        "held_on": forum.held_on,
        "place": forum.place,
        "state": forum.state,
        "version": forum.version,
        "invited_conference_ids": list(forum.invitations.values_list("conference_id", flat=True))
        if host
        else [],
        "submissions": list(selectors.visible_submissions(user, forum)),
    }


@router.get("/forums/{forum_id}", response={200: ForumDetailOut, **ERRORS})
def get_forum(request: HttpRequest, forum_id: Id) -> dict[str, Any]:
    """A forum; 404 for a conference neither hosting nor invited."""
    user = actor(request)
    return _forum_detail(user, selectors.get_forum(user, forum_id))


@router.post("/forums/{forum_id}/invitations", response={200: ForumDetailOut, **ERRORS})
def invite(request: HttpRequest, forum_id: Id, payload: InviteIn) -> dict[str, Any]:
    """The host's staff invite other conferences."""
    user = actor(request)
    forum = selectors.get_forum(user, forum_id)
    services.invite_conferences(user, forum, payload.conference_ids, version=payload.version)
    return _forum_detail(user, selectors.get_forum(user, forum_id))


@router.post("/forums/{forum_id}/submissions", response={201: SubmissionOut, **ERRORS})
def submit(request: HttpRequest, forum_id: Id, payload: SubmissionIn) -> Status[ForumSubmission]:
    """Staff of a taking-part conference submit (or replace) its report: a topic, or a title and text."""
    user = actor(request)
    forum = selectors.get_forum(user, forum_id)
    conference = access.conference(user, payload.conference_id)
    data = services.SubmissionInput(topic_id=payload.topic_id, title=payload.title, text=payload.text)
    return Status(201, services.submit_to_forum(user, forum, conference, data))


@router.post("/forums/{forum_id}/close", response={200: ForumOut, **ERRORS})
def close_forum(request: HttpRequest, forum_id: Id, payload: ResearchVersionIn) -> Forum:
    """The host's staff end the collection."""
    user = actor(request)
    return services.close_forum(user, selectors.get_forum(user, forum_id), version=payload.version)


# ---------------------------------------------------------------------------- topics


@router.get("", response={200: list[TopicItemOut], **ERRORS})
@paginate(Pages, page_size=20, max_page_size=100)
def list_topics(request: HttpRequest, filters: Query[ResearchTopicFilter]) -> QuerySet[ResearchTopic]:
    """The conference's topics (its staff and leaders), newest year first."""
    user = actor(request)
    access.conference(user, filters.conference_id, "staff", "leader")
    return selectors.filter_topics(
        selectors.office_topics(user, filters.conference_id),
        q=(filters.q or "").strip(),
        state=filters.state or "",
        kind=filters.kind or "",
        year=filters.year,
    )


@router.post("", response={201: ResearchStatusOut, **ERRORS})
def create_topic(request: HttpRequest, payload: TopicCreateIn) -> Status[dict[str, Any]]:
    """Staff register a proposed topic (optionally from a proposal)."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    return Status(201, _status(services.create_topic(user, conference, _input(payload))))


@router.get("/{topic_id}", response={200: ResearchTopicDetailOut, **ERRORS})
def get_topic(request: HttpRequest, topic_id: Id) -> dict[str, Any]:
    """One topic with its group, drafts, instructions, follow-up tasks and the caller's actions."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    parts = selectors.topic_parts(topic)
    return {
        **{f: getattr(topic, f) for f in TopicItemOut.model_fields if f != "state_label"},
        "id": topic.pk,
        "state_label": str(topic.get_state_display()),
        "background": topic.background,
        "decline_reason": topic.decline_reason,
        "report_id": topic.report_id,
        "report_submitted_on": topic.report_submitted_on,
        "actions": selectors.available_actions(user, topic),
        "group": [
            {"id": m.pk, "user_id": m.user_id, "name": str(m.user), "role": m.role} for m in parts["group"]
        ],
        "drafts": [
            {
                "id": d.pk,
                "number": d.number,
                "title": d.title,
                "text": d.text,
                "original_name": d.original_name,
            }
            for d in parts["drafts"]
        ],
        "instructions": parts["instructions"],
        "follow_ups": [
            {
                "id": f.pk,
                "task_id": f.task_id,
                "instruction_id": f.instruction_id,
                "title": f.task.title,
                "state": f.task.state,
            }
            for f in parts["follow_ups"]
        ],
    }


@router.post("/{topic_id}/edit", response={200: ResearchStatusOut, **ERRORS})
def edit_topic(request: HttpRequest, topic_id: Id, payload: TopicEditIn) -> dict[str, Any]:
    """Staff correct a topic before its report is submitted."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    return _status(services.update_topic(user, topic, _input(payload), version=payload.version))


@router.post("/{topic_id}/select", response={200: ResearchStatusOut, **ERRORS})
def select_topic(request: HttpRequest, topic_id: Id, payload: ResearchVersionIn) -> dict[str, Any]:
    """Staff or a leader put the topic in the year's plan."""
    user = actor(request)
    return _status(services.select_topic(user, selectors.get_topic(user, topic_id), version=payload.version))


@router.post("/{topic_id}/decline", response={200: ResearchStatusOut, **ERRORS})
def decline_topic(request: HttpRequest, topic_id: Id, payload: ResearchReasonIn) -> dict[str, Any]:
    """Staff or a leader decline the topic, with a reason."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    return _status(services.decline_topic(user, topic, reason=payload.reason, version=payload.version))


@router.post("/{topic_id}/members", response={200: ResearchStatusOut, **ERRORS})
def add_member(request: HttpRequest, topic_id: Id, payload: MemberIn) -> dict[str, Any]:
    """Staff add a member of the conference (or an expert from the talent pool) to the group."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    entry = services.add_group_member(
        user, topic, user_id=payload.user_id, role=payload.role, version=payload.version
    )
    return _status(topic, entry.pk)


@router.post("/{topic_id}/partners", response={200: ResearchStatusOut, **ERRORS})
def add_partner(request: HttpRequest, topic_id: Id, payload: PartnerIn) -> dict[str, Any]:
    """Staff name a partner organisation."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.PartnerInput(payload.kind, payload.name, payload.party_id, payload.department_id)
    partner = services.add_partner(user, topic, data, version=payload.version)
    return _status(topic, partner.pk)


@router.post("/{topic_id}/milestones", response={200: ResearchStatusOut, **ERRORS})
def add_milestone(request: HttpRequest, topic_id: Id, payload: MilestoneIn) -> dict[str, Any]:
    """Staff add a step of the timetable, optionally a research trip (activity)."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.MilestoneInput(payload.title, payload.due_on, payload.activity_id)
    milestone = services.add_milestone(user, topic, data, version=payload.version)
    return _status(topic, milestone.pk)


@router.post("/{topic_id}/start", response={200: ResearchStatusOut, **ERRORS})
def start_research(request: HttpRequest, topic_id: Id, payload: ResearchVersionIn) -> dict[str, Any]:
    """Staff start the research (the group needs a lead)."""
    user = actor(request)
    return _status(
        services.start_research(user, selectors.get_topic(user, topic_id), version=payload.version)
    )


@router.post("/{topic_id}/drafts", response={200: ResearchStatusOut, **ERRORS})
def add_draft(request: HttpRequest, topic_id: Id, payload: DraftIn) -> dict[str, Any]:
    """Staff add the next numbered draft (text; files are uploaded through the page)."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.DraftInput(payload.title, payload.text, payload.note)
    draft = services.add_draft(user, topic, data, version=payload.version)
    return _status(topic, draft.pk)


@router.post("/{topic_id}/submit-report", response={200: ResearchStatusOut, **ERRORS})
def submit_report(request: HttpRequest, topic_id: Id, payload: ResearchVersionIn) -> dict[str, Any]:
    """Staff submit the latest draft as the report; the group earns its duty points once."""
    user = actor(request)
    return _status(services.submit_report(user, selectors.get_topic(user, topic_id), version=payload.version))


@router.post("/{topic_id}/withdraw-report", response={200: ResearchStatusOut, **ERRORS})
def withdraw_report(request: HttpRequest, topic_id: Id, payload: ResearchReasonIn) -> dict[str, Any]:
    """Staff withdraw the report; the group's points are retracted."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    return _status(services.withdraw_report(user, topic, reason=payload.reason, version=payload.version))


@router.post("/{topic_id}/transmissions", response={200: ResearchStatusOut, **ERRORS})
def transmit(request: HttpRequest, topic_id: Id, payload: TransmitIn) -> dict[str, Any]:
    """Staff record the report's transmission to the party committee, the government or another body."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.TransmitInput(
        payload.recipient_kind, payload.recipient_name, payload.sent_on, payload.note
    )
    sent = services.transmit_report(user, topic, data, version=payload.version)
    return _status(topic, sent.pk)


@router.post("/{topic_id}/instructions", response={200: ResearchStatusOut, **ERRORS})
def record_instruction(request: HttpRequest, topic_id: Id, payload: ResearchInstructionIn) -> dict[str, Any]:
    """Staff transcribe, or a leader gives, an instruction on the transmitted report."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.InstructionInput(payload.text, payload.level, payload.leader_name, payload.given_on)
    instruction = services.record_instruction(user, topic, data, version=payload.version)
    return _status(topic, instruction.pk)


@router.post("/{topic_id}/tasks", response={200: ResearchStatusOut, **ERRORS})
def create_task(request: HttpRequest, topic_id: Id, payload: FollowUpIn) -> dict[str, Any]:
    """Staff turn the report or an instruction into a deployed task for handling units."""
    user = actor(request)
    topic = selectors.get_topic(user, topic_id)
    data = services.FollowUpInput(
        payload.action, payload.lead_unit_ids, payload.coop_unit_ids, payload.due_on, payload.instruction_id
    )
    link = services.create_follow_up_task(user, topic, data)
    return _status(topic, link.task_id)


@router.post("/{topic_id}/close", response={200: ResearchStatusOut, **ERRORS})
def close_topic(request: HttpRequest, topic_id: Id, payload: ResearchVersionIn) -> dict[str, Any]:
    """Staff close a transmitted topic."""
    user = actor(request)
    return _status(services.close_topic(user, selectors.get_topic(user, topic_id), version=payload.version))
