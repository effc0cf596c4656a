"""Phase 6, render: one ``render_object`` call per object (the renderer's boundary), cached.

Render output depends only on the object itself (source bytes, its folder's files) and the
options, so it is cached by a hash of those; an unchanged object is never rendered twice. Large
cold builds render in worker processes (``options.jobs``). ``render_object`` never raises (a
renderer bug is its ``lp.render_internal`` on the object), so nothing here catches its errors.
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import sys
from concurrent.futures import ProcessPoolExecutor

from .cache import Cache, code_fingerprint, digest, options_fingerprint
from .codes import Code
from .diagnostics import Reporter
from .entries import Entry
from .options import CompileOptions
from .render import Rendered, RenderInput, render_object
from .result import Asset

_POOL_MIN = 64  # fewer objects than this render in-process (a pool costs more than it saves)


def render_entries(entries: list[Entry], options: CompileOptions, cache: Cache, reporter: Reporter) -> None:
    """Render (or find in the cache) every entry that has no result yet (the live preview sets the
    results of unchanged objects from its last build, see memory.py)."""
    shaping = options_fingerprint(options)
    todo: list[tuple[Entry, str]] = []
    for entry in entries:
        if entry.render_result is not None:
            continue
        key = digest(
            code_fingerprint(), shaping, entry.src.display, str(entry.src.folder), entry.source_hash, entry.src.files
        )
        entry.render_result = cache.get("render", key)
        if entry.render_result is None:
            todo.append((entry, key))
    inputs = [_input(entry, options) for entry, _ in todo]
    for (entry, key), rendered in zip(todo, _run(inputs, options), strict=True):
        entry.render_result = cache.put("render", key, rendered)
    for entry in entries:
        reporter.extend(entry.rendered.diagnostics)


def _input(entry: Entry, options: CompileOptions) -> RenderInput:
    return RenderInput(
        key=entry.key,
        content_type=entry.metadata["content_type"],
        folder=entry.src.folder,
        source_path=entry.src.display,
        body=entry.body(),
        body_line=entry.record.body_line,
        files=entry.src.file_names,
        metadata=entry.metadata,
        options=options,
    )


def _run(inputs: list[RenderInput], options: CompileOptions) -> list[Rendered]:
    from tqdm import tqdm  # lazy on purpose: ~40 ms to import, and the site imports the compiler without a bar

    bar = tqdm(
        total=len(inputs),
        desc="render",
        unit="obj",
        file=sys.stderr,
        leave=False,
        disable=not (options.progress and inputs and sys.stderr.isatty()),
    )
    jobs = options.jobs or (os.cpu_count() or 1)
    results: list[Rendered] = []
    if jobs > 1 and len(inputs) >= _POOL_MIN:
        try:
            # "spawn", not "fork": the caller may be a threaded server, and a forked child can
            # inherit a lock held by another thread and hang.
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                for rendered in pool.map(render_object, inputs, chunksize=16):
                    results.append(rendered)
                    bar.update()
        except Exception:  # noqa: BLE001 - a broken pool (spawn refused, worker killed): render the rest in-process
            pass
    for inp in inputs[len(results) :]:
        results.append(render_object(inp))
        bar.update()
    bar.close()
    return results


def build_assets(entry: Entry, cache: Cache, reporter: Reporter) -> list[Asset]:
    files = {f.rel: f for f in entry.src.files}
    reported = " ".join(d.message for d in entry.rendered.diagnostics if d.code == Code.ASSET_MISSING.value)
    assets: list[Asset] = []
    for rel, teacher_only in sorted(entry.rendered.asset_refs.items()):
        norm = posixpath.normpath(str(rel))
        stat = files.get(norm) if not (norm.startswith(("/", "../")) or norm == "..") else None
        sha = cache.file_sha256(os.path.join(entry.src.folder, norm), stat.size, stat.mtime_ns) if stat else None
        if stat is None or sha is None:
            if rel not in reported:
                reporter.error(
                    entry.src.display,
                    0,
                    Code.ASSET_MISSING,
                    f"file '{rel}' is not in the object folder",
                    hint="put the file next to the source file, or fix the link",
                )
            continue
        teacher = bool(teacher_only) or entry.teacher_exclusive
        assets.append(Asset(norm, entry.src.folder / norm, sha, stat.size, teacher))
    return assets
