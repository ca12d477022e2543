from __future__ import annotations

from pathlib import Path

import pytest

from xieshang.textintel.routing import Router, join_fields


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
