"""static/js/runtime/names.js in Node: which names a cell makes, and which name a failed run missed.

The browser test (tests/browser/test_cells_notebook.py) checks the hint on a page; this one checks the
scanner's cases quickly, without Pyodide.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

NAMES_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "runtime" / "names.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def js(expression: str):
    script = f'import {{ definedNames, missingName }} from "{NAMES_JS.as_uri()}";\n'
    script += f"const out = {expression};\nconsole.log(JSON.stringify(out instanceof Set ? [...out].sort() : out));"
    done = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


CODE = """import numpy as np
from engine import layers, Dense as D
x, (y, z) = 1, (2, 3)
model.fit(x, y, epochs=10)
lr: float = 0.1
a = b = f(k=1)
w += 1
if q == 2: pass
for i, j in pairs:
    inner = i
def train(n=3): pass
class Net: pass
with open("f") as fh: pass
s = "text = 1"
obj.attr = 5
arr[0] = 1
print(t := 5)
# hidden = 1"""


def test_defined_names_are_what_python_would_bind_at_some_point():
    made = js(f"definedNames({json.dumps(CODE)})")
    assert made == sorted(
        ["D", "Net", "a", "b", "fh", "i", "inner", "j", "layers", "lr", "np", "s", "t", "train", "x", "y", "z"]
    )
    # not made: keyword arguments, augmented assignment, comparison, attributes, items, text in strings, comments
    for name in ("epochs", "k", "w", "q", "attr", "obj", "arr", "text", "hidden", "model", "f"):
        assert name not in made


@pytest.mark.parametrize(
    "error,name",
    [
        ("Traceback (most recent call last):\n  ...\nNameError: name 'model' is not defined", "model"),
        ("NameError: name 'modle' is not defined. Did you mean: 'model'?", "modle"),
        ("ImportError: cannot import name 'x' from '__main__' (unknown location)\n", "x"),
        ("ZeroDivisionError: division by zero", None),
        ("AttributeError: 'NoneType' object has no attribute 'fit'", None),
        ("", None),
    ],
)
def test_missing_name_reads_the_last_line_of_the_traceback(error, name):
    assert js(f"missingName({json.dumps(error)})") == name
