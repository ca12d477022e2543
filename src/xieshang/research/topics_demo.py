"""Demo data for topics, through the services like the rest of the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from xieshang.activities import services as activities
from xieshang.conferences.models import Committee, Conference, Department, HandlingUnit, Party
from xieshang.core.dates import today
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import users_with_role
from xieshang.proposals.models import Proposal

from . import topics_services as services

REPORT = (
    "一、基本情况\n"
    "我市民营经济贡献了全市六成以上的税收、七成以上的技术创新成果和八成以上的城镇劳动就业。\n"
    "二、存在的问题\n"
    "融资难、融资贵问题仍然突出，首贷获得率偏低；涉企审批事项多、时限长；政策知晓率不高。\n"
    "三、对策建议\n"
    "（一）设立民营企业首贷续贷服务中心，扩大政府性融资担保覆盖面。\n"
    "（二）推行涉企审批“一件事一次办”，压缩审批时限三分之一以上。\n"
    "（三）建立民营企业服务专员制度，推动惠企政策直达快享。"
)


def _origin(conference: Conference) -> Proposal | None:
    """A handled proposal on private enterprise (the topic grew out of it), else any handled one."""
    handled = Proposal.objects.filter(conference=conference).exclude(
        state__in=["draft", "submitted", "under_review", "returned"]
    )
    return handled.filter(title__contains="民营").order_by("id").first() or handled.order_by("id").first()


def _trip(conference: Conference, staff: User, members: Sequence[User]) -> int:
    """A research trip (a published survey activity) for the topic's timetable."""
    starts = timezone.now() - dt.timedelta(days=20)
    trip = activities.create_activity(
        staff,
        conference,
        activities.ActivityInput(
            kind="survey",
            title="“促进民营经济高质量发展”课题赴高新区调研",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            place="江州高新区",
            agenda="走访企业，召开民营企业座谈会。",
        ),
    )
    activities.invite_members(staff, trip, [m.pk for m in members[:4]])
    return int(trip.pk)


def _topic_with_report(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    origin = _origin(conference)
    committees = Committee.objects.filter(conference=conference)
    committee = committees.filter(name__contains="经济").first() or committees.order_by("id").first()
    data = services.TopicInput(
        title="关于促进民营经济高质量发展的调研",
        kind="standing",
        proposer_kind="committee",
        proposer_name=committee.name if committee else "经济委员会",
        background="民营经济是推动我市高质量发展的重要力量。本课题源于委员提案，列为年度常委会重点课题。",
        lead_committee_id=committee.pk if committee else None,
        origin_proposal_id=origin.pk if origin else None,
    )
    topic = services.create_topic(staff, conference, data)
    topic = services.select_topic(leader, topic)
    for index, member in enumerate(members[:4]):
        services.add_group_member(staff, topic, user_id=member.pk, role="lead" if index == 0 else "member")
    if len(members) > 4:
        services.add_group_member(staff, topic, user_id=members[4].pk, role="expert")
    # A democratic party studies the topic with the committee (not the governing party).
    party = (
        Party.objects.filter(conference=conference).exclude(name__contains="共产党").order_by("id").first()
    )
    if party is not None:
        services.add_partner(staff, topic, services.PartnerInput(kind="party", party_id=party.pk))
    departments = Department.objects.filter(conference=conference)
    department = departments.filter(name__contains="研究室").first() or departments.order_by("id").first()
    if department is not None:
        services.add_partner(
            staff, topic, services.PartnerInput(kind="department", department_id=department.pk)
        )
    services.add_partner(staff, topic, services.PartnerInput(kind="other", name="市工商业联合会"))
    trip = services.add_milestone(
        staff,
        topic,
        services.MilestoneInput(
            "赴高新区开展专题调研", today() - dt.timedelta(days=20), _trip(conference, staff, members)
        ),
    )
    services.complete_milestone(staff, trip, done_on=today() - dt.timedelta(days=20))
    services.add_milestone(
        staff, topic, services.MilestoneInput("召开课题成果评审会", today() - dt.timedelta(days=5))
    )
    topic = services.start_research(staff, topic)
    services.add_draft(
        staff, topic, services.DraftInput(title="关于促进民营经济高质量发展的调研报告（初稿）", text=REPORT)
    )
    services.add_draft(
        staff,
        topic,
        services.DraftInput(
            title="关于促进民营经济高质量发展的调研报告", text=REPORT, note="吸收专家评审意见"
        ),
    )
    topic = services.submit_report(staff, topic)
    services.transmit_report(
        staff, topic, services.TransmitInput("party_committee", "中共江州市委", note="以《政协专报》报送")
    )
    services.transmit_report(staff, topic, services.TransmitInput("government", "江州市人民政府"))
    instruction = services.record_instruction(
        staff,
        topic,
        services.InstructionInput(
            text="市政协的调研报告很有价值，请市发改委牵头，会同有关部门认真研究吸纳，抓好落实。",
            level="city",
            leader_name="市委书记",
        ),
    )
    unit = HandlingUnit.objects.filter(conferences=conference, is_active=True).order_by("id").first()
    if unit is not None:
        services.create_follow_up_task(
            staff,
            topic,
            services.FollowUpInput(
                action="研究设立民营企业首贷续贷服务中心，扩大政府性融资担保覆盖面",
                lead_unit_ids=[unit.pk],
                due_on=today() + dt.timedelta(days=90),
                instruction_id=instruction.pk,
            ),
        )


def _more_topics(conference: Conference, staff: User, leader: User) -> None:
    services.create_topic(
        staff,
        conference,
        services.TopicInput(
            title="关于加强基层医疗卫生服务能力建设的调研",
            kind="committee",
            proposer_kind="party",
            proposer_name="民盟江州市委会",
            background="基层医疗机构人才流失、设备老化，群众就近就医需求难以满足。",
        ),
    )
    joint = services.create_topic(
        staff,
        conference,
        services.TopicInput(
            title="城市群生态环境协同保护研究",
            kind="joint",
            proposer_kind="chairs",
            background="与城市群其他城市政协联合开展，成果提交政协论坛交流。",
        ),
    )
    services.select_topic(leader, joint)


def _forum(conference: Conference, staff: User) -> None:
    others = list(Conference.objects.filter(level="city").exclude(pk=conference.pk).order_by("id")[:1])
    if not others:
        others = list(Conference.objects.filter(parent=conference).order_by("id")[:1])
    forum = services.create_forum(
        staff,
        conference,
        services.ForumInput(
            "城市群政协主席联席会议暨高质量发展论坛", today() + dt.timedelta(days=14), "江州国际会议中心"
        ),
    )
    own = conference.research_topics.filter(report__isnull=False).first()
    if own is not None:
        services.submit_to_forum(staff, forum, conference, services.SubmissionInput(topic_id=own.pk))
    if not others:
        return
    guest = others[0]
    services.invite_conferences(staff, forum, [guest.pk])
    guest_staff = users_with_role(guest.pk, [RoleKind.STAFF]).order_by("id").first()
    if guest_staff is not None:
        services.submit_to_forum(
            guest_staff,
            forum,
            guest,
            services.SubmissionInput(
                title=f"{guest.short_name}推动县域经济融入城市群发展的实践与思考",
                text="一、主要做法\n主动对接中心城市产业链，共建产业园区。\n二、建议\n建立城市群政协常态化协商交流机制。",
            ),
        )


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """A research topic with its report, an instruction and a follow-up task; a multi-city forum."""
    _topic_with_report(conference, staff, members, leader)
    _more_topics(conference, staff, leader)
    _forum(conference, staff)
