from __future__ import annotations

from pathlib import Path

import pytest

from xieshang.textintel.similar import (
    MAX_SENTENCE_DF,
    SimilarIndex,
    _count,
    features,
    merge_suggestions,
    pair_score,
    sentence_keys,
)


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


# -- sentence re-ranking ------------------------------------------------------------------------
_S1 = "我们小区门口的道路坑洼不平已经三年了"
_S2 = "下雨天积水很深老人小孩出行非常危险"
_S3 = "请有关部门尽快安排维修这条道路"
_MORE = (
    "小区一共有八百多户居民大家都很着急。物业说这是市政道路他们管不了。"
    "社区也说没有经费。我们已经反映过很多次了。"
)
_ORIGINAL = f"{_S1}。{_S2}。{_S3}。{_MORE}"
_REPOST = f"{_S1}。下雨天积水很深老人孩子出行非常危险。{_S3}。"  # one word changed, shorter
_OTHERS = ["景区门票价格过高游客意见很大。希望物价部门调查。", "农民工工资被拖欠半年。请劳动监察大队处理。"]


def _two_versions() -> SimilarIndex:
    # A stronger length normalisation than the default, so that BM25 alone prefers the shorter
    # re-post and the sentence re-ranking has something to decide.
    return SimilarIndex(b=0.3).build(["original", "repost", "x", "y"], [_ORIGINAL, _REPOST, *_OTHERS])


def test_a_text_made_of_sentences_of_a_message_finds_it_before_a_near_repost() -> None:
    index = _two_versions()
    query = f"{_S1}。{_S2}。{_S3}。"
    assert [m.id for m in index.query(query, k=2)] == ["original", "repost"]
    index.sentence_bonus = 0.0  # BM25 alone prefers the shorter re-post
    assert index.query(query, k=1)[0].id == "repost"


def test_sentence_keys_ignore_punctuation_spaces_and_short_sentences() -> None:
    assert sentence_keys(f"您好！{_S1}。谢谢。").tolist() == sentence_keys(f" {_S1}！").tolist()
    assert sentence_keys("您好！谢谢。").size == 0
    assert sentence_keys(f"{_S1}。{_S2}").size == 2


def test_boilerplate_sentences_are_not_fingerprints() -> None:
    common = "尊敬的各位领导您们好"
    texts = [f"{common}。第{i}号楼电梯坏了需要维修" for i in range(MAX_SENTENCE_DF + 1)]
    index = SimilarIndex().build([str(i) for i in range(len(texts))], texts)
    assert sentence_keys(common)[0] not in set(index.sentence_data.tolist())
    assert index.sentence_data.size == len(texts)  # each text keeps its own sentence


def test_an_index_built_from_counts_alone_ranks_lexically() -> None:
    index = SimilarIndex(b=0.3)
    texts = [_ORIGINAL, _REPOST, *_OTHERS]
    columns = [index._columns(_count(features(t)), grow=True) for t in texts]
    index.build_from_counts(["original", "repost", "x", "y"], index.counts(columns))
    assert index.sentence_data.size == 0
    assert index.query(f"{_S1}。{_S2}。{_S3}。", k=1)[0].id == "repost"


def test_saved_index_keeps_its_sentence_fingerprints(tmp_path: Path) -> None:
    index = _two_versions()
    index.save(tmp_path / "idx")
    loaded = SimilarIndex.load(tmp_path / "idx")
    assert loaded.sentence_data.tolist() == index.sentence_data.tolist()
    assert loaded.query(f"{_S1}。{_S2}。", k=2) == index.query(f"{_S1}。{_S2}。", k=2)
