"""The learning-object metadata schema (FORMAT.md 1.1): every field, normalised and reported."""

from __future__ import annotations

import json

import pytest

from learningpaths.compiler.diagnostics import Reporter, sort_key
from learningpaths.compiler.parse import parse_object
from learningpaths.compiler.result import ObjectKey
from learningpaths.compiler.schema import FIELD_NAMES, validate_object

from .helpers import front


def check(text: str, kind: str = "index.md"):
    reporter = Reporter()
    parsed = parse_object(text, kind, "o/index.md", reporter)
    meta = validate_object(parsed.doc, "o/index.md", reporter, missing_line=parsed.missing_line) if parsed else None
    return meta, [d.format() for d in sorted(reporter.diagnostics, key=sort_key)]


def test_minimal_object_gets_every_field_with_defaults():
    meta, problems = check(front("a"))
    assert problems == []
    assert meta.key == ObjectKey("a", "en", 1) and meta.renderable
    assert list(meta.metadata) == list(FIELD_NAMES)
    assert meta.metadata | {"uuid": None} == {
        "hruid": "a",
        "version": 1,
        "language": "en",
        "title": "A",
        "description": "About a",
        "keywords": [],
        "educational_goals": [],
        "copyright": None,
        "licence": None,
        "content_type": "text/markdown",
        "available": True,
        "target_ages": [],
        "difficulty": None,
        "return_value": None,
        "content_location": None,
        "estimated_time": 5,
        "skos_concepts": [],
        "teacher_exclusive": False,
        "aspect_ratio": "iframe-1-1",
        "completion": "seen",
        "runtime": "fresh",
        "uuid": None,
    }
    again, _ = check(front("a", body="other"))
    assert meta.metadata["uuid"] == again.metadata["uuid"]  # derived from the identity: stable across builds
    json.dumps(meta.metadata)


def test_full_dwengo_template_front_matter():
    text = """---
hruid: un_ai4
version: 3
language: NL
title: "Deep learning"
description: "DL"
keywords: ["ai", "", "dl"]
educational_goals: [
    {source: Source, id: id},
    {source: onderwijsdoelen.be, id: 1.2}
]
copyright: dwengo
license: dwengo
content_type: text/markdown
available: false
target_ages: [12, 13.6, 14]
difficulty: 2.6
return_value: {
    callback_url: https://x.org/cb,
    callback_schema: {type: object, properties: {score: {type: number}}}
}
content_location: example-location
estimated_time: 6
skos_concepts: [
    'http://ilearn.ilabt.imec.be/vocab/curr1/s-computers-en-systemen',
    '[http://ilearn.ilabt.imec.be/vocab/vak1/x](http://ilearn.ilabt.imec.be/vocab/vak1/x)'
]
teacher_exclusive: true
aspect_ratio: iframe-16-9
uuid: 0f8e6b2c-1111-4222-8333-944445555666
---
body"""
    meta, problems = check(text)
    assert problems == [
        "o/index.md:8:1: warning: 'educational_goals' holds template placeholders (source: Source, id: id); treated as empty "
        "[lp.placeholder]\n    hint: list real curriculum goals or remove the field",
        "o/index.md:13:1: warning: 'license' is spelled 'licence' in Dwengo's format [lp.field_lenient]\n    hint: write licence:",
        "o/index.md:22:1: warning: 'content_location' is the template placeholder 'example-location'; treated as empty "
        "[lp.placeholder]\n    hint: remove it, or give the URL of the external content",
        "o/index.md:26:5: warning: 'skos_concepts' item is a Markdown link; its URL is used [lp.field_lenient]\n"
        "    hint: write the URL only: 'http://ilearn.ilabt.imec.be/vocab/vak1/x'",
    ]
    m = meta.metadata
    assert m["language"] == "nl" and m["version"] == 3 and m["licence"] == "dwengo"
    assert m["keywords"] == ["ai", "dl"]
    assert m["educational_goals"] == [{"source": "onderwijsdoelen.be", "id": "1.2"}]
    assert (m["available"], m["teacher_exclusive"], m["aspect_ratio"]) == (False, True, "iframe-16-9")
    assert m["target_ages"] == [12, 14, 14] and m["difficulty"] == 3
    assert m["return_value"] == {
        "callback_url": "https://x.org/cb",
        "callback_schema": {"type": "object", "properties": {"score": {"type": "number"}}},
    }
    assert m["skos_concepts"][1] == "http://ilearn.ilabt.imec.be/vocab/vak1/x"
    assert m["uuid"] == "0f8e6b2c-1111-4222-8333-944445555666"


def test_missing_required_fields_are_reported_at_line_1_with_a_hint():
    meta, problems = check("---\ncontent_type: text/markdown\n---\n")
    assert meta.key is None and not meta.renderable
    assert problems == [
        "o/index.md:1:0: error: missing required field 'hruid' [lp.field_missing]\n    hint: add 'hruid: org-dwengo-my-object' to the front matter",
        "o/index.md:1:0: error: missing required field 'version' [lp.field_missing]\n    hint: add 'version: 1' to the front matter",
        "o/index.md:1:0: error: missing required field 'language' [lp.field_missing]\n    hint: add 'language: nl' to the front matter",
        "o/index.md:1:0: error: missing required field 'title' [lp.field_missing]\n    hint: add 'title: \"My title\"' to the front matter",
        "o/index.md:1:0: error: missing required field 'description' [lp.field_missing]\n    hint: add 'description: \"What it is about\"' to the front matter",
        "o/index.md:1:0: error: missing required field 'estimated_time' [lp.field_missing]\n    hint: add 'estimated_time: 10' to the front matter",
    ]


@pytest.mark.parametrize(
    "field,value,expected",
    [
        (
            "version",
            "three",
            "o/index.md:3:1: error: 'version' must be a whole number, got the text 'three' [lp.field_type]",
        ),
        (
            "version",
            "1.5",
            "o/index.md:3:1: error: 'version' must be a whole number of at least 0, got the number 1.5 [lp.field_value]",
        ),
        (
            "title",
            "[a, b]",
            "o/index.md:5:1: error: 'title' must be text, got a list [lp.field_type]\n    hint: put the value in quotes",
        ),
        (
            "title",
            '"  "',
            "o/index.md:5:1: error: required field 'title' is empty [lp.field_missing]\n    hint: write title: \"My title\"",
        ),
        (
            "language",
            "dutch",
            "o/index.md:4:1: error: 'language' must be a two-letter ISO 639-1 code, got the text 'dutch' "
            "[lp.field_value]\n    hint: did you mean 'nl'?",
        ),
        (
            "language",
            "xx",
            "o/index.md:4:1: error: 'language' must be a two-letter ISO 639-1 code, got the text 'xx' "
            "[lp.field_value]\n    hint: e.g. nl, en, fr, de",
        ),
        (
            "hruid",
            "a/b",
            "o/index.md:2:1: error: 'hruid' must not contain '/' or spaces, got the text 'a/b' [lp.field_value]\n"
            "    hint: references are written hruid/language/version, so use letters, digits, '_' and '-'",
        ),
        (
            "estimated_time",
            "-3",
            "o/index.md:8:1: error: 'estimated_time' must not be negative, got the number -3 [lp.field_value]",
        ),
        (
            "estimated_time",
            "soon",
            "o/index.md:8:1: error: 'estimated_time' must be a number of minutes, got the text 'soon' [lp.field_type]",
        ),
        (
            "available",
            "yes please",
            "o/index.md:9:1: error: 'available' must be true or false, got the text 'yes please' [lp.field_type]",
        ),
        (
            "target_ages",
            "[12, 200]",
            "o/index.md:9:19: error: 'target_ages' item 2 must be a number from 0 to 150, got the number 200 [lp.field_value]",
        ),
        (
            "target_ages",
            "[.inf]",
            "o/index.md:9:15: error: 'target_ages' item 1 must be a number from 0 to 150, got the number inf [lp.field_value]",
        ),
        (
            "keywords",
            '[""]',
            "o/index.md:9:1: warning: 'keywords' holds only empty text (template placeholder); treated as empty "
            "[lp.placeholder]\n    hint: list real keywords or remove the field",
        ),
        ("keywords", "[[a]]", "o/index.md:9:12: error: 'keywords' item 1 must be text, got a list [lp.field_type]"),
        (
            "aspect_ratio",
            "iframe-16:9",
            "o/index.md:9:1: error: 'aspect_ratio' must be one of iframe-16-9, iframe-1-1, iframe-1-2, "
            "got the text 'iframe-16:9' [lp.field_value]\n    hint: did you mean 'iframe-16-9'?",
        ),
        (
            "completion",
            "ran",
            "o/index.md:9:1: error: 'completion' must be one of seen, run, "
            "got the text 'ran' [lp.field_value]\n    hint: did you mean 'run'?",
        ),
        (
            "runtime",
            "kept",
            "o/index.md:9:1: error: 'runtime' must be one of fresh, keep, "
            "got the text 'kept' [lp.field_value]\n    hint: did you mean 'keep'?",
        ),
        (
            "runtime",
            "shared",
            "o/index.md:9:1: error: 'runtime' must be one of fresh, keep, "
            "got the text 'shared' [lp.field_value]\n    hint: use runtime: keep to keep the previous step's variables",
        ),
        (
            "skos_concepts",
            "[ftp://x]",
            "o/index.md:9:17: error: 'skos_concepts' item 1 must be an http(s) URL, got the text 'ftp://x' [lp.field_value]",
        ),
        (
            "return_value",
            "{callback_url: https://x}",
            "o/index.md:9:1: error: 'return_value' needs both callback_url and "
            "callback_schema; missing callback_schema [lp.field_missing]",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {att: test, att2: test2}}",
            "o/index.md:9:1: warning: 'return_value' is the template placeholder (callback-url-example, {att: test, att2: test2}); "
            "treated as empty [lp.placeholder]\n    hint: remove return_value unless the object reports a result",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {score: int}}",
            "o/index.md:9:33: error: 'callback_schema' does not look like a JSON Schema (no 'type', 'properties', ...) [lp.field_value]\n"
            "    hint: write e.g. {type: object, properties: {score: {type: number}}}",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {type: obect}}",
            "o/index.md:9:33: error: 'callback_schema' has an unknown type the text 'obect' [lp.field_value]\n    hint: did you mean 'object'?",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {type: object, properties: {a: {type: strng}}}}",
            "o/index.md:9:78: error: 'callback_schema' has an unknown type 'strng' [lp.callback_schema]\n    hint: did you mean 'string'?",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {type: string, pattern: '('}}",
            "o/index.md:9:65: error: 'callback_schema' is not a valid JSON Schema: '(' is not a 'regex' [lp.callback_schema]\n"
            "    hint: see https://json-schema.org/understanding-json-schema/",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {$ref: '#/$defs/score'}}",
            "o/index.md:9:51: error: 'callback_schema' has a $ref that cannot be resolved: '#/$defs/score' (no such place in the "
            "schema) [lp.callback_schema]\n    hint: refer only inside the schema, e.g. $ref: '#/$defs/point'; remote schemas are never fetched",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: {$schema: 'https://example.org/mine', type: object}}",
            "o/index.md:9:51: error: 'callback_schema' names an unknown $schema 'https://example.org/mine' [lp.callback_schema]\n"
            "    hint: leave $schema out (Draft 2020-12) or write https://json-schema.org/draft/2020-12/schema",
        ),
        (
            "return_value",
            "{callback_url: u, callback_schema: " + "{items: " * 40 + "{}" + "}" * 40 + "}",
            "o/index.md:9:33: error: 'callback_schema' is nested more than 32 levels deep [lp.callback_schema]\n"
            "    hint: use $defs and $ref for repeated parts",
        ),
        (
            "educational_goals",
            "[goal]",
            "o/index.md:9:21: error: 'educational_goals' item 1 must be a mapping with 'source' and/or 'id', "
            "got the text 'goal' [lp.field_type]\n    hint: write {source: onderwijsdoelen.be, id: '1.2'}",
        ),
        (
            "teacher_exclusive",
            "1",
            "o/index.md:9:1: error: 'teacher_exclusive' must be true or false, got the number 1 [lp.field_type]",
        ),
    ],
)
def test_field_problems(field, value, expected):
    _, problems = check(front(**{field: value}))
    assert problems == [expected]


def test_unknown_field_with_suggestion_and_server_fields():
    _, problems = check(front("a", estimated_tim=3, _id="x"))
    assert problems == [
        "o/index.md:9:1: warning: unknown field 'estimated_tim' [lp.field_unknown]\n    hint: did you mean 'estimated_time'?",
        "o/index.md:10:1: warning: unknown field '_id' [lp.field_unknown]",
    ]


def test_extern_needs_a_url():
    _, problems = check(front("a", content_type="extern"))
    assert problems == [
        "o/index.md:1:0: error: 'content_location' is required when content_type is extern [lp.field_missing]\n"
        "    hint: give the URL to show, e.g. content_location: https://www.youtube.com/watch?v=..."
    ]
    _, problems = check(front("a", content_type="extern", content_location="none"))
    assert problems == [
        "o/index.md:9:1: error: 'content_location' must be an http(s) URL for extern content, got the text 'none' [lp.field_value]"
    ]
    meta, problems = check(
        front("a", content_type="extern", content_location="https://kiks.ilabt.imec.be/hub/tmplogin?id=1")
    )
    assert problems == [] and meta.metadata["content_location"].startswith("https://kiks")


def test_bad_content_type_is_not_renderable_but_identity_is_known():
    meta, _ = check(front("a", content_type="video"))
    assert meta.key == ObjectKey("a", "en", 1) and not meta.renderable


def test_metadata_yaml_and_metadata_md():
    meta, problems = check(
        "hruid: y\nversion: 2\nlanguage: fr\ntitle: T\ndescription: D\ncontent_type: blockly\nestimated_time: 1\n",
        "metadata.yaml",
    )
    assert problems == [] and meta.key == ObjectKey("y", "fr", 2)
    reporter = Reporter()
    parsed = parse_object(front("m", body="ignored body"), "metadata.md", "m/metadata.md", reporter)
    assert parsed.body is None and reporter.diagnostics == []


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "# no front matter",
            "o/index.md:1:1: error: the file has no front matter [lp.front_matter]\n"
            "    hint: start the file with '---', the metadata fields, and a line '---'",
        ),
        (
            "---\n---\nbody",
            "o/index.md:1:0: error: the front matter is empty [lp.front_matter]\n"
            "    hint: add hruid, version, language, title, description, content_type and estimated_time",
        ),
        (
            "---\n- a\n- b\n---\n",
            "o/index.md:2:1: error: the front matter must be a mapping of fields, got a list [lp.front_matter]\n"
            "    hint: write one 'field: value' per line",
        ),
    ],
)
def test_front_matter_problems(text, expected):
    meta, problems = check(text)
    assert meta is None and problems == [expected]
