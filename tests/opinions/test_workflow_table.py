"""Every action from every state: allowed exactly where the state table says, refused elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from xieshang.core.errors import AppError, ErrorCode
from xieshang.opinions import services, workflow
from xieshang.opinions.models import Instruction, OpinionReport, OpinionState
from xieshang.opinions.services import ForwardInput, ReportInput

from ..conftest import Side
from . import walk

S = OpinionState


def _instruction(side: Side, report: OpinionReport) -> Instruction:
    """An instruction on the report, made directly when the workflow could not have made one."""
    return Instruction.objects.create(
        conference=report.conference,
        report=report,
        leader_name="书记",
        level="city",
        given_on=report.created_at.date(),
        text="阅。",
    )


CALLS: dict[str, Callable[[Side, OpinionReport], object]] = {
    "edit": lambda s, r: services.update_report(s.member, r, ReportInput(title="新标题"), version=None),
    "submit": lambda s, r: services.submit_report(s.member, r),
    "claim": lambda s, r: services.claim_report(s.staff, r),
    "revise": lambda s, r: services.revise_report(s.staff, r, walk.EDIT),
    "adopt": lambda s, r: services.adopt_report(s.staff, r),
    "decline": lambda s, r: services.decline_report(s.staff, r, reason="不符合采用要求"),
    "forward": lambda s, r: services.forward_report(
        s.staff, r, ForwardInput(recipient_kind="government", recipient_name="市人民政府办公室")
    ),
    "record_instruction": lambda s, r: services.record_instruction(s.staff, r, walk.INSTRUCTION),
    "record_feedback": lambda s, r: services.record_feedback(s.staff, _instruction(s, r), feedback="已落实"),
}


def test_every_action_of_the_table_has_a_test_call():
    assert set(CALLS) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("state", S.values)
def test_actions_are_allowed_exactly_from_their_source_states(world, state, subtests):
    side = world.city
    for action, call in CALLS.items():
        with subtests.test(action=action, state=state):
            report = walk.build(side, state)
            allowed = state in workflow.TRANSITIONS[action].sources
            if allowed:
                call(side, report)
                after = OpinionReport.objects.get(pk=report.pk)
                assert after.state in workflow.TRANSITIONS[action].targets
            else:
                with pytest.raises(AppError) as caught:
                    call(side, report)
                assert caught.value.code == ErrorCode.INVALID_STATE, caught.value.message


def test_every_state_is_reachable_through_the_services(world):
    for state in S.values:
        assert walk.build(world.city, state).state == state


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_only_the_roles_of_the_table_may_act(world, action, subtests):
    side = world.city
    row = workflow.TRANSITIONS[action]
    state = sorted(row.sources)[0]
    others = {"submitter": side.member, "staff": side.staff}
    for role, user in {**others, "leader": side.leader, "member2": side.member2}.items():
        if role in row.roles:
            continue
        with subtests.test(role=role):
            report = walk.build(side, state)
            acting = Side(**{**side.__dict__, "member": user, "staff": user})
            with pytest.raises(AppError) as caught:
                CALLS[action](acting, report)
            assert caught.value.code == ErrorCode.PERMISSION_DENIED
