"""The result phase (storable.py): what only exists after rendering is checked against the columns."""

from __future__ import annotations

import learningpaths.compiler.render_pool as render_pool
from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.render import Rendered

from .helpers import fake_render, formatted, front, path_json, write


def test_rendered_nul_leaves_the_object_and_its_paths_out(tmp_path, monkeypatch):
    def renderer(inp):
        done = fake_render(inp)
        if inp.key.hruid == "a":
            return Rendered("<p>a\x00</p>", "<p>a\x00</p>", done.asset_refs, done.references)
        return done

    monkeypatch.setattr(render_pool, "render_object", renderer)
    files = {
        "learning_objects/a/index.md": front("a"),
        "learning_objects/b/index.md": front("b"),
        "learning_paths/p.json": path_json("p", ["b", "a"]),
    }
    write(tmp_path / "content", files)
    result = compile_content(tmp_path / "content", options=CompileOptions(jobs=1))
    assert formatted(result) == [
        "content/learning_objects/a/index.md:0:0: error: the rendered content holds a NUL character (U+0000), "
        "which the database cannot store [lp.text_char]\n    hint: remove it from the file this object is made from",
        "content/learning_paths/p.json:23:0: error: node a/en/1 names an object that the database cannot store; "
        "the path is left out [lp.field_limit]\n    hint: fix the errors reported in that object's file",
    ]
    assert [str(o.key) for o in result.objects] == ["b/en/1"]
    assert result.paths == []
    assert result.skipped == ["content/learning_objects/a/index.md", "content/learning_paths/p.json"]
