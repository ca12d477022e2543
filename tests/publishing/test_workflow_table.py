"""Every action from every state, by every role: allowed exactly where the state table says."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xieshang.core.errors import AppError, ErrorCode
from xieshang.people.models import User
from xieshang.publishing import services, workflow
from xieshang.publishing.models import Article, ArticleState
from xieshang.publishing.services import ArticleInput

from . import walk

S = ArticleState


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return SimpleUploadedFile("题图.png", out.getvalue(), content_type="image/png")


CALLS: dict[str, Callable[[User, Article], Any]] = {
    "edit": lambda u, a: services.update_article(u, a, ArticleInput(title="新标题", body="新的正文。")),
    "set_cover": lambda u, a: services.set_cover(u, a, _png()),
    "submit": lambda u, a: services.submit_article(u, a),
    "return": lambda u, a: services.return_article(u, a, reason="请核实数据"),
    "publish": lambda u, a: services.publish_article(u, a),
    "archive": lambda u, a: services.archive_article(u, a),
    "reopen": lambda u, a: services.reopen_article(u, a),
    "delete": lambda u, a: services.delete_article(u, a),
}


def _state_after(article: Article) -> str:
    found = Article.objects.filter(pk=article.pk).first()
    return found.state if found else workflow.DELETED


def _allowed_actor(world: Any, action: str) -> User:
    """Someone who plays an allowed role: the author for staff rows, another staff member for reviews."""
    roles = workflow.TRANSITIONS[action].roles
    return world.city.staff if "staff" in roles else walk.reviewer(world.city)


def test_every_action_of_the_table_has_a_test_call():
    assert set(CALLS) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("state", S.values)
def test_actions_are_allowed_exactly_from_their_source_states(world, state, subtests):
    for action, call in CALLS.items():
        with subtests.test(action=action, state=state):
            # given an article in `state` and someone allowed to act
            article = walk.build(world.city, state)
            actor = _allowed_actor(world, action)
            if state in workflow.TRANSITIONS[action].sources:
                # when they act, then the article ends in a state the table names
                call(actor, article)
                assert _state_after(article) in workflow.TRANSITIONS[action].targets
            else:
                with pytest.raises(AppError) as caught:
                    call(actor, article)
                assert caught.value.code == ErrorCode.INVALID_STATE, caught.value.message
                assert _state_after(article) == state


def test_every_state_is_reachable_through_the_services(world):
    for state in S.values:
        assert walk.build(world.city, state).state == state


def _people(world: Any) -> dict[str, tuple[User, set[str]]]:
    """Each person with the workflow roles they play on a city article written by the city's staff."""
    city, county = world.city, world.county
    return {
        "author": (city.staff, {"staff"}),
        "other_staff": (walk.reviewer(city), {"staff", "reviewer"}),
        "leader": (city.leader, {"leader", "reviewer"}),
        "member": (city.member, set()),
        "admin": (city.admin, set()),
        "unit": (city.unit_user, set()),
        "county_staff": (county.staff, set()),
        "county_leader": (county.leader, set()),
        "outsider": (world.outsider, set()),
    }


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_only_the_roles_of_the_table_may_act(world, action, subtests):
    row = workflow.TRANSITIONS[action]
    state = sorted(row.sources)[0]
    for name, (user, roles) in _people(world).items():
        with subtests.test(person=name):
            article = walk.build(world.city, state)
            if roles & row.roles:
                CALLS[action](user, article)
                assert _state_after(article) in row.targets
            else:
                with pytest.raises(AppError) as caught:
                    CALLS[action](user, article)
                assert caught.value.code == ErrorCode.PERMISSION_DENIED
                assert _state_after(article) == state
