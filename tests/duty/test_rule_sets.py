"""The three shipped rule sets, each with worked examples giving exact totals (pure engine, no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from xieshang.duty.rulesets import BUILTIN, load_builtin
from xieshang.duty.scoring import EventRow, score, validate_rules

TERM = (2022, 2027)


def ev(kind: str, role: str = "", year: int = 2026, **data: object) -> EventRow:
    return EventRow(kind, role, year, 1, data)


def aggregated(rows: list[EventRow]) -> list[EventRow]:
    """The same events grouped the way the bulk recompute groups them."""
    counts = Counter((r.kind, r.role, r.year, tuple(sorted(r.data.items()))) for r in rows)
    return [EventRow(k, role, y, n, dict(d)) for (k, role, y, d), n in counts.items()]


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_shipped_rule_set_is_valid(name: str) -> None:
    assert validate_rules(load_builtin(name)) == {}


# ---------------------------------------------------------------------------- 1. additive

ADDITIVE_YEAR = [
    ev("plenary_attended"),  # two half-day sittings: 5 + 5
    ev("plenary_attended"),
    ev("meeting_attended"),  # standing committee: 5
    ev("activity_attended"),  # inspection: 5
    ev("study_attended"),  # full study outside: 10
    ev("study_partial"),  # partial: 5
    ev("proposal_accepted", "lead"),  # lead author 15, counted once a year …
    ev("proposal_accepted", "lead"),  # … so the second gives nothing
    ev("proposal_accepted", "participant"),  # participant 3
    ev("proposal_key", "lead"),  # key +15
    ev("proposal_outstanding", "participant"),  # outstanding +2
    ev("speech_given"),  # not scored by this rule set
]


def test_additive_worked_example_totals_70() -> None:
    result = score(ADDITIVE_YEAR, load_builtin("additive"), year=2026)

    assert result.total == 70
    assert {k: v["points"] for k, v in result.by_category.items()} == {
        "meetings": 15,
        "activities": 5,
        "study": 15,
        "proposals": 35,
    }
    points = [line.points for line in result.lines]
    assert points == [5, 5, 5, 5, 10, 5, 15, 0, 3, 15, 2, 0]
    assert "每年只计 1 次" in result.lines[7].reason
    assert result.lines[-1].reason == "本细则不计分"


def test_additive_gives_the_same_total_from_aggregated_rows() -> None:
    rules = load_builtin("additive")
    assert score(aggregated(ADDITIVE_YEAR), rules, year=2026, explain=False).total == 70


def test_additive_lead_and_participant_each_count_once_a_year() -> None:
    rows = [ev("proposal_accepted", "lead")] * 3 + [ev("proposal_accepted", "participant")] * 4
    assert score(rows, load_builtin("additive"), year=2026).total == 15 + 3


def test_additive_ignores_events_of_other_years() -> None:
    rows = [ev("plenary_attended", year=2025), ev("plenary_attended")]
    assert score(rows, load_builtin("additive"), year=2026).total == 5


# ---------------------------------------------------------------------------- 2. hundred-point scale


def test_hundred_worked_example_good_member_totals_85() -> None:
    rows = [
        ev("plenary_attended"),  # attendance is already in the 50 base
        ev("plenary_absent_unexcused"),  # −10
        ev("meeting_absent_unexcused"),  # −5  → meetings 35
        ev("proposal_accepted", "lead"),  # 8
        ev("proposal_accepted", "lead"),  # 8
        ev("proposal_satisfied", "lead", verdict="satisfied", outcome="A"),  # 7 × 1 × 1 = 7
        ev("proposal_satisfied", "lead", verdict="basic", outcome="B"),  # 7 × 0.6 × 0.8 = 3.36
        ev("proposal_key", "lead"),  # 4 → 30.36, capped at 30
        ev("activity_attended"),  # 4
        ev("activity_attended"),  # 4
        ev("speech_given"),  # 4
        ev("opinion_adopted"),  # 4
        ev("instruction_received", level="province"),  # 4 × 2 = 8 → 24, capped at 20
    ]
    result = score(rows, load_builtin("hundred"), year=2026)

    assert {k: v["points"] for k, v in result.by_category.items()} == {
        "meetings": 35,
        "proposals": 30,
        "activities": 20,
    }
    assert result.by_category["proposals"]["raw"] == 30.36
    assert result.total == 85
    assert result.level == "良好"


def test_hundred_meetings_floor_at_zero_and_weak_member_is_unfit() -> None:
    rows = [ev("plenary_absent_unexcused")] * 6  # 50 − 60 → floor 0
    rows += [ev("proposal_accepted", "participant")]  # 2
    rows += [ev("outreach_logged")] * 3  # 3
    result = score(rows, load_builtin("hundred"), year=2026)

    assert result.by_category["meetings"]["points"] == 0
    assert result.total == 5
    assert result.level == "不称职"


@pytest.mark.parametrize(
    ("extra_absences", "total", "level"),
    [(0, 100, "优秀"), (1, 90, "优秀"), (2, 80, "良好"), (3, 70, "称职"), (4, 60, "称职"), (5, 50, "不称职")],
)
def test_hundred_levels_at_their_thresholds(extra_absences: int, total: int, level: str) -> None:
    full = [ev("proposal_accepted", "lead")] * 4 + [ev("activity_attended")] * 5
    rows = full + [ev("plenary_absent_unexcused")] * extra_absences
    result = score(rows, load_builtin("hundred"), year=2026)
    assert (result.total, result.level) == (total, level)


def test_hundred_member_without_events_keeps_the_meeting_share_only() -> None:
    result = score([], load_builtin("hundred"), year=2026)
    assert (result.total, result.level) == (50, "不称职")


def test_same_number_of_proposals_with_different_quality_scores_differently() -> None:
    rules = load_builtin("hundred")
    solid = [ev("proposal_accepted", "lead")] * 2 + [
        ev("proposal_satisfied", "lead", verdict="satisfied", outcome="A")
    ] * 2
    empty = [ev("proposal_accepted", "lead")] * 2 + [
        ev("proposal_satisfied", "lead", verdict="basic", outcome="D")
    ] * 2

    solid_points = score(solid, rules, year=2026).by_category["proposals"]["points"]
    empty_points = score(empty, rules, year=2026).by_category["proposals"]["points"]

    assert solid_points == 30  # 16 + 7 + 7
    assert empty_points == 16  # 16 + 0 + 0: outcome D weighs nothing
    line = score(empty, rules, year=2026).lines[-1]
    assert "办理结果D×0" in line.reason


def test_instruction_level_weighs_the_points() -> None:
    rules = load_builtin("hundred")
    county = score([ev("instruction_received", level="county")], rules, year=2026)
    national = score([ev("instruction_received", level="national")], rules, year=2026)
    assert county.by_category["activities"]["points"] == 4
    assert national.by_category["activities"]["points"] == 12


def test_manual_adjustment_goes_to_its_own_uncapped_category() -> None:
    rows = [EventRow("manual_adjustment", "", 2026, 1, {"points": -7.5, "reason": "迟交材料"})]
    result = score(rows, load_builtin("additive"), year=2026)
    assert result.total == -7.5
    assert result.by_category["adjustment"] == {"label": "人工调整", "points": -7.5, "raw": -7.5}
    assert result.lines[0].reason == "人工调整：迟交材料"


# ---------------------------------------------------------------------------- 3. warnings


def codes(rows: list[EventRow], year: int) -> list[str]:
    return [w["code"] for w in score(rows, load_builtin("warnings"), year=year, term_years=TERM).warnings]


def proposals_in(*years: int) -> list[EventRow]:
    return [ev("proposal_accepted", "lead", year=y) for y in years]


def test_one_unexcused_plenary_absence_in_the_term_gives_a_notice_of_criticism() -> None:
    rows = [ev("plenary_absent_unexcused", year=2023), *proposals_in(2022, 2023, 2024)]
    result = score(rows, load_builtin("warnings"), year=2024, term_years=TERM)
    assert [w["code"] for w in result.warnings] == ["criticism"]
    assert result.warnings[0]["message"] == "本届内无故缺席全体会议 1 次，予以批评提醒。"
    assert result.warnings[0]["label"] == "批评提醒"


def test_two_unexcused_plenary_absences_ask_the_standing_committee_to_review() -> None:
    rows = [ev("plenary_absent_unexcused", year=y) for y in (2023, 2024)] + proposals_in(2022, 2023, 2024)
    assert codes(rows, 2024) == ["review_membership"]


def test_absences_from_a_previous_term_do_not_count() -> None:
    rows = [ev("plenary_absent_unexcused", year=2021), *proposals_in(2022)]
    assert codes(rows, 2022) == []


def test_no_proposal_in_two_consecutive_years_flags_non_renomination() -> None:
    rows = proposals_in(2022, 2025)
    result = score(rows, load_builtin("warnings"), year=2025, term_years=TERM)
    assert [w["code"] for w in result.warnings] == ["no_proposal_two_years"]
    assert result.warnings[0]["message"].startswith("2023—2024 年连续两年无立案提案")


def test_a_proposal_every_other_year_is_not_flagged() -> None:
    assert codes(proposals_in(2022, 2024, 2026), 2026) == []


def test_fewer_than_three_proposals_in_the_term_flags_at_the_term_end() -> None:
    # 2022 and 2023 only: 2024–2025 are empty too, so both flags show at the end of the term.
    assert codes(proposals_in(2022, 2023), 2027) == ["no_proposal_two_years", "few_proposals_term"]
    assert codes(proposals_in(2022, 2024, 2026), 2027) == []


def test_fewer_than_three_is_not_judged_before_the_term_ends() -> None:
    assert "few_proposals_term" not in codes(proposals_in(2022, 2023), 2023)
