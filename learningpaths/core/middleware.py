"""Security headers for every response: a Content-Security-Policy without inline scripts."""
from __future__ import annotations

from django.conf import settings


def build_csp() -> str:
    frames = " ".join(f"https://{host}" for host in settings.IFRAME_ALLOWLIST)
    directives = {
        "default-src": "'self'",
        # No 'unsafe-inline' scripts: every script is a file the site serves. Pyodide compiles
        # WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval').
        "script-src": "'self' 'wasm-unsafe-eval'",
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
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        return response
