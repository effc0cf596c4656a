"""partial.loadable: the error-free part of a build, and the list of what is left out."""

from __future__ import annotations

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.partial import loadable

from .helpers import front, path_json, write


def _build(tmp_path, files):
    return compile_content(write(tmp_path / "content", files), options=CompileOptions(jobs=1))


def test_an_object_with_an_error_what_transcludes_it_and_a_path_over_it_are_left_out(tmp_path, fake_renderer):
    result = _build(
        tmp_path,
        {
            "learning_objects/bad/index.md": front("bad", body="![x](missing.png)"),
            "learning_objects/outer/index.md": front("outer", body="![in](@learning-object/bad/en/1)"),
            "learning_objects/good/index.md": front("good"),
            "learning_paths/p.json": path_json("p", ["good", "bad"]),
            "learning_paths/q.json": path_json("q", ["good"]),
        },
    )
    kept, skips = loadable(result)
    assert [str(o.key) for o in kept.objects] == ["good/en/1"]
    assert [p.hruid for p in kept.paths] == ["q"]
    assert [s.format() for s in skips] == [
        "content/learning_objects/bad/index.md:0: file 'missing.png' is not in the object folder [lp.asset_missing]",
        "content/learning_objects/outer/index.md:0: transcludes bad/en/1, which is not loaded [lp.asset_missing]",
        "content/learning_paths/p.json:23: node bad/en/1 is not loaded (content/learning_objects/bad/index.md:0) "
        "[lp.asset_missing]",
    ]
    assert kept.skipped == [s.path for s in skips]


def test_sources_the_compiler_left_out_are_listed_at_their_first_error(tmp_path, fake_renderer):
    result = _build(
        tmp_path,
        {"learning_objects/a/index.md": front("a", drop=("title",)), "learning_objects/b/index.md": front("b")},
    )
    kept, skips = loadable(result)
    assert [str(o.key) for o in kept.objects] == ["b/en/1"]
    assert [(s.path, s.code) for s in skips] == [("content/learning_objects/a/index.md", "lp.field_missing")]


def test_a_clean_build_is_kept_whole(tmp_path, fake_renderer):
    result = _build(
        tmp_path, {"learning_objects/a/index.md": front("a"), "learning_paths/p.json": path_json("p", ["a"])}
    )
    kept, skips = loadable(result)
    assert skips == [] and kept.objects == result.objects and kept.paths == result.paths
