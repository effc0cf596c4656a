"""Whole pages memoised for anonymous visitors: the catalogue here, the path player in ``learning``.

It lives in ``paths`` (the lower app) so that both views can use it without an upward import.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from .selectors_cache import pages_memo

# Stands in for the CSRF token in a memoised page; every response gets the visitor's own token.
_CSRF_PLACEHOLDER = f"lp-csrf-{secrets.token_hex(16)}"


def anonymous_page(request, key: tuple, render_page) -> HttpResponse:
    """``render_page(extra_context)``, memoised as a whole page for anonymous visitors.

    The catalogue and the path player are the same for every anonymous visitor of a URL in one UI
    language, until the next content build (the memo's key carries the build token, see
    ``selectors_cache``). Only the CSRF token differs: the page is rendered once with a placeholder
    that each response replaces by the visitor's own token, so the cookie and the form still match.
    Signed-in users (progress, their name, teacher material) and requests with a query string or
    pending messages always get a fresh rendering; so does development (DEBUG: templates change).
    """
    if (
        settings.DEBUG
        or request.META.get("QUERY_STRING")
        or request.user.is_authenticated
        or len(get_messages(request))
    ):
        return render_page({})
    body = pages_memo.get_or_compute(
        ("anonymous", *key, get_language(), request.path),
        lambda: render_page({"csrf_token": _CSRF_PLACEHOLDER}).content.decode(),
    )
    if _CSRF_PLACEHOLDER in body:
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(body)
