"""Research topics through the services: from a proposal to a task made from the report, instructions,
the group's duty points, forums across conferences, the proceedings export, and refused input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from docx import Document

from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty.models import PointEvent
from xieshang.research import topics_exports as exports
from xieshang.research import topics_selectors as selectors
from xieshang.research import topics_services as services
from xieshang.research.models import Forum, ForumSubmission, ResearchTopic, TopicDraft, TopicTask
from xieshang.tasks.models import Task

from ..factories import ConferenceFactory, UserFactory, give_role
from ..proposals import walk as proposal_walk
from . import topics_walk as walk


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _docx(*paragraphs: str, name: str = "报告.docx") -> SimpleUploadedFile:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(name, out.getvalue())


# ---------------------------------------------------------------------------- the whole way


def test_a_topic_goes_from_a_proposal_to_a_task_created_from_its_report(world):
    side = world.city
    # given an accepted proposal
    proposal = proposal_walk.accepted(side, analysis="民营企业融资难、融资贵问题突出。")
    # when staff start a topic from it, it carries the proposal as its origin
    data = services.topic_input_from_proposal(proposal)
    data.proposer_name = "经济委员会"
    data.lead_committee_id = walk.committee(side).pk
    topic = services.create_topic(side.staff, side.conference, data)
    assert topic.origin_proposal_id == proposal.pk and topic.title == proposal.title
    assert topic.background == "民营企业融资难、融资贵问题突出。"
    # and it is selected, researched with a trip, drafted twice and its report submitted
    topic = services.select_topic(side.leader, topic)
    services.add_group_member(side.staff, topic, user_id=side.member.pk, role="lead")
    services.add_group_member(side.staff, topic, user_id=side.member2.pk, role="expert")
    services.add_partner(side.staff, topic, services.PartnerInput(kind="other", name="市工商联"))
    services.add_milestone(side.staff, topic, services.MilestoneInput("赴园区调研", today()))
    topic = services.start_research(side.staff, topic)
    services.add_draft(side.staff, topic, services.DraftInput(title="报告初稿", text="初稿正文。"))
    services.add_draft(
        side.staff,
        topic,
        services.DraftInput(
            title="关于破解民营企业融资难的调研报告", text=walk.REPORT_TEXT, note="吸收专家意见"
        ),
        upload=_docx("附件正文"),
    )
    topic = services.submit_report(side.staff, topic)
    assert topic.report is not None and topic.report.number == 2 and topic.report.original_name == "报告.docx"
    # then transmitted to the party committee and the government
    services.transmit_report(
        side.staff, topic, services.TransmitInput("party_committee", "中共示范市委", note="专报")
    )
    services.transmit_report(side.staff, topic, services.TransmitInput("government", "示范市人民政府"))
    topic = ResearchTopic.objects.get(pk=topic.pk)
    assert topic.state == "transmitted" and topic.transmissions.count() == 2
    # when staff turn the report into a task for a handling unit
    link = services.create_follow_up_task(
        side.staff,
        topic,
        services.FollowUpInput(
            action="研究设立民营企业首贷续贷服务中心",
            lead_unit_ids=[side.unit.pk],
            coop_unit_ids=[side.unit2.pk],
            due_on=today() + dt.timedelta(days=60),
        ),
    )
    # then the tasks app holds the task, owned by the unit, linked to the topic
    task = Task.objects.get(pk=link.task_id)
    assert task.conference_id == side.conference.pk and task.state == "assigned"
    assert list(task.owners.filter(role="lead").values_list("unit_id", flat=True)) == [side.unit.pk]
    assert "关于破解民营企业融资难" in task.evidence
    assert [f.task for f in selectors.topic_parts(topic)["follow_ups"]] == [task]
    assert task in Task.objects.filter(owners__unit=side.unit)
    # and the whole story is on the topic's timeline
    verbs = list(topic_timeline(topic))
    for verb in ["create", "select", "start", "add_draft", "submit_report", "transmit", "create_task"]:
        assert verb in verbs


def topic_timeline(topic: ResearchTopic) -> list[str]:
    from xieshang.audit.selectors import timeline

    return [e.verb for e in timeline("researchtopic", topic.pk)]


def test_a_task_carries_out_an_instruction_on_the_report(world):
    side = world.city
    topic = walk.transmitted(side)
    instruction = services.record_instruction(
        side.staff,
        topic,
        services.InstructionInput(text="请市发改委牵头研究落实。", level="city", leader_name="张市长"),
    )
    link = services.create_follow_up_task(
        side.staff,
        topic,
        services.FollowUpInput(
            action="研究落实批示", lead_unit_ids=[side.unit.pk], instruction_id=instruction.pk
        ),
    )
    assert link.instruction == instruction
    assert link.task.source_type == "research_topic" and link.task.source_id == topic.pk
    assert "张市长" in link.task.title
    # an instruction of another topic is refused, and no task is made
    other = walk.transmitted(side, title="另一个课题")
    before = Task.objects.count()
    with pytest.raises(AppError) as caught:
        services.create_follow_up_task(
            side.staff,
            other,
            services.FollowUpInput(
                action="不应创建", lead_unit_ids=[side.unit.pk], instruction_id=instruction.pk
            ),
        )
    assert "批示" in caught.value.fields["instruction"]
    assert Task.objects.count() == before and not TopicTask.objects.filter(topic=other).exists()


def test_a_task_needs_a_unit_of_the_conference(world):
    topic = walk.submitted(world.city)
    with pytest.raises(AppError) as caught:
        services.create_follow_up_task(
            world.city.staff, topic, services.FollowUpInput(action="落实", lead_unit_ids=[])
        )
    assert caught.value.code == ErrorCode.INVALID_INPUT
    assert not TopicTask.objects.exists()


# ---------------------------------------------------------------------------- instructions


def test_staff_record_an_instruction_with_the_leaders_name_and_level(world):
    side = world.city
    topic = walk.transmitted(side)
    instruction = services.record_instruction(
        side.staff,
        topic,
        services.InstructionInput(
            text="报告很有价值，请有关部门认真研究。", level="city", leader_name="市委书记", given_on=today()
        ),
    )
    assert (instruction.leader_name, instruction.level, instruction.given_on) == ("市委书记", "city", today())
    assert instruction.conference_id == side.conference.pk
    assert ResearchTopic.objects.get(pk=topic.pk).version == topic.version + 1


def test_a_leader_gives_an_instruction_in_their_own_name(world):
    side = world.city
    topic = walk.transmitted(side)
    instruction = services.record_instruction(
        side.leader, topic, services.InstructionInput(text="同意报告建议。", level="conference")
    )
    assert instruction.leader_name == str(side.leader)


def test_an_instruction_needs_a_leader_text_a_level_and_no_future_date(world):
    side = world.city
    topic = walk.transmitted(side)
    bad = [
        (services.InstructionInput(text="请研究。", level="city"), "leader_name"),
        (services.InstructionInput(text="  ", level="city", leader_name="市长"), "text"),
        (services.InstructionInput(text="请研究。", level="galaxy", leader_name="市长"), "level"),
        (
            services.InstructionInput(
                text="请研究。", level="city", leader_name="市长", given_on=today() + dt.timedelta(days=1)
            ),
            "given_on",
        ),
    ]
    for data, field in bad:
        with pytest.raises(AppError) as caught:
            services.record_instruction(side.staff, topic, data)
        assert caught.value.code == ErrorCode.INVALID_INPUT and field in caught.value.fields
    assert not topic.instructions.exists()


def test_an_instruction_waits_for_the_report_to_be_transmitted(world):
    topic = walk.submitted(world.city)
    with pytest.raises(AppError) as caught:
        services.record_instruction(
            world.city.leader, topic, services.InstructionInput(text="同意。", level="city")
        )
    assert caught.value.code == ErrorCode.INVALID_STATE and "报告已提交" in caught.value.message


# ---------------------------------------------------------------------------- duty points


def _events(topic: ResearchTopic) -> list[tuple[int, str]]:
    return sorted(
        PointEvent.objects.filter(
            kind="research_report", source_type="research_topic", source_id=topic.pk
        ).values_list("user_id", "role")
    )


def test_the_group_earns_research_report_points_once_and_loses_them_on_withdrawal(world):
    side = world.city
    topic = walk.drafted(side)
    services.add_group_member(side.staff, topic, user_id=_third_member(side).pk, role="expert")
    topic = services.submit_report(side.staff, topic)
    expected = sorted(
        [(side.member.pk, "lead"), (side.member2.pk, "participant"), (_third_member(side).pk, "participant")]
    )
    assert _events(topic) == expected
    # a replay of the point writing adds nothing
    from xieshang.duty import services as duty

    duty.record_for_authors(
        conference_id=topic.conference_id,
        kind="research_report",
        occurred_on=today(),
        source_type="research_topic",
        source_id=topic.pk,
        lead_id=side.member.pk,
        participant_ids=[side.member2.pk, _third_member(side).pk],
    )
    assert _events(topic) == expected
    # withdrawing the report takes the points away; submitting again gives them once more
    topic = services.withdraw_report(side.staff, topic, reason="数据需要更新")
    assert _events(topic) == [] and topic.report is None
    services.submit_report(side.staff, topic)
    assert _events(topic) == expected


def _third_member(side):  # type: ignore[no-untyped-def]
    from xieshang.people.models import User

    found = User.objects.filter(username=f"{side.conference.code}_expert").first()
    if found is None:
        found = UserFactory(username=f"{side.conference.code}_expert", display_name="专家委员")
        give_role(found, side.conference, "member")
    return found


# ---------------------------------------------------------------------------- forums


def _forum(world):  # type: ignore[no-untyped-def]
    return services.create_forum(
        world.city.staff,
        world.city.conference,
        services.ForumInput(
            "长江中游城市群高质量发展论坛", today() + dt.timedelta(days=30), "示范市会议中心"
        ),
    )


def test_an_invited_conference_sees_the_forum_and_only_its_own_submission(world):
    city, county = world.city, world.county
    other = ConferenceFactory(name="邻市政协", short_name="邻市", code="neighbour", level="city")
    other_staff = give_role(UserFactory(username="neighbour_staff"), other, "staff")
    # given a forum hosted by the city, with the county and a neighbouring city invited
    forum = _forum(world)
    services.invite_conferences(city.staff, forum, [county.conference.pk, other.pk])
    # and each of them submitting a report
    services.submit_to_forum(
        county.staff,
        forum,
        county.conference,
        services.SubmissionInput(title="县域民营经济发展报告", text="县里的调研正文。"),
    )
    services.submit_to_forum(
        other_staff, forum, other, services.SubmissionInput(title="邻市产业协作报告", text="邻市正文。")
    )
    # then the host sees both, each invited conference sees only its own
    assert {s.title for s in selectors.visible_submissions(city.staff, forum)} == {
        "县域民营经济发展报告",
        "邻市产业协作报告",
    }
    assert [s.title for s in selectors.visible_submissions(county.staff, forum)] == ["县域民营经济发展报告"]
    assert [s.title for s in selectors.visible_submissions(other_staff, forum)] == ["邻市产业协作报告"]
    assert forum in selectors.forums(county.leader, county.conference.pk)
    # and a conference not invited does not find the forum at all
    stranger = ConferenceFactory(name="远方市政协", short_name="远方", code="far", level="city")
    stranger_staff = give_role(UserFactory(username="far_staff"), stranger, "staff")
    with pytest.raises(Http404):
        selectors.get_forum(stranger_staff, forum.pk)
    assert not selectors.forums(stranger_staff, stranger.pk).exists()
    with pytest.raises(AppError) as caught:
        services.submit_to_forum(
            stranger_staff, forum, stranger, services.SubmissionInput(title="擅自报送", text="x")
        )
    assert caught.value.code == ErrorCode.NOT_FOUND
    # nor may an invited conference invite others or close the forum
    with pytest.raises(AppError):
        services.invite_conferences(county.staff, forum, [stranger.pk])
    with pytest.raises(AppError):
        services.close_forum(county.staff, forum)


def test_a_member_of_an_invited_conference_does_not_submit(world):
    forum = _forum(world)
    services.invite_conferences(world.city.staff, forum, [world.county.conference.pk])
    with pytest.raises(AppError) as caught:
        services.submit_to_forum(
            world.county.member,
            forum,
            world.county.conference,
            services.SubmissionInput(title="报告", text="正文"),
        )
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    assert not ForumSubmission.objects.exists()


def test_a_conference_submits_one_of_its_topics_and_replaces_it_later(world):
    county = world.county
    forum = _forum(world)
    services.invite_conferences(world.city.staff, forum, [county.conference.pk])
    topic = walk.submitted(county, title="县域营商环境调研")
    submission = services.submit_to_forum(
        county.staff, forum, county.conference, services.SubmissionInput(topic_id=topic.pk)
    )
    assert submission.title == "关于促进民营经济高质量发展的调研报告" and "六成以上" in submission.text
    # a city topic may not be submitted by the county
    city_topic = walk.submitted(world.city)
    with pytest.raises(AppError) as caught:
        services.submit_to_forum(
            county.staff, forum, county.conference, services.SubmissionInput(topic_id=city_topic.pk)
        )
    assert "topic" in caught.value.fields
    replaced = services.submit_to_forum(
        county.staff,
        forum,
        county.conference,
        services.SubmissionInput(title="县域营商环境调研（修订）"),
        upload=_docx("修订后的正文段落。"),
    )
    assert replaced.pk == submission.pk and replaced.text == "修订后的正文段落。"
    assert ForumSubmission.objects.filter(forum=forum).count() == 1


def test_the_proceedings_docx_holds_every_report_in_chinese(world):
    city, county = world.city, world.county
    forum = _forum(world)
    services.invite_conferences(city.staff, forum, [county.conference.pk])
    services.submit_to_forum(
        city.staff, forum, city.conference, services.SubmissionInput(topic_id=walk.submitted(city).pk)
    )
    services.submit_to_forum(
        county.staff,
        forum,
        county.conference,
        services.SubmissionInput(title="县域协同发展的实践与思考", text="推动县域经济融入城市群。"),
    )
    forum = services.close_forum(city.staff, forum)
    data = exports.proceedings_docx(forum, list(selectors.proceedings(forum)))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    for expected in [
        "长江中游城市群高质量发展论坛",
        "论坛成果汇编",
        "关于促进民营经济高质量发展的调研报告",
        "建议设立民营企业服务专员制度。",
        "县域协同发展的实践与思考",
        "推动县域经济融入城市群。",
        "示范县政协",
    ]:
        assert expected in text
    # once closed, nothing more is collected
    with pytest.raises(AppError) as caught:
        services.submit_to_forum(
            county.staff, forum, county.conference, services.SubmissionInput(title="迟到", text="x")
        )
    assert caught.value.code == ErrorCode.INVALID_STATE


def test_the_proceedings_pdf_embeds_a_chinese_font_and_the_text(world):
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    city = world.city
    forum = _forum(world)
    services.submit_to_forum(
        city.staff,
        forum,
        city.conference,
        services.SubmissionInput(title="城市群协同发展报告", text="协同发展正文。"),
    )
    reader = PdfReader(io.BytesIO(exports.proceedings_pdf(forum, list(selectors.proceedings(forum)))))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "城市群协同发展报告" in text and "协同发展正文" in text
    fonts = {
        str(f.get_object().get("/BaseFont"))
        for page in reader.pages
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
    }
    assert fonts, "no font in the PDF"


# ---------------------------------------------------------------------------- bad input


def test_bad_topic_input_is_refused_in_chinese_and_nothing_is_written(world):
    side = world.city
    other_committee = walk.committee(world.county)
    draft_proposal = proposal_walk.draft(side)
    cases = [
        (services.TopicInput(title="", kind="standing", proposer_kind="chairs"), "title"),
        (services.TopicInput(title="课题", kind="weekly", proposer_kind="chairs"), "kind"),
        (services.TopicInput(title="课题", kind="standing", proposer_kind="mayor"), "proposer_kind"),
        (services.TopicInput(title="课题", kind="standing", proposer_kind="party"), "proposer_name"),
        (
            services.TopicInput(
                title="课题", kind="standing", proposer_kind="chairs", lead_committee_id=other_committee.pk
            ),
            "lead_committee",
        ),
        (
            services.TopicInput(
                title="课题", kind="standing", proposer_kind="chairs", origin_proposal_id=draft_proposal.pk
            ),
            "origin_proposal",
        ),
        (services.TopicInput(title="课\x00题", kind="standing", proposer_kind="chairs"), "title"),
        (services.TopicInput(title="长" * 201, kind="standing", proposer_kind="chairs"), "title"),
    ]
    for data, field in cases:
        with pytest.raises(AppError) as caught:
            services.create_topic(side.staff, side.conference, data)
        assert caught.value.code == ErrorCode.INVALID_INPUT and field in caught.value.fields, field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.fields[field])
    assert not ResearchTopic.objects.exists()


def test_the_group_takes_only_members_of_the_conference_and_once(world):
    side = world.city
    topic = walk.selected(side)
    for user in [world.county.member, side.staff, world.outsider]:
        with pytest.raises(AppError) as caught:
            services.add_group_member(side.staff, topic, user_id=user.pk, role="member")
        assert "委员" in caught.value.fields["user"]
    with pytest.raises(AppError) as caught:
        services.add_group_member(side.staff, topic, user_id=side.member2.pk, role="member")
    assert caught.value.code == ErrorCode.DUPLICATE
    assert topic.group.count() == 2


def test_research_starts_only_with_a_lead(world):
    topic = services.select_topic(world.city.staff, walk.proposed(world.city))
    with pytest.raises(AppError) as caught:
        services.start_research(world.city.staff, topic)
    assert "组长" in caught.value.message
    assert ResearchTopic.objects.get(pk=topic.pk).state == "selected"


def test_a_milestone_links_only_an_activity_of_the_conference(world):
    from xieshang.activities import services as activity_services

    county_trip = activity_services.create_activity(
        world.county.staff,
        world.county.conference,
        activity_services.ActivityInput(
            kind="survey",
            title="县里的调研",
            starts_at=_now() + dt.timedelta(days=3),
            ends_at=_now() + dt.timedelta(days=3, hours=3),
        ),
    )
    topic = walk.researching(world.city)
    with pytest.raises(AppError) as caught:
        services.add_milestone(
            world.city.staff, topic, services.MilestoneInput("调研", today(), county_trip.pk)
        )
    assert "activity" in caught.value.fields
    city_trip = activity_services.create_activity(
        world.city.staff,
        world.city.conference,
        activity_services.ActivityInput(
            kind="survey",
            title="赴园区调研",
            starts_at=_now() + dt.timedelta(days=3),
            ends_at=_now() + dt.timedelta(days=3, hours=3),
        ),
    )
    milestone = services.add_milestone(
        world.city.staff, topic, services.MilestoneInput("调研", today(), city_trip.pk)
    )
    assert milestone.activity == city_trip
    done = services.complete_milestone(world.city.staff, milestone)
    assert done.done_on == today()


def _now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("报告.exe", b"MZ\x90\x00", ErrorCode.FILE_TYPE_NOT_ALLOWED),
        ("报告.pdf", b"not a pdf at all", ErrorCode.FILE_TYPE_NOT_ALLOWED),
        ("../../etc/报告.txt", "正文".encode(), None),
    ],
)
def test_draft_uploads_are_checked(world, name, content, code):
    topic = walk.researching(world.city)
    upload = SimpleUploadedFile(name, content)
    if code is None:
        draft = services.add_draft(world.city.staff, topic, services.DraftInput(title="稿"), upload=upload)
        assert draft.original_name == "报告.txt" and ".." not in draft.file.name
        return
    with pytest.raises(AppError) as caught:
        services.add_draft(world.city.staff, topic, services.DraftInput(title="稿"), upload=upload)
    assert caught.value.code == code
    assert not TopicDraft.objects.exists() and ResearchTopic.objects.get(pk=topic.pk).state == "researching"


def test_an_oversized_draft_is_refused(world, settings):
    settings.XIESHANG_MAX_UPLOAD_MB = 1
    topic = walk.researching(world.city)
    big = SimpleUploadedFile("报告.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(AppError) as caught:
        services.add_draft(world.city.staff, topic, services.DraftInput(title="稿"), upload=big)
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE and not TopicDraft.objects.exists()


def test_a_draft_needs_text_or_a_file(world):
    topic = walk.researching(world.city)
    with pytest.raises(AppError) as caught:
        services.add_draft(world.city.staff, topic, services.DraftInput(title="稿"))
    assert "text" in caught.value.fields and not TopicDraft.objects.exists()


def test_a_stale_version_is_refused(world):
    topic = walk.proposed(world.city)
    with pytest.raises(AppError) as caught:
        services.select_topic(world.city.staff, topic, version=topic.version + 5)
    assert caught.value.code == ErrorCode.STALE_VERSION


def test_a_forum_needs_a_theme_a_date_and_real_conferences(world):
    with pytest.raises(AppError) as caught:
        services.create_forum(world.city.staff, world.city.conference, services.ForumInput("", today()))
    assert "theme" in caught.value.fields
    with pytest.raises(AppError) as caught:
        services.create_forum(world.city.staff, world.city.conference, services.ForumInput("论坛", None))
    assert "held_on" in caught.value.fields
    with pytest.raises(AppError):
        services.create_forum(world.city.member, world.city.conference, services.ForumInput("论坛", today()))
    forum = _forum(world)
    for ids in [[], [world.city.conference.pk], [999999]]:
        with pytest.raises(AppError) as caught:
            services.invite_conferences(world.city.staff, forum, ids)
        assert "conferences" in caught.value.fields
    assert not forum.invitations.exists()
    assert Forum.objects.count() == 1
