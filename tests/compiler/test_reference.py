"""The generated reference: docs/authoring.md's tables and docs/front-matter.schema.json are up to
date with the compiler's declarations, and the schema agrees with the compiler on real objects."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from learningpaths.compiler import reference
from learningpaths.compiler.schema import FIELD_NAMES

from .helpers import REPO_ROOT


def test_generated_docs_are_up_to_date(capsys):
    # Fails when a field, its type or its text changed without `python -m learningpaths.compiler.reference`.
    assert reference.main(["--check"]) == 0, capsys.readouterr().err


def test_every_field_is_in_the_table_and_the_schema():
    table = reference.fields_table()
    schema = json.loads(reference.SCHEMA_FILE.read_text())
    for name in FIELD_NAMES:
        assert f"| `{name}` |" in table
        assert schema["properties"][name]["description"]
    assert set(schema["required"]) == {
        "hruid",
        "version",
        "language",
        "title",
        "description",
        "content_type",
        "estimated_time",
    }


def _front_matters():
    for path in sorted((REPO_ROOT / "content" / "learning_objects").rglob("index.md")):
        yield path, yaml.safe_load(path.read_text().split("\n---", 1)[0].removeprefix("---\n"))


def test_the_schema_accepts_our_content_and_flags_what_the_compiler_flags():
    validator = jsonschema.Draft202012Validator(reference.front_matter_schema())
    checked = 0
    for path, data in _front_matters():
        assert not list(validator.iter_errors(data)), path
        checked += 1
    assert checked >= 40
    good = dict(next(_front_matters())[1])
    for bad, word in (
        ({"titel": "x"}, "titel"),  # unknown field: the compiler warns, the editor underlines it
        ({"content_type": "text/markdwon"}, "text/markdwon"),
        ({"completion": "done"}, "done"),
        ({"target_ages": [12, 200]}, "200"),
        ({"hruid": "a/b"}, "a/b"),
    ):
        errors = [e.message for e in validator.iter_errors({**good, **bad})]
        assert errors and word in " ".join(errors), bad


def test_an_unknown_generated_block_is_an_error():
    with pytest.raises(KeyError, match="nope"):
        reference.render_blocks("<!-- BEGIN generated: nope -->\nold\n<!-- END generated: nope -->")
    text = "a\n<!-- BEGIN generated: x -->\nold\n<!-- END generated: x -->\nb"
    assert reference.render_blocks(text, {"x": lambda: "new\n"}) == text.replace("old\n", "new\n")
