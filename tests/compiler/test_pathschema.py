"""The learning-path schema: Dwengo JSON and our YAML."""

from __future__ import annotations

import base64
import json

import pytest

from learningpaths.compiler.diagnostics import Reporter, sort_key
from learningpaths.compiler.parse import parse_path
from learningpaths.compiler.pathschema import NodeRef, image_mime, validate_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def check(tmp_path, text: str, suffix: str = ".json"):
    file = tmp_path / f"p{suffix}"
    file.write_text(text)
    reporter = Reporter()
    doc = parse_path(text, suffix, f"lp/p{suffix}", reporter)
    spec = validate_path(doc, file, f"lp/p{suffix}", reporter) if doc else None
    return spec, [d.format() for d in sorted(reporter.diagnostics, key=sort_key)]


def test_dwengo_json(tmp_path):
    text = json.dumps(
        {
            "hruid": "p",
            "language": "nl",
            "title": "T",
            "description": "D",
            "image": base64.b64encode(PNG).decode(),
            "nodes": [
                {
                    "learningobject_hruid": "a",
                    "language": "nl",
                    "version": "3",
                    "start_node": True,
                    "transitions": [
                        {"default": True, "condition": "", "next": {"hruid": "b", "version": 3, "language": "nl"}}
                    ],
                },
                {"learningobject_hruid": "b", "language": "nl", "version": 3, "instruction": "Read"},
            ],
        },
        indent=2,
    )
    spec, problems = check(tmp_path, text)
    assert problems == []
    assert (spec.hruid, spec.language, spec.image, spec.image_mime) == ("p", "nl", PNG, "image/png")
    assert [(n.ref, n.start_node, n.line) for n in spec.nodes] == [
        (NodeRef("a", "nl", 3), True, 8),
        (NodeRef("b", "nl", 3), False, 25),
    ]
    assert spec.nodes[0].transitions[0].next == NodeRef("b", "nl", 3)
    assert spec.nodes[1].instruction == "Read"


def test_json_node_needs_language_and_version(tmp_path):
    text = '{"hruid": "p", "language": "nl", "title": "T", "description": "D", "nodes": [\n  {"learningobject_hruid": "a"}\n]}'
    spec, problems = check(tmp_path, text)
    assert spec.nodes == []
    assert problems == [
        "lp/p.json:2:3: error: missing required field 'language' [lp.field_missing]\n"
        "    hint: nodes and transitions name an object by hruid, language and version",
        "lp/p.json:2:3: error: missing required field 'version' [lp.field_missing]\n"
        "    hint: nodes and transitions name an object by hruid, language and version",
    ]


def test_yaml_defaults_language_and_latest_version_and_image_file(tmp_path):
    (tmp_path / "cover.png").write_bytes(PNG)
    text = (
        "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nimage: cover.png\nkeywords: [ai]\nnodes:\n"
        "  - learningobject_hruid: a\n    start_node: true\n    transitions: [{next: {hruid: b, language: nl}}]\n"
        "  - {learningobject_hruid: b, language: nl, version: 2}\n"
    )
    spec, problems = check(tmp_path, text, ".yaml")
    assert problems == []
    assert spec.image == PNG and spec.keywords == ["ai"]
    assert [n.ref for n in spec.nodes] == [NodeRef("a", "en", None), NodeRef("b", "nl", 2)]
    assert spec.nodes[0].transitions[0].next == NodeRef("b", "nl", None)


@pytest.mark.parametrize(
    "image,expected",
    [
        (
            "@@@",
            "lp/p.json:1:68: error: 'image' is not valid base64 [lp.path_image]\n"
            "    hint: write the image as base64 without a data: prefix",
        ),
        (
            base64.b64encode(b"hello world").decode(),
            "lp/p.json:1:68: error: 'image' is not a PNG, JPEG, GIF, WebP or SVG image [lp.path_image]",
        ),
        (
            "data:image/png;base64," + base64.b64encode(PNG).decode(),
            "lp/p.json:1:68: warning: 'image' has a data: URL prefix; Dwengo's format is plain base64 [lp.field_lenient]\n"
            "    hint: remove everything up to and including the comma",
        ),
        (
            "cover.png",
            "lp/p.json:1:68: error: 'image' is not valid base64 [lp.path_image]\n"
            "    hint: write the image as base64 without a data: prefix",
        ),
    ],
)
def test_json_images(tmp_path, image, expected):
    text = json.dumps(
        {
            "hruid": "p",
            "language": "nl",
            "title": "T",
            "description": "D",
            "image": image,
            "nodes": [{"learningobject_hruid": "a", "language": "nl", "version": "3"}],
        }
    )
    _, problems = check(tmp_path, text)
    assert problems == [expected]


def test_yaml_image_file_missing(tmp_path):
    _, problems = check(
        tmp_path,
        "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nimage: gone.png\nnodes: [{learningobject_hruid: a}]\n",
        ".yaml",
    )
    assert problems == ["lp/p.yaml:5:1: error: image file 'gone.png' not found next to the path file [lp.path_image]"]


def test_yaml_image_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    (tmp_path / "sub").mkdir()
    file = tmp_path / "sub" / "p.yaml"
    text = (
        "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nimage: ../secret.png\nnodes: [{learningobject_hruid: a}]\n"
    )
    file.write_text(text)
    reporter = Reporter()
    spec = validate_path(parse_path(text, ".yaml", "lp/p.yaml", reporter), file, "lp/p.yaml", reporter)
    assert spec.image is None
    assert [d.format() for d in reporter.diagnostics] == [
        "lp/p.yaml:5:1: error: image file '../secret.png' is outside the folder of the path file [lp.path_image]\n"
        "    hint: put the image next to the path file"
    ]


def test_latest_version(tmp_path):
    spec, problems = check(
        tmp_path,
        '{"hruid": "p", "language": "nl", "title": "T", "description": "D", "nodes": '
        '[{"learningobject_hruid": "a", "language": "nl", "version": "latest"}]}',
    )
    assert problems == [] and spec.nodes[0].ref == NodeRef("a", "nl", None)


def test_path_level_problems(tmp_path):
    spec, problems = check(tmp_path, '{"hruid": "p", "language": "xx", "title": 3, "extra": 1, "nodes": []}')
    assert spec is None
    assert problems == [
        "lp/p.json:1:0: error: missing required field 'description' [lp.field_missing]",
        "lp/p.json:1:16: error: 'language' must be a two-letter ISO 639-1 code, got the text 'xx' [lp.field_value]\n"
        "    hint: e.g. nl, en, fr, de",
        "lp/p.json:1:34: error: 'title' must be text, got the number 3 [lp.field_type]\n    hint: put the value in quotes",
        "lp/p.json:1:46: warning: unknown field 'extra' in a learning path [lp.field_unknown]",
        "lp/p.json:1:58: error: 'nodes' is empty; a learning path needs at least one node [lp.field_value]",
    ]


def test_bad_node_and_transition_shapes(tmp_path):
    text = (
        "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nnodes:\n  - just-a-name\n"
        "  - learningobject_hruid: a\n    version: x\n  - learningobject_hruid: b\n    transitions: [c]\n    start: true\n"
    )
    spec, problems = check(tmp_path, text, ".yaml")
    assert [n.ref.hruid for n in spec.nodes] == ["b"]
    assert problems == [
        "lp/p.yaml:6:5: error: a node must be a mapping, got the text 'just-a-name' [lp.field_type]",
        "lp/p.yaml:8:5: error: 'version' must be a whole number (or a string holding one, or 'latest'), got the text 'x' "
        "[lp.field_type]",
        "lp/p.yaml:10:19: error: a transition must be a mapping with 'next: {hruid, language, version}', got the text 'c' [lp.field_type]",
        "lp/p.yaml:11:5: warning: unknown field 'start' in a node [lp.field_unknown]\n    hint: did you mean 'start_node'?",
    ]


def test_syntax_errors(tmp_path):
    assert check(tmp_path, "[1, 2]")[1] == [
        "lp/p.json:1:0: error: a learning path must be a mapping of fields, got a list [lp.path_syntax]\n"
        "    hint: see learning_paths/*.json in Dwengo's learning_content for the format"
    ]
    assert check(tmp_path, "hruid: [", ".yaml")[1][0].startswith("lp/p.yaml:2:1: error: invalid YAML:")


def test_image_mime_sniffing():
    assert image_mime(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert image_mime(b"GIF89a...") == "image/gif"
    assert image_mime(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert image_mime(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == "image/svg+xml"
    assert image_mime(b"%PDF-1.4") == ""


def _chain(spec):
    return [
        (n.ref.hruid, n.start_node, [(str(t.next), t.default, t.condition) for t in n.transitions]) for n in spec.nodes
    ]


def test_yaml_steps_make_a_linear_path_with_a_detour(tmp_path):
    text = """hruid: p
language: en
title: T
description: D
steps:
  - intro
  - hruid: check
    transitions:
      - condition: "$[?(@.correct == false)]"
        next: fix
  - {hruid: wrap_up, version: 2}
nodes:
  - learningobject_hruid: fix
    transitions:
      - default: true
        next: wrap_up
"""
    spec, problems = check(tmp_path, text, ".yaml")
    assert problems == []
    assert _chain(spec) == [
        ("intro", True, [("check/en/latest", True, "")]),
        ("check", False, [("fix/en/latest", False, "$[?(@.correct == false)]"), ("wrap_up/en/2", True, "")]),
        ("wrap_up", False, []),
        ("fix", False, [("wrap_up/en/latest", True, "")]),
    ]
    assert spec.nodes[1].line == 7  # a step's problems are reported at the step


def test_steps_are_for_yaml_and_hold_hruids_or_nodes(tmp_path):
    base = {"hruid": "p", "language": "en", "title": "T", "description": "D"}
    spec, problems = check(tmp_path, json.dumps({**base, "steps": ["a", "b"]}))
    assert spec is None and problems == [
        "lp/p.json:1:68: error: 'steps' is for YAML learning paths; a JSON path lists 'nodes' with their "
        "transitions, as Dwengo does [lp.field_unknown]\n    hint: rename the file to .yaml, or write 'nodes'"
    ]
    spec, problems = check(
        tmp_path, "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nsteps:\n  - a\n  - [b]\n", ".yaml"
    )
    assert spec is None and problems == [
        "lp/p.yaml:7:5: error: a step must be an hruid or a node mapping, got a list [lp.field_type]"
    ]


def test_a_steps_path_compiles_end_to_end(tmp_path, fake_renderer):
    from learningpaths.compiler import compile_content

    from .helpers import front, write

    root = tmp_path / "content"
    write(root / "learning_objects", {f"{h}/index.md": front(h) for h in ("intro", "check", "outro")})
    write(
        root / "learning_paths",
        {"p.yaml": "hruid: p\nlanguage: en\ntitle: T\ndescription: D\nsteps: [intro, check, outro]\n"},
    )
    result = compile_content(root)
    assert result.diagnostics == []
    (path,) = result.paths
    assert [str(n.key) for n in path.nodes] == ["intro/en/1", "check/en/1", "outro/en/1"]
    assert [[str(t.next) for t in n.transitions] for n in path.nodes] == [["check/en/1"], ["outro/en/1"], []]
