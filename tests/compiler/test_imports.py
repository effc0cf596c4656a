"""Import shape of the compiler: package faces re-export only, and no import hides inside a function."""

from __future__ import annotations

import ast

from .helpers import REPO_ROOT

COMPILER = REPO_ROOT / "learningpaths" / "compiler"
# Lazy on purpose (cost at import time, not a loop), each with its reason in a comment there.
LAZY = {("render_pool.py", "tqdm"), ("resolve.py", "jsonpath_ng.ext")}


def test_render_package_init_is_a_face():
    tree = ast.parse((COMPILER / "render" / "__init__.py").read_text())
    kinds = [type(node).__name__ for node in tree.body]
    assert kinds[0] == "Expr" and set(kinds[1:]) <= {"ImportFrom", "Assign"}, kinds
    exported = next(node.value for node in tree.body if isinstance(node, ast.Assign))
    assert {e.value for e in exported.elts} == {
        "TRANSCLUSION_MARKER",
        "Reference",
        "RenderInput",
        "Rendered",
        "render",
        "render_object",
    }


def test_no_function_level_imports():
    found = set()
    for path in sorted(COMPILER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import):
                        found |= {(path.relative_to(COMPILER).as_posix(), a.name) for a in inner.names}
                    elif isinstance(inner, ast.ImportFrom):
                        found.add((path.relative_to(COMPILER).as_posix(), "." * inner.level + (inner.module or "")))
    assert found == LAZY
