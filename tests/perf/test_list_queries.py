"""List pages make the same number of queries whatever the number of rows they show (no N+1).

Two generated trees share the test database (`xieshang.web.gendata`, namespaces `s` and `l`): in the
small one each list shows a few rows (about 5 to 10), in the large one five times as many (or a full
page of 25). Each page is
rendered for the same account in both, and the large one may not need more queries than the small
one, beyond SLACK: a list that is empty in the small tree skips the queries that load what its rows
refer to (one per relation), which is not growth with the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xieshang.people.models import User
from xieshang.proposals.models import Assignment, ExtensionRequest, Proposal
from xieshang.proposals.selectors import work_lists
from xieshang.web.gendata import SCALES, Generator

SLACK = 2
SMALL = replace(
    SCALES["tiny"],
    name="perf-5",
    conferences=1,
    members=3,
    proposals=30,
    opinions=15,
    years=1,
    activities_per_year=5,
    invitees=3,
)
LARGE = replace(SMALL, name="perf-25", proposals=150, opinions=75, activities_per_year=25)

WORK_LISTS = ["to_review", "to_assign", "due_soon", "overdue", "to_evaluate", "to_close", "requests", "key"]
PAGES: list[tuple[str, str]] = [
    ("m0001", "/"),
    ("m0001", "/proposals/"),
    ("m0001", "/opinions/"),
    ("m0001", "/activities/"),
    ("m0001", "/duty/"),
    ("m0001", "/notifications/"),
    ("m0001", "/me/"),
    *[("staff", f"/proposals/work/{name}/") for name in WORK_LISTS],
    ("staff", "/proposals/work/all/"),
    ("staff", "/proposals/work/all/?sort=-number"),
    ("staff", "/search/?q=关于"),
    ("staff", "/proposals/sessions/"),
    ("staff", "/opinions/work/"),
    ("staff", "/opinions/issues/"),
    ("staff", "/activities/office/"),
    ("staff", "/activities/office/participation/"),
    ("staff", "/duty/office/ranking/"),
    ("staff", "/duty/office/warnings/"),
    ("u01", "/proposals/unit/"),
    ("u01", "/proposals/unit/"),
    ("leader", "/dashboard/"),
]


def _given_key_proposals_and_requests(prefix: str, n: int) -> None:
    """History has few key proposals and no pending unit requests: mark `n` of each."""
    live = Assignment.objects.filter(conference__code=f"gen-{prefix}", state="active", role="lead")[:n]
    staff = User.objects.get(username=f"{prefix}_staff")
    for assignment in live:
        Proposal.objects.filter(pk=assignment.proposal_id).update(is_key=True, key_leader=staff)
        ExtensionRequest.objects.create(
            assignment=assignment,
            reason="需要协调多个部门。",
            requested_due_on=assignment.due_on + dt.timedelta(days=30),
            requested_by=staff,
        )


@pytest.fixture
def trees(db: None) -> dict[str, Generator]:
    quiet: dict[str, Any] = {"progress": False, "echo": lambda _: None}
    small = Generator(SMALL, seed=5, namespace="s", **quiet)
    small.run()
    _given_key_proposals_and_requests("sc01", 5)
    large = Generator(LARGE, seed=25, namespace="l", **quiet)
    large.run()
    _given_key_proposals_and_requests("lc01", 25)
    return {"s": small, "l": large}


def _queries(username: str, url: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)  # the first request of a session writes the session and warms caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries)


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_list_page_queries_do_not_grow_with_rows(trees: dict[str, Generator], who: str, url: str) -> None:
    # Given: the same account in the small and the large tree
    small_user, large_user = f"sc01_{who}", f"lc01_{who}"
    # When
    small = _queries(small_user, url)
    large = _queries(large_user, url)
    # Then
    assert large <= small + SLACK, f"{url}: {small} queries with few rows, {large} with many"


def test_the_large_tree_really_shows_more_rows(trees: dict[str, Generator]) -> None:
    """The comparison above means something only if the large tree's lists are longer."""
    for prefix, low, high in (("sc01", 3, 14), ("lc01", 18, 70)):
        mine = Proposal.objects.filter(proposer__username=f"{prefix}_m0001").count()
        assert low <= mine <= high, (prefix, mine)
    # Every work list has rows in both trees, more in the large one (or a full page of 25).
    small = work_lists(User.objects.get(username="sc01_staff").roles.get().conference_id)
    large = work_lists(User.objects.get(username="lc01_staff").roles.get().conference_id)
    for name in WORK_LISTS:
        assert 0 < small[name].count() < large[name].count(), name
