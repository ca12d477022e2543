"""Point events, manual adjustments, rule versions and the bulk recompute, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.duty import scoring, services
from xieshang.duty.models import DutyScore, PointEvent, ScoringRuleSet
from xieshang.duty.rulesets import active_rules, load_builtin
from xieshang.notify.models import Notification

from ..conftest import World

DAY = dt.date(2026, 3, 5)


def rec(side: Any, user: Any, kind: str, source_id: int, role: str = "", **data: Any) -> PointEvent:
    return services.record_event(
        conference_id=side.conference.pk,
        user_id=user.pk,
        kind=kind,
        occurred_on=DAY,
        source_type="activity",
        source_id=source_id,
        role=role,
        title="全体会议第一次大会",
        data=data or None,
    )


def total(side: Any, user: Any, year: int = 2026) -> float:
    scoring.refresh(side.conference.pk, year)
    return DutyScore.objects.get(conference=side.conference, user=user, year=year).total


def test_record_event_is_idempotent_on_its_source(world: World) -> None:
    c = world.city
    first = rec(c, c.member, "plenary_attended", 1)
    again = rec(c, c.member, "plenary_attended", 1)

    assert first.pk == again.pk
    assert PointEvent.objects.count() == 1
    assert first.year == 2026


def test_same_source_in_two_roles_gives_two_events(world: World) -> None:
    c = world.city
    rec(c, c.member, "proposal_accepted", 7, "lead")
    rec(c, c.member, "proposal_accepted", 7, "participant")
    assert PointEvent.objects.count() == 2


def test_record_event_refuses_an_unknown_kind(world: World) -> None:
    with pytest.raises(ValueError):
        rec(world.city, world.city.member, "sleeping", 1)


def test_recording_marks_the_cached_score_stale_and_a_read_refreshes_it(world: World) -> None:
    c = world.city
    rec(c, c.member, "plenary_attended", 1)
    assert total(c, c.member) == 5
    rec(c, c.member, "plenary_attended", 2)

    assert DutyScore.objects.get(user=c.member, year=2026).is_stale
    assert total(c, c.member) == 10


def test_retract_event_removes_it_and_the_points(world: World) -> None:
    c = world.city
    rec(c, c.member, "meeting_attended", 3)
    assert total(c, c.member) == 5

    removed = services.retract_event(
        conference_id=c.conference.pk,
        user_id=c.member.pk,
        kind="meeting_attended",
        source_type="activity",
        source_id=3,
    )

    assert removed == 1
    assert total(c, c.member) == 0
    assert (
        services.retract_event(
            conference_id=c.conference.pk,
            user_id=c.member.pk,
            kind="meeting_attended",
            source_type="activity",
            source_id=3,
        )
        == 0
    )


def test_staff_adjust_points_with_a_reason_and_it_is_audited(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    c = world.city
    with django_capture_on_commit_callbacks(execute=True):
        event = services.adjust_points(
            c.staff, c.conference, user_id=c.member.pk, points=-3, reason="会议迟到"
        )

    assert event.kind == "manual_adjustment"
    assert event.data["points"] == -3.0
    assert total(c, c.member) == -3
    audit = AuditEvent.objects.get(verb="duty_adjust")
    assert audit.actor == c.staff
    assert audit.conference_id == c.conference.pk
    assert "会议迟到" in audit.summary
    assert Notification.objects.filter(user=c.member, verb="duty_adjusted").exists()


def test_two_adjustments_of_the_same_member_both_count(world: World) -> None:
    c = world.city
    services.adjust_points(c.staff, c.conference, user_id=c.member.pk, points=2, reason="撰写调研报告")
    services.adjust_points(c.staff, c.conference, user_id=c.member.pk, points=3, reason="参与课题")
    assert total(c, c.member) == 5


@pytest.mark.parametrize(
    ("points", "reason", "field"),
    [(5, "", "reason"), (0, "理由", "points"), (101, "理由", "points"), (5, "长" * 301, "reason")],
)
def test_adjustment_needs_a_reason_and_a_sane_amount(
    world: World, points: float, reason: str, field: str
) -> None:
    c = world.city
    with pytest.raises(AppError) as caught:
        services.adjust_points(c.staff, c.conference, user_id=c.member.pk, points=points, reason=reason)
    assert field in caught.value.fields
    assert not PointEvent.objects.exists()


def test_member_leader_and_other_conference_staff_cannot_adjust(world: World) -> None:
    c = world.city
    for actor in (c.member, c.leader, world.county.staff):
        with pytest.raises(AppError) as caught:
            services.adjust_points(actor, c.conference, user_id=c.member2.pk, points=5, reason="理由")
        assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_staff_cannot_adjust_a_member_of_another_conference(world: World) -> None:
    c = world.city
    with pytest.raises(AppError) as caught:
        services.adjust_points(c.staff, c.conference, user_id=world.county.member.pk, points=5, reason="理由")
    assert "user" in caught.value.fields


def test_a_rule_change_adds_a_version_and_recomputes_the_year(
    world: World, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    c = world.city
    rec(c, c.member, "plenary_attended", 1)
    rec(c, c.member, "plenary_absent_unexcused", 2)
    assert total(c, c.member) == 5  # additive default: attendance 5, absence not scored

    with django_capture_on_commit_callbacks(execute=True):
        v1 = services.save_rule_set(
            c.staff, c.conference, year=2026, name="百分制", rules=load_builtin("hundred")
        )
    score = DutyScore.objects.get(user=c.member, year=2026)
    assert (score.total, score.level, score.rule_version) == (40, "不称职", 1)
    assert DutyScore.objects.get(user=c.member2, year=2026).total == 50

    rules = load_builtin("hundred")
    rules["points"]["plenary_absent_unexcused"] = -20
    with django_capture_on_commit_callbacks(execute=True):
        v2 = services.save_rule_set(c.staff, c.conference, year=2026, name="百分制（从严）", rules=rules)

    v1.refresh_from_db()
    assert (v1.is_active, v2.is_active, v2.version) == (False, True, 2)
    score.refresh_from_db()
    assert (score.total, score.rule_version) == (30, 2)
    assert ScoringRuleSet.objects.filter(conference=c.conference).count() == 2
    assert AuditEvent.objects.filter(verb="duty_rules").count() == 2


def test_rules_of_one_conference_do_not_touch_another(world: World, immediate_tasks: None) -> None:
    services.save_rule_set(
        world.city.staff, world.city.conference, year=2026, name="百分制", rules=load_builtin("hundred")
    )
    assert active_rules(world.county.conference.pk, 2026)[0] is None
    assert active_rules(world.city.conference.pk, 2027)[0] is not None  # a later year inherits


def test_bad_rules_are_refused_with_a_message_per_key(world: World) -> None:
    c = world.city
    rules = load_builtin("additive")
    rules["points"]["dancing"] = 5
    rules["categories"]["meetings"]["cap"] = "五十"
    rules["levels"] = [{"label": "优秀"}]
    with pytest.raises(AppError) as caught:
        services.save_rule_set(c.staff, c.conference, year=2026, name="", rules=rules)
    fields = caught.value.fields
    assert fields["rules.points.dancing"] == "未知的事件类型“dancing”。"
    assert fields["rules.categories.meetings.cap"] == "须为数字。"
    assert "rules.levels.0" in fields
    assert fields["name"] == "请填写细则名称。"
    assert not ScoringRuleSet.objects.exists()


def test_only_staff_save_rules(world: World) -> None:
    for actor in (world.city.leader, world.city.member, world.county.staff):
        with pytest.raises(AppError):
            services.save_rule_set(
                actor, world.city.conference, year=2026, name="x", rules=load_builtin("additive")
            )


def test_bulk_recompute_matches_the_per_member_engine(world: World) -> None:
    """The SQL-aggregated path and the card's per-event path give the same totals under every rule set."""
    c = world.city
    n = 0
    for user, extra in ((c.member, 0), (c.member2, 1)):
        for kind, role, data in [
            ("plenary_attended", "", {}),
            ("plenary_absent_unexcused", "", {}),
            ("proposal_accepted", "lead", {}),
            ("proposal_accepted", "lead", {}),
            ("proposal_satisfied", "lead", {"verdict": "satisfied", "outcome": "A" if extra else "D"}),
            ("instruction_received", "", {"level": "province"}),
            ("study_partial", "", {}),
        ]:
            n += 1
            rec(c, user, kind, n, role, **data)
    services.adjust_points(c.staff, c.conference, user_id=c.member.pk, points=1.5, reason="补记")
    for name in ("additive", "hundred", "warnings"):
        ScoringRuleSet.objects.all().delete()
        rules = load_builtin(name)
        ScoringRuleSet.objects.create(conference=c.conference, year=2026, name=name, version=1, rules=rules)
        scoring.recompute(c.conference.pk, 2026)
        for user in (c.member, c.member2):
            rows = scoring.member_rows(c.conference.pk, user.pk, 2026, rules)
            expected = scoring.score(rows, rules, year=2026, term_years=(2022, 2027)).total
            assert DutyScore.objects.get(user=user, year=2026).total == expected, name
