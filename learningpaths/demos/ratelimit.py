"""A per-user (or per-address) fixed-window rate limit kept in Django's cache."""
from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_key_from(session_id: str | None, address: str | None) -> str:
    """Who is asking, without a database query: the session (one per signed-in or anonymous
    browser) when there is one, else the address."""
    if session_id:
        return "session:" + hashlib.sha256(session_id.encode()).hexdigest()[:32]
    return f"addr:{address or '?'}"


def client_key(request) -> str:
    from django.conf import settings

    return client_key_from(request.COOKIES.get(settings.SESSION_COOKIE_NAME), request.META.get("REMOTE_ADDR"))


def allow_key(client: str, *, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """(allowed, seconds until the window resets). ``limit`` requests per ``window`` seconds."""
    now = int(time.time())
    bucket = now // window
    key = f"rl:{scope}:{client}:{bucket}"
    added = cache.add(key, 1, timeout=window + 1)
    count = 1 if added else cache.incr(key)
    return count <= limit, window - (now % window)
