"""The text-intelligence cache: few rows rebuild at once; many rows keep answering while one thread
rebuilds."""

from __future__ import annotations

import threading
import time

import pytest

from xieshang.core import intelcache


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.XIESHANG_INTEL_BACKGROUND_ROWS = 100
    intelcache.clear()
    yield
    intelcache.clear()


def test_few_rows_rebuild_as_soon_as_their_fingerprint_moves():
    assert intelcache.cached("t", "k", 1, (10, "a"), lambda: "first", rows=10) == "first"
    assert intelcache.cached("t", "k", 1, (10, "a"), lambda: "unused", rows=10) == "first"
    assert intelcache.cached("t", "k", 1, (11, "b"), lambda: "second", rows=11) == "second"
    # another key is another object
    assert intelcache.cached("t", "k", 2, (11, "b"), lambda: "other", rows=11) == "other"


def test_many_rows_keep_answering_while_one_thread_rebuilds():
    intelcache.cached("t", "k", 1, (500, "a"), lambda: "old", rows=500)
    release = threading.Event()
    builds = []

    def slow_build() -> str:
        builds.append(1)
        release.wait(5)
        return "new"

    # the moved fingerprint is answered with the old object, twice, and only one rebuild starts
    assert intelcache.cached("t", "k", 1, (501, "b"), slow_build, rows=501) == "old"
    assert intelcache.cached("t", "k", 1, (501, "b"), slow_build, rows=501) == "old"
    release.set()
    deadline = time.monotonic() + 5
    while intelcache.cached("t", "k", 1, (501, "b"), slow_build, rows=501) != "new":
        assert time.monotonic() < deadline, "the background rebuild never landed"
        time.sleep(0.01)
    assert len(builds) == 1


def test_a_failed_background_rebuild_keeps_the_old_object():
    intelcache.cached("t", "k", 1, (500, "a"), lambda: "old", rows=500)

    def broken() -> str:
        raise RuntimeError("segmenter crashed")

    assert intelcache.cached("t", "k", 1, (501, "b"), broken, rows=501) == "old"
    time.sleep(0.2)
    assert intelcache.cached("t", "k", 1, (501, "b"), lambda: "fixed", rows=5) == "fixed"
