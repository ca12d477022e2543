"""gunicorn settings for the load test: time every SQL statement in each worker when
XIESHANG_QUERY_LOG names a folder, and write the worker's totals there when it exits.

Only statements run after the time written in FOLDER/measure-since count (run.py writes it when the
warm-up ends), so that the warm-up's queries stay out of the figures.

No pg_stat_statements here: it needs `shared_preload_libraries` and so a server restart, which the
load test must not do. The timings are taken around each cursor call by a Django execute wrapper.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from typing import Any

_NUMBER = re.compile(r"\b\d+\b")
_STRING = re.compile(r"'(?:[^']|'')*'")
_IN_LIST = re.compile(r"IN \((?:\?, )*\?\)")
_totals: dict[str, list[float]] = {}
_lock = threading.Lock()
_since = {"value": 0.0, "read_at": 0.0}


def _measuring(now: float) -> bool:
    """Whether the measured run has begun (the marker file is read at most once a second)."""
    if now - _since["read_at"] > 1.0:
        _since["read_at"] = now
        try:
            with open(os.path.join(os.environ["XIESHANG_QUERY_LOG"], "measure-since"), encoding="utf-8") as f:
                value = float(f.read().strip() or 0)
        except (OSError, ValueError):
            value = 0.0
        if value != _since["value"]:
            with _lock:
                _totals.clear()
            _since["value"] = value
    return bool(_since["value"]) and now >= _since["value"]


def _shape(sql: str) -> str:
    """The statement with its literals replaced, so that runs of one query add up."""
    shape = _NUMBER.sub("?", _STRING.sub("?", sql))
    return _IN_LIST.sub("IN (…)", shape.replace("%s", "?"))


def _timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    if not _measuring(time.time()):
        return execute(sql, params, many, context)
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        ms = (time.perf_counter() - start) * 1000
        key = _shape(sql)
        with _lock:
            row = _totals.setdefault(key, [0, 0.0, 0.0])
            row[0] += 1
            row[1] += ms
            row[2] = max(row[2], ms)


def post_worker_init(worker: Any) -> None:
    folder = os.environ.get("XIESHANG_QUERY_LOG", "")
    if not folder:
        return
    from django.db.backends.signals import connection_created

    def install(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _timer not in connection.execute_wrappers:
            connection.execute_wrappers.append(_timer)

    connection_created.connect(install, weak=False)


def worker_exit(server: Any, worker: Any) -> None:
    folder = os.environ.get("XIESHANG_QUERY_LOG", "")
    if not folder:
        return
    with _lock:
        rows = [{"sql": k, "calls": v[0], "total_ms": v[1], "max_ms": v[2]} for k, v in _totals.items()]
    with open(os.path.join(folder, f"queries-{os.getpid()}.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)
