"""JSON values people send and the site stores (answers, returned values): whether one can be
stored, and bounded ways to show or export one that never fail, whatever is in the database.

Writers call :func:`value_problem` and refuse what it names (``learning.services.submission_create``,
``classroom.services.return_value_create``). Readers never trust that: rows written before these
checks, by the admin or straight into the database still reach them, so every reader goes through
:func:`text_safe`, :func:`value_preview` or :func:`value_export`. All three walk a value with an
explicit stack: a value nested hundreds of levels deep made ``str()`` (the ``truncatechars`` filter)
and the indenting JSON encoder hit Python's recursion limit, a 500 on the teacher's dashboard.

What the databases cannot hold, which is why the writers refuse it: PostgreSQL's ``jsonb`` refuses a
lone UTF-16 surrogate (``\\ud800``) and ``\\u0000``; SQLite stores them, and then producing UTF-8 for
the page fails. Neither stores ``NaN`` or ``Infinity`` (not JSON). An integer past 4300 digits
cannot even be turned into text (``sys.get_int_max_str_digits``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _

from learningpaths.compiler import limits

MAX_DEPTH = limits.VALUE_DEPTH_MAX  # nesting of lists and mappings; answers and returned values use fewer than 5
MAX_NODES = limits.VALUE_ITEMS_MAX  # values in one answer, keys not counted
MAX_TEXT = 100_000  # characters in one string of a value (text answers stop at 5000 before this)
MAX_INT = 2**53  # whole numbers a browser reads back exactly (JavaScript's Number.MAX_SAFE_INTEGER + 1)
EXPORT_DEPTH = 64  # deeper parts of a stored value are exported as their preview text

REPLACEMENT = "\ufffd"
_INT_TEXT_BITS = 14_000  # ~4200 digits: str() of a larger int raises (sys.get_int_max_str_digits is 4300)


class StoredJSONDecoder(json.JSONDecoder):
    """The decoder of JSON fields that hold what people sent (``Submission.answer``). A stored value
    that Python cannot read back (nested deeper than the recursion limit allows at that point of the
    stack, about 850 levels in a request, or an integer past 4300 digits) becomes a
    ``JSONDecodeError``, and Django's ``JSONField.from_db_value`` then gives the stored text itself:
    the readers show or export that text (bounded), instead of failing."""

    def decode(self, s, *args, **kwargs):
        try:
            return super().decode(s, *args, **kwargs)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as exc:
            raise json.JSONDecodeError(f"stored value cannot be read back ({exc})", s, 0) from None


def _text_problem(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return _("a text longer than %(n)d characters") % {"n": MAX_TEXT}
    if limits.UNSTORABLE_CHAR.search(text):
        return _("a NUL character or a lone UTF-16 surrogate")
    return None


def value_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored, as a translated phrase ("a number that is not finite"), or None.

    Bounds depth and size first, without recursion, so a hostile value costs at most ``MAX_NODES`` steps."""
    nodes, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        nodes += 1
        if level > MAX_DEPTH:
            return _("nesting deeper than %(n)d levels") % {"n": MAX_DEPTH}
        if nodes > MAX_NODES:
            return _("more than %(n)d items") % {"n": MAX_NODES}
        if isinstance(item, str):
            problem = _text_problem(item)
        elif isinstance(item, bool) or item is None:
            problem = None
        elif isinstance(item, int):
            problem = None if -MAX_INT <= item <= MAX_INT else _("a whole number larger than 2^53")
        elif isinstance(item, float):
            problem = None if math.isfinite(item) else _("a number that is not finite")
        elif isinstance(item, dict):
            problem = next((p for k in item if (p := _key_problem(k))), None)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, (list, tuple)):
            problem = None
            stack.extend((v, level + 1) for v in item)
        else:
            problem = _("a value that is not JSON")
        if problem:
            return problem
    return None


def _key_problem(key: Any) -> str | None:
    return _text_problem(key) if isinstance(key, str) else _("a value that is not JSON")


def text_safe(text: Any, limit: int | None = None) -> str:
    """``text`` as a page, CSV or export can carry it: NUL and lone surrogates replaced by U+FFFD,
    and at most ``limit`` characters (the last one "…" when cut)."""
    text = "" if text is None else text if isinstance(text, str) else str(text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return limits.UNSTORABLE_CHAR.sub(REPLACEMENT, text)


def _number_text(item: int | float) -> str:
    if isinstance(item, float) and not math.isfinite(item):
        return "NaN" if item != item else ("Infinity" if item > 0 else "-Infinity")
    if isinstance(item, int) and item.bit_length() >= _INT_TEXT_BITS:
        return ("-" if item < 0 else "") + "1e" + str(int(math.log10(abs(item))))
    return str(int(item)) if isinstance(item, float) and item.is_integer() and abs(item) < 1e16 else repr(item)


def _scalar_text(item: Any, limit: int) -> str:
    if isinstance(item, str):
        return json.dumps(text_safe(item, limit), ensure_ascii=False)
    if item is None or isinstance(item, bool):
        return json.dumps(item)
    if isinstance(item, (int, float)):
        return _number_text(item)
    return json.dumps(text_safe(repr(item), limit), ensure_ascii=False)


def _container_pieces(item: dict | list | tuple):
    """The pieces of one container after its opening bracket: separators, key texts, ("value", v)
    for each member (expanded by the caller), then the closing bracket."""
    if isinstance(item, dict):
        for i, (k, v) in enumerate(item.items()):
            yield ", " if i else ""
            yield _scalar_text(k if isinstance(k, str) else str(k), 200) + ": "
            yield ("value", v)
        yield "}"
    else:
        for i, v in enumerate(item):
            if i:
                yield ", "
            yield ("value", v)
        yield "]"


def value_preview(value: Any, limit: int = 200) -> str:
    """At most ``limit`` characters of ``value`` for a person to read: a string as itself, anything
    else as compact JSON ("…" where it was cut). Costs O(limit), however large or deep the value:
    containers are expanded lazily, from a stack of iterators."""
    if isinstance(value, str):
        return text_safe(value, limit)
    out: list[str] = []
    size = 0
    stack: list[Any] = [iter([("value", value)])]
    while stack and size <= limit:
        piece = next(stack[-1], None)
        if piece is None:
            stack.pop()
            continue
        if isinstance(piece, tuple):
            item = piece[1]
            if isinstance(item, (dict, list, tuple)):
                piece = "{" if isinstance(item, dict) else "["
                stack.append(_container_pieces(item))
            else:
                piece = _scalar_text(item, limit)
        out.append(piece)
        size += len(piece)
    result = "".join(out)
    return result if size <= limit else result[: max(limit - 1, 0)] + "…"


def value_export(value: Any) -> Any:
    """``value`` as JSON-ready data that always encodes: strings made safe (not cut: it is the
    person's own data), numbers JSON cannot hold as text, parts deeper than ``EXPORT_DEPTH`` as
    their preview. Built with a stack, so encoding it afterwards recurses at most ``EXPORT_DEPTH``."""

    def leaf(item: Any, level: int) -> tuple[Any, bool]:
        """(the exported item or a placeholder container, whether it must be filled)."""
        if isinstance(item, str):
            return text_safe(item), False
        if item is None or isinstance(item, bool):
            return item, False
        if isinstance(item, int):
            return (item if item.bit_length() < _INT_TEXT_BITS else _number_text(item)), False
        if isinstance(item, float):
            return (item if math.isfinite(item) else _number_text(item)), False
        if isinstance(item, (dict, list, tuple)):
            if level > EXPORT_DEPTH:
                return value_preview(item, 200), False
            return ({} if isinstance(item, dict) else []), True
        return text_safe(repr(item), 200), False

    root, fill = leaf(value, 1)
    stack = [(value, root, 1)] if fill else []
    while stack:
        source, target, level = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for k, v in items:
            out, fill = leaf(v, level + 1)
            if isinstance(target, dict):
                target[text_safe(k)] = out
            else:
                target.append(out)
            if fill:
                stack.append((v, out, level + 1))
    return root
