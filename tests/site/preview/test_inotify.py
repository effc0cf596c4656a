"""Both watchers (inotify and the stat-walk poll) report the same changes; the poll is the fallback."""

from __future__ import annotations

import errno
import os
import sys

import pytest

from learningpaths.preview import inotify
from learningpaths.preview.inotify import InotifyWatcher, WatchError
from learningpaths.preview.watch import Changes, PollWatcher

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's")


def bump(path):
    """A new mtime even on a coarse clock, so the poll sees a rewrite of the same size."""
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def write(path, text="x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    existed = os.path.exists(path)
    with open(path, "w") as fh:
        fh.write(text)
    if existed:
        bump(path)


@pytest.fixture(params=["inotify", "poll"])
def make(request):
    made = []

    def watcher(root):
        w = InotifyWatcher([root]) if request.param == "inotify" else PollWatcher([root], interval=0.01)
        made.append(w)
        return w

    yield watcher
    for w in made:
        w.close()


def look(watcher) -> Changes:
    return watcher.look(1.0)


@pytest.fixture
def tree(tmp_path):
    write(str(tmp_path / "a" / "index.md"), "one")
    write(str(tmp_path / "a" / "pic.png"), "png")
    write(str(tmp_path / ".git" / "HEAD"), "x")
    return tmp_path


def test_change_add_and_delete(make, tree):
    w = make(tree)
    a, pic, new = (str(tree / "a" / n) for n in ("index.md", "pic.png", "new.png"))
    write(a, "one, longer")
    write(new, "new")
    os.unlink(pic)
    assert look(w) == Changes(added=(new,), changed=(a,), removed=(pic,))
    assert not w.look(0)  # nothing since


def test_a_save_by_rename_is_a_change(make, tree):
    """Editors write a temporary file and rename it over the old one (vim's backupcopy=no, gedit)."""
    w = make(tree)
    a = str(tree / "a" / "index.md")
    write(str(tree / "a" / "index.md.tmp"), "saved by rename")
    os.replace(str(tree / "a" / "index.md.tmp"), a)
    bump(a)
    assert look(w) == Changes(changed=(a,))


def test_renaming_a_folder_removes_and_adds_its_files(make, tree):
    w = make(tree)
    (tree / "a").rename(tree / "b")
    changes = look(w)
    assert set(changes.removed) == {str(tree / "a" / "index.md"), str(tree / "a" / "pic.png")}
    assert set(changes.added) == {str(tree / "b" / "index.md"), str(tree / "b" / "pic.png")}
    write(str(tree / "b" / "index.md"), "edited after the move")  # the moved folder is still watched
    assert look(w) == Changes(changed=(str(tree / "b" / "index.md"),))


def test_a_new_subfolder_is_watched(make, tree):
    w = make(tree)
    first = str(tree / "c" / "embed" / "one.png")
    write(first)  # created with its folders, before any watch on them could exist
    assert look(w) == Changes(added=(first,))
    second = str(tree / "c" / "embed" / "two.png")
    write(second)
    assert look(w) == Changes(added=(second,))


def test_dot_names_and_a_file_gone_within_the_burst_are_not_changes(make, tree):
    w = make(tree)
    write(str(tree / "a" / ".index.md.swp"))
    write(str(tree / ".git" / "index"))
    write(str(tree / "a" / "4913"))  # vim's probe file: created and deleted at once
    os.unlink(str(tree / "a" / "4913"))
    assert not w.look(0.3)


def test_inotify_reports_a_rewrite_the_stat_cannot_see(tree):
    """Same size, same mtime tick: the poll needs the mtime moved on (see bump), inotify does not."""
    w = InotifyWatcher([tree])
    a = str(tree / "a" / "index.md")
    st = os.stat(a)
    with open(a, "w") as fh:
        fh.write("two")
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert look(w) == Changes(changed=(a,))
    w.close()


def test_inotify_answers_at_once_and_coalesces_a_burst(tree):
    import time

    w = InotifyWatcher([tree], settle=0.05)
    assert not w.look(0)
    started = time.perf_counter()
    for i in range(5):
        write(str(tree / "a" / f"f{i}.png"))
    changes = w.look(1.0)
    assert len(changes.added) == 5 and time.perf_counter() - started < 0.5
    w.close()


def test_a_lost_event_costs_one_stat_walk(tree):
    w = InotifyWatcher([tree])
    a = str(tree / "a" / "index.md")
    w._overflow = True  # as after IN_Q_OVERFLOW: the queue dropped events
    os.unlink(str(tree / "a" / "pic.png"))
    write(a, "after the overflow")
    assert look(w) == Changes(changed=(a,), removed=(str(tree / "a" / "pic.png"),))
    w.close()


def limit_watches(monkeypatch, allowed):
    """inotify_add_watch refusing every watch after ``allowed``, as at fs.inotify.max_user_watches."""
    real, calls = inotify._add_watch, []

    def limited(fd, folder):
        calls.append(folder)
        if len(calls) > allowed:
            raise WatchError(errno.ENOSPC, "inotify_add_watch: No space left on device")
        return real(fd, folder)

    monkeypatch.setattr(inotify, "_add_watch", limited)


def test_the_session_polls_when_inotify_cannot_watch_the_tree(tree, monkeypatch):
    from learningpaths.preview.session import PreviewSession

    limit_watches(monkeypatch, 1)  # the root, not a/
    said = []
    session = PreviewSession([tree], log=said.append)
    assert isinstance(session.watcher, PollWatcher)
    assert "No space left on device" in said[0] and "every 0.2 s" in said[0]
    session.stop()


def test_the_session_switches_to_polling_when_a_new_folder_is_past_the_limit(tree, monkeypatch):
    from learningpaths.preview.session import PreviewSession

    limit_watches(monkeypatch, 2)  # the root and a/; a new folder is one too many
    said = []
    session = PreviewSession([tree], log=said.append)
    assert isinstance(session.watcher, InotifyWatcher)
    a, new = str(tree / "a" / "index.md"), str(tree / "new" / "index.md")
    write(a, "changed before the new folder")
    write(new)
    changes = session._look(1.0)
    assert isinstance(session.watcher, PollWatcher) and "from now on" in said[0]
    assert changes == Changes(added=(new,), changed=(a,))  # nothing lost in the switch
    write(a, "and after it")
    assert session._look(0) == Changes(changed=(a,))
    session.stop()


@pytest.mark.parametrize("how", ["argument", "setting"])
def test_polling_can_be_asked_for(tree, settings, how):
    from learningpaths.preview.session import PreviewSession

    settings.PREVIEW_POLL = how == "setting"
    session = PreviewSession([tree], poll=True if how == "argument" else None)
    assert isinstance(session.watcher, PollWatcher)
    settings.PREVIEW_POLL = False
    default = PreviewSession([tree])
    assert isinstance(default.watcher, InotifyWatcher)
    default.stop()


def test_a_file_source_is_polled(tree):
    from learningpaths.preview.session import PreviewSession

    assert isinstance(PreviewSession([tree / "a" / "index.md"]).watcher, PollWatcher)
