"""The phases in order: discover -> parse -> validate -> index -> resolve -> render -> link -> result.

"First gather all data from all files to ensure all data is consistent" (MkDocs ``build()``):
nothing leaves this module until every file has been read and cross-checked, and every problem
becomes a diagnostic in the returned :class:`CompileResult`; no phase raises on bad input.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from .cache import Cache, code_fingerprint, digest, options_fingerprint
from .codes import Code
from .diagnostics import Reporter, sort_key
from .entries import Entry, ObjectRecord
from .index import Located, ObjectIndex
from .memory import BuildMemory
from .options import CompileOptions
from .parse import parse_object, parse_path
from .pathschema import PathSpec, validate_path
from .reader import ObjectSource, PathSource, decode, discover, read_bytes
from .render_pool import build_assets, render_entries
from .resolve import resolve_path
from .result import CompiledObject, CompiledPath, CompileResult
from .schema import validate_object
from .storable import path_minutes_fit, storable_objects, storable_paths
from .text import html_to_text
from .transclude import Linker

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
T = TypeVar("T")
_DEFAULT_OPTIONS = CompileOptions()  # frozen, so one shared default is safe


def compile_content(
    sources: list[Path] | Path,
    *,
    options: CompileOptions = _DEFAULT_OPTIONS,
    cache: Cache | None = None,
    memory: BuildMemory | None = None,
) -> CompileResult:
    """Compile learning objects and paths under ``sources``; never raises on bad content.

    ``cache`` and ``memory`` are for a caller that builds again and again in one process (the live
    preview, through :class:`~.incremental.IncrementalCompiler`): a cache kept in memory is not
    read from disk nor saved, and ``memory`` reuses the last build's work where that is safe.
    """
    # The build allocates many long-lived objects (the cache, the result) and little cyclic garbage:
    # pausing the cyclic GC makes loading the cache ~6x and the whole warm build ~2x faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _compile(sources, options, cache, memory)
    finally:
        if paused:
            gc.enable()


def _compile(
    sources: list[Path] | Path, options: CompileOptions, kept: Cache | None, memory: BuildMemory | None
) -> CompileResult:
    started = time.perf_counter()
    sources = [Path(sources)] if isinstance(sources, (str, Path)) else [Path(s) for s in sources]
    reporter = Reporter()
    cache = kept if kept is not None else Cache(options.cache_dir)
    memory = memory or BuildMemory()  # a fresh one reuses nothing: the plain build
    skipped: list[str] = []
    found = memory.discover(partial(discover, sources), reporter)

    # parse + validate objects, then index them by identity
    index: ObjectIndex[Entry] = ObjectIndex()
    reads: dict = {}
    for src in found.objects:
        read = memory.read(src, partial(_read_object, src, cache), reporter, reads)
        entry = Entry.accept(src, *read) if read is not None else None
        if entry is None:
            skipped.append(src.display)
            metadata = read[0].metadata if read is not None else None
            if metadata and isinstance(metadata.get("hruid"), str):
                index.rejected.add(metadata["hruid"])
            continue
        if not index.add(entry.key, entry, Located(src.display, *entry.record.hruid_pos), reporter):
            skipped.append(src.display)
    memory.reads = reads
    identities = (frozenset(index.items), frozenset(index.rejected))  # all that resolving a path reads

    # parse + validate + resolve paths
    paths: list[CompiledPath] = []
    seen_paths: dict[tuple[str, str], PathSpec] = {}
    resolved: dict = {}
    for path_src in found.paths:
        spec = _read_path(path_src, cache, reporter)
        if spec is None:
            skipped.append(path_src.display)
            continue
        first = seen_paths.get((spec.hruid, spec.language))
        if first is not None:
            _duplicate_path(first, spec, reporter)
            skipped.append(path_src.display)
            continue
        seen_paths[(spec.hruid, spec.language)] = spec
        path = memory.resolve(
            path_src.display, spec, identities, partial(_resolve, path_src.display, spec, index), reporter, resolved
        )
        if path is None:
            skipped.append(path_src.display)
        else:
            paths.append(path)
    memory.resolved = resolved

    # render, then link (references, transclusions) and hash
    entries = list(index.items.values())
    memory.rendered(entries)
    render_entries(entries, options, cache, reporter)
    teacher_paths = {
        (p.hruid, p.language)
        for p in paths
        if p.nodes and all(n.key in index.items and index.items[n.key].teacher_exclusive for n in p.nodes)
    }
    linker = Linker(
        index,
        set(seen_paths),
        reporter,
        cache,
        options_fingerprint(options),
        options=options,
        teacher_paths=teacher_paths,
    )
    world = (
        identities,
        frozenset(k for k, e in index.items.items() if e.teacher_exclusive),
        frozenset(teacher_paths),
        frozenset(seen_paths),
    )
    finished = memory.link(entries, linker, world, partial(_finished, linker, cache), reporter)
    objects = [o for o in finished if o is not None]
    objects, left_out = storable_objects(objects, {e.key: partial(_line_of, e) for e in entries}, reporter)
    skipped.extend(left_out)
    fitting = [path for path in paths if _derive(path, index, linker, reporter)]
    skipped.extend(path.source_path for path in paths if path not in fitting)
    paths, left_out = storable_paths(fitting, {o.key for o in objects}, reporter)
    skipped.extend(left_out)

    if kept is None:
        cache.save()
    diagnostics = sorted(dict.fromkeys(reporter.diagnostics), key=sort_key)
    return CompileResult(objects, paths, diagnostics, skipped=skipped, seconds=time.perf_counter() - started)


def _guarded(display: str, reporter: Reporter, work: Callable[[], T]) -> T | None:
    """Run one file's phase; a compiler bug becomes an ``lp.internal`` error, not a crash.

    Not used around rendering: ``render_object`` is the renderer's own net (``lp.render_internal``).
    """
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - any compiler bug on one file becomes its lp.internal diagnostic
        reporter.error(
            display,
            0,
            Code.INTERNAL,
            f"the compiler failed on this file: {type(exc).__name__}: {exc}",
            hint="this is a bug in the compiler; please report it",
        )
        return None


def _resolve(display: str, spec: PathSpec, index: ObjectIndex[Entry], reporter: Reporter) -> CompiledPath | None:
    return _guarded(display, reporter, partial(resolve_path, spec, index, reporter))


def _finished(linker: Linker, cache: Cache, entry: Entry, reporter: Reporter) -> CompiledObject | None:
    return _guarded(entry.src.display, reporter, partial(_finish, entry, linker, cache, reporter))


def _read_object(src: ObjectSource, cache: Cache, reporter: Reporter) -> tuple[ObjectRecord, str, bytes] | None:
    """The (cached) parse + validate record of one source, with the source's hash and bytes; None if unreadable."""
    data = read_bytes(src.source, src.display, reporter)
    if data is None:
        return None
    source_hash = hashlib.sha256(data).hexdigest()
    key = digest(code_fingerprint(), "front", src.display, source_hash)
    record = cache.get("front", key)
    if record is None:
        local = Reporter()
        record = _guarded(src.display, local, lambda: _parse_object(data, src, local)) or ObjectRecord(
            None, None, False, None, 0, (0, 0)
        )
        record.diagnostics = local.diagnostics
        cache.put("front", key, dataclasses.replace(record, body=None))  # the body is cheap to split again
    reporter.extend(record.diagnostics)
    return record, source_hash, data


def _parse_object(data: bytes, src: ObjectSource, reporter: Reporter) -> ObjectRecord:
    text = decode(data, src.display, reporter)
    parsed = parse_object(text, src.kind, src.display, reporter) if text is not None else None
    if parsed is None:
        return ObjectRecord(None, None, False, None, 0, (0, 0))
    meta = validate_object(parsed.doc, src.display, reporter, missing_line=parsed.missing_line)
    hruid_pos = parsed.doc.pos("hruid") if "hruid" in parsed.doc.data else (parsed.missing_line, 0)
    return ObjectRecord(meta.metadata, meta.key, meta.renderable, parsed.body, parsed.body_line, hruid_pos)


def _read_path(src: PathSource, cache: Cache, reporter: Reporter) -> PathSpec | None:
    data = read_bytes(src.file, src.display, reporter)
    if data is None:
        return None
    key = digest(code_fingerprint(), "path", src.display, hashlib.sha256(data).hexdigest(), _image_stamp(src, data))
    hit = cache.get("path", key)
    if hit is None:
        local = Reporter()

        def parse() -> PathSpec | None:
            text = decode(data, src.display, local)
            doc = parse_path(text, src.file.suffix, src.display, local) if text is not None else None
            return validate_path(doc, src.file, src.display, local) if doc is not None else None

        hit = cache.put("path", key, (_guarded(src.display, local, parse), local.diagnostics))
    spec, diagnostics = hit
    reporter.extend(diagnostics)
    return spec


def _image_stamp(src: PathSource, data: bytes) -> tuple:
    """A YAML path may name an image file next to it: that file's stat is part of the cache key."""
    if src.file.suffix == ".json":
        return ()
    stamps = []
    try:
        for candidate in os.scandir(src.file.parent):
            if candidate.name.lower().endswith(_IMAGE_SUFFIXES) and candidate.name.encode() in data:
                st = candidate.stat()
                stamps.append((candidate.name, st.st_size, st.st_mtime_ns))
    except OSError:
        return ("unreadable",)
    return tuple(sorted(stamps))


def _duplicate_path(first: PathSpec, second: PathSpec, reporter: Reporter) -> None:
    ident = f"{second.hruid} ({second.language})"
    reporter.error(
        second.display,
        second.line,
        Code.DUPLICATE_ID,
        f"learning path {ident} is already defined in {first.display}:{first.line}; this one is left out",
        col=second.col,
        hint="paths are identified by hruid and language; rename one of them",
    )
    reporter.error(
        first.display,
        first.line,
        Code.DUPLICATE_ID,
        f"learning path {ident} is defined again in {second.display}:{second.line}",
        col=first.col,
        hint="paths are identified by hruid and language; rename one of them",
    )


def _finish(entry: Entry, linker: Linker, cache: Cache, reporter: Reporter) -> CompiledObject:
    key = entry.key
    html = linker.final_html(key, teacher=False)
    teacher_html = linker.final_html(key, teacher=True)
    content_hash = linker.content_hash(key)
    texts = cache.get("text", content_hash)
    if texts is None:
        text = html_to_text(html)
        texts = cache.put("text", content_hash, (text, text if teacher_html == html else html_to_text(teacher_html)))
    return CompiledObject(
        key=key,
        source_path=entry.src.display,
        metadata=entry.metadata,
        html=html,
        teacher_html=teacher_html,
        text=texts[0],
        teacher_text=texts[1],
        assets=build_assets(entry, cache, reporter),
        transclusions=linker.transclusions(key),
        questions=[
            dataclasses.replace(q, teacher_only=True) if entry.teacher_exclusive and not q.teacher_only else q
            for q in entry.rendered.questions
        ],
        content_hash=content_hash,
    )


def _line_of(entry: Entry, text: str) -> int:
    """The line of ``entry``'s source where ``text`` first appears in the body, or 0."""
    body = entry.body() or ""
    at = body.find(text)
    return entry.record.body_line + body.count("\n", 0, at) if at >= 0 else 0


def _derive(path: CompiledPath, index: ObjectIndex[Entry], linker: Linker, reporter: Reporter) -> bool:
    """Ages, time and keywords from the nodes' objects; the hash from the path file and the nodes.

    False (reported) when the total time does not fit the database's integer column.
    """
    ages: list[int] = []
    keywords = list(path.keywords)
    minutes: list[float] = []
    for node in path.nodes:
        metadata = index.items[node.key].metadata
        ages.extend(metadata.get("target_ages") or [])
        minutes.append(metadata.get("estimated_time") or 0)
        keywords.extend(metadata.get("keywords") or [])
    if not path_minutes_fit(path, minutes, reporter):
        return False
    path.min_age, path.max_age = (min(ages), max(ages)) if ages else (None, None)
    path.estimated_time = round(sum(minutes))
    path.keywords = list(dict.fromkeys(k for k in keywords if k))
    node_part = [
        (
            str(n.key),
            n.start_node,
            n.instruction,
            [(str(t.next), t.default, t.condition) for t in n.transitions],
            linker.content_hash(n.key),
        )
        for n in path.nodes
    ]
    path.content_hash = digest(
        code_fingerprint(), path.hruid, path.language, path.title, path.description, path.image or b"", node_part
    )
    return True
