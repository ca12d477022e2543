"""Every row of the message state table, for every state and role: allowed exactly where the table says."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.core.errors import AppError, ErrorCode
from xieshang.voice import services, workflow
from xieshang.voice.models import MessageState, PublicMessage

from . import walk

ROLES = ["staff", "unit_user", "unit2_user", "leader", "member", "member2"]
ROLE_OF = {
    "staff": "staff",
    "unit_user": "unit",
    "unit2_user": None,
    "leader": "leader",
    "member": "member",
    "member2": None,
}


def run(action, user, message, side):  # type: ignore[no-untyped-def]
    if action == "triage":
        return services.triage_message(user, message, category="城乡建设")
    if action == "merge":
        other = walk.submit(side, "别的", "别的内容")
        return services.merge_message(user, message, other.pk)
    if action == "answer":
        return services.answer_message(user, message, reply="答复")
    if action == "forward":
        return services.forward_message(user, message, unit_id=side.unit.pk, due_on=dt.date.today())
    if action == "unit_answer":
        return services.unit_answer(user, message, answer="单位答复")
    if action == "publish":
        return services.publish_answer(user, message, published=False)
    if action == "mark_lead":
        return services.mark_lead(user, message, member_id=side.member.pk)
    if action == "adopt":
        lead = getattr(message, "lead", None)
        if lead is None:
            raise AppError(ErrorCode.INVALID_STATE)
        return services.adopt_lead(user, lead)
    if action == "convert":
        return services.convert_lead(user, message.lead)
    if action == "close":
        return services.close_message(user, message)
    raise AssertionError(action)


def role_on(who: str, state: str) -> str | None:
    """The workflow role a test user plays: `member` only holds a lead where one exists."""
    role = ROLE_OF[who]
    if role == "member" and state not in (MessageState.LEAD, MessageState.CONVERTED):
        return None
    if role == "unit" and state != MessageState.FORWARDED:
        return None
    return role


@pytest.mark.parametrize("state", list(MessageState.values))
def test_every_action_obeys_the_table(world, subtests, state):  # type: ignore[no-untyped-def]
    for action, row in workflow.TRANSITIONS.items():
        if action in ("adopt", "convert") and state not in (MessageState.LEAD, MessageState.CONVERTED):
            continue  # without a lead there is nothing to adopt: covered by the lead tests
        for who in ROLES:
            with subtests.test(action=action, who=who):
                # given a message in `state`
                message = walk.build(world.city, state)
                user = getattr(world.city, who)
                role = role_on(who, state)
                allowed = role in row.roles and state in row.sources
                # when the user tries the action
                if allowed:
                    run(action, user, message, world.city)
                    # then it moves to one of the table's targets
                    assert PublicMessage.objects.get(pk=message.pk).state in row.targets
                else:
                    with pytest.raises(AppError) as caught:
                        run(action, user, message, world.city)
                    if role not in row.roles:
                        assert caught.value.code == ErrorCode.PERMISSION_DENIED
                    else:
                        assert caught.value.code in (ErrorCode.INVALID_STATE, ErrorCode.DUPLICATE)
