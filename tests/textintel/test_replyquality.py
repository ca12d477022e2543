from __future__ import annotations

from xieshang.textintel.replyquality import recommendations, score_reply
from xieshang.textintel.topics import parse_time


def _score(row: dict[str, str]):  # type: ignore[no-untyped-def]
    return score_reply(row["question"], row["reply"], parse_time(row["asked"]), parse_time(row["replied"]))


def test_a_concrete_timely_reply_scores_high(replies: list[dict[str, str]]) -> None:
    good = _score(replies[0])
    assert good.relevance >= 0.5 and good.completeness == 1.0
    assert good.concreteness >= 0.75 and good.timeliness == 1.0
    assert any("日期" in r for r in good.reasons["concreteness"])


def test_a_formula_reply_scores_low_with_reasons(replies: list[dict[str, str]]) -> None:
    poor = _score(replies[1])
    assert poor.concreteness < 0.3 and poor.timeliness == 0.0 and poor.relevance < 0.3
    assert poor.overall < _score(replies[0]).overall
    assert any("未提及" in r for r in poor.reasons["relevance"])
    assert "用时 90.0 天" in poor.reasons["timeliness"][0]


def test_each_recommendation_is_checked(replies: list[dict[str, str]]) -> None:
    partial = _score(replies[2])
    assert 0 < partial.completeness < 1
    assert any(r.startswith("未回应") and "路灯" in r for r in partial.reasons["completeness"])


def test_recommendations_are_the_asking_sentences() -> None:
    asks = recommendations("小区路灯坏了。希望尽快维修路灯。另外建议增加垃圾桶。谢谢。")
    assert asks == ["希望尽快维修路灯。", "另外建议增加垃圾桶。"]


def test_missing_dates_leave_timeliness_empty() -> None:
    result = score_reply("路灯坏了，请维修", "已安排维修")
    assert result.timeliness is None and result.reasons["timeliness"]
