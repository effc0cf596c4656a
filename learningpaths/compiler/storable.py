"""Phase 8, result: the last check that every value of the result fits its database column.

The front matter and path fields are checked where they are read (schema, pathschema: lengths,
integer ranges, NUL and lone surrogates at the key's line). What only exists after rendering is
checked here: the source path of a file in deep folders, asset paths, question ids, the text the
renderer produced (a ``text/plain`` or GIFT file may hold a NUL), and a path's total time. An
object or path that does not fit is left out of the result with an error, so not even
``compilecontent --allow-errors`` hands the database a row it would refuse; a path with a node
whose object was left out goes too (its node could not be linked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .codes import Code
from .diagnostics import Reporter
from .limits import (
    ASSET_PATH_MAX,
    INT_MAX,
    QUESTION_ID_MAX,
    QUESTION_KIND_MAX,
    SOURCE_PATH_MAX,
    bad_char,
    describe_char,
)
from .result import CompiledObject, CompiledPath, ObjectKey

LineOf = Callable[[str], int]  # the line of an object's source where a text appears (0 when unknown)


def storable_objects(
    objects: list[CompiledObject], line_of: dict[ObjectKey, LineOf], reporter: Reporter
) -> tuple[list[CompiledObject], list[str]]:
    """The objects the database can store, and the source paths of those left out."""
    kept, skipped = [], []
    for obj in objects:
        if _object_fits(obj, line_of.get(obj.key, lambda text: 0), reporter):
            kept.append(obj)
        else:
            skipped.append(obj.source_path)
    return kept, skipped


def storable_paths(
    paths: list[CompiledPath], stored: set[ObjectKey], reporter: Reporter
) -> tuple[list[CompiledPath], list[str]]:
    kept, skipped = [], []
    for path in paths:
        ok = _source_path_fits(path.source_path, reporter)
        gone = [node for node in path.nodes if node.key not in stored]
        for node in gone[:1]:
            reporter.error(
                path.source_path,
                node.line,
                Code.FIELD_LIMIT,
                f"node {node.key} names an object that the database cannot store; the path is left out",
                hint="fix the errors reported in that object's file",
            )
        ok = ok and not gone
        if ok:
            kept.append(path)
        else:
            skipped.append(path.source_path)
    return kept, skipped


def path_minutes_fit(path: CompiledPath, minutes: Iterable[float], reporter: Reporter) -> bool:
    """The path's total time (the sum of its objects') fits ``LearningPath.estimated_time``."""
    total = 0.0
    for node, value in zip(path.nodes, minutes, strict=True):
        total += value
        if round(total) > INT_MAX:
            reporter.error(
                path.source_path,
                node.line,
                Code.FIELD_LIMIT,
                f"the estimated_time of the path's objects adds up past {INT_MAX} minutes at node {node.key}, "
                "more than the database stores",
                hint="give the objects a realistic estimated_time",
            )
            return False
    return True


def _source_path_fits(source_path: str, reporter: Reporter) -> bool:
    if len(source_path) <= SOURCE_PATH_MAX:
        return True
    reporter.error(
        source_path,
        0,
        Code.FIELD_LIMIT,
        f"the file's path is {len(source_path)} characters long; the database stores at most {SOURCE_PATH_MAX}",
        hint="use shorter folder names",
    )
    return False


def _object_fits(obj: CompiledObject, line_of: LineOf, reporter: Reporter) -> bool:
    display = obj.source_path
    ok = _source_path_fits(display, reporter)
    for asset in obj.assets:
        if len(asset.rel_path) > ASSET_PATH_MAX:
            ok = False
            reporter.error(
                display,
                line_of(asset.rel_path),
                Code.FIELD_LIMIT,
                f"the file name '{asset.rel_path[:40]}...' is {len(asset.rel_path)} characters long; "
                f"the database stores at most {ASSET_PATH_MAX}",
                hint="use a shorter file or folder name",
            )
    for q in obj.questions:
        for what, value, maximum in (("id", q.id, QUESTION_ID_MAX), ("kind", q.kind, QUESTION_KIND_MAX)):
            if len(value) > maximum:
                ok = False
                reporter.error(
                    display,
                    q.line,
                    Code.FIELD_LIMIT,
                    f"the question {what} is {len(value)} characters long; the database stores at most {maximum}",
                    hint=f"shorten it to {maximum} characters or fewer",
                )
        ok = _chars(display, q.line, "the question", [q.prompt, q.options, q.key], reporter) and ok
    # The same rendered text passed before in this process (the live preview's next build): the
    # content hash covers the sources and metadata, the string hashes the rendered text itself.
    seen = (obj.content_hash, hash((obj.html, obj.teacher_html, obj.text, obj.teacher_text)))
    if seen in _CLEAN:
        return ok
    rendered = [obj.html, obj.teacher_html, obj.text, obj.teacher_text, obj.metadata]
    clean = _chars(display, 0, "the rendered content", rendered, reporter)
    if clean:
        if len(_CLEAN) > 100_000:
            _CLEAN.clear()
        _CLEAN.add(seen)
    return clean and ok


_CLEAN: set[tuple[str, int]] = set()


def _chars(display: str, line: int, what: str, values: list[Any], reporter: Reporter) -> bool:
    """No NUL or lone surrogate in any text inside ``values`` (nested lists and dicts included)."""
    todo = list(values)
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            at = bad_char(value)
            if at >= 0:
                reporter.error(
                    display,
                    line,
                    Code.TEXT_CHAR,
                    f"{what} holds {describe_char(value[at])}, which the database cannot store",
                    hint="remove it from the file this object is made from",
                )
                return False
        elif isinstance(value, dict):
            todo.extend(value.keys())
            todo.extend(value.values())
        elif isinstance(value, (list, tuple)):
            todo.extend(value)
    return True
