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
