"""``python -m learningpaths.compiler``: exit status, text and JSON output, --strict."""

from __future__ import annotations

import json
import subprocess
import sys

from learningpaths.compiler.__main__ import main

from .helpers import REPO_ROOT, front, write


def test_clean_content_exits_0(tmp_path, capsys):
    write(tmp_path / "content", {"a/index.md": front("a")})
    assert main([str(tmp_path / "content"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 objects, 0 paths: 0 errors, 0 warnings in ")


def test_warnings_fail_only_with_strict(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content", {"a/index.md": front("a", keywords='[""]')})
    assert main([str(tmp_path / "content")]) == 0
    assert main([str(tmp_path / "content"), "--strict"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0] == "content/a/index.md:9:1: warning: 'keywords' holds only empty text (template placeholder); "
        "treated as empty [lp.placeholder]"
    )
    assert lines[-1].endswith("(failed, --strict)")


def test_json_format(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content", {"a/index.md": front("a", drop=("title",)), "b/index.md": front("b")})
    assert main([str(tmp_path / "content"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["objects"], report["paths"], report["ok"]) == (2, 0, False)  # a with an error is still compiled
    assert report["diagnostics"] == [
        {
            "path": "content/a/index.md",
            "line": 1,
            "col": 0,
            "severity": "error",
            "code": "lp.field_missing",
            "message": "missing required field 'title'",
            "hint": "add 'title: \"My title\"' to the front matter",
        }
    ]
    assert isinstance(report["seconds"], float)


def test_paths_open_from_the_working_folder(tmp_path, capsys, monkeypatch):
    # An editor's terminal links path:line:col relative to where the command ran, so a source
    # outside the working folder is named absolutely and one beside it through "..".
    write(tmp_path / "repo" / "lessons", {"a/index.md": front("a", drop=("title",))})
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    main(["../repo/lessons", "--no-progress"])
    assert capsys.readouterr().out.startswith("../repo/lessons/a/index.md:1:0: error: missing required field")
    main([str(tmp_path / "repo" / "lessons"), "--no-progress"])
    assert capsys.readouterr().out.startswith(f"{tmp_path}/repo/lessons/a/index.md:1:0: error:")
    monkeypatch.chdir(tmp_path / "repo")
    main([str(tmp_path / "repo" / "lessons" / "a" / "index.md"), "--no-progress"])
    assert capsys.readouterr().out.startswith("lessons/a/index.md:1:0: error:")


def test_runs_as_a_module(tmp_path):
    write(tmp_path / "content", {"a/index.md": "---\nhruid: [\n---\n"})
    run = subprocess.run(
        [sys.executable, "-m", "learningpaths.compiler", "content"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT)},
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("content/a/index.md:3:1: error: invalid YAML: while parsing a flow node")
