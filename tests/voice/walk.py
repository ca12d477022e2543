"""Build a public message in any state for the tests."""

from __future__ import annotations

import datetime as dt

from xieshang.voice import services
from xieshang.voice.models import MessageState as S
from xieshang.voice.models import PublicMessage


def submit(
    side, subject="小区门口路灯坏了", detail="幸福路12号小区门口路灯坏了一个月，晚上很黑。"
) -> PublicMessage:  # type: ignore[no-untyped-def]
    return services.submit_message(side.conference, services.MessageInput(subject=subject, detail=detail))


def build(side, state: str) -> PublicMessage:  # type: ignore[no-untyped-def]
    """A message of `side`'s conference in `state` (forwarded to side.unit when forwarded)."""
    m = submit(side)
    staff = side.staff
    if state == S.RECEIVED:
        return m
    if state == S.TRIAGED:
        services.triage_message(staff, m, category="城乡建设")
    elif state == S.FORWARDED:
        services.forward_message(
            staff, m, unit_id=side.unit.pk, due_on=dt.date.today() + dt.timedelta(days=10)
        )
    elif state == S.ANSWERED:
        services.answer_message(staff, m, reply="已安排维修。")
    elif state == S.MERGED:
        services.merge_message(staff, m, submit(side, "路灯", "另一条").pk)
    elif state == S.LEAD:
        services.mark_lead(staff, m, member_id=side.member.pk)
    elif state == S.CONVERTED:
        services.mark_lead(staff, m, member_id=side.member.pk)
        services.convert_lead(side.member, m.lead)
    elif state == S.CLOSED:
        services.close_message(staff, m, reason="已解决")
    m.refresh_from_db()
    assert m.state == state
    return m
