"""Who is answering: a signed-in user, or a visitor without an account known by a random token in
their session. Both store ordinary ``Submission`` rows (``user`` or ``visitor`` set, never both), so
tries, conditional transitions and feedback have one code path for everyone.

The token is made on a visitor's first answer only: a visit without answering writes no session.
It is personal data only through the session cookie; the rows move to the account at sign-in
(``signals.py``) and are removed after the session has expired (``manage.py clearvisitors``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Submission

SESSION_KEY = "lp_visitor"  # the session entry that holds a visitor's token


@dataclass(frozen=True)
class Answerer:
    """Exactly one of ``user`` (signed in) and ``visitor`` (a token) is set."""

    user: object | None = None
    visitor: str | None = None

    def __post_init__(self):
        if (self.user is None) == (not self.visitor):
            raise ValueError("An answerer is a user or a visitor, exactly one of them.")

    @property
    def owner(self) -> dict:
        """The fields that say whose a new row is (for ``Submission(**owner, ...)``)."""
        return (
            {"user": self.user, "visitor": None} if self.user is not None else {"user": None, "visitor": self.visitor}
        )

    def rows(self) -> QuerySet[Submission]:
        """This answerer's Submission rows (newest first, the model's ordering)."""
        if self.user is not None:
            return Submission.objects.filter(user=self.user)
        return Submission.objects.filter(visitor=self.visitor)


def _valid_token(value) -> bool:
    return isinstance(value, str) and 16 <= len(value) <= 64


def visitor_token(session) -> str | None:
    """The visitor token in this session, if any (read without making one)."""
    token = session.get(SESSION_KEY) if session is not None else None
    return token if _valid_token(token) else None


def answerer_get(request, *, create: bool = False) -> Answerer | None:
    """The signed-in user, else the visitor of this session; None for a visitor who never answered
    (unless ``create``: then a new token goes into the session, which Django then saves)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Answerer(user=user)
    session = getattr(request, "session", None)
    if session is None:
        return None
    token = visitor_token(session)
    if token is None and create:
        token = secrets.token_urlsafe(24)  # 32 characters, 192 random bits
        session[SESSION_KEY] = token
    return Answerer(visitor=token) if token else None
