"""The authors' reference, generated from the compiler's own declarations so it cannot drift:
the front-matter field table in docs/authoring.md and docs/front-matter.schema.json (a JSON
Schema editors use to complete and check front matter while the author types).

    python -m learningpaths.compiler.reference          # rewrite both
    python -m learningpaths.compiler.reference --check  # exit 1 when either is out of date (a test runs it)

Generated parts of a Markdown file sit between ``<!-- BEGIN generated: NAME -->`` and
``<!-- END generated: NAME -->``; everything else in the file is the authors' prose.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .schema import OBJECT_FIELDS
from .widget_specs import WIDGETS

DOCS = Path(__file__).resolve().parents[2] / "docs"
AUTHORING = DOCS / "authoring.md"
SCHEMA_FILE = DOCS / "front-matter.schema.json"
_BLOCK = re.compile(r"(<!-- BEGIN generated: (?P<name>[\w-]+) -->\n).*?(<!-- END generated: (?P=name) -->)", re.S)


def front_matter_schema() -> dict[str, Any]:
    properties = {}
    for f in OBJECT_FIELDS:
        prop = {**f.schema, "description": _plain(f.doc)}
        if f.default not in (None, "", []):
            prop["default"] = f.default
        properties[f.name] = prop
    properties["license"] = {**properties["licence"], "deprecated": True, "description": "Same as licence."}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "learningpaths learning-object front matter",
        "description": "The YAML between the '---' lines at the top of a learning object's index.md "
        "(Dwengo's format). Generated from learningpaths/compiler/schema.py.",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in OBJECT_FIELDS if f.required],
        "additionalProperties": False,
    }


def _plain(doc: str) -> str:
    return doc.replace("`", "")


def _kind(schema: dict[str, Any]) -> str:
    """A short human description of a JSON Schema fragment, for the table."""
    if "anyOf" in schema:
        return " or ".join(_kind(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " / ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"list of {_kind(schema.get('items', {}))}"
    if kind in ("number", "integer"):
        low, high = schema.get("minimum"), schema.get("maximum")
        word = "whole number" if kind == "integer" else "number"
        if low is not None and high is not None and high < 10_000:
            return f"{word} {low}-{high}"
        return f"{word} ≥ {low}" if low is not None else word
    if kind == "string":
        return f"text (≤ {schema['maxLength']})" if schema.get("maxLength") else "text"
    if kind == "object":
        return "mapping"
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind or "any")


def fields_table() -> str:
    rows = ["| field | type | default | what it does |", "| --- | --- | --- | --- |"]
    for f in OBJECT_FIELDS:
        default = (
            "**required**" if f.required else ("" if f.default in (None, "", []) else f"`{json.dumps(f.default)}`")
        )
        rows.append(f"| `{f.name}` | {_kind(f.schema)} | {default} | {f.doc} |")
    return "\n".join(rows) + "\n"


def widgets_table() -> str:
    parts = []
    for w in WIDGETS.values():
        python = " Trains in the page's Python (the page starts Pyodide)." if w.python else ""
        parts.append(f"**`{w.name}`**: {w.doc}.{python}\n")
        parts.append("| parameter | value | default | what it sets |\n| --- | --- | --- | --- |")
        for p in w.params:
            default = "" if p.default is None else f"`{_shown(p.default)}`"
            parts.append(f"| `{p.name}` | {p.describe()} | {default} | {p.doc} |")
        parts.append("")
    return "\n".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_shown(v) for v in value)
    return str(value)


BLOCKS: dict[str, Callable[[], str]] = {"front-matter-fields": fields_table, "widgets": widgets_table}


def render_blocks(text: str, blocks: dict[str, Callable[[], str]] = BLOCKS) -> str:
    """``text`` with every generated block filled from ``blocks``; an unknown name is an error."""

    def fill(match: re.Match) -> str:
        name = match.group("name")
        if name not in blocks:
            raise KeyError(f"no generator for the block '{name}'")
        return match.group(1) + blocks[name]() + match.group(3)

    return _BLOCK.sub(fill, text)


def outputs() -> dict[Path, str]:
    """Each generated file and the text it must have."""
    return {
        AUTHORING: render_blocks(AUTHORING.read_text(encoding="utf-8")),
        SCHEMA_FILE: json.dumps(front_matter_schema(), indent=2, ensure_ascii=False) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m learningpaths.compiler.reference", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when a file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "out of date" if args.check else "written"
        print(f"{path.relative_to(DOCS.parent)}: {verb}", file=sys.stderr)
    if args.check and stale:
        print("run: python -m learningpaths.compiler.reference", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
