"""Security headers for every response: a Content-Security-Policy without inline scripts
(but one, allowed by its hash).

``security_headers`` lists every security header the middleware stack in ``settings.MIDDLEWARE``
adds to an answer (Django's SecurityMiddleware and XFrameOptionsMiddleware, and ours below), from
the same settings, for the demo fast paths (``demos/fastpath.py``) that answer without Django's
stack; tests/site/demos/test_asgi.py checks it against a real answer through the middleware.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from .inline import script_hashes

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
CROSS_ORIGIN_OPENER_POLICY = "same-origin"  # also Django's default SECURE_CROSS_ORIGIN_OPENER_POLICY


def build_csp() -> str:
    frames = " ".join(f"https://{host}" for host in settings.IFRAME_ALLOWLIST)
    directives = {
        "default-src": "'self'",
        # No 'unsafe-inline' scripts: every script is a file the site serves, but for the Python
        # worker's starter in <head>, allowed by its hash (core/inline.py). Pyodide compiles
        # WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval').
        "script-src": " ".join(("'self'", *script_hashes(), "'wasm-unsafe-eval'")),
        "style-src": "'self' 'unsafe-inline'",  # style attributes (progress bars, KaTeX layout)
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "media-src": "'self'",
        "object-src": "'self'",  # PDFs embedded from the object's own assets
        "frame-src": f"'self' {frames}".strip(),
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = build_csp()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Cross-Origin-Opener-Policy", CROSS_ORIGIN_OPENER_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def is_secure(meta: Mapping, scheme: str) -> bool:
    """``request.is_secure()`` for a WSGI environ or a META-like mapping: the trusted proxy's
    header when ``SECURE_PROXY_SSL_HEADER`` is set, else the connection's own scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scheme == "https"


def security_headers(*, secure: bool) -> dict[str, str]:
    """What the middleware adds to an answer that sets none of these itself, as SecurityMiddleware,
    SecurityHeadersMiddleware and XFrameOptionsMiddleware compute it (``secure``: the request came
    over HTTPS, which HSTS needs)."""
    headers = {}
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        headers["Strict-Transport-Security"] = sts
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        headers["Referrer-Policy"] = ",".join(
            [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy
        )
    headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or CROSS_ORIGIN_OPENER_POLICY
    headers["Content-Security-Policy"] = build_csp()
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
    return headers
