from __future__ import annotations

from xieshang.textintel import segment


def test_domain_terms_are_kept_whole() -> None:
    tokens = segment.cut("政协委员建议推进老旧小区改造和加装电梯，优化营商环境")
    assert {"政协委员", "老旧小区改造", "加装电梯", "营商环境"} <= set(tokens)


def test_anonymised_districts_are_one_token() -> None:
    assert segment.cut("A市A3区洋湖街道")[:2] == ["A市", "A3区"]


def test_words_drop_stop_words_and_punctuation() -> None:
    words = segment.words("您好！请问我们小区的路灯什么时候修？")
    assert "您好" not in words and "什么" not in words and "！" not in words
    assert "路灯" in words


def test_keywords_rank_specific_words_first() -> None:
    keys = segment.keywords("搅拌站噪音扰民，搅拌站粉尘污染，希望搬迁搅拌站", k=3)
    assert keys[0] == "搅拌站"


def test_places_find_districts_streets_and_estates() -> None:
    found = segment.places("A市A2区桂花坪街道景蓉华苑小区周边小区")
    assert found[:2] == ["A市", "A2区"]
    assert "桂花坪街道" in found and "景蓉华苑小区" in found
    assert "周边小区" not in found
    assert segment.districts("A市A2区桂花坪街道") == ["A市", "A2区"]


def test_sentences_split_at_chinese_punctuation() -> None:
    assert segment.sentences("路坏了。请修！何时修？") == ["路坏了。", "请修！", "何时修？"]


def test_added_terms_are_used_by_later_cuts() -> None:
    segment.add_terms(["潇楚南路"])
    assert "潇楚南路" in segment.cut("A3区潇楚南路还没修好")
