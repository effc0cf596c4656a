"""The engine under real Pyodide (Python 3.12, NumPy 2.0.2 for wasm32, no BLAS) in Node.

Skipped unless ``node`` and a self-hosted Pyodide with its NumPy wheel are present (the site's
``static/vendor/pyodide/<version>/``, or the directory in ``$PYODIDE_DIR``).
"""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent

SCRIPT = r"""
import doctest, importlib, pkgutil, sys
sys.path.insert(0, "/home/pyodide")
import numpy as np
import engine
from engine import gradcheck, Conv2D, MaxPool2D, AvgPool2D, LSTM, GRU, RNN, BatchNorm, Dense, Dropout
from engine import Embedding, MultiHeadAttention, TransformerBlock

print("platform", sys.platform, engine.kernels.platform(), np.__version__)
failed = 0
for name in ["engine"] + sorted(m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")):
    failed += doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).failed
print("doctest failures", failed)
rng = np.random.default_rng(0)
cases = [(Conv2D(3, 3, strides=2, padding=1), (2, 2, 5, 5)), (MaxPool2D(2), (1, 2, 4, 4)),
         (AvgPool2D(3, strides=2, padding=1), (1, 2, 5, 5)), (RNN(3), (2, 4, 2)), (LSTM(3), (2, 4, 2)),
         (GRU(3, return_sequences=True), (2, 4, 2)), (BatchNorm(), (4, 3)), (Dense(3, activation="tanh"), (4, 2)),
         (MultiHeadAttention(2, 2, use_causal_mask=True), (2, 3, 4)), (TransformerBlock(8, 2), (2, 3, 4))]
ids = rng.integers(0, 5, size=(2, 3))
print("gradcheck", all(gradcheck.check_layer(layer, rng.normal(size=shape), training=True).ok for layer, shape in cases)
      and gradcheck.check_layer(Embedding(5, 3), ids).ok)
x, y = engine.data.make_moons(300, noise=0.1, seed=0)
model = engine.Sequential([Dense(16, activation="relu"), Dropout(0.1), Dense(2)], seed=0)
model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.02, metrics=["accuracy", "auc"])
history = model.fit(x, y, epochs=30, batch_size=32)
print("accuracy", history["accuracy"][-1] > 0.95)
print("confusion", engine.metrics.confusion_matrix(y, model.predict(x)).sum())
"""


def find_pyodide():
    base = pathlib.Path(os.environ.get("PYODIDE_DIR", ROOT / "static" / "vendor" / "pyodide"))
    for directory in sorted([base, *base.glob("*")], reverse=True):
        wheels = sorted(directory.glob("numpy-*wasm32.whl"))
        if (directory / "pyodide.mjs").exists() and wheels:
            return directory, wheels[-1]
    return None


@pytest.mark.slow
def test_engine_runs_under_pyodide(tmp_path):
    found = find_pyodide()
    if shutil.which("node") is None or found is None:
        pytest.skip("needs node and a self-hosted Pyodide with its NumPy wheel")
    directory, wheel = found
    script = tmp_path / "check.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        ["node", str(HERE / "pyodide_runner.mjs"), str(directory), str(wheel), str(ROOT), str(script)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [
        line
        for line in result.stdout.splitlines()
        if line.split(" ")[0] in ("platform", "doctest", "gradcheck", "accuracy", "confusion")
    ]
    assert result.returncode == 0, result.stderr[-3000:]
    assert lines[0].startswith("platform emscripten emscripten 2.0"), lines
    assert lines[1:] == ["doctest failures 0", "gradcheck True", "accuracy True", "confusion 300"], result.stdout[
        -3000:
    ]
