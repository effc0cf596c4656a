"""A WSGI fast path for the demo predict endpoint.

Inference requests are many and small; Django's full stack (sessions, auth, CSRF, templates)
costs more than the model itself. This wrapper answers ``POST /api/demos/<name>/predict``
directly with the same ``handle_predict`` as the Django view (same validation, rate limit and
answers) and passes every other request to Django untouched.
"""
from __future__ import annotations

import json
import re
from http import HTTPStatus
from http.cookies import SimpleCookie

_ROUTE = re.compile(r"^/api/demos/([A-Za-z0-9_-]{1,64})/predict$")
_SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "same-origin"),
]


class DemoFastPath:
    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        match = _ROUTE.match(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "POST":
            return self.django_app(environ, start_response)
        from django.conf import settings

        from .ratelimit import client_from
        from .views import MAX_BODY, handle_predict

        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            status, body, headers = 400, {"error": f"the request is too large (at most {MAX_BODY // 1024} KiB)"}, {}
        else:
            data = environ["wsgi.input"].read(length) if length else b""
            cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
            session = cookies.get(settings.SESSION_COOKIE_NAME)
            client = client_from(session.value if session else None, environ)
            status, body, headers = handle_predict(match.group(1), data, client)
        payload = json.dumps(body, separators=(",", ":")).encode()
        reason = HTTPStatus(status).phrase
        start_response(f"{status} {reason}", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
            *_SECURITY_HEADERS, *headers.items(),
        ])
        return [payload]
