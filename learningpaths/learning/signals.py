"""A visitor's answers move into the account they sign in or sign up with (connected in apps.py).

``django.contrib.auth.login`` keeps the session's data when an anonymous session becomes a
signed-in one (``cycle_key``: a new key, the same data) and sends ``user_logged_in`` after that,
so the visitor token is still in the session here. Signing in over another user's session
flushes it first; such a session never holds a token (signed-in users answer as themselves).
"""

from __future__ import annotations

from .answerers import SESSION_KEY, visitor_token
from .services import visitor_answers_move


def move_visitor_answers(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    token = visitor_token(session)
    if token is None:
        return
    visitor_answers_move(visitor=token, user=user)
    session.pop(SESSION_KEY, None)  # forgotten: the rows are the user's now
