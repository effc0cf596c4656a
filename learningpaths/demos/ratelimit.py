"""Per-browser and per-address fixed-window rate limits for the demos, kept in Django's cache.

Two limits, both checked on every request:

* ``DEMO_RATE_LIMIT`` per session (one per signed-in or anonymous browser), or per address when
  there is no session cookie. A whole class often shares one address (school NAT), so the
  everyday limit must follow the browser, not the address.
* ``DEMO_ADDRESS_RATE_LIMIT`` per address, much higher (a classroom's worth). The session cookie is
  not checked against the database (the WSGI fast path does not touch it), so without this cap a
  script could send a fresh made-up cookie with every request and never be limited.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import NamedTuple

from django.core.cache import cache


class Client(NamedTuple):
    session: str | None  # a hash of the session cookie, or None
    address: str


def client_from(session_id: str | None, meta: Mapping) -> Client:
    """Who is asking, without a database query, from a WSGI environ or ``request.META``."""
    from learningpaths.accounts.ratelimit import address_from_meta

    session = hashlib.sha256(session_id.encode()).hexdigest()[:32] if session_id else None
    return Client(session, address_from_meta(meta))


def client_of(request) -> Client:
    from django.conf import settings

    return client_from(request.COOKIES.get(settings.SESSION_COOKIE_NAME), request.META)


def allow_key(client: str, *, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """(allowed, seconds until the window resets). ``limit`` requests per ``window`` seconds."""
    now = int(time.time())
    bucket = now // window
    key = f"rl:{scope}:{client}:{bucket}"
    added = cache.add(key, 1, timeout=window + 1)
    count = 1 if added else cache.incr(key)
    return count <= limit, window - (now % window)


def allow(client: Client, *, scope: str, limit: int, address_limit: int) -> tuple[bool, int]:
    """Both limits: the browser's (session, else address) and the address's cap."""
    who = f"session:{client.session}" if client.session else f"addr:{client.address}"
    allowed, retry = allow_key(who, scope=scope, limit=limit)
    if not allowed:
        return False, retry
    return allow_key(f"addr:{client.address}", scope=scope + ":address", limit=address_limit)
