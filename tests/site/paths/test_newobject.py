"""``manage.py newobject``: a new object that compiles as it is, placed and numbered like its
neighbours, appended to a YAML path's steps; clear refusals for what cannot work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learningpaths.compiler import compile_content
from learningpaths.compiler.scaffold import append_step
from tests.compiler.helpers import front, path_json, write

PATH_YAML = """hruid: dl
language: en
title: Deep learning
description: D
steps:
  - intro   # the first step
  - neuron
keywords: [a]
"""


def tree(tmp_path):
    root = tmp_path / "content"
    write(
        root / "learning_objects" / "english" / "deep_learning",
        {"0010_intro/index.md": front("intro"), "0020_neuron/index.md": front("neuron")},
    )
    write(root / "learning_paths" / "english", {"dl.yaml": PATH_YAML, "other.json": path_json("j", ["intro"])})
    return root


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("newobject", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_new_step_compiles_and_joins_the_path(tmp_path):
    root = tree(tmp_path)
    out, err = run("layers", "--title", "Layers", "--path", "dl", "--source", str(root))
    made = root / "learning_objects" / "english" / "deep_learning" / "0030_layers" / "index.md"
    assert f"wrote {made}" in out and err == ""
    assert "added layers as the last step" in out
    result = compile_content(root)
    assert result.diagnostics == []
    path = next(p for p in result.paths if p.hruid == "dl")
    assert [str(n.key) for n in path.nodes] == ["intro/en/1", "neuron/en/1", "layers/en/1"]
    assert [str(t.next) for t in path.nodes[1].transitions] == ["layers/en/1"]
    assert "# the first step" in (root / "learning_paths" / "english" / "dl.yaml").read_text()  # comments kept


def test_refusals_and_a_json_path(tmp_path):
    root = tree(tmp_path)
    with pytest.raises(CommandError, match="exists already"):
        run("neuron", "--title", "Again", "--source", str(root))
    with pytest.raises(CommandError, match="cannot be an hruid"):
        run("my topic", "--title", "T", "--source", str(root))
    with pytest.raises(CommandError, match="not a two-letter"):
        run("t", "--title", "T", "--language", "english", "--source", str(root))
    with pytest.raises(CommandError, match="no learning path 'nope'"):
        run("t", "--title", "T", "--path", "nope", "--source", str(root))
    out, _ = run("extra", "--title", "Extra", "--path", "j", "--source", str(root))
    assert "add it to" in out and '"learningobject_hruid": "extra"' in out
    assert (root / "learning_objects" / "english" / "extra" / "index.md").is_file()  # no neighbours: by language


def test_append_step_only_to_a_block_list():
    assert append_step(PATH_YAML, "x").split("\n")[7] == "  - x"
    assert append_step("hruid: p\nsteps: [a, b]\n", "x") is None
    assert append_step("hruid: p\nnodes: []\n", "x") is None
