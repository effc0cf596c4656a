"""Linux inotify through ctypes: the kernel says which files changed, nothing walks the tree.

One watch per folder (inotify is not recursive); a folder created or moved in is watched as it
appears and walked once, since files may land in it before its watch exists. Events are read
until the tree has been quiet for ``settle`` seconds, so an editor's save (write a temporary
file, rename it over the old one, touch a backup) is one :class:`~.watch.Changes`. The events
only say where to look: each named path is stat'ed afterwards and compared with what was known,
so the answer (added, changed, removed) is the same as the stat walk's, and a file created and
deleted within one burst is no change at all.

:class:`WatchError` when inotify cannot be used (not Linux, no libc symbol, the per-user limit on
instances or watches, ``fs.inotify.max_user_watches``); the caller then polls. The queue
overflowing (``IN_Q_OVERFLOW``) costs one stat walk, not correctness.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import stat
import struct
import time
import weakref
from pathlib import Path

from .watch import Changes, Signature, compare, signature

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_ISDIR = 0x40000000

MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
    | IN_DONT_FOLLOW  # a linked folder is not content (the compiler does not follow links either)
)
_NEW_BYTES = IN_MODIFY | IN_MOVED_TO | IN_CREATE  # the file's bytes are new even if its stat looks the same
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of NUL-padded name
_BURST_MAX = 1.0  # a tree that never goes quiet (a checkout) is still reported once a second


class WatchError(OSError):
    """inotify is not available here, or a watch could not be added."""


_libc: ctypes.CDLL | None = None


def _lib() -> ctypes.CDLL:
    global _libc
    if _libc is None:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            lib.inotify_init1.argtypes = [ctypes.c_int]
            lib.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            lib.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
        except (OSError, AttributeError) as exc:  # not Linux, or a libc without inotify
            raise WatchError(errno.ENOSYS, f"inotify is not available: {exc}") from exc
        _libc = lib
    return _libc


def _init() -> int:
    fd = _lib().inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        code = ctypes.get_errno()
        raise WatchError(code, f"inotify_init1: {os.strerror(code)}")
    return fd


def _add_watch(fd: int, folder: str) -> int:
    """The watch of ``folder``; -1 when the folder is already gone; WatchError when refused."""
    wd = _lib().inotify_add_watch(fd, os.fsencode(folder), MASK)
    if wd < 0:
        code = ctypes.get_errno()
        if code in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return -1
        hint = " (raise fs.inotify.max_user_watches)" if code == errno.ENOSPC else ""
        raise WatchError(code, f"inotify_add_watch {folder}: {os.strerror(code)}{hint}")
    return wd


class InotifyWatcher:
    kind = "inotify"

    def __init__(self, roots: list[Path], *, settle: float = 0.04) -> None:
        self.roots = [Path(r) for r in roots]
        self.settle = settle
        self._fd = _init()
        self._closer = weakref.finalize(self, os.close, self._fd)
        self._poller = select.poll()  # not select(): that fails on a descriptor past 1024
        self._poller.register(self._fd, select.POLLIN)
        self._folders: dict[int, str] = {}  # watch -> folder
        self._watches: dict[str, int] = {}  # folder -> watch
        self._overflow = False
        self.known: Signature = {}
        try:
            for root in self.roots:
                for path in self._watch_tree(str(root)):
                    self._note(path, None)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._closer()

    # -- watches -----------------------------------------------------------------------------
    def _watch_tree(self, top: str) -> list[str]:
        """Watch ``top`` and every visible folder below it; the files found there."""
        found: list[str] = []
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            wd = _add_watch(self._fd, folder)
            if wd < 0:
                dirs[:] = []
                continue
            old = self._watches.get(folder)
            if old is not None and old != wd:
                self._folders.pop(old, None)
            self._folders[wd], self._watches[folder] = folder, wd
            found.extend(os.path.join(folder, name) for name in files if not name.startswith("."))
        return found

    def _unwatch_tree(self, top: str) -> list[str]:
        """Stop watching ``top`` and the folders below it (moved away or deleted); the files known there."""
        prefix = top + os.sep
        for folder in [f for f in self._watches if f == top or f.startswith(prefix)]:
            wd = self._watches.pop(folder)
            self._folders.pop(wd, None)
            _lib().inotify_rm_watch(self._fd, wd)  # fails harmlessly when the kernel already dropped it
        return [p for p in self.known if p.startswith(prefix)]

    # -- events ------------------------------------------------------------------------------
    def look(self, timeout: float) -> Changes:
        """What changed, waiting up to ``timeout`` seconds for a first event (0: only what is queued)."""
        touched: set[str] = set()
        fresh: set[str] = set()
        if not self._read(timeout, touched, fresh):
            return Changes()
        started = time.monotonic()
        while self._read(self.settle, touched, fresh) and time.monotonic() - started < _BURST_MAX:
            pass
        if self._overflow:
            return self._resync()
        return self._resolve(touched, fresh)

    def _read(self, timeout: float, touched: set[str], fresh: set[str]) -> bool:
        if not self._poller.poll(timeout * 1000):
            return False
        seen = False
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                return seen
            seen = True
            self._parse(data, touched, fresh)

    def _parse(self, data: bytes, touched: set[str], fresh: set[str]) -> None:
        at = 0
        while at < len(data):
            wd, mask, _cookie, size = _EVENT.unpack_from(data, at)
            name = os.fsdecode(data[at + _EVENT.size : at + _EVENT.size + size].rstrip(b"\0"))
            at += _EVENT.size + size
            if mask & IN_Q_OVERFLOW:
                self._overflow = True
                continue
            folder = self._folders.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED:
                self._folders.pop(wd, None)
                if self._watches.get(folder) == wd:
                    del self._watches[folder]
                continue
            if not name:  # the watched folder itself went: a root, or one whose parent event came first
                if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                    touched.update(self._unwatch_tree(folder))
                continue
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if mask & IN_ISDIR:
                if mask & (IN_DELETE | IN_MOVED_FROM):
                    touched.update(self._unwatch_tree(path))
                if mask & (IN_CREATE | IN_MOVED_TO):
                    touched.update(self._watch_tree(path))
                continue
            touched.add(path)
            if mask & _NEW_BYTES:
                fresh.add(path)

    def _note(self, path: str, st: os.stat_result | None) -> tuple[int, int] | None:
        """Record ``path``'s (mtime, size) as the stat walk would see it; None when it is no file."""
        if st is None:
            try:
                st = os.stat(path)
            except OSError:
                return None
        if stat.S_ISDIR(st.st_mode):
            return None
        self.known[path] = (st.st_mtime_ns, st.st_size)
        return self.known[path]

    def _resolve(self, touched: set[str], fresh: set[str]) -> Changes:
        added, changed, removed = [], [], []
        for path in touched:
            before = self.known.get(path)
            now = self._note(path, None)
            if now is None:
                if before is not None:
                    del self.known[path]
                    removed.append(path)
            elif before is None:
                added.append(path)
            elif before != now or path in fresh:
                changed.append(path)
        return Changes(tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)))

    def _resync(self) -> Changes:
        """After a lost event: watch every folder again and compare a stat walk with what was known."""
        self._overflow = False
        for root in self.roots:
            self._watch_tree(str(root))
        now = signature(self.roots)
        changes = compare(self.known, now)
        self.known = now
        return changes
