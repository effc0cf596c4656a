"""A per-process memo for the content reads that every page repeats, keyed on the content build.

Content reaches the database only through ``services.content_sync`` (``manage.py compilecontent``,
once per deploy), yet every page view used to re-read the same rows: a path page loaded all 25
objects of its path with their HTML (about 1.8 MB from the database) to draw the list of steps.

Three rules keep this safe:

* **Visibility is part of every key.** Callers pass ``teacher`` (True only for a teacher who is not
  viewing as a student), so a value computed for a teacher is never returned to anybody else.
* **The key carries a build token read from the database**, so a rebuild by another process (or
  another machine sharing the database) is seen by the next request. The token is one cheap query
  over the small, index-backed path tables (see ``read_token``): every change that can alter a path
  page, the catalogue or a path's API document changes it, because the compiler's path hash covers
  its objects' hashes and ``content_sync`` then rewrites the path row and re-creates its nodes.
  Standalone object pages are not memoised here (their rows are read anyway).
* **The token is read at most once per request** (``request_started`` clears it) and on every
  call outside a request (management commands, the shell, tests calling selectors directly).

Values are shared between requests and threads: callers must treat them as read-only. The memo is
bounded (least recently used entries go first) and is emptied whenever the token changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connections, router

from .models import LearningPath, PathNode

_local = threading.local()
_lock = threading.Lock()


class _Generation:
    """The entries computed under one build token, least recently used first."""

    def __init__(self, token: tuple, max_entries: int):
        self.token = token
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()


class Memo:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._generation = _Generation((), max_entries)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        token = current_token()
        with _lock:
            generation = self._generation
            if generation.token != token:
                generation = self._generation = _Generation(token, self.max_entries)
            try:
                value = generation.entries[key]
            except KeyError:
                pass
            else:
                generation.entries.move_to_end(key)
                return value
        # Computed outside the lock: two threads may both compute a missing entry, which is
        # harmless (same token, same value) and cheaper than making every reader wait.
        value = compute()
        with _lock:
            if self._generation is generation:
                generation.entries[key] = value
                while len(generation.entries) > generation.max_entries:
                    generation.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with _lock:
            self._generation = _Generation((), self.max_entries)

    def __len__(self) -> int:
        return len(self._generation.entries)


# Selector results: a few per path, language and visibility (small: no object HTML in them).
selectors_memo = Memo(max_entries=2048)
# Whole anonymous pages (5-15 kB each, see paths/views_memo.py), so fewer of them.
pages_memo = Memo(max_entries=512)


def read_token() -> tuple:
    """What identifies the current content build, in one query that reads no large column.

    Counts and highest ids of paths and nodes change when a path is added, removed or re-linked
    (``content_sync`` re-creates a changed path's nodes, and a path's hash covers its objects').
    The paths' latest ``updated_at`` is there for ids that come back: a rolled-back transaction
    rolls SQLite's id sequence back too (tests do this between every two tests). Object rows are
    deliberately left out: scanning their ``updated_at`` means reading every object's HTML on
    SQLite (25 ms per request for 2,500 objects)."""
    connection = connections[router.db_for_read(LearningPath)]
    q = connection.ops.quote_name
    paths, nodes = q(LearningPath._meta.db_table), q(PathNode._meta.db_table)
    path_pk, node_pk = q(LearningPath._meta.pk.column), q(PathNode._meta.pk.column)
    updated = q(LearningPath._meta.get_field("updated_at").column)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {paths}), (SELECT MAX({path_pk}) FROM {paths}), "
        f"(SELECT MAX({updated}) FROM {paths}), (SELECT COUNT(*) FROM {nodes}), "
        f"(SELECT MAX({node_pk}) FROM {nodes})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return (connection.alias, *cursor.fetchone())


def current_token() -> tuple:
    """The build token, read once per request (and on every call outside a request)."""
    if not getattr(_local, "in_request", False):
        return read_token()
    token = getattr(_local, "token", None)
    if token is None:
        token = _local.token = read_token()
    return token


def _request_started(**kwargs) -> None:
    _local.in_request = True
    _local.token = None


def _request_finished(**kwargs) -> None:
    _local.in_request = False
    _local.token = None


request_started.connect(_request_started, dispatch_uid="learningpaths.paths.selectors_cache.started")
request_finished.connect(_request_finished, dispatch_uid="learningpaths.paths.selectors_cache.finished")


def memoised(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its value from earlier in this build. ``key`` must include the visibility."""
    return selectors_memo.get_or_compute(key, compute)
