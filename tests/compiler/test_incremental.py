"""The live preview's builds: after every kind of edit, the same result as a full build of the tree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.incremental import IncrementalCompiler

from .helpers import front, path_json, write

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its (mtime, size): what the watcher compares."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


def moved_on(path: Path) -> None:
    """Saves within one clock tick must still look changed to the watcher."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


@pytest.fixture
def root(tmp_path):
    return write(
        tmp_path / "content",
        {
            "learning_objects/a/index.md": front("a", body="A embeds B\n\n![b](@learning-object/b/en/1)\n"),
            "learning_objects/b/index.md": front("b", body="B embeds C\n\n![c](@learning-object/c/en/1)\n"),
            "learning_objects/c/index.md": front("c", body="C text ![pic](pic.png)\n"),
            "learning_objects/c/pic.png": PNG,
            "learning_objects/d/index.md": front("d", body="D links [to e](@learning-object/e/en/1).\n"),
            "learning_objects/e/index.md": front("e", body="E is for teachers.", teacher_exclusive="true"),
            "learning_objects/f/index.md": front("f", body="F stands alone."),
            "learning_objects/g/index.md": front("g", body="G embeds E\n\n![e](@learning-object/e/en/1)\n"),
            "learning_paths/p.json": path_json("p", ["a", "b", "c"]),
            "learning_paths/q.json": path_json("q", ["d", "e"]),
        },
    )


def edit_text(root):
    write(root, {"learning_objects/c/index.md": front("c", body="C changed ![pic](pic.png)\n")})


def edit_asset(root):
    pic = root / "learning_objects/c/pic.png"
    pic.write_bytes(PNG + b"more")
    moved_on(pic)


def add_object(root):
    write(root, {"learning_objects/new/index.md": front("h", body="New, links [c](@learning-object/c/en/1).")})


def add_file_to_object(root):
    write(root, {"learning_objects/f/extra.png": PNG, "learning_objects/f/sub/more.png": PNG})


def refer_to_a_missing_file(root):
    write(root, {"learning_objects/d/index.md": front("d", body="D shows ![later](later.png)")})


def supply_the_file(root):
    write(root, {"learning_objects/d/later.png": PNG})  # the renderer saw the folder without it


def rename_folder(root):
    (root / "learning_objects/f").rename(root / "learning_objects/f2")


def delete_embedded(root):
    shutil.rmtree(root / "learning_objects/c")


def restore_embedded(root):
    write(root, {"learning_objects/c/index.md": front("c", body="C is back.")})


def break_front_matter(root):
    write(root, {"learning_objects/b/index.md": front("b").replace("version: 1", "version: [oops")})


def fix_front_matter(root):
    write(
        root,
        {"learning_objects/b/index.md": front("b", title="Fixed", body="B again\n\n![c](@learning-object/c/en/1)")},
    )


def teacher_flag(root):
    write(root, {"learning_objects/e/index.md": front("e", body="E is for everyone now.")})


def edit_path(root):
    write(root, {"learning_paths/p.json": path_json("p", ["a", "missing", "c"], title="Renamed")})


def add_path(root):
    write(root, {"learning_paths/r.json": path_json("r", ["f2", "g"])})


def cycle(root):
    write(root, {"learning_objects/f2/index.md": front("f", body="F embeds G\n\n![g](@learning-object/g/en/1)\n")})
    write(root, {"learning_objects/g/index.md": front("g", body="G embeds F\n\n![f](@learning-object/f/en/1)\n")})


def edit_beside_cycle(root):
    write(root, {"learning_objects/d/index.md": front("d", body="D no longer links.")})


def break_cycle(root):
    write(root, {"learning_objects/g/index.md": front("g", body="G alone.")})


def retarget(root):
    write(root, {"learning_objects/a/index.md": front("a", body="A embeds F now\n\n![f](@learning-object/f/en/1)\n")})


def nested_object(root):
    write(root, {"learning_objects/a/inner/index.md": front("inner")})


def duplicate(root):
    write(root, {"learning_objects/dup/index.md": front("d", body="A second d.")})


def second_source(root):
    write(root, {"learning_objects/f2/metadata.md": front("f")})


def symlink(root):
    (root / "learning_objects/d/link.png").symlink_to(root / "learning_objects/c/index.md")


def unnest(root):
    shutil.rmtree(root / "learning_objects/a/inner")  # its lp.nested_object warning goes with it


def unlink(root):
    (root / "learning_objects/d/link.png").unlink()  # and the symbolic link's warning


def readme_outside(root):
    write(root, {"README.md": "notes", "learning_objects/notes.txt": "x"})


def remove_path(root):
    (root / "learning_paths/q.json").unlink()


EDITS = [
    edit_text,
    edit_asset,
    add_object,
    add_file_to_object,
    refer_to_a_missing_file,
    supply_the_file,
    rename_folder,
    delete_embedded,
    restore_embedded,
    break_front_matter,
    fix_front_matter,
    teacher_flag,
    edit_path,
    add_path,
    cycle,
    edit_beside_cycle,
    break_cycle,
    retarget,
    nested_object,
    duplicate,
    second_source,
    symlink,
    unnest,
    unlink,
    readme_outside,
    remove_path,
]


# what some edits need done first (they name the folder f2, or edit beside a cycle)
PREPARE = {add_path: [rename_folder], cycle: [rename_folder], second_source: [rename_folder]}
PREPARE[edit_beside_cycle] = [rename_folder, cycle]
PREPARE[supply_the_file] = [refer_to_a_missing_file]
PREPARE[unnest] = [nested_object]
PREPARE[unlink] = [symlink]


def same(incremental, full):
    assert incremental.diagnostics == full.diagnostics
    assert incremental.skipped == full.skipped
    assert incremental.objects == full.objects
    assert incremental.paths == full.paths


def test_every_edit_in_turn_builds_what_a_full_build_does(root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    before = files(root)
    same(compiler.compile([root]), compile_content(root, options=CompileOptions(jobs=1)))
    for edit in EDITS:
        edit(root)
        after = files(root)
        changed = [p for p in after.keys() | before.keys() if after.get(p) != before.get(p)]
        before = after
        result = compiler.compile([root], changed=changed)
        same(result, compile_content(root, options=CompileOptions(jobs=1)))


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_each_edit_alone_builds_what_a_full_build_does(edit, root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    for prepare in PREPARE.get(edit, ()):
        prepare(root)
    compiler.compile([root])
    before = files(root)
    edit(root)
    after = files(root)
    changed = [p for p in after.keys() | before.keys() if after.get(p) != before.get(p)]
    same(compiler.compile([root], changed=changed), compile_content(root, options=CompileOptions(jobs=1)))


def test_a_text_edit_relinks_only_the_objects_that_embed_it(root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    first = compiler.compile([root])
    edit_text(root)
    result = compiler.compile([root], changed=[str(root / "learning_objects/c/index.md")])
    stats = compiler.memory.stats
    # c changed; b embeds c and a embeds b: the other four are reused, and nothing is walked again
    assert (stats["objects_reused"], stats["discovered"], stats["rescanned"]) == (4, 0, 1)
    assert stats["reads_reused"] == 6 and stats["paths_reused"] == 2
    a = {o.key.hruid: o for o in result.objects}["a"]
    assert "C changed" in a.html
    old = {o.key.hruid: o.content_hash for o in first.objects}
    assert {o.key.hruid for o in result.objects if o.content_hash != old[o.key.hruid]} == {"a", "b", "c"}


def test_without_knowing_what_changed_it_reads_everything_again(root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    compiler.compile([root])
    edit_text(root)
    result = compiler.compile([root])
    assert compiler.memory.stats["discovered"] == 1 and compiler.memory.stats["reads_reused"] == 0
    same(result, compile_content(root, options=CompileOptions(jobs=1)))


def test_the_cache_is_written_only_when_asked(root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(cache_dir=tmp_path / "cache", jobs=1))
    compiler.compile([root])
    assert not (tmp_path / "cache").exists()
    compiler.save()
    assert (tmp_path / "cache" / "compile-cache.pickle").is_file()


def test_another_tree_starts_from_nothing(root, tmp_path):
    compiler = IncrementalCompiler(CompileOptions(jobs=1))
    compiler.compile([root])
    other = write(tmp_path / "other", {"learning_objects/z/index.md": front("z")})
    result = compiler.compile([other], changed=[])
    assert [o.key.hruid for o in result.objects] == ["z"]
    assert compiler.memory.stats["discovered"] == 1
