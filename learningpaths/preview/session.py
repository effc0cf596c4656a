"""One preview session per process: build, watch, and tell waiting pages about each new build.

The management command starts it; the views read it. Builds run on the watcher's thread, one at a
time; a page long-polls :meth:`PreviewSession.wait` and reloads when the build number moves on.
The watcher says which files changed, and the compiler (:class:`IncrementalCompiler`) redoes only
the work those files can reach; its cache is written to disk when the author pauses.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from learningpaths.compiler.diagnostics import ERROR, sort_key
from learningpaths.compiler.incremental import IncrementalCompiler
from learningpaths.compiler.options import CompileOptions
from learningpaths.compiler.partial import loadable
from learningpaths.compiler.reader import editor_paths
from learningpaths.compiler.result import Diagnostic
from learningpaths.paths.services import AssetStorageError, content_sync

from .inotify import InotifyWatcher, WatchError
from .watch import Changes, PollWatcher

_SAVE_AFTER = 2.0  # seconds without a save before the compile cache is written (it takes ~0.1 s)


@dataclass
class Build:
    number: int = 0
    seconds: float = 0.0  # compile and load, from the save seen to the database written
    objects: int = 0
    paths: int = 0
    loaded: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    finished_at: float = 0.0

    @property
    def errors(self) -> int:
        return sum(d.severity == ERROR for d in self.diagnostics)

    def as_dict(self) -> dict:
        return {
            "build": self.number,
            "seconds": round(self.seconds, 3),
            "objects": self.objects,
            "paths": self.paths,
            "loaded": self.loaded,
            "errors": self.errors,
            "warnings": len(self.diagnostics) - self.errors,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "changed": self.changed,
        }


class PreviewSession:
    def __init__(self, roots: list[Path], *, interval: float = 0.2, log=None, poll: bool | None = None) -> None:
        self.roots = [Path(r) for r in roots]
        self.interval = interval
        self.log = log or (lambda text: None)
        self.build = Build()
        self.watcher = self._open_watcher(settings.PREVIEW_POLL if poll is None else poll)
        self._compiler: IncrementalCompiler | None = None
        self._unsaved = False
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- building -------------------------------------------------------------------------------
    def rebuild(self, changes: Changes | None = None) -> Build:
        """Compile the sources and load what compiled; ``changes`` (from the watcher) lets the
        compiler redo only what they reach, None makes it read every source again.

        Objects with errors are left out and listed, as ``compilecontent --allow-errors`` does, and
        keep their last good version, so a broken edit never takes the rest of the preview down.
        """
        started = time.perf_counter()
        options = CompileOptions(
            iframe_allowlist=tuple(settings.IFRAME_ALLOWLIST), cache_dir=Path(settings.COMPILE_CACHE_DIR)
        )
        first = self._compiler is None or self._compiler.options != options
        if first:
            self._compiler = IncrementalCompiler(options)
        assert self._compiler is not None
        result = self._compiler.compile(self.roots, changed=changes.files if changes is not None else None)
        if first:
            self._compiler.save()  # a cold build's cache is worth keeping at once
        else:
            self._unsaved = True
        diagnostics = sorted(editor_paths(result.diagnostics, self.roots), key=sort_key)
        loaded = False
        # Errors: load the error-free part (as --allow-errors), and keep the last good version of
        # every object or path left out, so a half-typed edit never blanks its page or its path.
        to_load, skips = (result, []) if not result.errors else loadable(result)
        try:
            content_sync(result=to_load, partial=bool(result.errors), keep=frozenset(s.path for s in skips))
            loaded = True
        except AssetStorageError as exc:
            diagnostics.insert(0, _problem(str(exc)))
        except Exception as exc:  # noqa: BLE001 - the preview must survive whatever the loader raises
            diagnostics.insert(0, _problem(f"the build could not be loaded: {exc}"))
        build = Build(
            number=self.build.number + 1,
            seconds=time.perf_counter() - started,
            objects=len(result.objects),
            paths=len(result.paths),
            loaded=loaded,
            diagnostics=diagnostics,
            changed=list(changes.files) if changes else [],
            finished_at=time.time(),
        )
        # Said in the terminal before any waiting page hears of it: the author reads the same order.
        self.log(
            f"build {build.number}: {build.objects} objects, {build.paths} paths, {build.errors} errors, "
            f"{len(diagnostics) - build.errors} warnings in {build.seconds:.2f} s"
        )
        with self._cond:
            self.build = build
            self._cond.notify_all()
        return build

    def poll(self) -> Build | None:
        """Rebuild when a file changed since the last look; None when nothing did."""
        changes = self._look(0)
        return self.rebuild(changes) if changes else None

    def save(self) -> None:
        """Write the compile cache if a build since the last save added to it."""
        if self._unsaved and self._compiler is not None:
            self._compiler.save()
        self._unsaved = False

    # --- watching -------------------------------------------------------------------------------
    def _open_watcher(self, poll: bool) -> InotifyWatcher | PollWatcher:
        # A file given as the source is one stat: inotify would have to watch its whole folder.
        if not poll and not any(r.is_file() for r in self.roots):
            try:
                return InotifyWatcher(self.roots)
            except WatchError as exc:
                self.log(f"preview: {exc.strerror or exc}; looking at the files every {self.interval} s instead")
        return PollWatcher(self.roots, interval=self.interval)

    def _look(self, timeout: float) -> Changes:
        try:
            return self.watcher.look(timeout)
        except WatchError as exc:  # a new folder past the watch limit: poll from what was known
            self.log(f"preview: {exc.strerror or exc}; looking at the files every {self.interval} s from now on")
            known = self.watcher.known
            self.watcher.close()
            self.watcher = PollWatcher(self.roots, interval=self.interval, seen=known)
            return self.watcher.look(0)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="preview-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout=5)
        if not (self._thread and self._thread.is_alive()):
            self.save()
        self.watcher.close()

    def _watch(self) -> None:
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            try:
                # Short waits, so that stop() is heard; inotify returns as soon as a save lands.
                build = self.poll_for(0.25)
                if build is not None:
                    quiet_since = time.monotonic()
                    for d in build.diagnostics:
                        self.log(d.format())
                elif self._unsaved and time.monotonic() - quiet_since > _SAVE_AFTER:
                    self.save()
            except Exception as exc:  # noqa: BLE001 - keep watching; the next save may fix it
                self.log(f"preview: the build failed: {exc}")
            finally:
                # The watcher thread's own connection, as after a request (never a caller's).
                close_old_connections()

    def poll_for(self, timeout: float) -> Build | None:
        """:meth:`poll`, waiting up to ``timeout`` seconds for a change."""
        changes = self._look(timeout)
        return self.rebuild(changes) if changes else None

    def wait(self, since: int, timeout: float) -> Build:
        """The newest build, once its number is above ``since`` or after ``timeout`` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self.build.number > since or self._stop.is_set(), timeout=timeout)
            return self.build


def _problem(message: str) -> Diagnostic:
    return Diagnostic("", 0, 0, ERROR, "lp.preview", message)


_current: PreviewSession | None = None


def current() -> PreviewSession | None:
    """The running preview of this process, or None (then every preview route answers 404)."""
    return _current


def activate(session: PreviewSession | None) -> None:
    global _current
    _current = session
