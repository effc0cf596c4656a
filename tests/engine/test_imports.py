"""Import boundaries: engine/ uses only NumPy and the standard library (it runs under Pyodide),
only engine/export/onnx.py touches onnx, lazily, and no NumPy API newer than 2.0 is used."""

import ast
import pathlib
import subprocess
import sys

ENGINE = pathlib.Path(__file__).resolve().parents[2] / "engine"
ALLOWED = {"numpy"} | set(sys.stdlib_module_names)
ONNX_MODULE = ENGINE / "export" / "onnx.py"

# Added to NumPy after 2.0 (Pyodide 0.27 ships NumPy 2.0.2).
NUMPY_AFTER_2_0 = {"unstack", "cumulative_sum", "cumulative_prod", "matvec", "vecmat", "astype"}


def engine_files():
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) > 20
    return files


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node, node.module.split(".")[0]


def test_engine_imports_only_numpy_and_stdlib():
    offenders = []
    for path in engine_files():
        tree = ast.parse(path.read_text())
        for node, module in imported_modules(tree):
            if module in ALLOWED:
                continue
            if path == ONNX_MODULE and module == "onnx":
                continue
            offenders.append(f"{path.relative_to(ENGINE.parent)}:{node.lineno} imports {module}")
    assert not offenders, "\n".join(offenders)


def test_onnx_is_imported_only_inside_functions():
    tree = ast.parse(ONNX_MODULE.read_text())
    top_level = [
        m
        for node, m in imported_modules(ast.Module(body=tree.body, type_ignores=[]))
        if m == "onnx" and node in tree.body
    ]
    assert top_level == []


def test_no_numpy_api_newer_than_2_0():
    offenders = []
    for path in engine_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "np"
                and node.attr in NUMPY_AFTER_2_0
            ):
                offenders.append(f"{path.name}:{node.lineno} np.{node.attr}")
    assert not offenders, offenders


def test_import_engine_without_onnx():
    code = (
        "import sys; sys.modules['onnx'] = None; sys.modules['onnxruntime'] = None; sys.modules['torch'] = None\n"
        "before = set(sys.modules)\n"
        "import engine, engine.export\n"
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] not in sys.stdlib_module_names"
        " and m.split('.')[0] not in ('engine', 'numpy')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ENGINE.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
