"""Rules of the opinion services: permissions, isolation, numbering, stale versions, bad input, diffs,
conversion from proposals and duty points."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import PointEvent
from xieshang.opinions import selectors, services
from xieshang.opinions.models import JournalIssue, OpinionReport, OpinionState, Revision
from xieshang.opinions.services import EditInput, ReportInput

from . import walk

S = OpinionState


def test_member_writes_and_submits_a_report(world):
    # given a member's draft
    report = walk.draft(world.city)
    # when the member submits it
    services.submit_report(world.city.member, report)
    # then it waits for the office
    assert OpinionReport.objects.get(pk=report.pk).state == S.SUBMITTED


def test_member_cannot_adopt(world):
    report = walk.editing(world.city)
    with pytest.raises(AppError) as caught:
        services.adopt_report(world.city.member, report)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_leader_is_read_only(world):
    report = walk.adopted(world.city)
    assert selectors.get_report(world.city.leader, report.pk) == report
    assert selectors.available_actions(world.city.leader, report) == []
    with pytest.raises(AppError):
        services.record_instruction(world.city.leader, report, walk.INSTRUCTION)


def test_leader_does_not_see_reports_before_adoption(world):
    report = walk.editing(world.city)
    with pytest.raises(Http404):
        selectors.get_report(world.city.leader, report.pk)


def test_county_staff_get_404_on_a_city_report_and_cannot_act(world):
    report = walk.submitted(world.city)
    with pytest.raises(Http404):
        selectors.get_report(world.county.staff, report.pk)
    with pytest.raises(AppError) as caught:
        services.claim_report(world.county.staff, report)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_staff_do_not_see_others_drafts(world):
    report = walk.draft(world.city)
    with pytest.raises(Http404):
        selectors.get_report(world.city.staff, report.pk)
    with pytest.raises(Http404):
        selectors.get_report(world.city.member2, report.pk)


def test_journal_issues_are_numbered_per_conference_and_year(world):
    # given adoptions in two conferences and two years
    first = walk.adopted(world.city)
    county = walk.adopted(world.county)
    services.create_issue(world.city.staff, world.city.conference, year=2025)
    second = services.adopt_report(world.city.staff, walk.editing(world.city), new_issue_year=2025)
    # then each conference-year counts from one
    assert first.adopted_in.number == 1
    assert county.adopted_in.number == 1
    assert second.adopted_in.year == 2025 and second.adopted_in.number == 2
    assert JournalIssue.objects.filter(conference=world.city.conference).count() == 3


def test_adopting_into_an_open_issue_keeps_the_order(world):
    first = walk.adopted(world.city)
    second = services.adopt_report(world.city.staff, walk.editing(world.city), issue_id=first.adopted_in_id)
    assert second.adopted_in_id == first.adopted_in_id
    assert [r.pk for r in selectors.issue_reports(first.adopted_in)] == [first.pk, second.pk]


def test_a_published_issue_takes_no_more_reports(world):
    first = walk.adopted(world.city)
    services.publish_issue(world.city.staff, first.adopted_in)
    with pytest.raises(AppError) as caught:
        services.adopt_report(world.city.staff, walk.editing(world.city), issue_id=first.adopted_in_id)
    assert "issue" in caught.value.fields


def test_an_issue_of_another_conference_is_refused(world):
    county = walk.adopted(world.county)
    with pytest.raises(AppError):
        services.adopt_report(world.city.staff, walk.editing(world.city), issue_id=county.adopted_in_id)


def test_numbering_locks_the_conference_row_where_the_database_can(world):
    # The row lock serialises two adoptions that open an issue at once (SQLite serialises every
    # writer by itself and Django leaves FOR UPDATE out there).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = walk.editing(world.city)
    with CaptureQueriesContext(connection) as ctx:
        services.adopt_report(world.city.staff, report)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert any("conferences_conference" in sql for sql in locking)


def test_the_database_refuses_a_second_issue_with_the_same_number(world):
    from django.db import IntegrityError, transaction

    issue = walk.adopted(world.city).adopted_in
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalIssue.objects.create(conference=issue.conference, year=issue.year, number=issue.number)


def test_a_stale_version_is_refused(world):
    report = walk.editing(world.city)
    stale = report.version
    services.revise_report(world.city.staff, report, walk.EDIT, version=stale)
    with pytest.raises(AppError) as caught:
        services.adopt_report(world.city.staff, report, version=stale)
    assert caught.value.code == ErrorCode.STALE_VERSION
    assert OpinionReport.objects.get(pk=report.pk).state == S.EDITING


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ReportInput(title="  "), "title"),
        (ReportInput(title="标题", facts="字" * 20001), "facts"),
        (ReportInput(title="标" * 201), "title"),
        (ReportInput(title="标题", on_behalf_kind="party"), "on_behalf_name"),
        (ReportInput(title="标题", on_behalf_kind="nobody"), "on_behalf_kind"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_writes_nothing(world, data, field):
    before = (OpinionReport.objects.count(), AuditEvent.objects.count())
    with pytest.raises(AppError) as caught:
        services.create_report(world.city.member, world.city.conference, data)
    assert caught.value.code == ErrorCode.INVALID_INPUT
    assert field in caught.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.fields[field])
    assert (OpinionReport.objects.count(), AuditEvent.objects.count()) == before


def test_a_wrong_file_type_is_refused_and_nothing_is_written(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    with pytest.raises(AppError) as caught:
        services.create_report(
            world.city.member, world.city.conference, ReportInput(title="标题"), uploads=[upload]
        )
    assert caught.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED
    assert "不支持" in caught.value.message
    assert OpinionReport.objects.count() == 0


def test_a_good_file_is_attached(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("调研.txt", "调研记录".encode(), content_type="text/plain")
    report = services.create_report(
        world.city.member, world.city.conference, ReportInput(title="标题"), uploads=[upload]
    )
    assert [a.original_name for a in report.attachments.all()] == ["调研.txt"]


def test_submitting_needs_suggestions(world):
    report = walk.draft(world.city, suggestions="")
    with pytest.raises(AppError) as caught:
        services.submit_report(world.city.member, report)
    assert "suggestions" in caught.value.fields


def test_decline_needs_a_reason(world):
    with pytest.raises(AppError) as caught:
        services.decline_report(world.city.staff, walk.submitted(world.city), reason=" ")
    assert "reason" in caught.value.fields


def test_the_revision_diff_shows_the_change_and_escapes_script(world):
    # given a report the editor changes, adding a script tag
    report = walk.editing(world.city, facts="夜市占道严重。")
    edit = EditInput(
        title=report.title, facts="夜市占道<script>alert(1)</script>十分严重。", suggestions="划定区域。"
    )
    services.revise_report(world.city.staff, report, edit)
    # then the diff marks insertions and deletions and never emits a live script tag
    rows = selectors.revisions_with_diff(report)
    html = {c["field"]: str(c["diff"]) for c in rows[0]["changes"]}
    assert "<ins>" in html["facts"]
    assert "&lt;script&gt;" in html["facts"]
    assert "<script>" not in html["facts"]
    assert "<del>" in html["suggestions"]
    assert Revision.objects.get(report=report).before_facts == "夜市占道严重。"


def test_an_edit_without_change_writes_no_revision(world):
    report = walk.editing(world.city)
    same = EditInput(
        title=report.title, facts=report.facts, analysis=report.analysis, suggestions=report.suggestions
    )
    assert services.revise_report(world.city.staff, report, same) is None
    assert not Revision.objects.exists()


def _proposal(side, **kw):  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        pk=kw.get("pk", 4242),
        conference_id=side.conference.pk,
        proposer=side.member,
        title="关于加强农村饮水安全的建议",
        analysis="部分村庄水质不达标。",
        recommendations="建设集中供水工程。",
        collective_name=kw.get("collective_name", ""),
    )


def test_create_from_proposal_makes_a_submitted_linked_report(world):
    proposal = _proposal(world.city)
    report = services.create_from_proposal(world.city.staff, proposal)
    assert report.state == S.SUBMITTED
    assert report.source_proposal_id == 4242
    assert report.submitted_by == world.city.member
    assert (report.title, report.analysis, report.suggestions) == (
        proposal.title,
        proposal.analysis,
        proposal.recommendations,
    )
    assert services.create_from_proposal(world.city.staff, proposal) == report


def test_create_from_proposal_works_with_a_real_converted_proposal(world):
    from xieshang.proposals import services as proposal_services

    from ..proposals import walk as proposal_walk

    proposal = proposal_services.convert_proposal(
        world.city.staff, proposal_walk.under_review(world.city), note="转社情民意信息"
    )
    report = services.create_from_proposal(world.city.staff, proposal)
    assert report.source_proposal_id == proposal.pk
    assert report.state == S.SUBMITTED


def test_create_from_proposal_needs_the_office(world):
    with pytest.raises(AppError):
        services.create_from_proposal(world.county.staff, _proposal(world.city))


def test_adoption_and_instruction_write_duty_point_events(world):
    report = walk.adopted(world.city)
    instruction = services.record_instruction(world.city.staff, report, walk.INSTRUCTION)
    events = PointEvent.objects.filter(user=world.city.member, conference=world.city.conference)
    assert set(events.values_list("kind", flat=True)) == {"opinion_adopted", "instruction_received"}
    assert events.get(kind="instruction_received").data == {"level": "city"}
    assert events.get(kind="instruction_received").source_id == instruction.pk


def test_instruction_dates_cannot_be_in_the_future(world):
    report = walk.adopted(world.city)
    data = services.InstructionInput("市长", "city", "阅。", given_on=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(AppError) as caught:
        services.record_instruction(world.city.staff, report, data)
    assert "given_on" in caught.value.fields


def test_feedback_is_recorded_on_the_instruction(world):
    report = walk.adopted(world.city)
    instruction = services.record_instruction(world.city.staff, report, walk.INSTRUCTION)
    services.record_feedback(world.city.staff, instruction, feedback="市城管局已划定12处夜市经营区。")
    instruction.refresh_from_db()
    assert instruction.feedback.startswith("市城管局")
    assert instruction.feedback_on is not None


def test_submitting_notifies_staff_on_commit(world, django_capture_on_commit_callbacks):
    from xieshang.notify.models import Notification

    report = walk.draft(world.city)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(world.city.member, report)
    assert Notification.objects.filter(user=world.city.staff, verb="opinion_submitted").exists()
