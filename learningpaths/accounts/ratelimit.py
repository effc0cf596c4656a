"""Sign-in throttling: at most ``SIGNIN_MAX_FAILURES`` failed attempts per username and address in
``SIGNIN_WINDOW`` seconds (default 10 in 15 minutes), counted in Django's cache.

Keyed by username *and* address on purpose: a whole school often reaches the site from one
address (NAT), so an address-only limit would lock a class out when a few students mistype; and a
username-only limit would let anyone lock a student out from elsewhere. The window is fixed: it
starts at the first failure and the count is forgotten when it ends; a successful sign-in clears it.

With several app servers or gunicorn workers the cache must be shared (``CACHE_URL``, see
docs/deploy.md); with the per-process default each worker counts on its own.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def max_failures() -> int:
    return int(getattr(settings, "SIGNIN_MAX_FAILURES", 10))


def window() -> int:
    return int(getattr(settings, "SIGNIN_WINDOW", 15 * 60))


def client_address(request) -> str:
    return address_from_meta(request.META)


def address_from_meta(meta) -> str:
    """The client's address from ``request.META`` or a WSGI environ. Behind our own proxy
    (``SECURE_PROXY=1``) every request comes from the proxy, so take ``X-Real-IP``, which
    deploy/nginx.conf sets (overwriting whatever the client sent); otherwise the socket's peer."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        real = meta.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real[:64]
    return meta.get("REMOTE_ADDR", "") or "?"


def signin_key(request, username: str) -> str:
    who = f"{(username or '').strip().lower()[:150]}\n{client_address(request)}"
    return "signin-failures:" + hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()


def is_locked(key: str) -> bool:
    return (cache.get(key) or 0) >= max_failures()


def record_failure(key: str) -> int:
    """Count one failed attempt; returns the count in the current window."""
    if cache.add(key, 1, timeout=window()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window())
        return 1


def clear(key: str) -> None:
    cache.delete(key)
