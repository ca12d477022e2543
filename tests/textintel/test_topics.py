from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from xieshang.textintel.topics import hot_topics, parse_time, parse_window


def _inputs(messages: list[dict[str, str]]) -> tuple[list[str], list[datetime], list[float]]:
    return (
        [m["subject"] + "。" + m["detail"] for m in messages],
        [parse_time(m["time"]) for m in messages],
        [float(m["likes"]) for m in messages],
    )


def test_the_hottest_topic_is_the_repeated_complaint(messages: list[dict[str, str]]) -> None:
    texts, times, likes = _inputs(messages)
    topics = hot_topics(texts, times, likes, k=3, threshold=0.15)
    first = topics[0]
    assert first.count == 4 and "搅拌站" in first.phrases
    assert first.support == 95.0
    assert "A2区" in first.places
    assert first.start == datetime(2024, 3, 1, 8, 10) and first.end == datetime(2024, 3, 5, 22, 0)
    assert [t.heat for t in topics] == sorted((t.heat for t in topics), reverse=True)
    assert first.as_dict([m["id"] for m in messages])["members"] == ["m01", "m02", "m03", "m04"]


def test_the_window_keeps_only_recent_texts(messages: list[dict[str, str]]) -> None:
    texts, times, likes = _inputs(messages)
    topics = hot_topics(texts, times, likes, window=timedelta(days=3), k=5)
    assert all(times[i] >= datetime(2024, 3, 6, 9) for t in topics for i in t.members)


def test_windows_and_times_are_parsed() -> None:
    assert parse_window("30d") == timedelta(days=30)
    assert parse_window("2w") == timedelta(days=14)
    assert parse_window(None) is None
    assert parse_time("2024/3/1") == datetime(2024, 3, 1)
    with pytest.raises(ValueError):
        parse_window("soon")
    with pytest.raises(ValueError):
        parse_time("yesterday")


def test_no_texts_give_no_topics() -> None:
    assert hot_topics([], []) == []
