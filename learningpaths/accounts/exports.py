"""Each app's part of a person's data export and of their account deletion (GDPR).

``accounts`` is the bottom app: it cannot import the apps that store a person's answers, progress
and classes, so those apps contribute their parts from their ``AppConfig.ready()``:

* ``register(section, fn)``: ``fn(*, user)`` returns the JSON-ready data of one section of the
  export (``accounts.selectors.user_data``), in registration order after ``account``;
* ``deletion_register(delete=fn, warn=fn)``: ``delete(*, user)`` runs inside the deletion's
  transaction before the user row goes (rows with a foreign key to the user cascade by
  themselves) and returns what it adds to the report; ``warn(*, user)`` returns the sentences the
  deletion page shows beforehand, or an empty list.

Registering a section name twice replaces it, so a reload in one process cannot duplicate it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Deletion:
    delete: Callable[..., dict]
    warn: Callable[..., list[str]] | None = None


_sections: dict[str, Callable[..., object]] = {}
_deletions: dict[str, Deletion] = {}


def register(section: str, fn: Callable[..., object]) -> None:
    _sections[section] = fn


def deletion_register(name: str, *, delete: Callable[..., dict], warn: Callable[..., list[str]] | None = None) -> None:
    _deletions[name] = Deletion(delete=delete, warn=warn)


def sections() -> dict[str, Callable[..., object]]:
    return dict(_sections)


def deletions() -> list[Deletion]:
    return list(_deletions.values())


def iso(moment: datetime | None) -> str:
    """A time as the export writes it: ISO 8601 to the second, "" for none."""
    return moment.isoformat(timespec="seconds") if moment else ""
