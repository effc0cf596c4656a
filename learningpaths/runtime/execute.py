"""``compilecontent --execute``: run every lesson's Python cells in real Pyodide (Node.js).

Each learning object runs in a fresh namespace: its setup cells first, then its cells in page
order, exactly as the page's worker runs them (same Pyodide, NumPy, engine wheel and ``lp``
helpers; see ``learningpaths/runtime/node/run_cells.mjs``). A failing cell becomes an error
``Diagnostic`` at the file and line of the failing statement; the object's later cells are not
run (they usually depend on it). Cells inside a transcluded object belong to that object and
run with it, not with the object that includes them.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from learningpaths.compiler.result import CompileResult, Diagnostic
from learningpaths.runtime import assets

CODE = "lp.cell"
RUNNER = Path(assets.BASE_DIR) / "learningpaths" / "runtime" / "node" / "run_cells.mjs"
BOOT_TIMEOUT = 120.0  # seconds for Node to load Pyodide, NumPy and the engine
CELL_TIMEOUT = 120.0  # seconds per cell


@dataclass(frozen=True)
class Cell:
    number: int  # data-lp-cell
    line: int  # line of the opening fence in the source file (data-line)
    code: str
    setup: bool
    cell_id: str = ""
    returns: str = ""

    @property
    def filename(self) -> str:
        return f"<setup {self.number}>" if self.setup else f"<cell {self.number}>"

    def describe(self) -> str:
        kind = "setup cell" if self.setup else "cell"
        return f"{kind} {self.number}" + (f" (id {self.cell_id})" if self.cell_id else "")


class _CellParser(HTMLParser):
    """Collect div.lp-cell / div.lp-cell-setup (and <template class=lp-cell-setup>) outside
    transcluded objects (div.lp-transclusion)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[Cell] = []
        self._stack: list[tuple[str, str]] = []  # (tag, role) role in {"", "transclusion", "cell"}
        self._current: dict | None = None
        self._in_code = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        role = ""
        inside_transclusion = any(r == "transclusion" for _, r in self._stack)
        if "lp-transclusion" in classes:
            role = "transclusion"
        elif ("lp-cell" in classes or "lp-cell-setup" in classes) and not inside_transclusion and self._current is None:
            role = "cell"
            self._current = {"attrs": a, "setup": "lp-cell-setup" in classes, "code": [], "has_code": False}
        elif tag == "code" and self._current is not None:
            self._in_code += 1
            self._current["has_code"] = True
        if tag not in ("br", "img", "input", "hr", "meta", "link", "source", "wbr", "col", "area", "embed", "track"):
            self._stack.append((tag, role))

    def handle_endtag(self, tag):
        if tag == "code" and self._in_code:
            self._in_code -= 1
        while self._stack:
            open_tag, role = self._stack.pop()
            if role == "cell" and self._current is not None:
                self._finish()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._current is not None and (self._in_code or not self._current["has_code"]):
            self._current["code"].append(data)

    def _finish(self):
        cur, self._current = self._current, None
        a = cur["attrs"]
        try:
            number, line = int(a.get("data-lp-cell") or 0), int(a.get("data-line") or 0)
        except ValueError:
            number, line = 0, 0
        code = "".join(cur["code"]).strip("\n")
        self.cells.append(
            Cell(
                number or len(self.cells) + 1,
                line,
                code,
                cur["setup"],
                a.get("data-id") or "",
                a.get("data-returns") or "",
            )
        )


def cells_of(obj) -> list[Cell]:
    """An object's own cells, setup cells first, each group in page order."""
    recorded = getattr(obj, "cells", None)
    if recorded:
        cells = [
            Cell(
                int(c.get("n", i + 1)),
                int(c.get("line", 0)),
                c.get("code", ""),
                bool(c.get("setup")),
                c.get("id", "") or "",
                (c.get("options") or {}).get("returns", ""),
            )
            for i, c in enumerate(recorded)
        ]
    else:
        parser = _CellParser()
        parser.feed(obj.teacher_html or obj.html or "")
        parser.close()
        cells = parser.cells
    return [c for c in cells if c.setup] + [c for c in cells if not c.setup]


def _diagnostic(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, 1 if line else 0, "error", CODE, message, hint)


def _failure(obj, cell: Cell, error: str, err_line: int, stdout: str) -> Diagnostic:
    text = (error or "").strip()
    last = text.splitlines()[-1] if text else "the cell failed"
    # data-line is the opening fence; the cell's line k is the file's line data-line + k.
    line = cell.line + err_line if cell.line and err_line else cell.line
    tail = "\n".join(text.splitlines()[-12:])
    hint = tail.replace("\n", "\n    ")
    if stdout.strip():
        hint += "\n    output before the error:\n    " + "\n    ".join(stdout.strip().splitlines()[-5:])
    return _diagnostic(obj.source_path, line, f"{cell.describe()} raised {last}", hint)


def _reader(stream, out: queue.Queue) -> None:
    for raw in stream:
        out.put(raw)
    out.put(None)


def execute_cells(result: CompileResult, progress: bool = False) -> list[Diagnostic]:
    """Run the cells of every object of ``result``; return one Diagnostic per failing object."""
    work = [(obj, cells) for obj in result.objects if (cells := cells_of(obj))]
    if not work:
        return []
    first = work[0][0].source_path
    node = shutil.which("node")
    if node is None:
        return [
            _diagnostic(
                first,
                0,
                "cannot run the cells: Node.js is not installed",
                "install Node.js 18+ (Debian: apt-get install nodejs), or build without --execute",
            )
        ]
    missing = assets.missing_pyodide_files()
    if missing:
        return [
            _diagnostic(
                first,
                0,
                f"cannot run the cells: Pyodide is not vendored ({', '.join(missing)} missing)",
                "run `make assets` (python scripts/vendor_assets.py)",
            )
        ]
    from learningpaths.runtime.bundle import build_engine_wheel

    manifest = build_engine_wheel()
    wheel = str(assets.ENGINE_OUT_DIR / manifest["wheel"])
    index_url = str(assets.PYODIDE_DIR) + "/"
    bytecode = {}
    pyc = assets.read_pyc_manifest()
    if pyc:
        bytecode = {"stdlib": str(assets.PYC_DIR / pyc["stdlib"]), "numpySite": str(assets.PYC_DIR / pyc["numpy"])}
    engine_pyc = assets.ENGINE_OUT_DIR / assets.engine_pyc_name(manifest["wheel"])
    if engine_pyc.is_file():
        bytecode["enginePyc"] = str(engine_pyc)
    diagnostics: list[Diagnostic] = []
    total = sum(len(c) for _, c in work)
    say = (lambda msg: print(f"[execute] {msg}", file=sys.stderr, flush=True)) if progress else (lambda msg: None)
    say(f"running {total} cells of {len(work)} objects in Pyodide (Node.js) ...")
    started = time.perf_counter()
    remaining = work
    while remaining:
        payload = {
            "indexURL": index_url,
            "wheel": wheel,
            **bytecode,
            "objects": [
                {
                    "key": str(obj.key),
                    "language": obj.key.language,  # as the page does: lp and explain() speak it
                    "cells": [{"code": c.code, "filename": c.filename, "returns": c.returns or None} for c in cells],
                }
                for obj, cells in remaining
            ],
        }
        proc = subprocess.Popen(
            [node, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=assets.BASE_DIR,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        errors: list[str] = []
        threading.Thread(target=errors.extend, args=(proc.stderr,), daemon=True).start()
        proc.stdin.write(json.dumps(payload))
        proc.stdin.close()
        current: tuple[int, int] | None = None
        finished_upto = -1  # index of the last object fully handled in this batch
        timeout = BOOT_TIMEOUT
        restart_from = None
        while True:
            try:
                raw = lines.get(timeout=timeout)
            except queue.Empty:
                proc.kill()
                if current is None:
                    diagnostics.append(_diagnostic(first, 0, f"Pyodide did not start within {BOOT_TIMEOUT:.0f} s"))
                    return diagnostics
                i, j = current
                obj, cells = remaining[i]
                diagnostics.append(
                    _diagnostic(
                        obj.source_path,
                        cells[j].line,
                        f"{cells[j].describe()} did not finish within {CELL_TIMEOUT:.0f} s",
                        "make the lesson's training shorter (fewer epochs or samples)",
                    )
                )
                restart_from = i + 1
                break
            if raw is None:
                break
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if event["event"] == "ready":
                say(f"Pyodide ready in {event['ms'] / 1000:.1f} s")
                timeout = CELL_TIMEOUT
            elif event["event"] == "start":
                current = (event["object"], event["cell"])
            elif event["event"] == "done":
                i, j = event["object"], event["cell"]
                obj, cells = remaining[i]
                if not event["ok"]:
                    diagnostics.append(
                        _failure(
                            obj, cells[j], event.get("error", ""), int(event.get("line") or 0), event.get("stdout", "")
                        )
                    )
                    say(f"{obj.source_path}: {cells[j].describe()} failed")
                elif j == len(cells) - 1:
                    say(f"{obj.source_path}: {len(cells)} cells ok")
                current = None
                finished_upto = i
        proc.wait(timeout=10)
        if restart_from is None:
            if proc.returncode not in (0, None) and finished_upto < len(remaining) - 1:
                detail = "".join(errors).strip().splitlines()[-3:]
                obj, cells = remaining[max(finished_upto, 0) if current is None else current[0]]
                diagnostics.append(
                    _diagnostic(obj.source_path, 0, "the cell runner (Node.js + Pyodide) crashed", " / ".join(detail))
                )
            break
        remaining = remaining[restart_from:]
    say(f"done in {time.perf_counter() - started:.1f} s")
    return diagnostics
