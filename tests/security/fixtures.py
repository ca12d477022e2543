"""The city conference's side of the attack world: one object of every kind a URL can point at.

Everything is made through the apps' services (the demo seeders are services too), so each object is
in a state its own conference can reach. The titles of the objects that are never public carry
SECRET, so a page of another conference that shows one of them is caught by its body.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.activities import services as activities
from xieshang.activities.models import Activity, ActivityDocument
from xieshang.indicators.models import Indicator, Region
from xieshang.opinions import services as opinions
from xieshang.opinions.models import Attachment as OpinionAttachment
from xieshang.opinions.models import Instruction, OpinionReport
from xieshang.opinions.models import JournalIssue as OpinionIssue
from xieshang.people.models import RoleKind
from xieshang.proposals import services as proposals
from xieshang.proposals.models import Attachment, Proposal
from xieshang.proposals.services import ReplyInput
from xieshang.publishing import archive, culture_demo
from xieshang.publishing.models import (
    ArchiveItem,
    Article,
    Award,
    CultureProject,
    Friend,
    JournalIssue,
    Nomination,
    Volume,
)
from xieshang.research import study_demo, topics_demo
from xieshang.research import study_services as study
from xieshang.research import topics_services as topic_services
from xieshang.research.models import (
    Forum,
    Question,
    Quiz,
    QuizAttempt,
    StudyMaterial,
    StudyPlan,
    StudySession,
)
from xieshang.tasks import services as tasks
from xieshang.tasks.models import ProgressReport, SourceDocument
from xieshang.voice import deliberation, reports, survey_demo
from xieshang.voice import services as voice
from xieshang.voice.models import (
    Deliberation,
    Lead,
    MessageAttachment,
    Post,
    PublicMessage,
    ReportInstruction,
    Survey,
    SurveyQuestion,
)
from xieshang.web.management import demo_more

from ..conftest import Side, World
from ..factories import UserFactory, give_role
from ..proposals import walk
from ..research import topics_walk as topic_walk
from ..tasks import walk as task_walk

SECRET = "绝密城市事项"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 security test", content_type="application/pdf")


def first(model: Any, **filters: Any) -> int:
    """The pk of the first row of `model` matching `filters`; fails loudly if the world lacks one."""
    row = model.objects.filter(**filters).order_by("pk").first()
    assert row is not None, f"the security world has no {model.__name__} with {filters}"
    return int(row.pk)


def _reported_deliberation(side: Side) -> Deliberation:
    """A members-only topic, debated, closed, reported to the leader, who instructed on it."""
    now = timezone.now()
    topic = deliberation.create_deliberation(
        side.staff,
        side.conference,
        deliberation.DeliberationInput(
            title=f"{SECRET}议题",
            question="如何推进？",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
        ),
    )
    topic = deliberation.open_deliberation(side.staff, topic)
    deliberation.post_opinion(side.member, topic, body="建议财政补贴加装电梯费用的三成。")
    topic = deliberation.close_deliberation(side.staff, topic)
    topic = deliberation.save_report(side.staff, topic, summary="报告正文。", final=True)
    reports.send_report(side.staff, topic, leader_ids=[side.leader.pk])
    reports.record_instruction(
        side.leader, topic, reports.InstructionInput(level="city", text="请有关部门研究。")
    )
    return topic


def _published_activity(side: Side) -> Activity:
    """A survey trip in two days, with the member invited."""
    starts_at = timezone.now() + dt.timedelta(days=2)
    data = activities.ActivityInput(
        kind="survey",
        title=f"{SECRET}调研",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        place="市政协三楼会议室",
        agenda="座谈交流。",
        half_days=1,
    )
    activity = activities.create_activity(side.staff, side.conference, data)
    activities.invite_members(side.staff, activity, [side.member.pk, side.member2.pk])
    return activities.publish_activity(side.staff, activity)


def build_city(world: World) -> dict[str, Any]:
    """Seed the city conference through its services; name → pk of one object of every kind."""
    side: Side = world.city
    conference = side.conference
    extra = [UserFactory(username=f"city_m{i}", display_name=f"市委员{i}") for i in range(16)]
    for user in extra:
        give_role(user, conference, RoleKind.MEMBER)
    members = [side.member, side.member2, *extra]
    contacts = {side.unit.pk: side.unit_user, side.unit2.pk: side.unit2_user}
    year = timezone.localdate().year

    secret_draft = walk.draft(side, title=f"关于{SECRET}的建议")
    proposals.add_attachment(side.member, secret_draft, pdf())
    assigned = walk.assigned(side)
    reassignment = proposals.request_reassignment(
        side.unit_user, walk.lead_assignment(assigned), reason="不属于我局职责。"
    )
    other = walk.assigned(side, co=False)
    extension = proposals.request_extension(
        side.unit_user,
        walk.lead_assignment(other),
        requested_due_on=walk.lead_assignment(other).due_on + dt.timedelta(days=30),
        reason="需实地调研。",
    )
    replied = walk.assigned(side, co=False)
    lead = walk.lead_assignment(replied)
    proposals.record_consultation(
        side.unit_user, lead, held_on=timezone.localdate(), form="phone", agreed="电话沟通，达成一致。"
    )
    letter = proposals.submit_reply(
        side.unit_user,
        lead,
        ReplyInput(body="经研究，已纳入年度计划。", outcome="B", signed_by="张局长"),
        pdf("答复函.pdf"),
    )
    proposals.set_published(side.staff, Proposal.objects.get(pk=replied.pk), published=True)

    demo_more.seed_activities(conference, side.staff, members, random.Random(8))
    demo_more.seed_opinions(conference, side.staff, members, year)
    opinions.create_report(
        side.member,
        conference,
        opinions.ReportInput(title=f"{SECRET}社情民意", facts="事实。", suggestions="建议。"),
        uploads=[pdf()],
    )
    demo_more.seed_tasks(conference, side.staff, contacts)
    task = task_walk.assigned(side)
    tasks.report_progress(
        side.unit_user, task, tasks.ProgressInput(text="已完成项目梳理", percent=30), upload=pdf()
    )
    demo_more.seed_publishing(conference, side.staff, side.leader)
    demo_more.seed_voice(conference, side.staff, members, contacts)
    demo_more.seed_archive(conference, side.staff, members)
    study_demo.seed(conference, side.staff, members, side.leader)
    topics_demo.seed(conference, side.staff, members, side.leader)
    culture_demo.seed(conference, side.staff, members, side.leader)
    survey_demo.seed(conference, side.staff, members, side.leader)

    activity = _published_activity(side)
    activities.add_documents(side.staff, activity, [pdf()])
    leave = activities.request_leave(side.member, activity, reason="出差。")
    outreach = activities.log_outreach(
        side.member,
        conference,
        activities.OutreachInput(
            contact="居民王某", contacted_on=timezone.localdate(), channel="visit", topic=f"{SECRET}走访"
        ),
    )
    checklist = tasks.create_checklist(side.staff, conference, kind="gap", year=year, title="找差距清单")
    region = Region.objects.create(conference=conference, name="示范区")
    indicator = Indicator.objects.create(conference=conference, name="地区生产总值", unit="亿元")
    voice.submit_message(
        conference,
        voice.MessageInput(subject=f"{SECRET}群众来信", detail="详情。"),
        uploads=[pdf()],
    )

    debated = _reported_deliberation(side)
    public_report = OpinionReport.objects.filter(conference=conference, state="adopted").order_by("pk")[0]
    opinions.set_public(side.staff, public_report, public=True)
    paper = study.submit_paper(side.member, conference, study.PaperInput(title="学习心得"), upload=pdf())
    topic = topic_walk.researching(side)
    draft = topic_services.add_draft(
        side.staff, topic, topic_services.DraftInput(title="调研报告初稿", text="正文。"), upload=pdf()
    )
    forum = Forum.objects.filter(conference=conference).order_by("pk")[0]
    submission = topic_services.submit_to_forum(
        side.staff, forum, conference, topic_services.SubmissionInput(title="论坛交流材料"), upload=pdf()
    )
    item = archive.submit_item(
        side.member, conference, archive.ItemInput(title="口述史料", kind="memoir"), upload=pdf()
    )

    c = conference
    return {
        "conference": c.pk,
        "member": side.member.pk,
        "proposal": secret_draft.pk,
        "assigned_proposal": assigned.pk,
        "assignment": walk.lead_assignment(assigned).pk,
        "reassignment": reassignment.pk,
        "reply": letter.pk,
        "proposal_attachment": first(Attachment, proposal=secret_draft),
        "extension": extension.pk,
        "session": side.session.pk,
        "activity": activity.pk,
        "activity_code": activity.checkin_code,
        "published_proposal": replied.pk,
        "activity_document": first(ActivityDocument, activity=activity),
        "leave": leave.pk,
        "outreach": outreach.pk,
        "report": first(OpinionReport, conference=c, title__contains=SECRET),
        "public_report": public_report.pk,
        "report_attachment": first(OpinionAttachment, report__conference=c),
        "instruction": first(Instruction, report__conference=c),
        "opinion_issue": first(OpinionIssue, conference=c),
        "task": task.pk,
        "source": first(SourceDocument, conference=c),
        "progress": first(ProgressReport, task=task),
        "checklist": checklist.pk,
        "indicator": indicator.pk,
        "region": region.pk,
        "article": first(Article, conference=c),
        "journal_issue": first(JournalIssue, journal__conference=c),
        "archive_item": item.pk,
        "public_archive_item": first(ArchiveItem, conference=c, state="published"),
        "volume": first(Volume, collection__conference=c),
        "culture_project": first(CultureProject, conference=c),
        "award": first(Award, conference=c),
        "nomination": first(Nomination, award__conference=c),
        "friend": first(Friend, conference=c),
        "message": first(PublicMessage, conference=c, subject__contains=SECRET),
        "message_attachment": first(MessageAttachment, message__conference=c),
        "lead": first(Lead, message__conference=c),
        "deliberation": debated.pk,
        "post": first(Post, deliberation__conference=c),
        "deliberation_instruction": first(ReportInstruction, deliberation=debated),
        "survey": first(Survey, conference=c),
        "survey_question": first(SurveyQuestion, survey__conference=c),
        "study_plan": first(StudyPlan, conference=c),
        "study_material": first(StudyMaterial, plan__conference=c),
        "study_session": first(StudySession, plan__conference=c),
        "question": first(Question, conference=c),
        "quiz": first(Quiz, conference=c),
        "attempt": first(QuizAttempt, quiz__conference=c),
        "paper": paper.pk,
        "topic": topic.pk,
        "topic_draft": draft.pk,
        "forum": forum.pk,
        "forum_submission": submission.pk,
        "proposal_any": first(Proposal, conference=c),
        "dt": int(dt.date.today().year),
    }
