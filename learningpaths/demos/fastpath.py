"""Fast paths for the demo predict endpoint, one for WSGI and one for ASGI.

Inference requests are many and small; Django's full stack (sessions, auth, CSRF, templates)
costs more than the model itself. These wrappers answer ``POST /api/demos/<name>/predict``
directly with the same checks and answers as the Django view (``views.check_request`` and
``views.answer``: validation, rate limit, JSON) and pass every other request to Django untouched.

``DemoFastPath`` wraps the WSGI app that gunicorn serves (``learningpaths.wsgi``). ``DemoASGI``
wraps the ASGI app for a dedicated inference server (``uvicorn learningpaths.asgi:application``,
see docs/deploy.md): one event loop per process holds hundreds of waiting requests without a
thread each, so they batch naturally and the tail latency stays low (bench/serving.py).
"""
from __future__ import annotations

import json
import re
from http import HTTPStatus
from http.cookies import SimpleCookie

_ROUTE = re.compile(r"^/api/demos/([A-Za-z0-9_-]{1,64})/predict$")
_SECURITY_HEADERS = [  # what Django's middleware would add to a JSON answer
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
        payload, response_headers = _json(status, body, headers)
        start_response(f"{status} {HTTPStatus(status).phrase}", response_headers)
        return [payload]


def _json(status: int, body: dict, headers: dict) -> tuple[bytes, list[tuple[str, str]]]:
    payload = json.dumps(body, separators=(",", ":")).encode()
    return payload, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                     *_SECURITY_HEADERS, *headers.items()]


class DemoASGI:
    """ASGI counterpart of ``DemoFastPath``; also answers the lifespan protocol (Django's ASGI
    handler does not) and loads the demo models at startup, off the event loop."""

    def __init__(self, django_app, *, warm_up: bool = True):
        self.django_app = django_app
        self.warm_up = warm_up

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        match = _ROUTE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "POST":
            return await self.django_app(scope, receive, send)
        return await self._predict(match.group(1), scope, receive, send)

    async def _lifespan(self, receive, send):
        import asyncio

        from .inference import warm_up

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.warm_up:
                    await asyncio.to_thread(warm_up)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _predict(self, name, scope, receive, send):
        from django.conf import settings

        from .ratelimit import client_from
        from .views import MAX_BODY, handle_predict_async

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        try:
            body = await _read_body(receive, MAX_BODY, headers.get("content-length"))
        except _Disconnected:  # the student left; nobody to answer
            return
        if body is None:
            status, answer, extra = 400, {"error": f"the request is too large (at most {MAX_BODY // 1024} KiB)"}, {}
        else:
            cookies = SimpleCookie(headers.get("cookie", ""))
            session = cookies.get(settings.SESSION_COOKIE_NAME)
            meta = {"REMOTE_ADDR": (scope.get("client") or ("",))[0], "HTTP_X_REAL_IP": headers.get("x-real-ip", "")}
            status, answer, extra = await handle_predict_async(name, body, client_from(session.value if session else None, meta))
        payload, response_headers = _json(status, answer, extra)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response_headers]})
        await send({"type": "http.response.body", "body": payload})


class _Disconnected(Exception):
    pass


async def _read_body(receive, limit: int, declared: str | None) -> bytes | None:
    """The request body, or None when it is (or is declared) larger than ``limit``."""
    try:
        if declared is not None and not 0 <= int(declared) <= limit:
            return None
    except ValueError:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
