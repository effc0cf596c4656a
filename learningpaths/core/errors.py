"""The one JSON error shape of the site and the API: ``{"error": code, "detail": message, ...extra}``.

``error`` is a stable machine-readable code (``CODES``, by HTTP status unless a view names a finer
one, such as the API's ``invalid_token``); ``detail`` is the message for a person, translated where
the site's UI is; extra keys add facts a client can act on (``retry_after`` with a 429). This is the
shape the Dwengo-compatible API has always answered (Dwengo itself answers errors as 200 plain
text, see /api/ docs), so API clients see no change; the site's own JavaScript reads ``detail``.
The OpenAPI document describes it once (``api/openapi.py``, schema ``Error``).
"""

from __future__ import annotations

import functools

from django.http import JsonResponse
from django.urls import Resolver404, resolve

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    500: "server_error",
    503: "service_unavailable",
}
# Finer codes some routes use instead of the status's own.
SPECIAL_CODES = {
    "invalid_token": "401 from the API: the `Authorization: Token` key is unknown, revoked or inactive.",
    "no_tries_left": "403 from the answer route: the student used every try the question allows (`attempts:`).",
}


def error_body(status: int, detail: str, *, code: str | None = None, **extra) -> dict:
    """The JSON body of an error answer (for the fast paths, which build their own responses)."""
    return {"error": code or CODES.get(status, f"http_{status}"), "detail": str(detail), **extra}


def json_error(status: int, detail: str, *, code: str | None = None, **extra) -> JsonResponse:
    """An error answer in the one shape; ``detail`` may be a lazy translation."""
    return JsonResponse(
        error_body(status, detail, code=code, **extra), status=status, json_dumps_params={"ensure_ascii": False}
    )


def json_methods(*methods: str):
    """``require_http_methods`` for a JSON route: another method gets a 405 in the error shape
    (with ``Allow``) instead of Django's empty 405. A GET route answers HEAD too (``require_safe``)."""
    if "GET" in methods and "HEAD" not in methods:
        methods = (*methods, "HEAD")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = json_error(405, f"Use {' or '.join(methods)} here.")
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return json_route(wrapper)

    return decorate


def json_route(view):
    """Mark a view as answering JSON, so that the errors raised around it (CSRF, Django's 400, 404,
    500 and the outage 503) are answered in the JSON shape too (``wants_json``)."""
    view.json_route = True
    return view


def wants_json(request) -> bool:
    """Answer this request's error as JSON: it is under ``/api/``, its route is a ``json_route``, or
    it sends JSON or asks for JSON rather than HTML. Never reads the body or the Host."""
    path = request.path_info
    if request.path.startswith("/api/"):
        return True
    try:
        if getattr(resolve(path, getattr(request, "urlconf", None)).func, "json_route", False):
            return True
    except Resolver404:
        pass
    accept = request.headers.get("Accept", "")
    content_type = request.headers.get("Content-Type", "")
    return "json" in content_type or ("json" in accept and "html" not in accept)
