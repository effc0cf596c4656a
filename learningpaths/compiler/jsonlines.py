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

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: fast on long strings
_SCALAR = re.compile(r"-?(?:Infinity|NaN|[0-9.eE+-]+)|true|false|null|NaN")


def json_lines(text: str, *, depth: int = 6) -> dict[tuple, tuple[int, int]]:
    newlines = [m.start() for m in re.finditer("\n", text)]

    def at(pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(newlines, pos - 1)  # newlines before pos
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, pos - start + 1

    lines: dict[tuple, tuple[int, int]] = {}
    stack: list[list] = []  # [kind, path, index]
    pos = _WS.match(text, 0).end()
    path: tuple = ()
    while True:
        # a value starts at pos
        if len(path) <= depth:
            lines.setdefault(path, at(pos))
        c = text[pos] if pos < len(text) else ""
        if c in "{[":
            stack.append(["{" if c == "{" else "[", path, 0])
            pos = _WS.match(text, pos + 1).end()
            if text[pos] in "}]":
                stack.pop()
                pos += 1
            else:
                if c == "{":
                    pos, path = _key(text, pos, path, lines, at, depth)
                else:
                    path = path + (0,)
                continue
        elif c == '"':
            pos = _STRING.match(text, pos).end()
        else:
            m = _SCALAR.match(text, pos)
            if not m:
                return lines  # not JSON after all; keep what we have
            pos = m.end()
        # after a value: close containers or move to the next member
        while True:
            pos = _WS.match(text, pos).end()
            if not stack or pos >= len(text):
                return lines
            frame = stack[-1]
            c = text[pos]
            if c == ",":
                pos = _WS.match(text, pos + 1).end()
                if frame[0] == "{":
                    pos, path = _key(text, pos, frame[1], lines, at, depth)
                else:
                    frame[2] += 1
                    path = frame[1] + (frame[2],)
                break
            if c in "}]":
                stack.pop()
                pos += 1
                continue
            return lines


def _key(text: str, pos: int, parent: tuple, lines: dict, at, depth: int) -> tuple[int, tuple]:
    m = _STRING.match(text, pos)
    raw = m.group()
    key = raw[1:-1] if "\\" not in raw else json.loads(raw)
    path = parent + (key,)
    if len(path) <= depth:
        lines.setdefault(path, at(pos))
    pos = _WS.match(text, m.end()).end() + 1  # past ':'
    return _WS.match(text, pos).end(), path
