"""The text-intelligence objects the apps build from their rows (similar-text indexes, routers, hot
topics): built once, kept per process, keyed by a fingerprint of those rows, and — over many rows —
built by the worker, never in a request.

An app describes each object by a *spec function*: a module-level function of plain arguments
(conference ids, day counts) that returns a `Spec`, the fingerprint of the rows (cheap aggregate
queries) and how to build the object from them. `get(spec_fn, *args)` then returns the object:

- while the rows are few (at most XIESHANG_INTEL_BACKGROUND_ROWS), a moved fingerprint rebuilds it in
  the call, so a new row is seen at once;
- over many rows a build takes minutes, so a request never builds: it serves what the worker last
  persisted under XIESHANG_INTEL_DIR (loaded once per process, reloaded in a background thread when the
  worker writes a newer one), asks the worker to rebuild when the fingerprint moved (at most once per
  XIESHANG_INTEL_REFRESH_SECONDS for each object), and raises `Pending` when nothing was built yet,
  so the page says the analysis is being prepared instead of making someone wait. Such an object's
  fingerprint (a few aggregate queries over many rows) is compared at most every CHECK_SECONDS.

The worker's job (`core.tasks.warm_intel`) imports the spec function by its dotted name, builds the
object and writes it atomically with its fingerprint (pickle: the folder is the platform's own data,
written only by its worker, like the database).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spec(Generic[T]):
    """What an object is built from (`fingerprint`, `rows` of them) and how to build it."""

    fingerprint: tuple[Any, ...]
    build: Callable[[], T]
    rows: int = 0


class Pending(Exception):
    """Nothing is built yet for this many rows; the worker has been asked to build it."""


@dataclass(frozen=True)
class _Entry:
    fingerprint: tuple[Any, ...]
    value: Any
    mtime: float  # of the persisted file it came from; 0 when built in this process
    rows: int = 0
    checked: float = 0.0  # time.monotonic() when its fingerprint was last compared with the rows'


# Over many rows even the fingerprint's aggregate queries cost tens of milliseconds a request, and the
# worker rebuilds at most every few minutes anyway: compare it at most this often (seconds).
CHECK_SECONDS = 30.0


_entries: OrderedDict[tuple[str, tuple[Any, ...]], _Entry] = OrderedDict()  # least recently used first
_loading: set[tuple[str, tuple[Any, ...]]] = set()
_lock = threading.Lock()
_SAFE = re.compile(r"^[\w.-]+$")


def background_threshold() -> int:
    """Rows above which an object is built by the worker only (XIESHANG_INTEL_BACKGROUND_ROWS)."""
    return int(settings.XIESHANG_INTEL_BACKGROUND_ROWS)


def name_of(spec_fn: Callable[..., Spec[Any]]) -> str:
    """The dotted name the worker imports a spec function by."""
    return f"{spec_fn.__module__}.{spec_fn.__qualname__}"


def path_of(name: str, args: tuple[Any, ...]) -> Path:
    """Where the worker keeps the object built by `name` for `args`."""
    parts = [name, *(str(a) for a in args)]
    if not all(_SAFE.match(p) for p in parts):
        raise ValueError(f"unsafe cache key {parts!r}")
    return Path(settings.XIESHANG_INTEL_DIR) / ("-".join(parts) + ".pickle")


def _read(path: Path, *, value: bool = True) -> tuple[tuple[Any, ...], Any, float] | None:
    """The fingerprint (and, unless value is False, the object) persisted at `path`, with its mtime."""
    try:
        with path.open("rb") as f:
            mtime = os.fstat(f.fileno()).st_mtime
            fingerprint = pickle.load(f)
            return fingerprint, (pickle.load(f) if value else None), mtime
    except FileNotFoundError:
        return None
    except Exception:  # a torn or foreign file is rebuilt, never trusted
        log.exception("cannot read %s", path)
        return None


def _write(path: Path, fingerprint: tuple[Any, ...], value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(fingerprint, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _load(key: tuple[str, tuple[Any, ...]]) -> _Entry | None:
    found = _read(path_of(*key))
    if found is None:
        return None
    entry = _Entry(found[0], found[1], found[2])
    _store(key, entry)
    return entry


def _reload_in_background(key: tuple[str, tuple[Any, ...]]) -> None:
    with _lock:
        if key in _loading:
            return
        _loading.add(key)

    def run() -> None:
        try:
            _load(key)
        finally:
            with _lock:
                _loading.discard(key)

    threading.Thread(target=run, name="intel-reload", daemon=True).start()


def request_build(name: str, args: tuple[Any, ...]) -> bool:
    """Ask the worker to (re)build an object, unless it was asked within the refresh interval."""
    lease = f"xieshang:intel-build:{name}:{':'.join(str(a) for a in args)}"
    if not cache.add(lease, 1, timeout=int(settings.XIESHANG_INTEL_REFRESH_SECONDS)):
        return False
    from .tasks import warm_intel

    transaction.on_commit(lambda: warm_intel.enqueue(name, list(args)))
    return True


def get(spec_fn: Callable[..., Spec[T]], *args: Any, wait: bool = False) -> T:
    """The object `spec_fn(*args)` describes, as the module docstring explains.

    `wait=True` (jobs of the worker itself, commands) builds and persists it in the call when nothing
    usable is persisted, instead of raising Pending."""
    key = (name_of(spec_fn), tuple(args))
    with _lock:
        hit = _entries.get(key)
        if hit is not None:
            _entries.move_to_end(key)
    now = time.monotonic()
    if hit is not None and hit.rows > background_threshold() and now - hit.checked < CHECK_SECONDS:
        return hit.value  # type: ignore[no-any-return]
    spec = spec_fn(*args)
    if hit is not None and hit.fingerprint == spec.fingerprint:
        _remember(key, hit, spec.rows, now)
        return hit.value  # type: ignore[no-any-return]
    if spec.rows <= background_threshold():
        value = spec.build()
        _remember(key, _Entry(spec.fingerprint, value, 0.0), spec.rows, now)
        return value
    if hit is None:
        hit = _load(key)
    elif _mtime(path_of(*key)) > hit.mtime:
        _reload_in_background(key)  # the worker wrote a newer one: keep serving this one meanwhile
    if hit is not None:
        _remember(key, hit, spec.rows, now)
    if hit is not None and hit.fingerprint == spec.fingerprint:
        return hit.value  # type: ignore[no-any-return]
    if wait:
        return build(key[0], key[1], spec)  # type: ignore[no-any-return]
    request_build(*key)
    if hit is not None:
        return hit.value  # type: ignore[no-any-return]
    raise Pending(key[0])


def _remember(key: tuple[str, tuple[Any, ...]], entry: _Entry, rows: int, checked: float) -> None:
    with _lock:
        current = _entries.get(key)
        if current is not None and current.mtime > entry.mtime:  # never undo a newer background reload
            return
    _store(key, dataclasses.replace(entry, rows=rows, checked=checked))


def _store(key: tuple[str, tuple[Any, ...]], entry: _Entry) -> None:
    """Keep `entry`, forgetting the least recently used objects while those held stand for more than
    XIESHANG_INTEL_MAX_ROWS rows (a province holds 150 conferences; a process keeps the busy ones)."""
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        budget = int(settings.XIESHANG_INTEL_MAX_ROWS)
        held = sum(e.rows for e in _entries.values())
        while held > budget and len(_entries) > 1:
            _, dropped = _entries.popitem(last=False)
            held -= dropped.rows


def build(name: str, args: tuple[Any, ...], spec: Spec[Any] | None = None) -> Any:
    """Build the object `name(*args)` describes and persist it (the worker's job). Skips the build when
    what is persisted already has the current fingerprint."""
    spec = spec or import_string(name)(*args)
    path = path_of(name, args)
    persisted = _read(path, value=False)
    if persisted is not None and persisted[0] == spec.fingerprint:
        entry = _load((name, args))
        if entry is not None:
            return entry.value
    value = spec.build()
    _write(path, spec.fingerprint, value)
    _store((name, args), _Entry(spec.fingerprint, value, _mtime(path), spec.rows))
    return value


def clear() -> None:
    """Forget every object held in this process (tests, or after a restore)."""
    with _lock:
        _entries.clear()
