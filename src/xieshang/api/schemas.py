"""Request and response bodies of the API; field names follow the glossary's code names.

Inputs are only typed here: lengths, allowed values and every other rule are checked by the services,
which answer with a Chinese message per field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# Ids beyond a 64-bit integer would overflow the database instead of simply not being found.
MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters; refuse them here rather than fail on saving.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "contains a NUL character")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1949, le=2200)]
Text = Annotated[str, AfterValidator(_no_nul)]

# ---------------------------------------------------------------------------- inputs


class ProposalCreateIn(Schema):
    conference_id: Id = Field(description="The conference to write in; the member must belong to it.")
    title: Text = Field(description="案由")
    analysis: Text = Field("", description="情况分析")
    recommendations: Text = Field("", description="具体建议")
    category_id: Id | None = None
    kind: Text = Field("individual", description="individual / cosigned / collective")
    collective_name: Text = ""


class ProposalPatchIn(Schema):
    version: Id = Field(description="The version read; a stale one is refused with 409 stale_version.")
    title: Text | None = None
    analysis: Text | None = None
    recommendations: Text | None = None
    category_id: Id | None = None
    kind: Text | None = None
    collective_name: Text | None = None


class CosignersIn(Schema):
    user_ids: list[Id] = Field(max_length=100)
    version: Id


class VersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class CosignIn(Schema):
    accept: bool


class AcceptIn(VersionIn):
    category_id: Id | None = None
    note: Text = ""


class ReasonIn(VersionIn):
    note: Text = Field("", description="The reason the member will read (required).")


class MergeIn(Schema):
    source_ids: list[Id] = Field(max_length=100)
    note: Text = ""


class UnitPlanIn(Schema):
    unit_id: Id
    role: Text = Field(description="lead / co / separate")
    due_on: dt.date | None = Field(None, description="Defaults to the conference's deadline.")


class AssignIn(Schema):
    units: list[UnitPlanIn] = Field(max_length=50)
    version: Id


class ReassignmentRequestIn(Schema):
    reason: Text
    suggested_unit_id: Id | None = None


class ReassignmentDecisionIn(Schema):
    approve: bool
    new_unit_id: Id | None = None
    note: Text = ""


class ExtensionRequestIn(Schema):
    requested_due_on: dt.date
    reason: Text


class DecisionIn(Schema):
    approve: bool
    note: Text = ""


class ConsultationIn(Schema):
    held_on: dt.date
    form: Text = Field(description="meeting / visit / site / phone / online")
    agreed: Text


class CoOpinionIn(Schema):
    body: Text


class ReplyIn(Schema):
    body: Text
    outcome: Text = Field(description="A / B / C / D")
    signed_by: Text
    contact_person: Text = ""
    contact_phone: Text = ""


class EvaluationIn(Schema):
    verdict: Text = Field(description="satisfied / basic / unsatisfied")
    comment: Text = ""


class KeyIn(VersionIn):
    is_key: bool
    leader_id: Id | None = None


class AwardIn(VersionIn):
    award: Text = Field("", max_length=50, description="The award's name (优秀提案…); empty withdraws it.")


class PublishIn(Schema):
    published: bool


class NoteIn(Schema):
    note: Text = ""


class CloseIn(VersionIn):
    note: Text = ""


class MarkReadIn(Schema):
    ids: list[Id] | None = Field(
        None, max_length=1000, description="Leave out to mark every notification read."
    )


# ---------------------------------------------------------------------------- outputs


class ConferenceRolesOut(Schema):
    conference_id: int
    conference: str
    short_name: str
    roles: list[str]
    unit_ids: list[int]


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[ConferenceRolesOut]


class ProposalFields(Schema):
    """What a list row shows of a proposal."""

    id: int
    conference_id: int
    session_id: int
    number: int | None
    number_label: str
    title: str
    kind: str
    state: str
    state_label: str
    category_id: int | None
    category: str | None
    proposer_id: int
    proposer: str
    is_key: bool
    is_published: bool
    version: int
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ProposalItemOut(ProposalFields):
    """A list row, read from a proposal."""

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_proposer(obj: Any) -> str:
        return str(obj.proposer)


class CosignerOut(Schema):
    user_id: int
    name: str
    state: str
    state_label: str
    responded_at: dt.datetime | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class ConsultationOut(Schema):
    id: int
    round: int
    held_on: dt.date
    form: str
    form_label: str
    agreed: str


class RequestOut(Schema):
    id: int
    kind: str = Field(description="reassignment / extension")
    state: str
    state_label: str
    reason: str
    requested_at: dt.datetime
    requested_due_on: dt.date | None = None
    suggested_unit_id: int | None = None
    decision_note: str


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit: str
    role: str
    role_label: str
    state: str
    state_label: str
    round: int
    assigned_at: dt.datetime
    due_on: dt.date
    answered_at: dt.datetime | None
    consultations: list[ConsultationOut]
    requests: list[RequestOut]


class EvaluationOut(Schema):
    id: int
    reply_id: int
    verdict: str
    verdict_label: str
    comment: str
    evaluated_at: dt.datetime


class ReplyOut(Schema):
    id: int
    assignment_id: int
    unit: str
    kind: str
    kind_label: str
    round: int
    body: str
    outcome: str
    outcome_label: str
    signed_by: str
    contact_person: str
    contact_phone: str
    has_letter: bool
    submitted_at: dt.datetime
    on_time: bool
    evaluation: EvaluationOut | None


class TimelineEntryOut(Schema):
    at: dt.datetime
    actor: str
    verb: str
    summary: str
    from_state: str
    to_state: str


class ProposalDetailOut(ProposalFields):
    analysis: str
    recommendations: str
    collective_name: str
    kind_label: str
    review_note: str
    merged_into_id: int | None
    key_leader_id: int | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    cosigners: list[CosignerOut]
    attachments: list[AttachmentOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    evaluations: list[EvaluationOut]
    available_actions: list[str]
    timeline: list[TimelineEntryOut]


class ActionOut(Schema):
    """The proposal after an action, and the id of what the action created, if anything."""

    id: int
    state: str
    state_label: str
    version: int
    number_label: str
    created_id: int | None = None


class InboxItemOut(Schema):
    """One row of a unit's inbox: an assignment with its proposal."""

    assignment_id: int
    proposal_id: int
    number_label: str
    title: str
    proposal_state: str
    unit_id: int
    unit: str
    role: str
    state: str
    round: int
    due_on: dt.date

    @staticmethod
    def resolve_assignment_id(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_number_label(obj: Any) -> str:
        return str(obj.proposal.number_label)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.proposal.title)

    @staticmethod
    def resolve_proposal_state(obj: Any) -> str:
        return str(obj.proposal.state)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit)


class NamedOut(Schema):
    id: int
    name: str


class DirectoryOut(Schema):
    """What a client needs to fill in ids: categories, handling units, members, leaders."""

    conference_id: int
    categories: list[NamedOut]
    units: list[NamedOut]
    members: list[NamedOut]
    leaders: list[NamedOut]


class WorkListsOut(Schema):
    conference_id: int
    counts: dict[str, int]


class NotificationOut(Schema):
    id: int
    conference_id: int | None
    verb: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkedOut(Schema):
    marked: int


class PublicReplyOut(Schema):
    unit: str
    body: str
    outcome: str
    outcome_label: str
    submitted_at: dt.datetime


class PublicProposalFields(Schema):
    id: int
    conference: str
    number_label: str
    title: str
    category: str | None
    proposer: str
    state_label: str
    accepted_at: dt.datetime | None


class PublicProposalOut(PublicProposalFields):
    """A published proposal, read from the model."""

    @staticmethod
    def resolve_conference(obj: Any) -> str:
        return str(obj.conference.name)

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_proposer(obj: Any) -> str:
        return str(obj.proposer)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())


class PublicProposalDetailOut(PublicProposalFields):
    analysis: str
    recommendations: str
    replies: list[PublicReplyOut]
