"""One preview session per process: build, watch, and tell waiting pages about each new build.

The management command starts it; the views read it. Builds run on the watcher's thread, one at a
time; a page long-polls :meth:`PreviewSession.wait` and reloads when the build number moves on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from learningpaths.compiler import compile_content
from learningpaths.compiler.diagnostics import ERROR, sort_key
from learningpaths.compiler.options import CompileOptions
from learningpaths.compiler.partial import loadable
from learningpaths.compiler.reader import editor_paths
from learningpaths.compiler.result import Diagnostic
from learningpaths.paths.services import AssetStorageError, content_sync

from .watch import Changes, compare, signature


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
    def __init__(self, roots: list[Path], *, interval: float = 0.2, log=None) -> None:
        self.roots = [Path(r) for r in roots]
        self.interval = interval
        self.log = log or (lambda text: None)
        self.build = Build()
        self._seen = signature(self.roots)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- building -------------------------------------------------------------------------------
    def rebuild(self, changes: Changes | None = None) -> Build:
        """Compile every source (unchanged objects come from the compile cache) and load what compiled.

        Objects with errors are left out and listed, as ``compilecontent --allow-errors`` does, and
        keep their last good version, so a broken edit never takes the rest of the preview down.
        """
        started = time.perf_counter()
        options = CompileOptions(
            iframe_allowlist=tuple(settings.IFRAME_ALLOWLIST), cache_dir=Path(settings.COMPILE_CACHE_DIR)
        )
        result = compile_content(self.roots, options=options)
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
        now = signature(self.roots)
        changes = compare(self._seen, now)
        self._seen = now
        return self.rebuild(changes) if changes else None

    # --- watching -------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="preview-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        pause = self.interval
        while not self._stop.wait(pause):
            started = time.perf_counter()
            try:
                build = self.poll()
            except Exception as exc:  # noqa: BLE001 - keep watching; the next save may fix it
                self.log(f"preview: the build failed: {exc}")
                continue
            finally:
                # The watcher thread's own connection, as after a request (never a caller's).
                close_old_connections()
            if build is not None:
                for d in build.diagnostics:
                    self.log(d.format())
            else:
                # A large tree's stat walk takes a while: look at most half the time, not all of it.
                pause = max(self.interval, time.perf_counter() - started)

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
