"""Phase 2, parse: source bytes -> front matter (with key lines) and body; path files -> data.

* ``index.md``: YAML front matter plus the Markdown body (the renderer gets the body and the
  line it starts on, so its diagnostics count from the top of the file).
* ``metadata.md``: front matter only; any body is ignored, as on Dwengo. The content comes from a
  file in the folder chosen by the renderer from the content type.
* ``metadata.yaml``: pure YAML (an optional ``---`` fence is allowed).
* Learning paths: ``*.json`` with ``json`` (lines found lazily by :mod:`.jsonlines`, only when a
  diagnostic needs one), ``*.yaml``/``*.yml`` with the same YAML loader as front matter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .codes import Code
from .diagnostics import Reporter
from .frontmatter import YamlDoc, load_yaml, split_front_matter
from .jsonlines import json_lines
from .values import describe


@dataclass
class ParsedObject:
    doc: YamlDoc  # front matter: data is a dict
    body: str | None  # Markdown body of index.md; None for metadata.md / metadata.yaml
    body_line: int
    missing_line: int  # where "missing field" problems are reported (the opening '---')


class JsonDoc(YamlDoc):
    """A parsed JSON document whose key lines are computed on first use."""

    def __init__(self, data: Any, text: str) -> None:  # no dataclass __init__ on purpose
        self.data = data
        self._text = text
        self._lines: dict | None = None

    @property
    def lines(self) -> dict:  # type: ignore[override]
        if self._lines is None:
            self._lines = json_lines(self._text)
        return self._lines


def parse_object(text: str, kind: str, display: str, reporter: Reporter) -> ParsedObject | None:
    if kind == "metadata.yaml":
        split = split_front_matter(text, display, Reporter())  # a '---' fence is optional here
        if split.yaml_text is None or split.body.strip():
            yaml_text, yaml_line, missing_line = text, 1, 1
        else:
            yaml_text, yaml_line, missing_line = split.yaml_text, split.yaml_line, split.yaml_line - 1
        body, body_line = None, 0
    else:
        split = split_front_matter(text, display, reporter)
        if split.yaml_text is None:
            if split.body_line:  # 0 after "the front matter is not closed", already reported
                reporter.error(
                    display,
                    1,
                    Code.FRONT_MATTER,
                    "the file has no front matter",
                    col=1,
                    hint="start the file with '---', the metadata fields, and a line '---'",
                )
            return None
        yaml_text, yaml_line, missing_line = split.yaml_text, split.yaml_line, split.yaml_line - 1
        body, body_line = (split.body, split.body_line) if kind == "index.md" else (None, 0)
    doc = load_yaml(yaml_text, yaml_line, display, reporter)
    if doc is None:
        return None
    if doc.data is None:
        reporter.error(
            display,
            missing_line,
            Code.FRONT_MATTER,
            "the front matter is empty",
            hint="add hruid, version, language, title, description, content_type and estimated_time",
        )
        return None
    if not isinstance(doc.data, dict):
        line, col = doc.pos()
        reporter.error(
            display,
            line,
            Code.FRONT_MATTER,
            f"the front matter must be a mapping of fields, got {describe(doc.data)}",
            col=col,
            hint="write one 'field: value' per line",
        )
        return None
    return ParsedObject(doc, body, body_line, missing_line)


def parse_path(text: str, suffix: str, display: str, reporter: Reporter) -> YamlDoc | None:
    if suffix == ".json":
        try:
            doc: YamlDoc = JsonDoc(json.loads(text), text)
        except json.JSONDecodeError as exc:
            reporter.error(display, exc.lineno, Code.PATH_SYNTAX, f"invalid JSON: {exc.msg}", col=exc.colno)
            return None
        except ValueError as exc:  # an integer past Python's 4300-digit limit for int(str)
            reporter.error(display, 1, Code.PATH_SYNTAX, f"invalid JSON: {exc}")
            return None
        except RecursionError:
            reporter.error(display, 1, Code.PATH_SYNTAX, "invalid JSON: nested too deeply")
            return None
    else:
        loaded = load_yaml(text, 1, display, reporter, code=Code.PATH_SYNTAX)
        if loaded is None:
            return None
        doc = loaded
    if not isinstance(doc.data, dict):
        reporter.error(
            display,
            1,
            Code.PATH_SYNTAX,
            f"a learning path must be a mapping of fields, got {describe(doc.data)}",
            hint="see learning_paths/*.json in Dwengo's learning_content for the format",
        )
        return None
    return doc
