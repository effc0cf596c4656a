"""Whatever an author writes, the compiler answers with diagnostics, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.diagnostics import Reporter
from learningpaths.compiler.jsonlines import json_lines
from learningpaths.compiler.parse import parse_object, parse_path
from learningpaths.compiler.pathschema import validate_path
from learningpaths.compiler.schema import validate_object

from .helpers import front

KEYS = [
    "hruid",
    "version",
    "language",
    "title",
    "description",
    "keywords",
    "educational_goals",
    "licence",
    "license",
    "content_type",
    "available",
    "target_ages",
    "difficulty",
    "return_value",
    "content_location",
    "estimated_time",
    "skos_concepts",
    "teacher_exclusive",
    "aspect_ratio",
    "uuid",
    "nodes",
    "image",
    "transitions",
    "next",
]
SCALARS = st.sampled_from(
    [
        "",
        "3",
        "'3'",
        "-1",
        "1e999",
        ".nan",
        "null",
        "true",
        "~",
        "nl",
        "NL",
        "[]",
        "{}",
        '[""]',
        "text/markdown",
        "extern",
        "example-location",
        "callback-url-example",
        "2020-13-45",
        "!!binary aGk=",
        "&a [*a]",
        "*nope",
        "[http://x](http://x)",
        "{source: Source, id: id}",
        "'[1, 2'",
        "|\n  block",
        "\t",
        "---",
        "...",
    ]
)
LINES = st.one_of(
    st.tuples(st.sampled_from(KEYS), SCALARS).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(st.sampled_from(KEYS), st.text(max_size=20)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.text(max_size=30),
)
YAML_TEXT = st.lists(LINES, max_size=12).map("\n".join)


def _object(text: str, kind: str) -> None:
    reporter = Reporter()
    parsed = parse_object(text, kind, "x/index.md", reporter)
    if parsed is not None:
        meta = validate_object(parsed.doc, "x/index.md", reporter, missing_line=parsed.missing_line)
        assert set(meta.metadata) >= {"hruid", "version", "language"}
    assert all(d.code != "lp.internal" for d in reporter.diagnostics)


@settings(max_examples=150, deadline=None)
@given(YAML_TEXT, st.sampled_from(["index.md", "metadata.md", "metadata.yaml"]))
def test_random_front_matter_never_raises(yaml_text, kind):
    _object(f"---\n{yaml_text}\n---\nbody", kind)
    _object(yaml_text, kind)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_garbage_never_raises(text):
    _object(text, "index.md")
    reporter = Reporter()
    for suffix in (".json", ".yaml"):
        doc = parse_path(text, suffix, "p" + suffix, reporter)
        if doc is not None:
            from pathlib import Path

            validate_path(doc, Path("/nonexistent/p" + suffix), "p" + suffix, reporter)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=12,
    )
)
def test_json_lines_on_any_json(value):
    import json

    text = json.dumps({"nodes": [value, {"x": value}]}, indent=1)
    lines = json_lines(text)
    assert lines[()] == (1, 1) and ("nodes", 1, "x") in lines


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_random_markdown_body_compiles(tmp_path_factory, body):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "a").mkdir()
    (root / "a" / "index.md").write_text(front("a", body=body), encoding="utf-8", errors="surrogatepass")
    result = compile_content(root, options=CompileOptions(jobs=1))
    assert all(d.code != "lp.internal" for d in result.diagnostics), [d.format() for d in result.diagnostics]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcdefg"),
            st.booleans(),
            st.lists(
                st.tuples(
                    st.sampled_from("abcdefgxy"), st.sampled_from(["", "$[?(@[0] == 0)]", "$[[", None]), st.booleans()
                ),
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sets(st.sampled_from("abcdefg")),
)
def test_random_path_graphs(nodes, existing):
    """Any graph over existing and missing objects: no exception, every kept node exactly once."""
    from learningpaths.compiler.index import Located, ObjectIndex
    from learningpaths.compiler.pathschema import NodeRef, NodeSpec, PathSpec, TransitionSpec
    from learningpaths.compiler.resolve import resolve_path
    from learningpaths.compiler.result import ObjectKey

    index = ObjectIndex()
    for hruid in existing:
        index.add(ObjectKey(hruid, "en", 1), object(), Located("x", 1), Reporter())
    spec = PathSpec("p", "en", "P", "D", "p.yaml", 1, 2)
    for i, (hruid, start, transitions) in enumerate(nodes):
        spec.nodes.append(
            NodeSpec(
                NodeRef(hruid, "en", None),
                start,
                "",
                [
                    TransitionSpec(NodeRef(t, "en", None), default, condition or "", 10 + i)
                    for t, condition, default in transitions
                ],
                3 + i,
            )
        )
    reporter = Reporter()
    path = resolve_path(spec, index, reporter)
    kept = {h for h, _, _ in nodes if h in existing}
    if not kept:
        assert path is None
        return
    assert sorted(n.key.hruid for n in path.nodes) == sorted(kept)
    assert sum(n.start_node for n in path.nodes) == 1 and path.nodes[0].start_node
    assert all(t.next.hruid in kept for n in path.nodes for t in n.transitions)
