"""Run the Python cells of our learning objects in CPython, the way a page runs them.

Setup cells (```` ```python setup ````) run first, then the runnable cells (```` ```python run ````)
in page order, all in one namespace (like notebook cells). Used by ``test_content.py`` and by
authors: ``.venv/bin/python tests/content/cells.py content/learning_objects/english/...``.
"""
from __future__ import annotations

import io
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "learningpaths" / "runtime" / "python"))
sys.path.insert(0, str(ROOT))


def cells(index_md: Path) -> list[dict]:
    """Every cell of one index.md: {"mode": "run"|"setup", "id", "code", "line"}, setup first."""
    text = index_md.read_text(encoding="utf-8")
    body_start = 0
    if text.startswith("---"):
        end = text.index("\n---", 3)
        body_start = text[:end].count("\n") + 2
        text = "\n" * body_start + text[end + 4:].split("\n", 1)[1]
    found = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence":
            continue
        words = token.info.split()
        if len(words) >= 2 and words[0] in ("python", "py", "python3") and words[1] in ("run", "setup"):
            options = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            found.append({"mode": words[1], "id": options.get("id", ""), "code": token.content,
                          "line": token.map[0] + 1, "returns": options.get("returns")})
    return [c for c in found if c["mode"] == "setup"] + [c for c in found if c["mode"] == "run"]


def _front_language(index_md: Path) -> str:
    for line in index_md.read_text(encoding="utf-8").split("\n---", 1)[0].splitlines():
        if line.startswith("language:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    return "en"


def run_page(index_md: Path) -> list[dict]:
    """Run every cell; returns one record per cell with seconds, output and error (or None).

    Seconds are this process's CPU time, not wall time: the budget is about the work a cell asks
    of a student's machine, and must not depend on what else shares the test machine."""
    import lp

    lp.history.clear()
    lp.messages.clear()
    # The page's worker sets the lesson's language before each cell (static/js/runtime/cell.js).
    lp.set_language(_front_language(index_md))
    namespace: dict = {"__name__": "__main__"}
    records = []
    for cell in cells(index_md):
        out = io.StringIO()
        start = time.process_time()
        error = None
        try:
            with redirect_stdout(out):
                exec(compile(cell["code"], f"{index_md}:{cell['line']}", "exec"), namespace)
        except BaseException as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"
        record = {**cell, "seconds": time.process_time() - start, "output": out.getvalue(), "error": error}
        if cell["returns"]:
            record["value"] = namespace.get(cell["returns"])
        records.append(record)
        if error:
            break
    return records


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        path = Path(arg)
        path = path / "index.md" if path.is_dir() else path
        print(f"== {path}")
        for r in run_page(path):
            print(f"-- {r['mode']} {r['id'] or ''} (line {r['line']}): {r['seconds']:.2f} s"
                  + (f"  returns {r['returns']}={r.get('value')!r}" if r["returns"] else ""))
            if r["output"].strip():
                print("   " + r["output"].strip().replace("\n", "\n   "))
            if r["error"]:
                print("   ERROR " + r["error"])
