"""Reads of public-opinion reports and journal issues, limited to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids, has_role

from . import workflow
from .diff import tracked_diff
from .models import Attachment, Instruction, JournalIssue, OpinionReport, OpinionState, Revision
from .rules import actor_roles

S = OpinionState
LEADER_STATES = [S.ADOPTED]


def visible_reports(user: Any, conference_id: int | None = None) -> QuerySet[OpinionReport]:
    """Reports the user may see: their own; staff all but others' drafts in their conference;
    leaders the adopted ones of their conference."""
    if not user.is_authenticated:
        return OpinionReport.objects.none()
    condition = Q(submitted_by=user)
    staff = conference_ids(user, RoleKind.STAFF)
    if staff:
        condition |= Q(conference_id__in=staff) & ~Q(state=S.DRAFT)
    leaders = conference_ids(user, RoleKind.LEADER)
    if leaders:
        condition |= Q(conference_id__in=leaders, state__in=LEADER_STATES)
    qs = OpinionReport.objects.filter(condition)
    if conference_id is not None:
        qs = qs.filter(conference_id=conference_id)
    return qs.select_related("submitted_by", "editor", "adopted_in", "conference")


def get_report(user: Any, report_id: int) -> OpinionReport:
    """One report the user may see, or 404 (never telling whether it exists)."""
    report = visible_reports(user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def get_attachment(user: Any, attachment_id: int) -> Attachment:
    """An attachment of a report the user may see, or 404."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not visible_reports(user).filter(pk=attachment.report_id).exists():
        raise Http404
    return attachment


def get_instruction(user: Any, instruction_id: int) -> Instruction:
    """An instruction on a report the user may see, or 404."""
    instruction = Instruction.objects.select_related("report").filter(pk=instruction_id).first()
    if instruction is None or not visible_reports(user).filter(pk=instruction.report_id).exists():
        raise Http404
    return instruction


def my_reports(user: Any, conference_id: int) -> QuerySet[OpinionReport]:
    """The member's own reports in a conference, newest first."""
    return (
        OpinionReport.objects.filter(conference_id=conference_id, submitted_by=user)
        .select_related("adopted_in")
        .order_by("-updated_at", "-id")
    )


def available_actions(user: Any, report: OpinionReport) -> list[str]:
    """Workflow actions the user may start on the report now (the buttons to show)."""
    roles = actor_roles(user, report)
    return [
        name
        for name, row in workflow.TRANSITIONS.items()
        if report.state in row.sources and row.roles & roles
    ]


WORK_LISTS = {
    "to_edit": [S.SUBMITTED],
    "editing": [S.EDITING],
    "adopted": [S.ADOPTED],
    "not_adopted": [S.NOT_ADOPTED],
}


def work_lists(user: Any, conference_id: int) -> dict[str, QuerySet[OpinionReport]]:
    """The office's work lists of a conference (待编辑, 编辑中, 已采用, 未采用), each limited to what
    the user may see (a leader's lists hold only adopted reports)."""
    base = visible_reports(user, conference_id)
    return {name: base.filter(state__in=states) for name, states in WORK_LISTS.items()}


SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


def filter_reports(
    qs: QuerySet[OpinionReport],
    *,
    q: str = "",
    on_behalf_kind: str = "",
    category: str = "",
    year: int | None = None,
    sort: str = "",
) -> QuerySet[OpinionReport]:
    """Narrow a list of reports by the work-list filters and order it."""
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(on_behalf_name__icontains=word)
            | Q(submitted_by__display_name__icontains=word)
            | Q(category__icontains=word)
        )
    if on_behalf_kind:
        qs = qs.filter(on_behalf_kind=on_behalf_kind)
    if category:
        qs = qs.filter(category=category)
    if year:
        qs = qs.filter(submitted_at__year=year)
    return qs.order_by(*SORTS.get(sort, ("-submitted_at", "-id")))


def revisions_with_diff(report: OpinionReport) -> list[dict[str, Any]]:
    """The editor's revisions of a report, each with a tracked diff per changed field."""
    labels = {"title": "标题", "facts": "基本情况", "analysis": "问题分析", "suggestions": "意见建议"}
    rows = []
    for revision in Revision.objects.filter(report=report).select_related("editor"):
        changes = []
        for field, label in labels.items():
            before, after = getattr(revision, f"before_{field}"), getattr(revision, f"after_{field}")
            if before != after:
                changes.append({"field": field, "label": label, "diff": tracked_diff(before, after)})
        rows.append({"revision": revision, "changes": changes})
    return rows


def instructions(report: OpinionReport) -> QuerySet[Instruction]:
    """A report's instructions in the order they were given."""
    return report.instructions.all()


def issues(user: Any, conference_id: int) -> QuerySet[JournalIssue]:
    """The conference's journal issues, newest first: staff and leaders only (otherwise none)."""
    if not has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER):
        return JournalIssue.objects.none()
    return JournalIssue.objects.filter(conference_id=conference_id).order_by("-year", "-number")


def draft_issues(conference_id: int) -> QuerySet[JournalIssue]:
    """Issues still open to new reports."""
    return JournalIssue.objects.filter(conference_id=conference_id, state=JournalIssue.State.DRAFT).order_by(
        "-year", "-number"
    )


def get_issue(user: Any, issue_id: int) -> JournalIssue:
    """An issue of a conference where the user is staff or leader, or 404."""
    ids = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER) if user.is_authenticated else set()
    issue = (
        JournalIssue.objects.select_related("conference").filter(pk=issue_id, conference_id__in=ids).first()
    )
    if issue is None:
        raise Http404
    return issue


def issue_reports(issue: JournalIssue) -> QuerySet[OpinionReport]:
    """The reports of an issue in their printed order."""
    return issue.reports.select_related("submitted_by").order_by("position", "id")


def published_reports() -> QuerySet[OpinionReport]:
    """What the public portal shows: adopted reports that staff chose to make public, newest first."""
    return (
        OpinionReport.objects.filter(state=S.ADOPTED, is_public=True)
        .select_related("conference", "adopted_in", "submitted_by")
        .order_by("-decided_at", "-id")
    )
