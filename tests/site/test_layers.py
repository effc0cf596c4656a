"""Dependencies point down: a lower app never imports a higher one (any import, also inside a
function), and the compiler imports no Django. Read from the source with ``ast``, not by importing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "learningpaths"

# app -> the top-level packages it must never import
FORBIDDEN = {
    "compiler": {
        "django",
        "learningpaths.paths",
        "learningpaths.learning",
        "learningpaths.classroom",
        "learningpaths.accounts",
        "learningpaths.api",
        "learningpaths.demos",
        "learningpaths.core",
    },
    # core is the bottom of the site: every app may use it, it uses none of them.
    "core": {
        f"learningpaths.{app}" for app in ("paths", "learning", "classroom", "accounts", "api", "demos", "runtime")
    },
    "paths": {"learningpaths.learning", "learningpaths.classroom"},
    "learning": {"learningpaths.classroom"},
    "accounts": {
        "learningpaths.paths",
        "learningpaths.learning",
        "learningpaths.classroom",
        "learningpaths.api",
        "learningpaths.demos",
    },
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative imports resolved."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            out.append((node.lineno, module))
            # ``from learningpaths import classroom`` names the package in the alias
            out += [(node.lineno, f"{module}.{a.name}") for a in node.names]
    return out


def offenders(app: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        for line, module in imported_modules(path):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[app]):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module}")
    return bad


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_no_higher_app(app):
    assert offenders(app) == []


def test_the_checker_sees_relative_and_aliased_imports(tmp_path, monkeypatch):
    fake = tmp_path / "learningpaths"
    (fake / "paths" / "sub").mkdir(parents=True)
    (fake / "paths" / "sub" / "m.py").write_text(
        "from ...learning import selectors\nfrom learningpaths import classroom\nimport learningpaths.core\n"
        "def f():\n    from ...learning.models import Submission\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", fake)
    assert offenders("paths") == [
        "learningpaths/paths/sub/m.py:1: learningpaths.learning",
        "learningpaths/paths/sub/m.py:1: learningpaths.learning.selectors",
        "learningpaths/paths/sub/m.py:2: learningpaths.classroom",
        "learningpaths/paths/sub/m.py:5: learningpaths.learning.models",
        "learningpaths/paths/sub/m.py:5: learningpaths.learning.models.Submission",
    ]


# -- no import loop ---------------------------------------------------------------------------------


def module_graph(roots: list[Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports at module level (not inside functions, not under
    ``TYPE_CHECKING``). ``from pkg import sub`` is an edge to the submodule, ``from pkg import name``
    one to the package's ``__init__``: that is what Python runs first."""
    files = {}
    for root in roots:
        for path in root.rglob("*.py"):
            parts = path.relative_to(root.parent).with_suffix("").parts
            files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            for stmt in node.body if isinstance(node, ast.Try) else [node]:
                if isinstance(stmt, ast.Import):
                    edges |= {a.name for a in stmt.names}
                elif isinstance(stmt, ast.ImportFrom):
                    base = package.split(".")[: len(package.split(".")) - stmt.level + 1] if stmt.level else []
                    module = ".".join([*base, stmt.module] if stmt.module else base)
                    edges |= {f"{module}.{a.name}" if f"{module}.{a.name}" in files else module for a in stmt.names}
        graph[name] = {e for e in edges if e in files and e != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_loop_in_the_site_or_the_engine():
    assert cycles(module_graph([PACKAGE, PACKAGE.parent / "engine"])) == []


def test_the_loop_finder_finds_a_loop(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import thing\n")
    (pkg / "a.py").write_text("from . import b\nthing = 1\n")
    (pkg / "b.py").write_text("from pkg import thing\n")  # b needs the package, which needs a, which needs b
    (pkg / "c.py").write_text("def f():\n    from . import a\n")  # inside a function: no loop
    assert cycles(module_graph([pkg])) == [["pkg", "pkg.a", "pkg.b"]]
