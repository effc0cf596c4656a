"""Incremental builds: unchanged objects are not parsed or rendered again."""

from __future__ import annotations

import os

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.cache import Cache

from .helpers import front, path_json, write


def tree(tmp_path):
    return write(
        tmp_path / "content",
        {
            "a/index.md": front("a", body="A\n![x](@learning-object/b/en/1)"),
            "b/index.md": front("b", body="B one"),
            "c/index.md": front("c", body="C ![p](p.png)"),
            "c/p.png": b"png",
            "bad/index.md": front("bad", drop=("title",)),
            "learning_paths/p.json": path_json("p", ["a", "b", "c"]),
        },
    )


def test_second_build_renders_nothing_and_gives_the_same_result(tmp_path, fake_renderer):
    options = CompileOptions(cache_dir=tmp_path / "cache", jobs=1)
    first = compile_content(tree(tmp_path), options=options)
    assert sorted(fake_renderer) == ["a/en/1", "b/en/1", "bad/en/1", "c/en/1"]
    fake_renderer.clear()
    second = compile_content(tmp_path / "content", options=options)
    assert fake_renderer == []
    assert second.diagnostics == first.diagnostics and first.diagnostics  # diagnostics come back from the cache too
    assert [(o.key, o.html, o.text, o.content_hash, o.assets) for o in second.objects] == [
        (o.key, o.html, o.text, o.content_hash, o.assets) for o in first.objects
    ]
    assert [(p.hruid, p.content_hash, [n.key for n in p.nodes]) for p in second.paths] == [
        (p.hruid, p.content_hash, [n.key for n in p.nodes]) for p in first.paths
    ]


def test_changing_one_object_rerenders_only_it_and_refills_its_embedders(tmp_path, fake_renderer):
    options = CompileOptions(cache_dir=tmp_path / "cache", jobs=1)
    first = compile_content(tree(tmp_path), options=options)
    fake_renderer.clear()
    write(tmp_path / "content", {"b/index.md": front("b", body="B two")})
    second = compile_content(tmp_path / "content", options=options)
    assert fake_renderer == ["b/en/1"]
    a = {str(o.key): o for o in second.objects}["a/en/1"]
    assert "B two" in a.html and "B two" in a.text
    hashes = lambda r: {str(o.key): o.content_hash for o in r.objects}  # noqa: E731
    changed = {k for k in hashes(first) if hashes(first)[k] != hashes(second)[k]}
    assert changed == {"a/en/1", "b/en/1"}
    assert first.paths[0].content_hash != second.paths[0].content_hash


def test_touching_an_asset_rerenders_its_object(tmp_path, fake_renderer):
    options = CompileOptions(cache_dir=tmp_path / "cache", jobs=1)
    compile_content(tree(tmp_path), options=options)
    fake_renderer.clear()
    png = tmp_path / "content" / "c" / "p.png"
    png.write_bytes(b"png2")
    os.utime(png, ns=(1, 1))
    result = compile_content(tmp_path / "content", options=options)
    assert fake_renderer == ["c/en/1"]
    [asset] = {str(o.key): o for o in result.objects}["c/en/1"].assets
    assert asset.size == 4


def test_options_that_shape_html_are_part_of_the_key(tmp_path, fake_renderer):
    compile_content(tree(tmp_path), options=CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    fake_renderer.clear()
    compile_content(
        tmp_path / "content", options=CompileOptions(cache_dir=tmp_path / "cache", jobs=1, asset_url="/a/{path}")
    )
    assert len(fake_renderer) == 4


def test_a_corrupt_cache_means_a_cold_build(tmp_path, fake_renderer):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "compile-cache.pickle").write_bytes(b"not a pickle")
    result = compile_content(tree(tmp_path), options=CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    assert len(result.objects) == 4 and len(fake_renderer) == 4
    assert Cache(tmp_path / "cache").tables["render"]  # rewritten


def test_unused_entries_are_dropped(tmp_path, fake_renderer):
    options = CompileOptions(cache_dir=tmp_path / "cache", jobs=1)
    compile_content(tree(tmp_path), options=options)
    for version in range(3):
        write(tmp_path / "content", {"b/index.md": front("b", body=f"B {version}")})
        compile_content(tmp_path / "content", options=options)
    assert len(Cache(tmp_path / "cache").tables["render"]) == 4


def test_a_yaml_paths_image_file_is_part_of_its_key(tmp_path, fake_renderer):
    png = b"\x89PNG\r\n\x1a\n"
    write(
        tmp_path / "content",
        {
            "a/index.md": front("a"),
            "learning_paths/cover.png": png + b"1",
            "learning_paths/p.yaml": "hruid: p\nlanguage: en\ntitle: P\ndescription: D\n"
            "image: cover.png\nnodes: [{learningobject_hruid: a}]\n",
        },
    )
    options = CompileOptions(cache_dir=tmp_path / "cache", jobs=1)
    assert compile_content(tmp_path / "content", options=options).paths[0].image == png + b"1"
    (tmp_path / "content" / "learning_paths" / "cover.png").write_bytes(png + b"22")
    assert compile_content(tmp_path / "content", options=options).paths[0].image == png + b"22"
