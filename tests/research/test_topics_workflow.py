"""Every action of the research-topic table from every state, and every role: allowed exactly where the
table says, refused with a Chinese message and nothing changed elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xieshang.core.errors import AppError, ErrorCode
from xieshang.people.models import User
from xieshang.research import topics_services as services
from xieshang.research import topics_workflow as workflow
from xieshang.research.models import ResearchTopic, TopicState

from . import topics_walk as walk

S = TopicState


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _units(topic: ResearchTopic) -> list[int]:
    return list(topic.conference.handling_units.values_list("pk", flat=True)[:1])


def _edit(u: User, t: ResearchTopic) -> Any:
    return services.update_topic(
        u, t, services.TopicInput(title="修改后的课题名称", kind="committee", proposer_kind="chairs")
    )


CALLS: dict[str, Callable[[User, ResearchTopic], Any]] = {
    "edit": _edit,
    "select": lambda u, t: services.select_topic(u, t),
    "decline": lambda u, t: services.decline_topic(u, t, reason="条件不成熟"),
    "plan": lambda u, t: services.add_partner(u, t, services.PartnerInput(kind="other", name="市社科院")),
    "start": lambda u, t: services.start_research(u, t),
    "add_draft": lambda u, t: services.add_draft(u, t, services.DraftInput(title="调研报告", text="正文。")),
    "submit_report": lambda u, t: services.submit_report(u, t),
    "withdraw_report": lambda u, t: services.withdraw_report(u, t, reason="数据需要更新"),
    "transmit": lambda u, t: services.transmit_report(
        u, t, services.TransmitInput(recipient_kind="government", recipient_name="示范市人民政府")
    ),
    "record_instruction": lambda u, t: services.record_instruction(
        u, t, services.InstructionInput(text="请市发改委研究落实。", level="city", leader_name="市长")
    ),
    "create_task": lambda u, t: services.create_follow_up_task(
        u, t, services.FollowUpInput(action="研究制定民营企业服务专员制度", lead_unit_ids=_units(t))
    ),
    "close": lambda u, t: services.close_topic(u, t),
}


def _state(topic: ResearchTopic) -> str:
    return ResearchTopic.objects.get(pk=topic.pk).state


def test_every_action_of_the_table_has_a_test_call():
    assert set(CALLS) == set(workflow.TRANSITIONS)


def test_every_state_is_reachable_through_the_services(world):
    for state in S.values:
        assert walk.build(world.city, state).state == state


@pytest.mark.parametrize("state", S.values)
def test_actions_are_allowed_exactly_from_their_source_states(world, state, subtests):
    for action, call in CALLS.items():
        with subtests.test(action=action, state=state):
            # given a topic in `state` and someone who plays an allowed role
            topic = walk.build(world.city, state)
            row = workflow.TRANSITIONS[action]
            actor = world.city.staff if "staff" in row.roles else world.city.leader
            if state in row.sources:
                # when they act, then the topic ends in a state the table names
                call(actor, topic)
                assert _state(topic) in row.targets
            else:
                with pytest.raises(AppError) as caught:
                    call(actor, topic)
                assert caught.value.code == ErrorCode.INVALID_STATE, caught.value.message
                assert _state(topic) == state


def _people(world: Any) -> dict[str, tuple[User, set[str]]]:
    """Everyone of the world, with the table roles they play on a city topic."""
    city, county = world.city, world.county
    return {
        "staff": (city.staff, {"staff"}),
        "leader": (city.leader, {"leader"}),
        "member": (city.member, set()),
        "unit": (city.unit_user, set()),
        "admin": (city.admin, set()),
        "county staff": (county.staff, set()),
        "county leader": (county.leader, set()),
        "outsider": (world.outsider, set()),
    }


def test_each_action_is_refused_to_every_role_the_table_does_not_name(world, subtests):
    for action, call in CALLS.items():
        row = workflow.TRANSITIONS[action]
        source = sorted(row.sources)[0]
        for who, (user, roles) in _people(world).items():
            with subtests.test(action=action, who=who):
                # given a topic in a state the action may start from
                topic = walk.build(world.city, source)
                before = (topic.state, topic.version)
                if roles & row.roles:
                    call(user, topic)
                    assert _state(topic) in row.targets
                else:
                    # when someone outside the row's roles tries, then it is refused and nothing moves
                    with pytest.raises(AppError) as caught:
                        call(user, topic)
                    assert caught.value.code == ErrorCode.PERMISSION_DENIED
                    assert "权限" in caught.value.message
                    after = ResearchTopic.objects.get(pk=topic.pk)
                    assert (after.state, after.version) == before
