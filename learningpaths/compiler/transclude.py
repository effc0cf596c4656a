"""Phase 6b, link: check the references the renderer found, fill in transclusions, hash.

* A transclusion or ``@learning-object`` link to an object that does not exist is
  ``lp.ref_missing`` (error, with "did you mean"). When only the *version* is wrong (Dwengo's own
  Test objects do this) it is ``lp.ref_version``, a warning, and the latest version is used. No
  version means the latest one. A link to a learning path not in the build is ``lp.ref_path``.
* Each marker ``<div class="lp-transclusion" data-lp-object="h/l/v"></div>`` is filled with the
  target's final HTML, recursively: the student variant uses the target's ``html`` and leaves
  out teacher-exclusive targets entirely, the teacher variant uses ``teacher_html``. The marker's
  ``data-lp-object`` is rewritten to the resolved key. Cycles are ``lp.ref_cycle``, naming the
  chain; the reference that closes the cycle is left empty.
* A link (``<a href>``, however the author wrote it: ``[t](@learning-object/…)``, a dwengo.org
  object link, raw HTML, the object's address) to a teacher-exclusive object, to a version-less
  object whose every version is teacher-exclusive, to a path with only teacher-exclusive steps, or
  to a ``#hruid;lang;version`` step of a teacher-exclusive object, becomes its text in the student
  variant: no href names it. Whether a target is teacher-only is known only once every object is
  read, so it is done here and not by the per-object renderer. The teacher variant keeps the link.
* ``content_hash`` covers the compiler version and code, the HTML-shaping options, the source
  bytes, every file of the folder, the content hashes of transcluded objects, and which of its
  links were made text (so a target becoming teacher-exclusive, or no longer, changes the hash).
"""

from __future__ import annotations

import html as htmllib
import os
import re
from collections import defaultdict
from collections.abc import Collection
from urllib.parse import unquote, urlsplit

from .cache import COMPILER_VERSION, Cache, code_fingerprint, digest
from .codes import Code
from .diagnostics import Reporter
from .entries import Entry
from .index import ObjectIndex
from .options import CompileOptions
from .render.context import object_url, path_url
from .result import ObjectKey

MARKER = re.compile(r'<div class="lp-transclusion" data-lp-object="([^"<>]*)">\s*</div>')
# Sanitised HTML (html5ever via nh3): attribute values are double-quoted and an <a> never holds another.
ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
HREF = re.compile(r'\shref="([^"]*)"')
_MAX_DEPTH = 50


def parse_marker(ref: str) -> tuple[str, str, int | None] | None:
    parts = ref.rsplit("/", 2)
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return None
    if parts[2] == "latest":
        return parts[0], parts[1], None
    return (parts[0], parts[1], int(parts[2])) if parts[2].isdigit() else None


class Linker:
    def __init__(
        self,
        index: ObjectIndex[Entry],
        path_ids: set[tuple[str, str]],
        reporter: Reporter,
        cache: Cache,
        shaping: str,
        *,
        options: CompileOptions | None = None,
        teacher_paths: Collection[tuple[str, str]] = (),
    ) -> None:
        self.index, self.path_ids, self.reporter, self.cache, self.shaping = index, path_ids, reporter, cache, shaping
        self.options = options or CompileOptions()
        self.teacher_paths = teacher_paths  # paths whose every step is teacher-exclusive
        self._teacher_urls: frozenset[tuple[str, str]] | None = None
        self.unlinked: dict[ObjectKey, list[str]] = {}  # per object: hrefs made text in the student variant
        self.targets: dict[ObjectKey, dict[str, ObjectKey | None]] = {}  # per object: marker ref -> resolved
        self.html: dict[tuple[ObjectKey, bool], str] = {}
        self.hashes: dict[ObjectKey, str] = {}
        self.cycles: set[frozenset] = set()

    # -- references ------------------------------------------------------------------------
    def check(self, entry: Entry, reporter: Reporter | None = None) -> None:
        """Resolve every reference of ``entry`` once, reporting the ones that do not resolve.

        ``reporter`` (default: the linker's) lets a caller keep one object's problems apart.
        """
        reporter = reporter or self.reporter
        resolved: dict[str, ObjectKey | None] = {}
        lines: dict[tuple, int] = {}
        for ref in entry.rendered.references:
            if ref.kind == "path":
                if (ref.hruid, ref.language) not in self.path_ids:
                    reporter.warning(
                        entry.src.display,
                        ref.line,
                        Code.REF_PATH,
                        f"link to learning path {ref.hruid} ({ref.language}), which is not in this build",
                        hint="the link will not work until that path is added",
                    )
                continue
            triple = (ref.hruid, ref.language, ref.version)
            lines.setdefault(triple, ref.line)
            key = self._resolve(entry, triple, ref.line, reporter)
            if ref.kind == "transclude":
                resolved[_marker_ref(triple)] = key
        for html in (entry.rendered.teacher_html, entry.rendered.html):
            for marker in MARKER.findall(html):
                parsed = parse_marker(marker)
                if marker not in resolved:
                    if parsed is None:
                        reporter.error(
                            entry.src.display, 0, Code.REF_SYNTAX, f"malformed transclusion marker '{marker}'"
                        )
                        resolved[marker] = None
                    else:
                        resolved[marker] = self._resolve(entry, parsed, lines.get(parsed, 0), reporter)
        self.targets[entry.key] = resolved

    def _resolve(self, entry: Entry, triple: tuple, line: int, reporter: Reporter) -> ObjectKey | None:
        hruid, language, version = triple
        key = self.index.resolve(hruid, language, version)
        if key is not None:
            return key
        latest = self.index.latest(hruid, language)
        if version is not None and latest is not None:
            reporter.warning(
                entry.src.display,
                line,
                Code.REF_VERSION,
                f"learning object {hruid}/{language}/{version} does not exist; the latest version ({latest}) is used",
                hint=f"write @learning-object/{hruid}/{language}/{latest}",
            )
            return ObjectKey(hruid, language, latest)
        reporter.error(
            entry.src.display,
            line,
            Code.REF_MISSING,
            f"reference to learning object {_marker_ref(triple)}, which does not exist",
            hint=self.index.explain_missing(hruid, language, version),
        )
        return None

    def transclusions(self, key: ObjectKey) -> list[ObjectKey]:
        return list(dict.fromkeys(k for k in self.targets.get(key, {}).values() if k is not None))

    # -- links to teacher-only targets ------------------------------------------------------
    def teacher_urls(self) -> frozenset[tuple[str, str]]:
        """(host, path) of every address that names only teacher material, once per build."""
        if self._teacher_urls is None:
            urls, versions = set(), defaultdict(list)
            for key, entry in self.index.items.items():
                versions[(key.hruid, key.language)].append(entry.teacher_exclusive)
                if entry.teacher_exclusive:
                    urls.add(_where(object_url(self.options, key.hruid, key.language, key.version)))
            for (hruid, language), exclusive in versions.items():
                if all(exclusive):
                    urls.add(_where(object_url(self.options, hruid, language, None)))
            for hruid, language in self.teacher_paths:
                urls.add(_where(path_url(self.options, hruid, language)))
            self._teacher_urls = frozenset(urls)
        return self._teacher_urls

    def adopt_teacher_urls(self, other: Linker) -> None:
        """Take ``other``'s addresses of teacher-only material: a build of the same world (memory.py)."""
        self._teacher_urls = other._teacher_urls

    def _names_teacher_only(self, href: str) -> bool:
        url = htmllib.unescape(href)
        if _where(url) in self.teacher_urls():
            return True
        step = unquote(url.partition("#")[2]).split(";")  # a path's "#hruid;lang;version" step
        if len(step) == 3 and step[2].isdigit():
            entry = self.index.items.get(ObjectKey(step[0], step[1], int(step[2])))
            return entry is not None and entry.teacher_exclusive
        return False

    def _unlink(self, key: ObjectKey, source: str) -> str:
        """The student variant of ``source`` with links to teacher-only targets made text."""
        unlinked: list[str] = []
        if "<a" in source and self.teacher_urls():

            def text_of(match: re.Match) -> str:
                href = HREF.search(match.group(1))
                if href is None or not self._names_teacher_only(href.group(1)):
                    return match.group(0)
                unlinked.append(href.group(1))
                return match.group(2)

            source = ANCHOR.sub(text_of, source)
        self.unlinked[key] = unlinked
        return source

    def _unlinked(self, key: ObjectKey) -> list[str]:
        if key not in self.unlinked:
            self._unlink(key, self.index.items[key].rendered.html)
        return self.unlinked[key]

    # -- final HTML --------------------------------------------------------------------------
    def final_html(self, key: ObjectKey, teacher: bool, stack: tuple[ObjectKey, ...] = ()) -> str:
        memo = self.html.get((key, teacher))
        if memo is not None:
            return memo
        entry = self.index.items[key]
        source = entry.rendered.teacher_html if teacher else self._unlink(key, entry.rendered.html)
        if "lp-transclusion" not in source:
            self.html[(key, teacher)] = source
            return source
        stack = stack + (key,)

        def fill(match: re.Match) -> str:
            target = self.targets[key].get(match.group(1))
            if target is None:
                return ""
            target_entry = self.index.items[target]
            if not teacher and target_entry.teacher_exclusive:
                return ""
            if target in stack or len(stack) > _MAX_DEPTH:
                self._cycle(entry, stack[stack.index(target) :] if target in stack else stack, target)
                return ""
            inner = self.final_html(target, teacher, stack)
            return f'<div class="lp-transclusion" data-lp-object="{target}">{inner}</div>'

        html = MARKER.sub(fill, source)
        self.html[(key, teacher)] = html
        return html

    def _cycle(self, entry: Entry, chain: tuple[ObjectKey, ...], target: ObjectKey) -> None:
        members = frozenset(chain)
        if members in self.cycles:
            return
        self.cycles.add(members)
        closing = chain[-1]
        closing_entry = self.index.items[closing]
        targets = self.targets[closing]
        line = next(
            (
                r.line
                for r in closing_entry.rendered.references
                if r.kind == "transclude" and targets.get(_marker_ref((r.hruid, r.language, r.version))) == target
            ),
            0,
        )
        self.reporter.error(
            closing_entry.src.display,
            line,
            Code.REF_CYCLE,
            f"transclusions form a cycle: {' -> '.join(str(k) for k in chain + (target,))}",
            hint="an object cannot embed itself, directly or through others",
        )

    # -- hashes ------------------------------------------------------------------------------
    def content_hash(self, key: ObjectKey, stack: tuple[ObjectKey, ...] = ()) -> str:
        known = self.hashes.get(key)
        if known is not None:
            return known
        entry = self.index.items[key]
        folder = str(entry.src.folder)
        files = [
            (f.rel, self.cache.file_sha256(os.path.join(folder, f.rel), f.size, f.mtime_ns)) for f in entry.src.files
        ]
        stack = stack + (key,)
        inner = sorted(
            str(t) if t in stack or len(stack) > _MAX_DEPTH else self.content_hash(t, stack)
            for t in self.transclusions(key)
        )
        value = digest(
            COMPILER_VERSION, code_fingerprint(), self.shaping, entry.source_hash, files, inner, self._unlinked(key)
        )
        self.hashes[key] = value
        return value


def _marker_ref(triple: tuple) -> str:
    hruid, language, version = triple
    return f"{hruid}/{language}/{'latest' if version is None else version}"


def _where(url: str) -> tuple[str, str]:
    """(host, path) of a URL, so ``/objects/x/en/1/``, ``…/1/#top`` and ``…/1/?a=b`` compare equal."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ("", url)
    return (parts.netloc.lower(), unquote(parts.path))
