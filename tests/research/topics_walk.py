"""Take a research topic through its workflow with the real services, to any state a test needs."""

from __future__ import annotations

from xieshang.conferences.models import Committee
from xieshang.research import topics_services as services
from xieshang.research.models import ResearchTopic, TopicState

from ..conftest import Side

S = TopicState
REPORT_TEXT = "一、基本情况\n我市民营经济贡献了六成以上的税收。\n二、对策建议\n建议设立民营企业服务专员制度。"


def committee(side: Side) -> Committee:
    found, _ = Committee.objects.get_or_create(conference=side.conference, name="经济委员会")
    return found


def proposed(side: Side, title: str = "关于促进民营经济高质量发展的调研", **kw: object) -> ResearchTopic:
    data = services.TopicInput(
        title=title,
        kind=str(kw.get("kind", "standing")),
        proposer_kind="committee",
        background="民营经济是我市经济的重要支撑。",
        lead_committee_id=committee(side).pk,
        origin_proposal_id=kw.get("origin_proposal_id"),  # type: ignore[arg-type]
    )
    return services.create_topic(side.staff, side.conference, data)


def selected(side: Side, **kw: object) -> ResearchTopic:
    topic = services.select_topic(side.leader, proposed(side, **kw))
    services.add_group_member(side.staff, topic, user_id=side.member.pk, role="lead")
    services.add_group_member(side.staff, topic, user_id=side.member2.pk, role="member")
    return ResearchTopic.objects.get(pk=topic.pk)


def declined(side: Side, **kw: object) -> ResearchTopic:
    return services.decline_topic(side.staff, proposed(side, **kw), reason="与去年课题重复")


def researching(side: Side, **kw: object) -> ResearchTopic:
    return services.start_research(side.staff, selected(side, **kw))


def drafted(side: Side, **kw: object) -> ResearchTopic:
    topic = researching(side, **kw)
    services.add_draft(
        side.staff, topic, services.DraftInput(title="关于促进民营经济高质量发展的调研报告", text=REPORT_TEXT)
    )
    return ResearchTopic.objects.get(pk=topic.pk)


def submitted(side: Side, **kw: object) -> ResearchTopic:
    return services.submit_report(side.staff, drafted(side, **kw))


def transmitted(side: Side, **kw: object) -> ResearchTopic:
    topic = submitted(side, **kw)
    services.transmit_report(
        side.staff,
        topic,
        services.TransmitInput(recipient_kind="party_committee", recipient_name="中共示范市委"),
    )
    return ResearchTopic.objects.get(pk=topic.pk)


def closed(side: Side, **kw: object) -> ResearchTopic:
    return services.close_topic(side.staff, transmitted(side, **kw))


BUILDERS = {
    S.PROPOSED: proposed,
    S.SELECTED: selected,
    S.DECLINED: declined,
    S.RESEARCHING: researching,
    S.DRAFTED: drafted,
    S.SUBMITTED: submitted,
    S.TRANSMITTED: transmitted,
    S.CLOSED: closed,
}


def build(side: Side, state: str, **kw: object) -> ResearchTopic:
    return BUILDERS[state](side, **kw)  # type: ignore[operator]
