"""The compiler is plain Python: nothing under learningpaths/compiler/ imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys

from .helpers import REPO_ROOT

COMPILER = REPO_ROOT / "learningpaths" / "compiler"


def test_no_module_imports_django():
    offenders = []
    for path in sorted(COMPILER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.relative_to(REPO_ROOT)}:{node.lineno}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_and_compiling_loads_no_django(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.md").write_text("---\nhruid: a\n---\n# A\n")
    code = (
        "import pkgutil, importlib, sys, learningpaths.compiler as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'learningpaths.compiler.'):\n"
        "    importlib.import_module(m.name)\n"
        f"c.compile_content({str(tmp_path)!r})\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
