"""Django's error views (``handler400``/``403``/``404``/``500`` in ``learningpaths/urls.py``) and the
CSRF failure view (``CSRF_FAILURE_VIEW``): JSON in the site's one error shape for JSON routes
(``errors.wants_json``: the API, the answer, returned-value and demo endpoints, or a client that asks
for JSON), Django's own pages otherwise.

These answer what happens before or around a view: the CSRF check, a bad Host, a body larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a 413 for JSON, Django's 400 page otherwise), too many form fields,
an unexpected exception. A JSON client (the player's script, an API client) then reads ``detail``
instead of an HTML page it cannot show.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from .errors import json_error, wants_json


def bad_request(request, exception=None):
    if not wants_json(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(413, _("The request is too large."))
    return json_error(400, _("The request could not be understood."))


def permission_denied(request, exception=None):
    if not wants_json(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, _("You may not do this."))


def page_not_found(request, exception=None):
    if not wants_json(request):
        return defaults.page_not_found(request, exception)
    return json_error(404, _("Not found."))


def server_error(request):
    if not wants_json(request):
        return defaults.server_error(request)
    return json_error(500, _("Something went wrong on the server. Please try again later."))


def csrf_failure(request, reason: str = ""):
    if not wants_json(request):
        return csrf.csrf_failure(request, reason)
    # "CSRF" stays in the message: it is the term a developer searches for.
    return json_error(403, _("The CSRF check failed: reload the page and try again."))
