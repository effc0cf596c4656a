"""What one build remembers for the next (the live preview), and when it may be reused.

A preview rebuilds after every save, and usually one object changed. The compile cache already
spares the renderer; this spares the rest of the per-object work, which on a 2,500-object tree
is most of a rebuild: the walk of the tree, reading and hashing every source, resolving the
paths, and linking and hashing every object. Each reuse has a rule that makes it give the same
answer a full build would (``tests/compiler/test_incremental.py`` compares the two):

* **discover**: a file changed, added or removed inside an object's folder alters nothing the
  walk records outside that folder, and that folder alone is scanned again
  (:func:`~.reader.object_at`); a path file changed in place alters nothing the walk records.
  Anything else (a file added or removed outside the objects, a folder that stops being an
  object) makes a whole new discovery.
* **read**: an object source the watcher did not name keeps its bytes, hash and parse record.
* **resolve**: a path whose parsed spec is the same object (the in-memory cache hands back the
  same one for the same bytes) and an index with the same identities resolves the same way.
* **link**: when the build's *world* (identities, which are teacher-exclusive, which paths exist
  and which are teacher-only, the rejected hruids) is unchanged, an object whose rendering,
  source, files and metadata are unchanged has the same references and the same problems; its
  final HTML, hash and compiled object are reused unless it transcludes, directly or through
  others, an object that changed. Those are linked again in the full build's order, so a cycle
  through a changed object is found as a full build finds it; after a build that found a cycle,
  everything is linked again (the cycle's message depends on where the walk entered it).

Without ``changed`` (a caller that does not know what changed), discover and read run in full.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field

from .diagnostics import Reporter
from .entries import Entry, ObjectRecord
from .reader import Discovery, ObjectSource, object_at
from .result import CompiledObject, CompiledPath, Diagnostic, ObjectKey
from .transclude import Linker

Read = tuple[ObjectRecord, str, bytes] | None


@dataclass
class _Found:
    discovery: Discovery
    diagnostics: list[Diagnostic]
    objects: dict[str, int]  # object folder (absolute) -> its place in discovery.objects
    path_files: frozenset[str]


@dataclass
class _Linked:
    world: Hashable
    entries: dict[ObjectKey, Entry]
    linker: Linker
    checks: dict[ObjectKey, list[Diagnostic]]
    finished: dict[ObjectKey, tuple[CompiledObject | None, list[Diagnostic]]]


@dataclass
class BuildMemory:
    """The last build's intermediate results; the pipeline asks it before doing work again."""

    changed: frozenset[str] | None = None  # absolute paths changed since the last build; None: unknown
    found: _Found | None = None
    reads: dict[str, tuple[Read, list[Diagnostic]]] = field(default_factory=dict)
    resolved: dict[str, tuple[object, Hashable, CompiledPath | None, list[Diagnostic]]] = field(default_factory=dict)
    linked: _Linked | None = None
    stats: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # what the last build reused (tests)

    def next_build(self, changed: Collection[str] | None) -> None:
        self.changed = None if changed is None else frozenset(os.path.abspath(p) for p in changed)
        self.stats = defaultdict(int)

    # -- discover ---------------------------------------------------------------------------
    def discover(self, run: Callable[[Reporter], Discovery], reporter: Reporter) -> Discovery:
        found = self.found
        again = self._rediscover(found) if found is not None and self.changed is not None else None
        if again is None:
            local = Reporter()
            discovery = run(local)
            again = _Found(
                discovery,
                local.diagnostics,
                {str(src.folder): i for i, src in enumerate(discovery.objects)},
                frozenset(str(p.file) for p in discovery.paths),
            )
            self.stats["discovered"] += 1
        self.found = again
        reporter.extend(again.diagnostics)
        return again.discovery

    def _rediscover(self, found: _Found) -> _Found | None:
        """``found`` brought up to date with ``changed``, or None when only a new walk can say."""
        assert self.changed is not None
        dirty: set[str] = set()
        for path in self.changed:
            folder = _object_folder(path, found.objects)
            if folder is not None:
                dirty.add(folder)
            elif not (path in found.path_files and _regular_file(path)):
                return None  # anything else outside the objects: only the walk can say what it is now
        if not dirty:
            return found
        objects = list(found.discovery.objects)
        diagnostics = list(found.diagnostics)
        for folder in sorted(dirty):
            old = objects[found.objects[folder]]
            display = old.display.rpartition("/")[0]
            local = Reporter()
            new = object_at(folder, display, local)
            if new is None:
                return None
            objects[found.objects[folder]] = new
            prefix = display + "/"
            diagnostics = [d for d in diagnostics if not d.path.startswith(prefix)] + local.diagnostics
            self.stats["rescanned"] += 1
        return _Found(Discovery(objects, found.discovery.paths), diagnostics, found.objects, found.path_files)

    # -- read --------------------------------------------------------------------------------
    def read(self, src: ObjectSource, run: Callable[[Reporter], Read], reporter: Reporter, reads: dict) -> Read:
        """One source's read; ``reads`` collects this build's, for the next."""
        name = str(src.source)
        known = self.reads.get(name)
        if known is None or self.changed is None or name in self.changed:
            local = Reporter()
            known = (run(local), local.diagnostics)
        else:
            self.stats["reads_reused"] += 1
        reads[name] = known
        reporter.extend(known[1])
        return known[0]

    # -- resolve -----------------------------------------------------------------------------
    def resolve(
        self,
        display: str,
        spec: object,
        world: Hashable,
        run: Callable[[Reporter], CompiledPath | None],
        reporter: Reporter,
        resolved: dict,
    ) -> CompiledPath | None:
        known = self.resolved.get(display)
        if known is not None and known[0] is spec and known[1] == world:
            path, diagnostics = known[2], known[3]
            self.stats["paths_reused"] += 1
        else:
            local = Reporter()
            path, diagnostics = run(local), local.diagnostics
        # Kept as resolved: the pipeline adds the nodes' ages, time and keywords to what it gets.
        resolved[display] = (spec, world, path, diagnostics)
        reporter.extend(diagnostics)
        return dataclasses.replace(path) if path is not None else None

    # -- render ------------------------------------------------------------------------------
    def rendered(self, entries: list[Entry]) -> None:
        """Give each entry whose source and folder are as in the last build that build's rendering
        (what the render cache would find, without hashing every object's files again)."""
        last = self.linked
        if last is None:
            return
        by_source = {old.src.display: old for old in last.entries.values()}
        for entry in entries:
            old = by_source.get(entry.src.display)
            if old is not None and old.source_hash == entry.source_hash and old.src == entry.src:
                entry.render_result = old.render_result
                self.stats["renders_reused"] += 1

    # -- link --------------------------------------------------------------------------------
    def link(
        self,
        entries: list[Entry],
        linker: Linker,
        world: Hashable,
        finish: Callable[[Entry, Reporter], CompiledObject | None],
        reporter: Reporter,
    ) -> list[CompiledObject | None]:
        """Check every entry's references, then finish each object, reusing what the rules allow."""
        last = self.linked
        same_world = last is not None and last.world == world
        checks: dict[ObjectKey, list[Diagnostic]] = {}
        changed: set[ObjectKey] = set()
        for entry in entries:
            old = last.entries.get(entry.key) if last is not None and same_world else None
            if last is not None and old is not None and _same(old, entry):
                linker.targets[entry.key] = last.linker.targets[entry.key]
                checks[entry.key] = last.checks[entry.key]
                self.stats["checks_reused"] += 1
            else:
                local = Reporter()
                linker.check(entry, local)
                checks[entry.key] = local.diagnostics
                changed.add(entry.key)
            reporter.extend(checks[entry.key])
        # Objects that reach a changed one through transclusions, in the new graph, reach it in
        # the old one too (only changed objects have new targets), so the old graph finds them all.
        reusable = last is not None and same_world and not last.linker.cycles
        stale = _embedding(changed, last.linker.targets) if last is not None and reusable else None
        if last is not None and stale is not None:
            _carry(last.linker, linker, stale)
        finished: dict[ObjectKey, tuple[CompiledObject | None, list[Diagnostic]]] = {}
        objects: list[CompiledObject | None] = []
        for entry in entries:
            if last is not None and stale is not None and entry.key not in stale:
                finished[entry.key] = last.finished[entry.key]
                self.stats["objects_reused"] += 1
            else:
                local = Reporter()
                finished[entry.key] = (finish(entry, local), local.diagnostics)
            reporter.extend(finished[entry.key][1])
            objects.append(finished[entry.key][0])
        self.linked = _Linked(world, {e.key: e for e in entries}, linker, checks, finished)
        return objects

    def forget(self) -> None:
        """After a build that did not finish: the next one starts from nothing."""
        self.found, self.reads, self.resolved, self.linked = None, {}, {}, None


def _object_folder(path: str, objects: dict[str, int]) -> str | None:
    """The object folder that holds ``path`` (at any depth), or None."""
    folder = os.path.dirname(path)
    while True:
        if folder in objects:
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _regular_file(path: str) -> bool:
    """Still a file, and not a link (the walk reports links instead of reading them)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _same(old: Entry, new: Entry) -> bool:
    """Everything linking and finishing one object reads of it, unchanged (the world aside)."""
    return (
        old.rendered is new.rendered
        and old.source_hash == new.source_hash
        and old.src == new.src
        and (old.metadata is new.metadata or old.metadata == new.metadata)
    )


def _embedding(changed: set[ObjectKey], targets: dict[ObjectKey, dict[str, ObjectKey | None]]) -> set[ObjectKey]:
    """``changed`` and every object that transcludes one of them, directly or through others."""
    embedded_by: dict[ObjectKey, set[ObjectKey]] = defaultdict(set)
    for key, refs in targets.items():
        for target in refs.values():
            if target is not None:
                embedded_by[target].add(key)
    stale, todo = set(changed), list(changed)
    while todo:
        for outer in embedded_by.get(todo.pop(), ()):
            if outer not in stale:
                stale.add(outer)
                todo.append(outer)
    return stale


def _carry(last: Linker, linker: Linker, stale: set[ObjectKey]) -> None:
    """The final HTML, hashes and unlinked hrefs of the objects that stay as they were, and the
    addresses that name teacher-only material (the world is the same)."""
    linker.adopt_teacher_urls(last)
    linker.html = {k: v for k, v in last.html.items() if k[0] not in stale}
    linker.hashes = {k: v for k, v in last.hashes.items() if k not in stale}
    linker.unlinked = {k: v for k, v in last.unlinked.items() if k not in stale}
