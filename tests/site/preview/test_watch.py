"""The stat walk that tells the preview what changed."""

from __future__ import annotations

import os

from learningpaths.preview.watch import compare, signature


def test_change_add_delete_and_rename(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.md").write_text("one")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")  # dot folders are not content
    first = signature([tmp_path])
    assert list(first) == [str(tmp_path / "a" / "index.md")]
    assert not compare(first, signature([tmp_path]))

    (tmp_path / "a" / "index.md").write_text("one, longer")
    os.utime(tmp_path / "a" / "index.md", ns=(1, 1))  # a new mtime even on a coarse clock
    (tmp_path / "a" / "pic.png").write_bytes(b"png")
    second = signature([tmp_path])
    changes = compare(first, second)
    assert changes.changed == (str(tmp_path / "a" / "index.md"),)
    assert changes.added == (str(tmp_path / "a" / "pic.png"),)

    (tmp_path / "a").rename(tmp_path / "b")
    changes = compare(second, signature([tmp_path]))
    assert set(changes.removed) == {str(tmp_path / "a" / "index.md"), str(tmp_path / "a" / "pic.png")}
    assert set(changes.added) == {str(tmp_path / "b" / "index.md"), str(tmp_path / "b" / "pic.png")}
    assert len(changes.files) == 4


def test_a_single_file_root(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{}")
    assert list(signature([path])) == [str(path)]
