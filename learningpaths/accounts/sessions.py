"""Django's database sessions, with the read every signed-in request makes done by one prepared
query (``core.prepared``) instead of a queryset. Same table, same rows, same expiry, same
sign-out: nothing is cached, so a session deleted by one server is gone for all of them.

``SESSION_ENGINE = "learningpaths.accounts.sessions"`` (settings.py)."""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from learningpaths.core.prepared import row_get

# Sessions signed in before ``accounts.backends`` existed name Django's backend; they stay signed in.
_OLD_BACKEND = "django.contrib.auth.backends.ModelBackend"
_BACKEND = "learningpaths.accounts.backends.ModelBackend"


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        key = self.session_key  # None unless it looks like a key (SessionBase validates it)
        if key is None:
            return {}
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        expire = connection.ops.quote_name(self.model._meta.get_field("expire_date").column)
        row = row_get(
            self.model, columns=("session_data",), where=("session_key",), params=(key, now), extra=f"{expire} > %s"
        )
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key gets a new one on save
            return {}
        data = self.decode(row[0])
        if data.get(BACKEND_SESSION_KEY) == _OLD_BACKEND:
            data[BACKEND_SESSION_KEY] = _BACKEND
        return data
