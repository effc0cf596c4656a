"""The one door for JSON request bodies: every JSON route (answers, returned values, the demo view and
both demo fast paths) and the API's JSON query parameters read them through ``json_value`` or
``json_body``, so no route parses JSON by hand.

What is refused, each with a short message and a status (``BodyRefused``, answered in the site's
error shape by ``BodyRefused.response``):

* a form (``multipart/form-data`` or urlencoded) sent to a JSON route: 415. Checked before the body is
  touched: once CSRF has streamed a multipart body, ``request.body`` raises (a 500 before);
* more than ``max_bytes`` (declared or read): 413;
* bytes that are not UTF-8 (this also refuses UTF-8-encoded surrogates), and NUL anywhere, raw or as
  the ``\\u0000`` escape: 400 (PostgreSQL text and jsonb cannot hold NUL);
* a lone UTF-16 surrogate (``"\\ud800"`` not followed by its pair): 400. ``json.loads`` accepts it and
  the result cannot be encoded as UTF-8, so SQLite readers and PostgreSQL inserts failed later;
* nesting deeper than ``max_depth``: 400, found by counting brackets outside strings *before*
  ``json.loads``, which recurses and would hit RecursionError thousands of levels down;
* ``Infinity``, ``-Infinity``, ``NaN``, a float that overflows (``1e999``), and an integer of more than
  ``max_int_digits`` digits: 400 (long before Python's 4300-digit ``int()`` limit, and far past
  anything a lesson or a model input needs);
* more than ``max_items`` values (keys not counted): 400.

The checks need no database and no request (the fast paths hand over raw bytes); ``json_body`` adds
what a Django request carries (content type, declared length, Django's own size limit).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

from learningpaths.compiler import limits

from .errors import json_error

MAX_DEPTH = limits.VALUE_DEPTH_MAX
MAX_ITEMS = limits.VALUE_ITEMS_MAX
MAX_INT_DIGITS = 20  # a signed 64-bit integer has 19
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

# A JSON string (possessive: no backtracking on a long unterminated one), and the brackets left outside.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# What a decoded string may not hold: NUL, and any surrogate (a pair that arrived escaped is already
# joined into one character by json.loads, so every surrogate left is a lone one).


class BodyRefused(Exception):
    """A request body that no JSON route takes; ``status`` is 400, 413 or 415."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail

    def response(self):
        return json_error(self.status, self.detail)


def is_form(content_type: str | None) -> bool:
    """The body is declared as an HTML form, which a JSON route does not take."""
    return (content_type or "").split(";", 1)[0].strip().lower() in FORM_TYPES


def declared_too_large(content_length: str | None, *, max_bytes: int) -> bool:
    """The declared ``Content-Length`` is unreadable or over ``max_bytes``: refuse before reading."""
    try:
        return content_length not in (None, "") and not 0 <= int(content_length) <= max_bytes
    except ValueError:
        return True


def too_large_message(max_bytes: int) -> str:
    return _("The request is too large (at most %(size)s KiB).") % {"size": max(1, max_bytes // 1024)}


def json_value(
    data: bytes | str,
    *,
    max_bytes: int,
    max_depth: int = MAX_DEPTH,
    max_items: int = MAX_ITEMS,
    max_int_digits: int = MAX_INT_DIGITS,
    content_type: str | None = None,
    invalid: str | None = None,
    too_large: str | None = None,
) -> Any:
    """The JSON value in ``data`` (bytes as sent, or text such as a query parameter, whose size is then
    counted in characters), or ``BodyRefused``. ``invalid`` and ``too_large`` replace the generic
    messages for a body that is no JSON at all and one that is too large, so each route can say what
    it expects; ``content_type``, when given, must not be a form's."""
    if is_form(content_type):
        raise BodyRefused(415, _("Send this as JSON (Content-Type: application/json), not as a form."))
    if len(data) > max_bytes:
        raise BodyRefused(413, too_large or too_large_message(max_bytes))
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyRefused(400, _("The request is not valid UTF-8 text.")) from None
    else:
        text = data
    invalid = invalid or _("The request could not be read (expected JSON).")
    if "\x00" in text:
        raise BodyRefused(400, _("The request contains a NUL character."))
    if not text.strip():
        raise BodyRefused(400, invalid)
    if _too_deep(text, max_depth):
        raise BodyRefused(400, _("The request is nested too deeply (at most %(depth)d levels).") % {"depth": max_depth})
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=lambda digits: _short_int(digits, max_int_digits),
        )
    except (ValueError, RecursionError):  # RecursionError: cannot happen after _too_deep; kept as a guard
        raise BodyRefused(400, invalid) from None
    _check_values(value, max_items)
    return value


def json_body(request, *, max_bytes: int, **limits) -> Any:
    """``json_value`` of a Django request's body: the form check and the declared length come before
    the body is read, and Django's own limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``) answers 413 too."""
    too_large = limits.get("too_large") or too_large_message(max_bytes)
    content_type = request.META.get("CONTENT_TYPE")
    if is_form(content_type):
        return json_value(b"", max_bytes=max_bytes, content_type=content_type, **limits)  # raises the 415
    if declared_too_large(request.META.get("CONTENT_LENGTH"), max_bytes=max_bytes):
        raise BodyRefused(413, too_large)
    try:
        body = request.body
    except RequestDataTooBig:
        raise BodyRefused(413, too_large) from None
    except RawPostDataException:  # the body was streamed as a form already (a mislabelled one)
        raise BodyRefused(415, _("Send this as JSON (Content-Type: application/json), not as a form.")) from None
    return json_value(body, max_bytes=max_bytes, **limits)


# ----------------------------------------------------------------------------------------- internals


def _too_deep(text: str, max_depth: int) -> bool:
    """More than ``max_depth`` open brackets at once, strings left out. Linear in the text."""
    if text.count("[") + text.count("{") <= max_depth:
        return False  # cannot be deeper: the common case costs two counts
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise BodyRefused(400, _("The request contains a number that is not finite (Infinity or NaN)."))


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise BodyRefused(400, _("The request contains a number that is too large."))
    return value


def _short_int(digits: str, max_digits: int) -> int:
    if len(digits.lstrip("-")) > max_digits:
        raise BodyRefused(
            400, _("The request contains a number with too many digits (at most %(digits)d).") % {"digits": max_digits}
        )
    return int(digits)


def _check_values(value: Any, max_items: int) -> None:
    """Count the values and look into every string and key (iteratively: depth is bounded already,
    but no recursion is needed either)."""
    stack, count = [value], 0
    while stack:
        item = stack.pop()
        count += 1
        if count > max_items:
            raise BodyRefused(400, _("The request has too many values (at most %(items)d).") % {"items": max_items})
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _check_text(key)
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _check_text(text: str) -> None:
    bad = limits.UNSTORABLE_CHAR.search(text)
    if bad is None:
        return
    if bad.group() == "\x00":
        raise BodyRefused(400, _("The request contains a NUL character."))
    raise BodyRefused(400, _("The request contains a broken character (a lone UTF-16 surrogate)."))
