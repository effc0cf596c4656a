"""Splitting front matter from the body, and YAML with a line number for every key.

The split is line based: the front matter opens with a line ``---`` (after optional blank lines,
as Dwengo trims the input) and closes at the next line that is only dashes (three or more:
``-----`` closes it too, as Dwengo's regex does) or ``...``. Unlike
Dwengo's regex ``(?<=^---).+?(?=---)``, a ``---`` *inside* a value (``title: a --- b``) does not end
it. A closing ``---`` glued to the end of a line (``teacher_exclusive: true---``), which Dwengo
accepts, is accepted with a warning.

YAML is composed first (``yaml.CSafeLoader`` when libyaml is present) so each key keeps its line;
the value is then constructed from the same node tree. YAML errors are reported, never swallowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .codes import Code
from .diagnostics import Reporter

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:-{3,}|\.\.\.)[ \t]*$")
_LINE_DEPTH = 4  # lines are recorded for keys down to this depth (nodes.3.transitions.0)
_LINE_BUDGET = 20_000  # nodes visited at most (aliases can make a small file a huge tree)

LinePath = tuple  # ("skos_concepts", 0) etc.


@dataclass
class Split:
    yaml_text: str | None  # None: the file has no front matter
    yaml_line: int  # 1-based line of the first YAML line
    body: str
    body_line: int  # 1-based line on which ``body`` starts


@dataclass
class YamlDoc:
    data: Any
    lines: dict[LinePath, tuple[int, int]] = field(default_factory=dict)  # (line, col), 1-based

    def line(self, *path: Any) -> int:
        """The line of the deepest known prefix of ``path`` (a missing key reports its parent's line)."""
        return self.pos(*path)[0]

    def pos(self, *path: Any) -> tuple[int, int]:
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return (1, 0)


def split_front_matter(text: str, display: str, reporter: Reporter) -> Split:
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _FENCE.match(lines[start]):
        return Split(None, 0, text, 1)
    for end in range(start + 1, len(lines)):
        if _CLOSE.match(lines[end]):
            return Split("\n".join(lines[start + 1 : end]), start + 2, "\n".join(lines[end + 1 :]), end + 2)
    for end in range(start + 1, len(lines)):  # Dwengo's rule: the next "---" anywhere
        cut = lines[end].find("---")
        if cut >= 0:
            reporter.warning(
                display,
                end + 1,
                Code.FRONT_MATTER,
                "the closing '---' of the front matter is not on a line of its own",
                col=cut + 1,
                hint="put '---' on its own line",
            )
            yaml_lines = lines[start + 1 : end] + [lines[end][:cut]]
            body = "\n".join([lines[end][cut + 3 :]] + lines[end + 1 :])
            return Split("\n".join(yaml_lines), start + 2, body, end + 1)
    reporter.error(
        display,
        start + 1,
        Code.FRONT_MATTER,
        "the front matter is not closed",
        col=1,
        hint="end the front matter with a line '---'",
    )
    return Split(None, 0, "", 0)


def load_yaml(
    text: str, first_line: int, display: str, reporter: Reporter, *, code: Code = Code.FRONT_MATTER
) -> YamlDoc | None:
    """Parse one YAML document; on error report it at its line and return None."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (first_line + mark.line, mark.column + 1) if mark else (first_line, 0)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        reporter.error(display, line, code, f"invalid YAML: {what}", col=col, hint=_yaml_hint(what))
        return None
    except RecursionError:
        reporter.error(display, first_line, code, "invalid YAML: nested too deeply")
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. ValueError from a timestamp such as 2020-13-45
        reporter.error(display, first_line, code, f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    doc = YamlDoc(data)
    if node is not None:
        doc.lines[()] = (first_line + node.start_mark.line, node.start_mark.column + 1)
        _record(node, (), first_line, doc.lines, display, reporter, code, [_LINE_BUDGET])
    return doc


def _yaml_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "a value containing ': ' must be quoted"
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    if "found undefined alias" in what or "found unhashable key" in what:
        return "quote the value"
    return ""


def _record(
    node, path: tuple, first_line: int, lines: dict, display: str, reporter: Reporter, code: Code, budget: list[int]
) -> None:
    if len(path) >= _LINE_DEPTH or budget[0] <= 0:
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            budget[0] -= 1
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = first_line + key.start_mark.line
            if key.value in seen and path == ():
                reporter.warning(
                    display,
                    line,
                    code,
                    f"key '{key.value}' is given twice; the last one is used",
                    col=key.start_mark.column + 1,
                    hint=f"the first is on line {seen[key.value]}",
                )
            seen[key.value] = line
            here = path + (key.value,)
            lines[here] = (line, key.start_mark.column + 1)
            _record(value, here, first_line, lines, display, reporter, code, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            budget[0] -= 1
            here = path + (index,)
            lines[here] = (first_line + item.start_mark.line, item.start_mark.column + 1)
            _record(item, here, first_line, lines, display, reporter, code, budget)
