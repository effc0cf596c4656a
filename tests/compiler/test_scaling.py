"""Pathological content compiles in time linear in its size (issue 15).

Each shape is compiled at sizes n and 4n with the real renderer; the median of a few runs must
grow by less than 8x (linear is 4x, quadratic 16x). What these caught (before -> after, 4000
elements): nested raw HTML 1.5 s -> 0.4 s and inline HTML 3.5 s -> 0.36 s (RawScope scanned every
open element per tag, Doc.col split the whole text per tag), 4000 equal headings 5.4 s -> 0.6 s
and 4000 questions 11.4 s -> 6.1 s (heading and question ids were numbered from 1 every time),
a path of 4000 nodes 17 s -> 4.4 s (reachability tested membership in a list; resolve alone 2.4 s -> 0.1 s).
"""

from __future__ import annotations

import json
import statistics
import time

import pytest

from learningpaths.compiler import CompileOptions, compile_content

from .helpers import write

pytestmark = pytest.mark.slow

FRONT = (
    "---\nhruid: {h}\nversion: 1\nlanguage: en\ntitle: T\ndescription: d\n"
    "content_type: text/markdown\nestimated_time: 5\n{extra}---\n"
)


def _obj(body: str, h: str = "a", extra: str = "") -> dict[str, str]:
    return {f"learning_objects/{h}/index.md": FRONT.format(h=h, extra=extra) + body + "\n"}


def _path_chain(n: int) -> dict[str, str]:
    files: dict[str, str] = {}
    for i in range(n):
        files.update(_obj("x", h=f"o{i}"))

    def ref(j: int) -> dict:
        return {"hruid": f"o{j % n}", "language": "en", "version": "1"}

    nodes = [
        {
            "learningobject_hruid": f"o{i}",
            "language": "en",
            "version": "1",
            "start_node": i == 0,
            "transitions": [{"default": True, "next": ref(i + 1)}, {"next": ref(i + 7), "condition": "$[?(@ == 1)]"}]
            if i + 1 < n
            else [],
        }
        for i in range(n)
    ]
    path = {"hruid": "p", "language": "en", "title": "P", "description": "d", "nodes": nodes}
    files["learning_paths/p.json"] = json.dumps(path, indent=1)
    return files


SHAPES = {  # name: (builder of a tree of size ~n, n)
    "blockquotes": (lambda n: _obj("> " * n + "x"), 10000),
    "lists": (lambda n: _obj("- " * n + "x"), 10000),
    "divs": (lambda n: _obj("<div>\n" * n + "x\n" + "</div>\n" * n), 500),
    "inline_html": (lambda n: _obj("x " + "<span>" * n + "y" + "</span>" * n), 500),
    "containers": (lambda n: _obj("::: note\n" * n + "x\n" + ":::\n" * n), 500),
    "links": (lambda n: _obj(" ".join(f"[l{i}](https://example.org/{i})" for i in range(n))), 500),
    "images": (
        lambda n: {
            **_obj(" ".join(f"![p](p{i % 20}.png)" for i in range(n))),
            **{f"learning_objects/a/p{i}.png": "x" for i in range(20)},
        },
        500,
    ),
    "transclusions": (
        lambda n: {**_obj("\n\n".join("![](@learning-object/b/en/1)" for _ in range(n))), **_obj("B", h="b")},
        500,
    ),
    "questions": (
        lambda n: _obj("\n\n".join(f"```question\nkind: short_text\nprompt: Q{i}?\nanswer: a\n```" for i in range(n))),
        100,
    ),
    "long_line": (lambda n: _obj("word " * (n * 10)), 2000),
    "headings": (lambda n: _obj("\n\n".join("## Same title" for _ in range(n))), 500),
    "emphasis": (lambda n: _obj("*a " * n + "b"), 1000),
    "brackets": (lambda n: _obj("[" * n + "a" + "]" * n), 1000),
    "yaml_deep": (lambda n: _obj("x", extra="extra: " + "[" * n + "]" * n + "\n"), 2000),
    "path_nodes": (_path_chain, 100),
}


def _seconds(tmp_path, files: dict[str, str], runs: int = 3) -> float:
    root = write(tmp_path / "content", files)
    times = []
    for _ in range(runs):
        started = time.process_time()  # this process's CPU only: the other jobs on a shared machine do not count
        result = compile_content(root, options=CompileOptions(jobs=1))
        times.append(time.process_time() - started)
    assert "lp.internal" not in {d.code for d in result.diagnostics}
    assert "lp.render_internal" not in {d.code for d in result.diagnostics}
    return statistics.median(times)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_compile_time_is_linear(shape, tmp_path):
    build, n = SHAPES[shape]
    small = _seconds(tmp_path / "small", build(n))
    large = _seconds(tmp_path / "large", build(4 * n))
    floor = 0.02  # below a few tens of milliseconds the ratio is noise: count them as that much
    assert max(large, floor) / max(small, floor) < 8, f"{shape}: {small:.3f} s at n={n}, {large:.3f} s at 4n"


def _resolve_seconds(n: int, runs: int = 3) -> float:
    """resolve_path alone on a path of ``n`` nodes (a chain with side edges, every node with two
    transitions, a third of them unreachable), without compiling n objects first."""

    from learningpaths.compiler.diagnostics import Reporter
    from learningpaths.compiler.index import Located, ObjectIndex
    from learningpaths.compiler.pathschema import NodeRef, NodeSpec, PathSpec, TransitionSpec
    from learningpaths.compiler.resolve import resolve_path
    from learningpaths.compiler.result import ObjectKey

    index: ObjectIndex[str] = ObjectIndex()
    for i in range(n):
        index.add(ObjectKey(f"o{i}", "en", 1), f"o{i}", Located("x", i, 0), Reporter())
    reachable = 2 * n // 3
    nodes = [
        NodeSpec(
            NodeRef(f"o{i}", "en", 1),
            i == 0,
            "",
            [
                TransitionSpec(NodeRef(f"o{i + 1}", "en", 1), True, "", i),
                TransitionSpec(NodeRef(f"o{(i * 7) % reachable}", "en", 1), False, "$[?(@ == 1)]", i),
            ]
            if i + 1 < reachable
            else [],
            i,
        )
        for i in range(n)
    ]
    spec = PathSpec("p", "en", "P", "d", "p.json", 1, 1, nodes=nodes)
    times = []
    for _ in range(runs):
        started = time.process_time()
        path = resolve_path(spec, index, Reporter())
        times.append(time.process_time() - started)
    assert path is not None and len(path.nodes) == n
    return statistics.median(times)


def test_path_resolution_is_linear():
    small, large = _resolve_seconds(1000), _resolve_seconds(4000)
    assert max(large, 0.02) / max(small, 0.02) < 8, f"{small:.3f} s at 1000 nodes, {large:.3f} s at 4000"
