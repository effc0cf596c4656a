"""Learning paths against the objects: missing nodes, transitions, start nodes, order, cycles."""

from __future__ import annotations

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.resolve import condition_error

from .helpers import formatted, front, path_json, write

YAML_HEAD = "hruid: p\nlanguage: en\ntitle: P\ndescription: A path\nnodes:\n"


def build(tmp_path, objects: dict[str, dict], paths: dict[str, str]):
    files = {f"content/objects/{name}/index.md": front(name, **fields) for name, fields in objects.items()}
    files.update({f"content/learning_paths/{name}": text for name, text in paths.items()})
    write(tmp_path, files)
    return compile_content(tmp_path / "content", options=CompileOptions(jobs=1))


def order(result, hruid="p"):
    [path] = [p for p in result.paths if p.hruid == hruid]
    return [n.key.hruid for n in path.nodes]


def test_d1_condition_parses_and_garbage_does_not():
    assert condition_error("$[?(@[0] == 0)]") == ""
    assert condition_error("true") == condition_error("") == ""
    assert condition_error("$[?(@.score > 6 && @.time < 230)]") == ""
    assert condition_error("$[[[") != ""


def test_breadth_first_from_the_start_default_first_then_file_order(tmp_path, fake_renderer):
    yaml = YAML_HEAD + (
        "  - {learningobject_hruid: d}\n"
        "  - learningobject_hruid: a\n    start_node: true\n"
        "    transitions: [{next: {hruid: c}, condition: '$[?(@[0] == 1)]'}, {next: {hruid: b}, default: true}]\n"
        "  - {learningobject_hruid: c, transitions: [{next: {hruid: d}}]}\n"
        "  - {learningobject_hruid: b, transitions: [{next: {hruid: d}}]}\n"
        "  - {learningobject_hruid: e}\n"
    )
    result = build(tmp_path, {k: {} for k in "abcde"}, {"p.yaml": yaml})
    assert order(result) == ["a", "b", "c", "d", "e"]
    assert formatted(result) == [
        "content/learning_paths/p.yaml:12:5: warning: node e/en/1 cannot be reached from the start node a/en/1 "
        "[lp.path_unreachable]\n    hint: add a transition to it, or remove it from the path"
    ]
    start = result.paths[0].nodes[0]
    assert start.start_node and [(t.next.hruid, t.default, t.condition) for t in start.transitions] == [
        ("c", False, "$[?(@[0] == 1)]"),
        ("b", True, ""),
    ]


def test_missing_nodes_are_spliced_out_and_start_moves_on(tmp_path, fake_renderer):
    result = build(tmp_path, {"b": {}, "d": {}}, {"p.json": path_json("p", ["a", "b", "c", "d"])})
    assert order(result) == ["b", "d"]
    nodes = result.paths[0].nodes
    assert nodes[0].start_node and [t.next.hruid for t in nodes[0].transitions] == ["d"]
    assert [d.code for d in result.diagnostics] == ["lp.path_node_missing"] * 2
    assert not result.errors


def test_no_existing_node_is_an_error(tmp_path, fake_renderer):
    result = build(tmp_path, {}, {"p.json": path_json("p", ["a"])})
    assert result.paths == [] and result.skipped == ["content/learning_paths/p.json"]
    assert formatted(result)[0] == (
        "content/learning_paths/p.json:6:3: error: none of the nodes of this path names an existing learning object "
        "[lp.path_node_missing]"
    )


def test_several_start_nodes_first_wins(tmp_path, fake_renderer):
    nodes = [{"learningobject_hruid": h, "language": "en", "version": "1", "start_node": True} for h in "ab"]
    result = build(tmp_path, {"a": {}, "b": {}}, {"p.json": path_json("p", nodes)})
    assert order(result) == ["a", "b"]
    assert formatted(result) == [
        "content/learning_paths/p.json:13:5: warning: the path has 2 start nodes (lines 7, 13); the first is used [lp.path_start]\n"
        "    hint: keep start_node: true on one node only",
        "content/learning_paths/p.json:13:5: warning: node b/en/1 cannot be reached from the start node a/en/1 "
        "[lp.path_unreachable]\n    hint: add a transition to it, or remove it from the path",
    ]


def test_a_cycle_with_an_exit_is_fine_a_self_loop_without_is_not(tmp_path, fake_renderer):
    retry = YAML_HEAD + (
        "  - {learningobject_hruid: a, start_node: true, transitions: [{next: {hruid: b}}]}\n"
        "  - {learningobject_hruid: b, transitions: [{next: {hruid: a}, condition: '$[?(@[0] == 1)]'}, {next: {hruid: c}, default: true}]}\n"
        "  - {learningobject_hruid: c}\n"
    )
    stuck = (
        YAML_HEAD.replace("hruid: p", "hruid: q")
        + "  - {learningobject_hruid: a, start_node: true, transitions: [{next: {hruid: a}}]}\n"
    )
    result = build(tmp_path, {"a": {}, "b": {}, "c": {}}, {"retry.yaml": retry, "stuck.yaml": stuck})
    assert order(result) == ["a", "b", "c"]
    assert formatted(result) == [
        "content/learning_paths/stuck.yaml:6:5: error: nodes a/en/1 -> a/en/1 form a cycle with no way out [lp.path_cycle]\n"
        "    hint: give one of these nodes a transition that leaves the cycle, or none at all"
    ]


def test_derived_ages_time_keywords_and_latest_version(tmp_path, fake_renderer):
    objects = {
        "a": {"target_ages": "[12, 13]", "estimated_time": 10, "keywords": "[ai, data]"},
        "b": {"target_ages": "[16]", "estimated_time": 2.5, "keywords": "[data, python]"},
    }
    write(tmp_path, {"content/objects/a2/index.md": front("a", version=2, target_ages="[10]", estimated_time=3)})
    yaml = (
        YAML_HEAD
        + "  - {learningobject_hruid: a, start_node: true, transitions: [{next: {hruid: b}}]}\n  - {learningobject_hruid: b}\n"
    )
    result = build(tmp_path, objects, {"p.yaml": yaml})
    path = result.paths[0]
    assert [str(n.key) for n in path.nodes] == ["a/en/2", "b/en/1"]  # no version: the latest
    assert (path.min_age, path.max_age, path.estimated_time) == (10, 16, 6)
    assert path.keywords == ["data", "python"]  # a/en/2 has no keywords
    assert path.content_hash and path.source_path == "content/learning_paths/p.yaml"


def test_duplicate_paths_are_reported_at_both_places(tmp_path, fake_renderer):
    result = build(
        tmp_path,
        {"a": {}},
        {"one.json": path_json("p", ["a"]), "two.yaml": YAML_HEAD + "  - {learningobject_hruid: a}\n"},
    )
    assert [p.source_path for p in result.paths] == ["content/learning_paths/one.json"]
    assert formatted(result, "lp.duplicate_id") == [
        "content/learning_paths/one.json:2:3: error: learning path p (en) is defined again in content/learning_paths/two.yaml:1 "
        "[lp.duplicate_id]\n    hint: paths are identified by hruid and language; rename one of them",
        "content/learning_paths/two.yaml:1:1: error: learning path p (en) is already defined in content/learning_paths/one.json:2; "
        "this one is left out [lp.duplicate_id]\n    hint: paths are identified by hruid and language; rename one of them",
    ]


def test_transition_with_another_version_of_a_node(tmp_path, fake_renderer):
    write(tmp_path, {"content/objects/b4/index.md": front("b", version=4)})
    nodes = [
        {
            "learningobject_hruid": "a",
            "language": "en",
            "version": "1",
            "start_node": True,
            "transitions": [{"default": True, "next": {"hruid": "b", "language": "en", "version": "3"}}],
        },
        {"learningobject_hruid": "b", "language": "en", "version": "4"},
    ]
    result = build(tmp_path, {"a": {}}, {"p.json": path_json("p", nodes)})
    assert order(result) == ["a", "b"]
    assert formatted(result) == [
        "content/learning_paths/p.json:13:9: warning: transition to b/en/3, but this path's node is version 4; that node is used "
        "[lp.ref_version]\n    hint: write version 4 in the transition"
    ]
