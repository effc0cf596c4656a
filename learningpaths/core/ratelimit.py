"""Rate limits kept in Django's cache: one fixed-window counter, one notion of the client's address,
and the two policies built on them (sign-in failures, server demos).

With several app servers or gunicorn workers the cache must be shared (``CACHE_URL``, see
docs/deploy.md); with the per-process default each worker counts on its own.

**Sign-in failures**: at most ``SIGNIN_MAX_FAILURES`` failed attempts per username and address in
``SIGNIN_WINDOW`` seconds (default 10 in 15 minutes). Keyed by username *and* address on purpose: a
whole school often reaches the site from one address (NAT), so an address-only limit would lock a
class out when a few students mistype; and a username-only limit would let anyone lock a student out
from elsewhere. The window starts at the first failure and the count is forgotten when it ends; a
successful sign-in clears it.

**Server demos**: two fixed-window limits per minute, both checked on every request:

* ``DEMO_RATE_LIMIT`` per session (one per signed-in or anonymous browser), or per address when
  there is no session cookie. A whole class often shares one address (school NAT), so the
  everyday limit must follow the browser, not the address.
* ``DEMO_ADDRESS_RATE_LIMIT`` per address, much higher (a classroom's worth). The session cookie is
  not checked against the database (the fast paths do not touch it), so without this cap a script
  could send a fresh made-up cookie with every request and never be limited.

**Answers from visitors without an account** (``learning.views.answer``): the same two limits, with
``VISITOR_ANSWER_RATE_LIMIT`` per session and ``VISITOR_ANSWER_ADDRESS_RATE_LIMIT`` per address.
A visitor's first answer comes without a session cookie (pages do not make sessions), so a request
without one counts only against the address's cap: the everyday limit per address would stop a
class behind one NAT answering its first question together. Signed-in students are not limited.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

# ------------------------------------------------------------------------------ counter and address


def window_hit(key: str, *, timeout: int) -> int:
    """Count one event under ``key``; returns the count in the current window. The window starts
    with the first event and lasts ``timeout`` seconds (the cache entry's lifetime)."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the entry expired between add() and incr(): this event opens a new window
        cache.add(key, 1, timeout=timeout)
        return 1


def window_count(key: str) -> int:
    return cache.get(key) or 0


def window_clear(key: str) -> None:
    cache.delete(key)


def address_from_meta(meta: Mapping) -> str:
    """The client's address from ``request.META`` or a WSGI environ. Behind our own proxy
    (``SECURE_PROXY=1``) every request comes from the proxy, so take ``X-Real-IP``, which
    deploy/nginx.conf sets (overwriting whatever the client sent); otherwise the socket's peer."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        real = meta.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real[:64]
    return meta.get("REMOTE_ADDR", "") or "?"


def client_address(request) -> str:
    return address_from_meta(request.META)


# ---------------------------------------------------------------------------------- sign-in failures


def signin_max_failures() -> int:
    return int(getattr(settings, "SIGNIN_MAX_FAILURES", 10))


def signin_window() -> int:
    return int(getattr(settings, "SIGNIN_WINDOW", 15 * 60))


def signin_key(request, username: str) -> str:
    who = f"{(username or '').strip().lower()[:150]}\n{client_address(request)}"
    return "signin-failures:" + hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()


def signin_is_locked(key: str) -> bool:
    return window_count(key) >= signin_max_failures()


def signin_record_failure(key: str) -> int:
    """Count one failed attempt; returns the count in the current window."""
    return window_hit(key, timeout=signin_window())


def signin_clear(key: str) -> None:
    window_clear(key)


# -------------------------------------------------------------------------------------- server demos


class Client(NamedTuple):
    session: str | None  # a hash of the session cookie, or None
    address: str


def client_from(session_id: str | None, meta: Mapping) -> Client:
    """Who is asking, without a database query, from a WSGI environ or ``request.META``."""
    session = hashlib.sha256(session_id.encode()).hexdigest()[:32] if session_id else None
    return Client(session, address_from_meta(meta))


def client_of(request) -> Client:
    return client_from(request.COOKIES.get(settings.SESSION_COOKIE_NAME), request.META)


def allow_key(client: str, *, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """(allowed, seconds until the window resets). ``limit`` requests per ``window`` seconds, in
    windows aligned to the clock (the bucket is part of the key), so every client's window resets
    at the same moment and ``Retry-After`` is exact."""
    now = int(time.time())
    key = f"rl:{scope}:{client}:{now // window}"
    count = window_hit(key, timeout=window + 1)
    return count <= limit, window - (now % window)


def allow(client: Client, *, scope: str, limit: int, address_limit: int) -> tuple[bool, int]:
    """Both limits: the browser's (session, else address) and the address's cap."""
    who = f"session:{client.session}" if client.session else f"addr:{client.address}"
    allowed, retry = allow_key(who, scope=scope, limit=limit)
    if not allowed:
        return False, retry
    return allow_key(f"addr:{client.address}", scope=scope + ":address", limit=address_limit)


# ---------------------------------------------------------------------------- answers from visitors


def visitor_answer_allow(request) -> tuple[bool, int]:
    """(allowed, seconds until the window resets) for one answer from a visitor without an account."""
    client = client_of(request)
    limit = int(getattr(settings, "VISITOR_ANSWER_RATE_LIMIT", 30))
    address_limit = int(getattr(settings, "VISITOR_ANSWER_ADDRESS_RATE_LIMIT", 900))
    if client.session is None:
        return allow_key(f"addr:{client.address}", scope="visitor-answer:address", limit=address_limit)
    return allow(client, scope="visitor-answer", limit=limit, address_limit=address_limit)
