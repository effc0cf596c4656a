"""Whole pages memoised: for anonymous visitors the catalogue here and the path player in
``learning``; for signed-in students the path player, with their own parts filled in per response.

It lives in ``paths`` (the lower app) so that both views can use it without an upward import.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from .querysets import can_see_teacher_content
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


# A slot in a memoised student page: ``<prefix><name>;``, replaced per response by that student's value.
_SLOT_PREFIX = f"lp-slot-{secrets.token_hex(16)}-"
_SLOT_RE = re.compile(re.escape(_SLOT_PREFIX) + r"(\w+);")


def _slot(name: str) -> str:
    return f"{_SLOT_PREFIX}{name};"


class _SignedInStandIn:
    """What the memoised rendering sees as ``user``: a signed-in student whose name is a slot.
    Base templates read only these three attributes of ``user``."""

    is_authenticated = True
    is_teacher = False

    def __init__(self, username: str):
        self.username = username


def student_page(
    request, key: tuple, render_page: Callable[[dict, dict], HttpResponse], values: dict[str, str]
) -> HttpResponse:
    """``render_page(values, extra_context)``, memoised for signed-in students who are not teachers.

    A signed-in student's path player differs from another's on the same step (and the same way
    on) only in a few small parts: their name, the CSRF token, the progress bar and which steps are
    done. ``key`` must name everything else the page depends on. The page is rendered once with a
    slot for each of ``values`` (names made of word characters; the view builds its context from
    what it is given) and for the name and token, and each response fills the slots with this
    student's values, escaped as the template would have escaped them. Rendering the template was
    most of a signed-in page's CPU time (the list of steps alone is 25 ``{% url %}`` tags).

    Teachers (teacher material, "view as student"), requests with a query string or pending
    messages, and development (DEBUG) always get a fresh rendering, with ``values`` as they are.
    The memo's key carries the build token, so a rebuild is seen at once (``selectors_cache``).
    """
    if (
        settings.DEBUG
        or request.META.get("QUERY_STRING")
        or not request.user.is_authenticated
        or can_see_teacher_content(request.user)
        or len(get_messages(request))
    ):
        return render_page(values, {})
    body = pages_memo.get_or_compute(
        ("student", *key, get_language(), request.path),
        lambda: render_page(
            {name: _slot(name) for name in values},
            {"csrf_token": _slot("csrf"), "user": _SignedInStandIn(_slot("username"))},
        ).content.decode(),
    )
    fill = {name: str(conditional_escape(value)) for name, value in values.items()}
    fill["username"] = str(conditional_escape(request.user.get_username()))
    fill["csrf"] = get_token(request)
    return HttpResponse(_SLOT_RE.sub(lambda m: fill.get(m.group(1), m.group(0)), body))
