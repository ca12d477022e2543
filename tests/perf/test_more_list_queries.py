"""The list pages of the voice, task, publishing and research apps make the same number of queries
for 3 rows as for 15 (no N+1). The generated trees of test_list_queries.py hold no rows for these
apps, so each test grows its own list through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xieshang.voice.models import MessageState

from ..publishing import walk as article_walk
from ..research import topics_walk
from ..research.test_study_services import bank, quiz
from ..tasks import walk as task_walk
from ..voice import survey_walk
from ..voice import walk as voice_walk

SLACK = 2
VOICE_STATES = [MessageState.RECEIVED, MessageState.TRIAGED, MessageState.FORWARDED, MessageState.LEAD]


def _add_messages(side: Any, n: int) -> None:
    for i in range(n):
        voice_walk.build(side, VOICE_STATES[i % len(VOICE_STATES)])


def _add_tasks(side: Any, n: int) -> None:
    for i in range(n):
        (task_walk.in_progress if i % 2 else task_walk.assigned)(side, coop=True)


def _add_surveys(side: Any, n: int) -> None:
    for _ in range(n):
        survey_walk.build(side)


def _add_articles(side: Any, n: int) -> None:
    for i in range(n):
        article_walk.build(side, ("published", "review", "draft")[i % 3])


def _add_topics(side: Any, n: int) -> None:
    for i in range(n):
        topics_walk.build(side, ("proposed", "selected", "researching")[i % 3])


def _add_quizzes(side: Any, n: int) -> None:
    questions = bank(side)
    for _ in range(n):
        quiz(side, questions)


PAGES: list[tuple[str, str, Callable[[Any, int], None]]] = [
    ("staff", "/voice/board/", _add_messages),
    ("staff", "/voice/board/?state=all", _add_messages),
    ("unit_user", "/voice/inbox/", _add_messages),
    ("member", "/voice/leads/", _add_messages),  # leads are marked for side.member
    ("staff", "/tasks/", _add_tasks),
    ("staff", "/tasks/units/", _add_tasks),
    ("leader", "/tasks/dashboard/", _add_tasks),
    ("unit_user", "/tasks/inbox/", _add_tasks),
    ("unit2_user", "/tasks/inbox/", _add_tasks),
    ("staff", "/voice/surveys/", _add_surveys),
    ("member", "/voice/surveys/", _add_surveys),
    ("staff", "/publishing/", _add_articles),
    ("staff", "/research/topics/", _add_topics),
    ("staff", "/research/study/quizzes/", _add_quizzes),
    ("member", "/research/study/me/", _add_quizzes),
]


def _queries(user: Any, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # the first request writes the session and builds what is cached per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries)


@pytest.mark.parametrize(("role", "url", "add"), PAGES)
def test_list_page_queries_do_not_grow_with_rows(world: Any, role: str, url: str, add: Any) -> None:
    side = world.city
    user = getattr(side, role)
    add(side, 3)
    few = _queries(user, url)
    add(side, 12)
    many = _queries(user, url)
    assert many <= few + SLACK, f"{url}: {few} queries with 3 rows, {many} with 15"
