"""The text-intelligence cache: few rows rebuild in the call; over many rows a request never builds —
the worker does, persists the object, and every process serves the persisted one."""

from __future__ import annotations

import itertools
import pickle
import time

import pytest
from django_tasks_db.models import DBTaskResult

from xieshang.core import intelcache
from xieshang.core.tasks import warm_intel

# The objects the spec functions below describe: (fingerprint, rows) by key, and the builds counted.
ROWS: dict[int, tuple[tuple[object, ...], int]] = {}
built: list[int] = []
_keys = itertools.count(int(time.time() * 1000) % 10_000_000)  # lease keys stay unique across runs


def counting_spec(key: int) -> intelcache.Spec[str]:
    fingerprint, rows = ROWS[key]

    def build() -> str:
        built.append(key)
        return f"built from {fingerprint}"

    return intelcache.Spec(fingerprint, build, rows)


NAME = intelcache.name_of(counting_spec)


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path, monkeypatch):
    settings.XIESHANG_INTEL_BACKGROUND_ROWS = 100
    monkeypatch.setattr(intelcache, "CHECK_SECONDS", 0.0)
    settings.XIESHANG_INTEL_DIR = tmp_path / "intel"
    built.clear()
    intelcache.clear()
    yield
    intelcache.clear()


def _queued() -> list[list[object]]:
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path__endswith="warm_intel")]


def _new_key(fingerprint: tuple[object, ...], rows: int) -> int:
    key = next(_keys)
    ROWS[key] = (fingerprint, rows)
    return key


def test_few_rows_build_in_the_call_and_a_moved_fingerprint_rebuilds_at_once():
    key = _new_key((10, "a"), 10)
    assert intelcache.get(counting_spec, key) == "built from (10, 'a')"
    assert intelcache.get(counting_spec, key) == "built from (10, 'a')"
    assert built == [key]
    ROWS[key] = ((11, "b"), 11)
    assert intelcache.get(counting_spec, key) == "built from (11, 'b')"
    assert built == [key, key]


@pytest.mark.django_db(transaction=True)
def test_many_rows_are_never_built_in_a_request_the_worker_builds_them_once():
    key = _new_key((500, "a"), 500)
    with pytest.raises(intelcache.Pending):
        intelcache.get(counting_spec, key)
    with pytest.raises(intelcache.Pending):
        intelcache.get(counting_spec, key)
    assert built == []
    assert _queued() == [[NAME, [key]]]  # asked once within the refresh interval

    assert warm_intel.call(NAME, [key]) is True
    assert built == [key]
    assert intelcache.path_of(NAME, (key,)).is_file()

    intelcache.clear()  # another process: it loads what the worker persisted, and builds nothing
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"
    assert built == [key]
    assert warm_intel.call(NAME, [key]) is False  # already current: the worker skips the build
    assert built == [key]


@pytest.mark.django_db(transaction=True)
def test_a_moved_fingerprint_serves_the_persisted_object_until_the_worker_rebuilds_it(settings):
    key = _new_key((500, "a"), 500)
    warm_intel.call(NAME, [key])
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"

    ROWS[key] = ((501, "b"), 501)
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"  # stale, at once
    assert built == [key]
    assert _queued() == [[NAME, [key]]]

    time.sleep(0.01)  # a newer mtime than the first file's
    warm_intel.call(NAME, [key])
    # The worker is another process: this one still holds the first object, loaded from an older file.
    intelcache._entries[(NAME, (key,))] = intelcache._Entry((500, "a"), "built from (500, 'a')", 1.0)
    deadline = time.monotonic() + 5
    while intelcache.get(counting_spec, key) != "built from (501, 'b')":
        assert time.monotonic() < deadline, "the newer persisted object was never loaded"
        time.sleep(0.01)
    assert built == [key, key]


@pytest.mark.django_db(transaction=True)
def test_over_many_rows_the_fingerprint_is_compared_at_most_every_check_interval(monkeypatch):
    monkeypatch.setattr(intelcache, "CHECK_SECONDS", 3600.0)
    key = _new_key((500, "a"), 500)
    warm_intel.call(NAME, [key])
    intelcache.clear()
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"
    del ROWS[key]  # the spec function is not even called within the interval
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"
    monkeypatch.setattr(intelcache, "CHECK_SECONDS", 0.0)
    with pytest.raises(KeyError):
        intelcache.get(counting_spec, key)


@pytest.mark.django_db(transaction=True)
def test_wait_builds_and_persists_in_the_call_for_jobs_that_may_wait():
    key = _new_key((900, "z"), 900)
    assert intelcache.get(counting_spec, key, wait=True) == "built from (900, 'z')"
    assert _queued() == []
    intelcache.clear()
    assert intelcache.get(counting_spec, key) == "built from (900, 'z')"
    assert built == [key]


@pytest.mark.django_db(transaction=True)
def test_a_torn_file_is_rebuilt_never_trusted():
    key = _new_key((500, "a"), 500)
    path = intelcache.path_of(NAME, (key,))
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps((500, "a"))[:5])
    with pytest.raises(intelcache.Pending):
        intelcache.get(counting_spec, key)
    warm_intel.call(NAME, [key])
    intelcache.clear()
    assert intelcache.get(counting_spec, key) == "built from (500, 'a')"


def test_keys_cannot_name_a_path_outside_the_folder():
    with pytest.raises(ValueError):
        intelcache.path_of(NAME, ("../../etc/passwd",))


def test_a_process_keeps_the_most_recently_used_objects_within_its_row_budget(settings):
    settings.XIESHANG_INTEL_BACKGROUND_ROWS = 10_000  # built in the call
    settings.XIESHANG_INTEL_MAX_ROWS = 1000
    first, second, third = (_new_key((500, n), 500) for n in "abc")
    intelcache.get(counting_spec, first)
    intelcache.get(counting_spec, second)
    intelcache.get(counting_spec, first)  # used again: now the second is the least recently used
    intelcache.get(counting_spec, third)  # 1,500 rows held: the second goes
    assert built == [first, second, third]
    intelcache.get(counting_spec, first)
    intelcache.get(counting_spec, third)
    assert built == [first, second, third]
    intelcache.get(counting_spec, second)
    assert built == [first, second, third, second]
