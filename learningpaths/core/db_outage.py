"""Two guards between the web and the database.

``DatabaseOutageMiddleware``: when the database cannot be reached (server stopped, network split,
too many connections, a failover in progress), answer ``503 Service Unavailable`` with
``Retry-After`` and a standalone page (``templates/503.html``: no database, no context processors,
no static files) instead of a 500; JSON for ``/api/`` and for requests that send or ask for JSON.
The site recovers by itself: every request opens (or reuses) a connection, so the first request
after the database is back is served normally.

It sits before SessionMiddleware, so it also sees failures while the session or the signed-in user
is loaded and while the session is saved. Django converts an exception raised inside an inner layer
into a 500 response before it reaches an outer middleware; ``process_exception`` catches the view's
exceptions directly, and the ``got_request_exception`` signal marks the request for the others
(session save, authentication), whose 500 is then replaced by the 503.

``NulCharacterMiddleware``: PostgreSQL text and jsonb cannot hold the NUL character, so a URL such
as ``/paths/%00/en/`` or ``/search/?q=%00`` raised ``DataError`` (a 500) there while SQLite just
found nothing. No real name, query or answer on this site contains NUL: refuse it up front, with a
404 when it is in the path (no page has such a name) and a 400 when it is in the query string or
in a JSON body (raw or as the ``\\u0000`` escape). Form fields need nothing: Django's form fields
already reject NUL.
"""

from __future__ import annotations

import logging
import re
import sys

from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from .errors import json_error, wants_json

logger = logging.getLogger("learningpaths.db_outage")

RETRY_AFTER_SECONDS = 30
MESSAGE = "The site's database is unavailable for a moment. Please try again in a minute."
_OUTAGE_ERRORS = (OperationalError, InterfaceError)
_FLAG = "_lp_database_outage"


def _is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, _OUTAGE_ERRORS)


def outage_response(request) -> HttpResponse:
    if wants_json(request):
        response = json_error(503, MESSAGE)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_request(sender, request=None, **kwargs):
    """got_request_exception receiver: Django calls it inside the ``except`` block, so the current
    exception is the one that produced the 500."""
    exc = sys.exc_info()[1]
    if request is not None and _is_outage(exc):
        setattr(request, _FLAG, exc)


got_request_exception.connect(_mark_request, dispatch_uid="learningpaths.db_outage")


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except _OUTAGE_ERRORS as exc:  # only when an inner layer lets it escape (tests, custom stacks)
            return self._outage(request, exc)
        exc = getattr(request, _FLAG, None)
        if exc is not None and response.status_code == 500:
            return self._outage(request, exc)
        return response

    def process_exception(self, request, exception):
        if _is_outage(exception):
            return self._outage(request, exception)
        return None

    @staticmethod
    def _outage(request, exc) -> HttpResponse:
        logger.error("database unavailable while serving %s %s: %s", request.method, request.path, exc)
        return outage_response(request)


_JSON_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _body_has_nul(request) -> bool:
    if "json" not in request.headers.get("Content-Type", ""):
        return False
    try:
        body = request.body
    except Exception:  # noqa: BLE001 -- RequestDataTooBig and the like: the view answers those itself
        return False
    return b"\x00" in body or bool(_JSON_NUL_ESCAPE.search(body))


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return self._refuse(request, 404, "not_found", "Not found.")
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return self._refuse(request, 400, "bad_request", "The address contains a NUL character.")
        if request.method in ("POST", "PUT", "PATCH") and _body_has_nul(request):
            return self._refuse(request, 400, "bad_request", "The request contains a NUL character.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, code: str, detail: str) -> HttpResponse:
        if wants_json(request):  # the API and the answer and returned-value endpoints
            return json_error(status, detail, code=code)
        # The site's own 404 and 400 pages.
        raise Http404(detail) if status == 404 else BadRequest(detail)
