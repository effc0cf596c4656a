"""A per-user (or per-address) fixed-window rate limit kept in Django's cache."""
from __future__ import annotations

import time

from django.core.cache import cache


def client_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"addr:{request.META.get('REMOTE_ADDR', '?')}"


def allow(request, *, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """(allowed, seconds until the window resets). ``limit`` requests per ``window`` seconds."""
    now = int(time.time())
    bucket = now // window
    key = f"rl:{scope}:{client_key(request)}:{bucket}"
    added = cache.add(key, 1, timeout=window + 1)
    count = 1 if added else cache.incr(key)
    return count <= limit, window - (now % window)
