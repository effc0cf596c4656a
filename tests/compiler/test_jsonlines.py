"""Line numbers for JSON paths."""

from __future__ import annotations

import json

from learningpaths.compiler.jsonlines import json_lines
from learningpaths.compiler.parse import JsonDoc


def test_lines_of_keys_and_items():
    text = json.dumps(
        {
            "hruid": "p",
            "nodes": [
                {"learningobject_hruid": "a", "transitions": [{"next": {"hruid": "b"}}]},
                {"learningobject_hruid": "b"},
            ],
            "image": "QUJD" * 1000,
        },
        indent=2,
    )
    lines = json_lines(text)
    rows = text.split("\n")
    assert rows[lines[("nodes", 1)][0] - 1].strip() == "{"
    assert '"learningobject_hruid": "b"' in rows[lines[("nodes", 1, "learningobject_hruid")][0] - 1]
    assert '"next"' in rows[lines[("nodes", 0, "transitions", 0, "next")][0] - 1]
    assert lines[("image",)] == (len(rows) - 1, 3)


def test_strings_with_brackets_quotes_and_escapes():
    text = '{"a\\"[": "x\\\\\\"}{", "b": [1, -2.5e3, true, null, {}], "c": {"d": []}}'
    assert json.loads(text)
    lines = json_lines(text)
    assert set(lines) == {(), ('a"[',), ("b",), ("b", 0), ("b", 1), ("b", 2), ("b", 3), ("b", 4), ("c",), ("c", "d")}
    assert lines[("c", "d")] == (1, text.index('"d"') + 1)


def test_json_doc_computes_lines_lazily():
    doc = JsonDoc({"a": 1}, '{\n  "a": 1\n}')
    assert doc._lines is None
    assert doc.pos("a") == (2, 3)


def test_text_that_is_not_json_keeps_the_lines_found_so_far():
    # The scanner walks text json.loads accepted; on anything else it stops instead of raising.
    assert json_lines("{a: 1}") == {(): (1, 1)}  # unquoted key
    assert json_lines('{"a": 1,\n b}') == {(): (1, 1), ("a",): (1, 2)}  # key without quotes after a comma
    assert json_lines('["x') == {(): (1, 1), (0,): (1, 2)}  # unterminated string
