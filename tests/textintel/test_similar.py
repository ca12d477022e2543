from __future__ import annotations

from pathlib import Path

import pytest

from xieshang.textintel.similar import SimilarIndex, merge_suggestions, pair_score


@pytest.fixture(scope="module")
def index(messages: list[dict[str, str]]) -> SimilarIndex:
    return SimilarIndex().build(
        [m["id"] for m in messages], [m["subject"] + "。" + m["detail"] for m in messages]
    )


def test_a_subject_line_finds_its_message_first(index: SimilarIndex, messages: list[dict[str, str]]) -> None:
    hits = sum(index.query(m["subject"], k=1)[0].id == m["id"] for m in messages)
    assert hits / len(messages) >= 0.9


def test_results_carry_scores_in_order_and_shared_phrases(index: SimilarIndex) -> None:
    results = index.query("丽景小区搅拌站夜间噪音粉尘污染", k=4)
    assert len(results) == 4
    assert all(0 < r.score <= 1 for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert {r.id for r in results} == {"m01", "m02", "m03", "m04"}
    assert "搅拌站" in results[0].phrases


def test_query_can_exclude_the_document_itself(index: SimilarIndex) -> None:
    assert all(r.id != "m01" for r in index.query("丽景小区旁搅拌站噪音扰民", k=5, exclude="m01"))


def test_unknown_words_return_no_results(index: SimilarIndex) -> None:
    assert index.query("！！！", k=5) == []


def test_saved_index_answers_the_same(index: SimilarIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    loaded = SimilarIndex.load(tmp_path / "idx")
    assert loaded.query("农民工工资拖欠", k=3) == index.query("农民工工资拖欠", k=3)
    assert len(loaded) == 36 and loaded.memory_bytes() > 0


def test_loading_a_missing_index_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SimilarIndex.load(tmp_path / "nothing")


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        SimilarIndex().build(["a", "a"], ["一", "二"])


def test_merge_suggestions_pair_the_same_issue_only(messages: list[dict[str, str]]) -> None:
    ids = [m["id"] for m in messages]
    texts = [m["subject"] + "。" + m["detail"] for m in messages]
    pairs = merge_suggestions(ids, texts, threshold=0.25)
    found = {frozenset((p.a, p.b)) for p in pairs}
    assert frozenset(("m15", "m16")) in found
    assert frozenset(("m01", "m02")) in found
    assert not any({"m09", "m30"} & pair for pair in found)
    assert all(p.score >= 0.25 for p in pairs)


def test_pair_score_is_symmetric_and_higher_for_the_same_issue(index: SimilarIndex) -> None:
    same = pair_score("工地拖欠农民工工资", "农民工工资被工地老板拖欠", index)
    other = pair_score("工地拖欠农民工工资", "景区门票价格过高", index)
    assert same == pair_score("农民工工资被工地老板拖欠", "工地拖欠农民工工资", index)
    assert same > 0.3 > other
