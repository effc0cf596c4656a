"""What ``compilecontent --allow-errors`` may load: the part of a build that has no error.

An object or path is left out when any error (of any phase, ``--execute`` included) was reported
in its file or, for an object, anywhere in its folder. What depends on a left-out object goes too:
an object that transcludes it (its HTML holds the broken part) and a path with a node on it (the
node could not be linked). Sources the compiler already left out (``CompileResult.skipped``) are
listed with their first error as well, so the operator gets one list of everything not loaded.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace

from .diagnostics import sort_key
from .result import CompiledPath, CompileResult, Diagnostic, ObjectKey


@dataclass(frozen=True)
class Skip:
    """One source that is not loaded, at the error that keeps it out."""

    path: str
    line: int
    code: str
    reason: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.reason} [{self.code}]"


def loadable(result: CompileResult) -> tuple[CompileResult, list[Skip]]:
    """The error-free part of ``result`` and the list of every source left out, in path order."""
    first_error: dict[str, Diagnostic] = {}
    # In place order (--execute appends its diagnostics unsorted): the first per file is at its first line.
    for error in sorted(result.errors, key=sort_key):
        first_error.setdefault(error.path, error)
    folders = _error_folders(first_error)

    skips: dict[str, Skip] = {}
    for source in result.skipped:
        d = first_error.get(source) or _in_folder(source, folders)
        skips[source] = _skip(source, d) if d else Skip(source, 0, "lp.internal", "left out by the compiler")

    bad: dict[ObjectKey, Skip] = {}
    for obj in result.objects:
        d = first_error.get(obj.source_path) or _in_folder(obj.source_path, folders)
        if d is not None:
            bad[obj.key] = _skip(obj.source_path, d)
    by_key = {o.key: o for o in result.objects}
    changed = True
    while changed:  # transclusions nest: repeat until no new object falls out
        changed = False
        for obj in result.objects:
            if obj.key in bad:
                continue
            gone = next((k for k in obj.transclusions if k in bad), None)
            if gone is not None:
                cause = bad[gone]
                bad[obj.key] = Skip(obj.source_path, 0, cause.code, f"transcludes {gone}, which is not loaded")
                changed = True
    objects = [o for o in result.objects if o.key not in bad]
    skips.update({by_key[k].source_path: s for k, s in bad.items()})

    paths: list[CompiledPath] = []
    for path in result.paths:
        d = first_error.get(path.source_path)
        node = next((n for n in path.nodes if n.key in bad), None)
        if d is not None:
            skips[path.source_path] = _skip(path.source_path, d)
        elif node is not None:
            cause = bad[node.key]
            skips[path.source_path] = Skip(
                path.source_path, node.line, cause.code, f"node {node.key} is not loaded ({cause.path}:{cause.line})"
            )
        else:
            paths.append(path)
    # A file whose error left nothing in the result (a compiler bug in the last phase): listed too.
    object_folders = {posixpath.dirname(o.source_path) for o in result.objects}
    for source, d in first_error.items():
        if source not in skips and posixpath.dirname(source) not in object_folders:
            skips[source] = _skip(source, d)
    kept = replace(result, objects=objects, paths=paths, skipped=sorted(skips))
    return kept, [skips[s] for s in sorted(skips)]


def _skip(source: str, d: Diagnostic) -> Skip:
    where = "" if d.path == source else f" (in {d.path})"
    return Skip(source, d.line if d.path == source else 0, d.code, f"{d.message}{where}")


def _error_folders(first_error: dict[str, Diagnostic]) -> dict[str, Diagnostic]:
    """Each folder that holds a file with an error, and that error (the first in path order)."""
    folders: dict[str, Diagnostic] = {}
    for path in sorted(first_error):
        folder = posixpath.dirname(path)
        while folder and folder not in folders:
            folders[folder] = first_error[path]
            folder = posixpath.dirname(folder)
    return folders


def _in_folder(source: str, folders: dict[str, Diagnostic]) -> Diagnostic | None:
    """An error in the object's folder or below it (a content file, an asset), if any."""
    return folders.get(posixpath.dirname(source))
