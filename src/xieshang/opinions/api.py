"""Public-opinion reports over the REST API: what the caller may see, writing and submitting, the
office's actions (claim, edit, adopt, decline, forward, instruction, feedback), journal issues and an
issue's .docx. Errors go through the API's AppError handler."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text

from . import exports, selectors, services
from .models import Instruction, JournalIssue, OpinionReport

router = Router(tags=["opinions"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportItemOut(Schema):
    id: int
    conference_id: int
    title: str
    state: str
    state_label: str
    on_behalf_kind: str
    on_behalf_name: str
    category: str
    submitted_by_id: int
    issue_label: str | None
    version: int
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: OpinionReport) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_issue_label(obj: OpinionReport) -> str | None:
        return obj.adopted_in.label if obj.adopted_in else None


class OpinionInstructionOut(Schema):
    id: int
    leader_name: str
    level: str
    given_on: dt.date
    text: str
    feedback: str
    feedback_on: dt.date | None


class ReportDetailOut(ReportItemOut):
    facts: str
    analysis: str
    suggestions: str
    decline_reason: str
    source_proposal_id: int | None
    actions: list[str]
    instructions: list[OpinionInstructionOut]


class ReportFilter(Schema):
    conference_id: Id | None = None
    state: Text | None = None
    q: Text | None = None


class OpinionReportIn(Schema):
    conference_id: Id = Field(description="The conference to write in; the member must belong to it.")
    title: Text = Field(description="标题")
    facts: Text = Field("", description="基本情况")
    analysis: Text = Field("", description="问题分析")
    suggestions: Text = Field("", description="意见建议")
    category: Text = ""
    on_behalf_kind: Text = Field("member", description="member / party / sector / committee")
    on_behalf_name: Text = ""
    submit: bool = Field(False, description="Submit at once instead of keeping a draft.")


class OpinionVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class OpinionEditIn(OpinionVersionIn):
    title: Text
    facts: Text = ""
    analysis: Text = ""
    suggestions: Text = ""
    note: Text = ""


class AdoptIn(OpinionVersionIn):
    issue_id: Id | None = Field(None, description="An open issue; none opens the next issue of `year`.")
    year: int | None = Field(None, ge=1949, le=2200)


class OpinionReasonIn(OpinionVersionIn):
    reason: Text


class OpinionForwardIn(OpinionVersionIn):
    recipient_kind: Text = Field(description="superior / party_committee / government / other")
    recipient_name: Text
    forwarded_on: dt.date | None = None
    note: Text = ""


class OpinionInstructionIn(OpinionVersionIn):
    leader_name: Text
    level: Text = Field(description="national / provincial / city / county")
    text: Text
    given_on: dt.date | None = None


class FeedbackIn(OpinionVersionIn):
    feedback: Text
    feedback_on: dt.date | None = None


class IssueOut(Schema):
    id: int
    conference_id: int
    year: int
    number: int
    label: str
    title: str
    state: str
    published_on: dt.date | None


class OpinionStatusOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    created_id: int | None = None


def _status(report: OpinionReport, created_id: int | None = None) -> dict[str, Any]:
    report.refresh_from_db(fields=["state", "version"])
    return {
        "id": report.pk,
        "state": report.state,
        "state_label": str(report.get_state_display()),
        "version": report.version,
        "created_id": created_id,
    }


def _detail(user: Any, report: OpinionReport) -> OpinionReport:
    report.actions = selectors.available_actions(user, report)  # type: ignore[attr-defined]
    report.instructions_list = list(selectors.instructions(report))  # type: ignore[attr-defined]
    return report


class _DetailOut(ReportDetailOut):
    @staticmethod
    def resolve_instructions(obj: OpinionReport) -> list[Instruction]:
        return obj.instructions_list  # type: ignore[attr-defined,no-any-return]


@router.get("", response=list[ReportItemOut])
@paginate(Pages, page_size=20, max_page_size=100)
def list_reports(request: HttpRequest, filters: Query[ReportFilter]) -> QuerySet[OpinionReport]:
    """Reports the caller may see, latest first; `conference_id` must be one of the caller's."""
    user = actor(request)
    if filters.conference_id is not None:
        access.conference(user, filters.conference_id)
    qs = selectors.visible_reports(user, filters.conference_id)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return selectors.filter_reports(qs, q=(filters.q or "").strip())


@router.get("/issues", response={200: list[IssueOut], **ERRORS})
def list_issues(request: HttpRequest, conference_id: Id) -> list[JournalIssue]:
    """The conference's journal issues (staff and leaders)."""
    user = actor(request)
    access.conference(user, conference_id, "staff", "leader")
    return list(selectors.issues(user, conference_id))


@router.get("/issues/{issue_id}/docx", response={200: None, **ERRORS})
def issue_docx(request: HttpRequest, issue_id: Id) -> HttpResponse:
    """The issue in the journal's layout (.docx)."""
    issue = selectors.get_issue(actor(request), issue_id)
    response = HttpResponse(
        exports.issue_docx(issue, list(selectors.issue_reports(issue))), content_type=DOCX
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"社情民意-{issue.year}年第{issue.number}期.docx"
    )
    return response


@router.get("/{report_id}", response={200: _DetailOut, **ERRORS})
def get_report(request: HttpRequest, report_id: Id) -> OpinionReport:
    """One report with the actions the caller may take now."""
    user = actor(request)
    return _detail(user, selectors.get_report(user, report_id))


@router.post("", response={201: OpinionStatusOut, **ERRORS})
def create_report(request: HttpRequest, payload: OpinionReportIn) -> Status[dict[str, Any]]:
    """A member writes a draft (and submits it at once with `submit: true`)."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    data = services.ReportInput(
        title=payload.title,
        facts=payload.facts,
        analysis=payload.analysis,
        suggestions=payload.suggestions,
        category=payload.category,
        on_behalf_kind=payload.on_behalf_kind,
        on_behalf_name=payload.on_behalf_name,
    )
    report = services.create_report(user, conference, data)
    if payload.submit:
        services.submit_report(user, report)
    return Status(201, _status(report))


@router.post("/{report_id}/submit", response={200: OpinionStatusOut, **ERRORS})
def submit(request: HttpRequest, report_id: Id, payload: OpinionVersionIn) -> dict[str, Any]:
    """The submitter sends a draft to the office."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    return _status(services.submit_report(user, report, version=payload.version))


@router.post("/{report_id}/claim", response={200: OpinionStatusOut, **ERRORS})
def claim(request: HttpRequest, report_id: Id, payload: OpinionVersionIn) -> dict[str, Any]:
    """Staff start editing a submitted report."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    return _status(services.claim_report(user, report, version=payload.version))


@router.post("/{report_id}/edit", response={200: OpinionStatusOut, **ERRORS})
def revise(request: HttpRequest, report_id: Id, payload: OpinionEditIn) -> dict[str, Any]:
    """The editor changes the text; a tracked revision is kept."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    data = services.EditInput(
        payload.title, payload.facts, payload.analysis, payload.suggestions, payload.note
    )
    revision = services.revise_report(user, report, data, version=payload.version)
    return _status(report, revision.pk if revision else None)


@router.post("/{report_id}/adopt", response={200: OpinionStatusOut, **ERRORS})
def adopt(request: HttpRequest, report_id: Id, payload: AdoptIn) -> dict[str, Any]:
    """Staff adopt the report into an open issue or the next new one."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    services.adopt_report(
        user, report, issue_id=payload.issue_id, new_issue_year=payload.year, version=payload.version
    )
    report.refresh_from_db(fields=["adopted_in"])
    return _status(report, report.adopted_in_id)


@router.post("/{report_id}/decline", response={200: OpinionStatusOut, **ERRORS})
def decline(request: HttpRequest, report_id: Id, payload: OpinionReasonIn) -> dict[str, Any]:
    """Staff decline the report with a reason."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    return _status(services.decline_report(user, report, reason=payload.reason, version=payload.version))


@router.post("/{report_id}/forward", response={201: OpinionStatusOut, **ERRORS})
def forward(request: HttpRequest, report_id: Id, payload: OpinionForwardIn) -> Status[dict[str, Any]]:
    """Staff record where an adopted report was sent."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    data = services.ForwardInput(
        payload.recipient_kind, payload.recipient_name, payload.forwarded_on, payload.note
    )
    forwarding = services.forward_report(user, report, data, version=payload.version)
    return Status(201, _status(report, forwarding.pk))


@router.post("/{report_id}/instructions", response={201: OpinionStatusOut, **ERRORS})
def instruction(request: HttpRequest, report_id: Id, payload: OpinionInstructionIn) -> Status[dict[str, Any]]:
    """Staff record a leader's instruction on an adopted report."""
    user = actor(request)
    report = selectors.get_report(user, report_id)
    data = services.InstructionInput(payload.leader_name, payload.level, payload.text, payload.given_on)
    created = services.record_instruction(user, report, data, version=payload.version)
    return Status(201, _status(report, created.pk))


@router.post("/instructions/{instruction_id}/feedback", response={200: OpinionStatusOut, **ERRORS})
def feedback(request: HttpRequest, instruction_id: Id, payload: FeedbackIn) -> dict[str, Any]:
    """Staff record the feedback on an instruction."""
    user = actor(request)
    found = selectors.get_instruction(user, instruction_id)
    services.record_feedback(
        user, found, feedback=payload.feedback, feedback_on=payload.feedback_on, version=payload.version
    )
    return _status(found.report)
