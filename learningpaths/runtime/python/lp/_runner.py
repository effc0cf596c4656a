"""Run a lesson cell the way a notebook does; used by the page's worker and the build-time runner.

All cells of a page share one namespace (like notebook cells). ``run_cell`` never raises: it
returns ``{"ok": bool, "result": repr of the last expression or None, "error": traceback text,
"line": failing line in the cell or 0, "returns": JSON value of the variable named by data-returns}``.
"""

from __future__ import annotations

import ast
import inspect
import json
import linecache
import sys
import traceback

import lp

namespace: dict = {}
_HERE = __file__


def reset() -> None:
    """A fresh namespace, as after a page reload (modules stay imported, so this is instant)."""
    namespace.clear()
    namespace.update({"__name__": "__main__", "__builtins__": __builtins__})


reset()


def _register_source(filename: str, code: str) -> None:
    # Tracebacks show the offending source line only when linecache knows the "file".
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


def format_error(exc: BaseException, filename: str) -> tuple[str, int]:
    """A readable traceback: the runner's own frames are left out; returns (text, line in cell)."""
    te = traceback.TracebackException.from_exception(exc)
    # Start at the first frame in lesson code: the runner and ast.parse/compile are noise to a student.
    frames = list(te.stack)
    first = next((i for i, f in enumerate(frames) if f.filename.startswith("<")), len(frames))
    frames = [f for f in frames[first:] if f.filename != _HERE]
    te.stack = traceback.StackSummary.from_list(frames)
    line = 0
    for frame in frames:
        if frame.filename == filename:
            line = frame.lineno or 0
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno or 0
    return "".join(te.format()), line


async def run_cell(
    code: str, filename: str = "<cell>", returns: str | None = None, language: str | None = None
) -> dict:
    """Execute ``code`` in the shared namespace; top-level ``await`` is allowed. ``language``: the
    lesson's (the page's worker passes it), in which lp and the engine's explanations speak."""
    _register_source(filename, code)
    lp._stop = False
    lp._last_flush = 0.0  # the first progress point of a run goes out at once
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        if language:
            lp.set_language(language)
        tree = ast.parse(code, filename, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        result = eval(compile(tree, filename, "exec", flags=flags), namespace)
        if inspect.iscoroutine(result):
            await result
        value = None
        if last is not None:
            value = eval(compile(last, filename, "eval", flags=flags), namespace)
            if inspect.iscoroutine(value):
                value = await value
    except BaseException as exc:  # noqa: BLE001  (the student's code may raise anything, even SystemExit)
        text, line = format_error(exc, filename)
        return {"ok": False, "result": None, "error": text, "line": line, "returns": None}
    finally:
        lp._flush()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
    out = {"ok": True, "result": None if value is None else _repr(value), "error": "", "line": 0, "returns": None}
    if returns:
        out["returns"] = json.loads(json.dumps(lp._clean(namespace.get(returns))))
    return out


def _repr(value) -> str:
    text = repr(value)
    return text if len(text) <= 20_000 else text[:20_000] + " …"
