"""Every column of the compiled-content models is guarded by the compiler (compiler/limits.py).

For each field of the models, one value past what the column holds is written into content and
compiled: the compiler must report it at file:line (no exception) and leave the object or path out
of what reaches the database. A field the content cannot set is listed with the reason; a new
field fails ``test_every_field_is_covered`` until it is given a case or a reason.
"""

from __future__ import annotations

import json

import pytest
from django.db import models

from learningpaths.compiler import CompileOptions, compile_content, limits
from learningpaths.paths.models import LearningObject, LearningPath, ObjectAsset, PathNode, PathTransition, Question

MODELS = (LearningObject, ObjectAsset, Question, LearningPath, PathNode, PathTransition)
INT_RANGES = {
    models.IntegerField: (limits.INT_MIN, limits.INT_MAX),
    models.PositiveIntegerField: (0, limits.INT_MAX),
    models.BigIntegerField: (-limits.BIGINT_MAX - 1, limits.BIGINT_MAX),
}
NOT_FROM_CONTENT = {
    "LearningObject.content_hash": "a sha256 hex digest the compiler computes",
    "LearningObject.html": "rendered: markdown-it and the sanitiser drop NUL (test_rendered_content_holds_no_nul)",
    "LearningObject.teacher_html": "rendered HTML: as html",
    "LearningObject.text": "plain text of html, checked with it",
    "LearningObject.teacher_text": "plain text of teacher_html, checked with it",
    "LearningObject.metadata": "the normalised front matter: every value in it is a case of its own",
    "LearningObject.teacher_exclusive": "a boolean",
    "LearningObject.available": "a boolean",
    "ObjectAsset.sha256": "a sha256 hex digest",
    "ObjectAsset.size": "a file's size: BigIntegerField holds any file a disk holds",
    "ObjectAsset.mime": "from mimetypes.guess_type of the name: registered types are far shorter",
    "ObjectAsset.teacher_only": "a boolean",
    "Question.kind": "one of the renderer's fixed kinds (checked by the result phase all the same)",
    "Question.prompt": "rendered from Markdown or GIFT: NUL becomes U+FFFD (test_rendered_content_holds_no_nul)",
    "Question.key": "the answer key: checked with the prompt by the result phase (storable.py)",
    "Question.options": "as the key",
    "Question.teacher_only": "a boolean: the compiler sets it from the block or object the question sits in",
    "LearningPath.image": "bytes: BinaryField holds any",
    "LearningPath.image_mime": "one of five fixed image types",
    "LearningPath.min_age": "the least of the nodes' target_ages, which are 0-150",
    "LearningPath.max_age": "the greatest of the nodes' target_ages, which are 0-150",
    "LearningPath.content_hash": "a sha256 hex digest",
    "PathNode.position": "the node's index: a path would need 2**31 nodes",
    "PathNode.start_node": "a boolean",
    "PathTransition.position": "the transition's index within one node",
    "PathTransition.default": "a boolean",
}
FRONT = {
    "hruid": "a",
    "version": 1,
    "language": "en",
    "title": "A",
    "description": "About a",
    "content_type": "text/markdown",
    "estimated_time": 5,
}


def _front(body: str = "Body text.", **fields) -> str:
    values = {**FRONT, **fields}
    lines = [f"{k}: {json.dumps(v)}" for k, v in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def _line(field: str, **fields) -> int:
    """The line of ``field`` in ``_front(**fields)``: the keys in order after the opening '---'."""
    return 2 + list({**FRONT, **fields}).index(field)


def _path(**fields) -> str:
    node = {"learningobject_hruid": "a", "language": "en", "version": "1", "start_node": True}
    node.update(fields.pop("node", {}))
    data = {"hruid": "p", "language": "en", "title": "P", "description": "Path p", "nodes": [node], **fields}
    return json.dumps(data, indent=2)


def _obj(field: str, value, code: str = "lp.field_limit"):
    fields = {field: value}
    return (
        {"learning_objects/a/index.md": _front(**fields)},
        "learning_objects/a/index.md",
        _line(field, **fields),
        code,
    )


def _deep(levels: int) -> str:
    return "/".join(f"{i}" + "d" * 250 for i in range(levels))


def _asset_case():
    rel = _deep(4) + "/picture.png"
    files = {
        "learning_objects/a/index.md": _front(body=f"Intro.\n\n![a picture]({rel})"),
        f"learning_objects/a/{rel}": b"\x89PNG\r\n\x1a\n",
    }
    return files, "learning_objects/a/index.md", 12, "lp.field_limit"


def _content_file_case(content_type: str, name: str, text: str):
    """A metadata.md object whose content file holds a NUL: markdown-it turns a NUL in Markdown into
    U+FFFD, but a text/plain or GIFT file reaches the rendered HTML and the questions as it is."""
    front = _front(content_type=content_type).rsplit("---\n", 1)[0] + "---\n"
    files = {"learning_objects/a/metadata.md": front, f"learning_objects/a/{name}": text}
    return files, "learning_objects/a/metadata.md", 0, "lp.text_char"


def _compile(tmp_path, files):
    root = tmp_path / "content"
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return compile_content(root, options=CompileOptions(jobs=1))


@pytest.mark.parametrize(
    "content_type, name, text",
    [("text/plain", "content.txt", "plain\n\u0000text\n"), ("text/gift", "quiz.gift", "::Q1:: Is it a\u0000b? {T}\n")],
)
def test_rendered_content_holds_no_nul(tmp_path, content_type, name, text):
    files, *_ = _content_file_case(content_type, name, text)
    result = _compile(tmp_path, files)
    (obj,) = result.objects
    stored = [obj.html, obj.teacher_html, obj.text, obj.teacher_text] + [q.prompt for q in obj.questions]
    assert "plain" in obj.html or obj.questions
    assert not any("\x00" in s for s in stored)


def _question_case(**fields):
    question = {"kind": "short_text", "prompt": "Capital?", "answer": "Brussels", **fields}
    body = "Intro.\n\n```question\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in question.items()) + "\n```"
    code = "lp.field_limit" if "id" in fields else "lp.text_char"
    return {"learning_objects/a/index.md": _front(body=body)}, "learning_objects/a/index.md", 14, code


def _path_case(field: str, value, code: str = "lp.field_limit", line: int = 0):
    files = {"learning_objects/a/index.md": _front(), "learning_paths/p.json": _path(**{field: value})}
    lines = {"hruid": 2, "language": 3, "title": 4, "description": 5}
    return files, "learning_paths/p.json", line or lines[field], code


def _path_minutes_case():
    nodes = [
        {
            "learningobject_hruid": h,
            "language": "en",
            "version": "1",
            "start_node": h == "a",
            "transitions": [{"default": True, "next": {"hruid": "b", "language": "en", "version": "1"}}]
            if h == "a"
            else [],
        }
        for h in ("a", "b")
    ]
    path = {"hruid": "p", "language": "en", "title": "P", "description": "Path p", "nodes": nodes}
    files = {
        "learning_objects/a/index.md": _front(estimated_time=limits.INT_MAX - 1),
        "learning_objects/b/index.md": _front(hruid="b", estimated_time=limits.INT_MAX - 1),
        "learning_paths/p.json": json.dumps(path, indent=2),
    }
    return files, "learning_paths/p.json", 23, "lp.field_limit"  # the second node, where the sum overflows


def _source_path_case(kind: str):
    deep = _deep(5)
    if kind == "object":
        return {f"learning_objects/{deep}/index.md": _front()}, f"learning_objects/{deep}/index.md", 0, "lp.field_limit"
    files = {"learning_objects/a/index.md": _front(), f"learning_paths/{deep}/p.json": _path()}
    return files, f"learning_paths/{deep}/p.json", 0, "lp.field_limit"


def _node_text_case(field: str):
    files = {"learning_objects/a/index.md": _front()}
    if field == "instruction":
        files["learning_paths/p.json"] = _path(node={"instruction": "read\u0000this"})
        return files, "learning_paths/p.json", 12, "lp.text_char"
    node = {
        "start_node": True,
        "transitions": [{"condition": "$\u0000", "next": {"hruid": "a", "language": "en", "version": "1"}}],
    }
    files["learning_paths/p.json"] = _path(node=node)
    return files, "learning_paths/p.json", 14, "lp.text_char"


CASES = {
    "LearningObject.hruid": lambda: _obj("hruid", "h" * (limits.HRUID_MAX + 1)),
    "LearningObject.language": lambda: _obj("language", "x" * (limits.LANGUAGE_MAX + 1), "lp.field_value"),
    "LearningObject.version": lambda: _obj("version", limits.INT_MAX + 1),
    "LearningObject.uuid": lambda: _obj("uuid", "u" * (limits.UUID_MAX + 1)),
    "LearningObject.title": lambda: _obj("title", "t" * (limits.TITLE_MAX + 1)),
    "LearningObject.description": lambda: _obj("description", "a\u0000b", "lp.text_char"),
    "LearningObject.content_type": lambda: _obj("content_type", "c" * (limits.CONTENT_TYPE_MAX + 1), "lp.content_type"),
    # (libyaml refuses a "\ud800" escape itself, as lp.front_matter; JSON paths take it: LearningPath.keywords)
    "LearningObject.keywords": lambda: _obj("keywords", ["ok", "a\u0000"], "lp.text_char"),
    "LearningObject.skos_concepts": lambda: _obj("skos_concepts", ["http://x.org/\u0000"], "lp.text_char"),
    "LearningObject.target_ages": lambda: _obj("target_ages", [limits.INT_MAX + 1], "lp.field_value"),
    "LearningObject.educational_goals": lambda: _obj(
        "educational_goals", [{"source": "s\u0000", "id": "1"}], "lp.text_char"
    ),
    "LearningObject.difficulty": lambda: _obj("difficulty", limits.INT_MAX + 1, "lp.field_value"),
    "LearningObject.estimated_time": lambda: _obj("estimated_time", limits.INT_MAX + 1),
    "LearningObject.copyright": lambda: _obj("copyright", "c" * (limits.COPYRIGHT_MAX + 1)),
    "LearningObject.licence": lambda: _obj("licence", "l" * (limits.LICENCE_MAX + 1)),
    "LearningObject.content_location": lambda: _obj("content_location", "x" * (limits.CONTENT_LOCATION_MAX + 1)),
    "LearningObject.aspect_ratio": lambda: _obj("aspect_ratio", "a" * (limits.ASPECT_RATIO_MAX + 1), "lp.field_value"),
    "LearningObject.completion": lambda: _obj("completion", "r" * (limits.COMPLETION_MAX + 1), "lp.field_value"),
    "LearningObject.runtime": lambda: _obj("runtime", "k" * (limits.RUNTIME_MAX + 1), "lp.field_value"),
    "LearningObject.return_value": lambda: _obj(
        "return_value",
        {"callback_url": "https://x.org/", "callback_schema": {"type": "integer", "maximum": 2**64}},
        "lp.field_value",
    ),
    "LearningObject.source_path": lambda: _source_path_case("object"),
    "ObjectAsset.path": _asset_case,
    "Question.qid": lambda: _question_case(id="q" * (limits.QUESTION_ID_MAX + 1)),
    "LearningPath.hruid": lambda: _path_case("hruid", "p" * (limits.HRUID_MAX + 1)),
    "LearningPath.language": lambda: _path_case("language", "x" * (limits.LANGUAGE_MAX + 1), "lp.field_value"),
    "LearningPath.title": lambda: _path_case("title", "t" * (limits.TITLE_MAX + 1)),
    "LearningPath.description": lambda: _path_case("description", "d\u0000", "lp.text_char"),
    "LearningPath.keywords": lambda: _path_case("keywords", ["k\udfff"], "lp.text_char", line=15),
    "LearningPath.estimated_time": _path_minutes_case,
    "LearningPath.source_path": lambda: _source_path_case("path"),
    "PathNode.instruction": lambda: _node_text_case("instruction"),
    "PathTransition.condition": lambda: _node_text_case("condition"),
}


def _fields():
    for model in MODELS:
        for field in model._meta.concrete_fields:
            if field.primary_key or field.is_relation or isinstance(field, models.DateTimeField):
                continue
            yield f"{model.__name__}.{field.name}", field


def test_every_field_is_covered():
    names = {name for name, _ in _fields()}
    assert names - CASES.keys() - NOT_FROM_CONTENT.keys() == set()
    assert (CASES.keys() | NOT_FROM_CONTENT.keys()) - names == set()  # no stale entries


def test_char_fields_take_their_lengths_from_the_compiler_limits():
    values = {v for k, v in vars(limits).items() if k.endswith("_MAX") and isinstance(v, int)}
    for name, field in _fields():
        if isinstance(field, models.CharField):
            assert field.max_length in values, name
        for kind, (low, high) in INT_RANGES.items():
            if type(field) is kind:
                assert (low, high) == INT_RANGES[kind], name
    assert LearningObject._meta.get_field("title").max_length == limits.TITLE_MAX
    assert Question._meta.get_field("qid").max_length == limits.QUESTION_ID_MAX


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_value_past_the_column_is_a_diagnostic_at_its_line(name, tmp_path):
    files, display, line, code = CASES[name]()
    result = _compile(tmp_path, files)
    found = [(d.path, d.line, d.code) for d in result.errors]
    assert (f"content/{display}", line, code) in found, [d.format() for d in result.diagnostics]
    assert not result.accepted()
    assert "lp.internal" not in {d.code for d in result.diagnostics}
    model = name.split(".")[0]
    if model in ("LearningPath", "PathNode", "PathTransition"):
        assert all(len(p.title) <= limits.TITLE_MAX and len(p.hruid) <= limits.HRUID_MAX for p in result.paths)
    elif code != "lp.field_value" or name.endswith(("language", "version", "hruid")):
        assert result.objects == [] or all(_stored_fits(o) for o in result.objects)


def _stored_fits(obj) -> bool:
    """What is left of a bad object (its bad field dropped) fits every column."""
    meta = obj.metadata
    return (
        len(meta.get("title") or "") <= limits.TITLE_MAX
        and (meta.get("estimated_time") or 0) <= limits.INT_MAX
        and all(len(a.rel_path) <= limits.ASSET_PATH_MAX for a in obj.assets)
        and all(len(q.id) <= limits.QUESTION_ID_MAX for q in obj.questions)
        and "\x00" not in json.dumps(meta, ensure_ascii=False) + obj.html
    )


def test_integer_fields_are_32_or_64_bit():
    # the range the compiler checks integers against is that of the field types the models use
    kinds = {type(f) for _, f in _fields() if isinstance(f, models.IntegerField)}
    assert kinds <= set(INT_RANGES), kinds
