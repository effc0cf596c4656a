"""Fast paths for the demo predict endpoint, one for WSGI and one for ASGI.

Inference requests are many and small; Django's full stack (sessions, auth, CSRF, templates)
costs more than the model itself. These wrappers answer ``POST /api/demos/<name>/predict``
directly with the same checks and answers as the Django view (``services.prediction_run``:
size, validation, rate limit, JSON, headers; the security headers that Django's middleware would
add come from ``core.middleware.security_headers``) and pass every other request to Django untouched.

``DemoFastPath`` wraps the WSGI app that gunicorn serves (``learningpaths.wsgi``). ``DemoASGI``
wraps the ASGI app for a dedicated inference server (``uvicorn learningpaths.asgi:application``,
see docs/deploy.md): one event loop per process holds hundreds of waiting requests without a
thread each, so they batch naturally and the tail latency stays low (bench/serving.py).

Imported by ``learningpaths/wsgi.py`` and ``asgi.py`` before Django is set up (before
``get_wsgi_application()``): everything imported here reads settings lazily and touches no model,
so the imports stay at module level (tests/site/demos/test_asgi.py checks that importing this
module leaves the app registry unready).
"""

from __future__ import annotations

import asyncio
import re
from http import HTTPStatus
from http.cookies import SimpleCookie

from django.conf import settings

from learningpaths.core.middleware import is_secure
from learningpaths.core.ratelimit import client_from

from . import services
from .inference import warm_up

_ROUTE = re.compile(r"^/api/demos/([A-Za-z0-9_-]{1,64})/predict$")


def _session_id(cookie_header: str) -> str | None:
    session = SimpleCookie(cookie_header).get(settings.SESSION_COOKIE_NAME)
    return session.value if session else None


class DemoFastPath:
    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        match = _ROUTE.match(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "POST":
            return self.django_app(environ, start_response)
        declared = environ.get("CONTENT_LENGTH")
        if services.declared_too_large(declared):
            answer = services.prediction_too_large()
        else:
            length = int(declared or 0)
            data = environ["wsgi.input"].read(length) if length else b""
            client = client_from(_session_id(environ.get("HTTP_COOKIE", "")), environ)
            answer = services.prediction_run(
                name=match.group(1), body=data, client=client, content_type=environ.get("CONTENT_TYPE")
            )
        payload, headers = services.answer_encode(answer, secure=is_secure(environ, environ.get("wsgi.url_scheme", "")))
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", headers)
        return [payload]


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
        meta = _meta(scope)
        try:
            body = await _read_body(receive, meta.get("CONTENT_LENGTH"))
        except _Disconnected:  # the student left; nobody to answer
            return
        if body is None:
            answer = services.prediction_too_large()
        else:
            client = client_from(_session_id(meta.get("HTTP_COOKIE", "")), meta)
            answer = await services.prediction_run_async(
                name=name, body=body, client=client, content_type=meta.get("CONTENT_TYPE")
            )
        payload, headers = services.answer_encode(answer, secure=is_secure(meta, scope.get("scheme", "http")))
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _meta(scope) -> dict[str, str]:
    """The request's headers as ``request.META`` names them (as Django's ASGIRequest does), so the
    address and the scheme are read by the same code as on the other paths."""
    meta = {"REMOTE_ADDR": (scope.get("client") or ("",))[0]}
    for key, value in scope.get("headers", ()):
        name = key.decode("latin-1").upper().replace("-", "_")
        name = name if name in ("CONTENT_LENGTH", "CONTENT_TYPE") else f"HTTP_{name}"
        meta[name] = f"{meta[name]},{value.decode('latin-1')}" if name in meta else value.decode("latin-1")
    return meta


class _Disconnected(Exception):
    pass


async def _read_body(receive, declared: str | None) -> bytes | None:
    """The request body, or None when it is (or is declared) larger than ``services.MAX_BODY``."""
    if services.declared_too_large(declared):
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > services.MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
