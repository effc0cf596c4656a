"""Discovery: which folders are objects, which files are paths, what belongs to an object."""

from __future__ import annotations

from learningpaths.compiler.diagnostics import Reporter
from learningpaths.compiler.reader import discover

from .helpers import front, write


def _discover(root):
    reporter = Reporter()
    return discover([root], reporter), [d.format() for d in reporter.diagnostics]


def test_object_folder_files_and_subfolders(tmp_path):
    write(
        tmp_path / "content",
        {
            "objects/0104_ai/index.md": front("un_ai4"),
            "objects/0104_ai/embed/b.png": b"png",
            "objects/0104_ai/a.xml": "<xml/>",
            "objects/0104_ai/.hidden": "x",
            "objects/0104_ai/.git/config": "x",
            "objects/.draft/index.md": front("draft"),
        },
    )
    found, problems = _discover(tmp_path / "content")
    assert problems == []
    [obj] = found.objects
    assert obj.display == "content/objects/0104_ai/index.md"
    assert obj.kind == "index.md"
    assert obj.file_names == ("a.xml", "embed/b.png")  # top level first; no dotfiles, no source file
    assert obj.folder == tmp_path / "content" / "objects" / "0104_ai"


def test_metadata_sources_and_precedence(tmp_path):
    write(tmp_path / "c", {"x/metadata.yaml": "hruid: x", "y/metadata.md": front("y"), "y/Voorbeeld1.xml": "<x/>"})
    found, problems = _discover(tmp_path / "c")
    assert problems == []
    assert [(o.display, o.file_names) for o in found.objects] == [
        ("c/x/metadata.yaml", ()),
        ("c/y/metadata.md", ("Voorbeeld1.xml",)),
    ]


def test_nested_object_is_reported_and_not_compiled(tmp_path):
    write(tmp_path / "c", {"a/index.md": front("a"), "a/sub/deeper/index.md": front("b"), "a/sub/deeper/x.png": b""})
    found, problems = _discover(tmp_path / "c")
    assert [o.display for o in found.objects] == ["c/a/index.md"]
    assert found.objects[0].file_names == ("sub/deeper/index.md", "sub/deeper/x.png")
    assert problems == [
        "c/a/sub/deeper/index.md:0:0: warning: learning object inside the object folder 'c/a' is not compiled "
        "[lp.nested_object]\n    hint: move this folder out of the other object's folder (Dwengo skips it too)"
    ]


def test_paths_only_in_learning_paths_folders(tmp_path):
    write(
        tmp_path / "lc",
        {
            "learning_paths/nederlands/0efeningen.json": "{}",
            "learning_paths/own/p.yaml": "x: 1",
            "learning_paths/own/p.yml": "x: 1",
            "learning_paths/README.md": "no",
            "learning-path/q.json": "{}",
            "other/r.json": "{}",
            "learning_path_example.json": "{}",
        },
    )
    found, _ = _discover(tmp_path / "lc")
    assert [p.display for p in found.paths] == [
        "lc/learning-path/q.json",
        "lc/learning_paths/nederlands/0efeningen.json",
        "lc/learning_paths/own/p.yaml",
        "lc/learning_paths/own/p.yml",
    ]


def test_root_named_learning_paths_and_single_files(tmp_path):
    write(tmp_path, {"learning_paths/p.json": "{}", "obj/index.md": front("a"), "loose/x.json": "{}"})
    reporter = Reporter()
    found = discover(
        [tmp_path / "learning_paths", tmp_path / "obj" / "index.md", tmp_path / "loose" / "x.json"], reporter
    )
    assert [p.display for p in found.paths] == ["learning_paths/p.json", "loose/x.json"]
    assert [o.display for o in found.objects] == ["obj/index.md"]


def test_not_a_source(tmp_path):
    write(tmp_path, {"notes.txt": "x"})
    _, problems = _discover(tmp_path / "notes.txt")
    assert problems == [
        f"{tmp_path / 'notes.txt'}:0:0: error: not a learning object folder, a path file or a folder of them [lp.read]\n"
        "    hint: pass a content folder, an index.md/metadata.md/metadata.yaml or a path .json/.yaml"
    ]


def test_symlinks_are_not_followed(tmp_path):
    write(tmp_path, {"outside/secret.txt": "s", "c/a/index.md": front("a")})
    (tmp_path / "c" / "a" / "secret.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (tmp_path / "c" / "a" / "more").symlink_to(tmp_path / "outside", target_is_directory=True)
    found, problems = _discover(tmp_path / "c")
    assert found.objects[0].file_names == ()
    assert problems == [
        "c/a/more:0:0: warning: symbolic links are not followed; this one is ignored [lp.read]\n    hint: copy the file or folder instead",
        "c/a/secret.txt:0:0: warning: symbolic links are not followed; this one is ignored [lp.read]\n    hint: copy the file or folder instead",
    ]
