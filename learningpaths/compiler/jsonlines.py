"""Line numbers for the keys and array items of a JSON document.

``json.loads`` gives values but no positions, and Dwengo paths are JSON. This small scanner walks
text that ``json.loads`` already accepted and maps each path such as ``("nodes", 3)`` or
``("nodes", 3, "transitions", 0, "next")`` to the (line, col) where that item or key starts, so a
diagnostic about node 3 points at node 3. Strings are skipped with one regex match each, so a
megabyte of base64 ``image`` costs one C-level scan. The scanner is iterative (no recursion
limit) and records positions down to ``depth`` levels.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: fast on long strings
_SCALAR = re.compile(r"-?(?:Infinity|NaN|[0-9.eE+-]+)|true|false|null|NaN")


def _skip_ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    assert m is not None  # a pattern that is all `*` matches the empty string at any position
    return m.end()


def json_lines(text: str, *, depth: int = 6) -> dict[tuple, tuple[int, int]]:
    newlines = [m.start() for m in re.finditer("\n", text)]

    def at(pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(newlines, pos - 1)  # newlines before pos
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, pos - start + 1

    lines: dict[tuple, tuple[int, int]] = {}
    stack: list[list] = []  # [kind, path, index]
    pos = _skip_ws(text, 0)
    path: tuple = ()
    while True:
        # a value starts at pos
        if len(path) <= depth:
            lines.setdefault(path, at(pos))
        c = text[pos] if pos < len(text) else ""
        if c in "{[":
            stack.append(["{" if c == "{" else "[", path, 0])
            pos = _skip_ws(text, pos + 1)
            if text[pos] in "}]":
                stack.pop()
                pos += 1
            else:
                if c == "{":
                    key = _key(text, pos, path, lines, at, depth)
                    if key is None:
                        return lines  # not JSON after all; keep what we have
                    pos, path = key
                else:
                    path = path + (0,)
                continue
        elif c == '"':
            m = _STRING.match(text, pos)
            if not m:
                return lines  # not JSON after all; keep what we have
            pos = m.end()
        else:
            m = _SCALAR.match(text, pos)
            if not m:
                return lines  # not JSON after all; keep what we have
            pos = m.end()
        # after a value: close containers or move to the next member
        while True:
            pos = _skip_ws(text, pos)
            if not stack or pos >= len(text):
                return lines
            frame = stack[-1]
            c = text[pos]
            if c == ",":
                pos = _skip_ws(text, pos + 1)
                if frame[0] == "{":
                    key = _key(text, pos, frame[1], lines, at, depth)
                    if key is None:
                        return lines  # not JSON after all; keep what we have
                    pos, path = key
                else:
                    frame[2] += 1
                    path = frame[1] + (frame[2],)
                break
            if c in "}]":
                stack.pop()
                pos += 1
                continue
            return lines


def _key(
    text: str, pos: int, parent: tuple, lines: dict, at: Callable[[int], tuple[int, int]], depth: int
) -> tuple[int, tuple] | None:
    """Read the key at ``pos``: the position of its value and its path, or None if no key is there."""
    m = _STRING.match(text, pos)
    if not m:
        return None
    raw = m.group()
    key = raw[1:-1] if "\\" not in raw else json.loads(raw)
    path = parent + (key,)
    if len(path) <= depth:
        lines.setdefault(path, at(pos))
    pos = _skip_ws(text, m.end()) + 1  # past ':'
    return _skip_ws(text, pos), path
