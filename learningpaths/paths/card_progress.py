"""A signed-in student's progress on the catalogue's cards.

Progress is the ``learning`` app's, which sits above ``paths`` and cannot be imported here; it
registers its reader from its ``AppConfig.ready()`` (as the apps register their data-export
sections with ``accounts.exports``). Anonymous visitors never reach it: their catalogue page is
memoised as a whole (``views_memo``)."""

from __future__ import annotations

from collections.abc import Callable

_reader: list[Callable[..., dict]] = []


def register(fn: Callable[..., dict]) -> None:
    """``fn(*, user, paths)`` returns path pk -> an object with ``pct``, ``finished`` and ``url``."""
    _reader[:] = [fn]


def progress_for(*, user, paths: list) -> dict:
    if not _reader or not getattr(user, "is_authenticated", False) or not paths:
        return {}
    return _reader[0](user=user, paths=paths)
