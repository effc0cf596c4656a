"""Train the demo models with our own engine on the UCI handwritten digits, export to ONNX.

The digits (1,797 images of 8x8 pixels, 0-16 grey levels) ship in this package
(``demos/data/digits.csv.gz``, read by ``demos/digits.py``), so nothing is downloaded. Each model
gets a model card next to its .onnx file.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import engine

from .digits import digits_load
from .registry import DEMOS, card_path, model_path


def load_digits(seed: int = 0):
    """(x_train, y_train, x_test, y_test): x float32 (N, 1, 8, 8) in [0, 1], y int labels; 25% test."""
    data = digits_load()
    x = (data.images / 16.0).astype(np.float32)[:, None, :, :]
    y = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    cut = int(len(x) * 0.75)
    return x[:cut], y[:cut], x[cut:], y[cut:]


def build(name: str, seed: int = 0) -> engine.Sequential:
    if name == "digits-cnn":
        layers = [
            engine.Conv2D(8, 3, padding=1, activation="relu", name="conv1"),
            engine.MaxPool2D(2, name="pool1"),
            engine.Conv2D(16, 3, padding=1, activation="relu", name="conv2"),
            engine.MaxPool2D(2, name="pool2"),
            engine.Flatten(name="flatten"),
            engine.Dense(10, activation="softmax", name="classifier"),
        ]
    elif name == "digits-mlp":
        layers = [
            engine.Flatten(name="flatten"),
            engine.Dense(32, activation="relu", name="hidden"),
            engine.Dense(10, activation="softmax", name="classifier"),
        ]
    else:
        raise KeyError(name)
    return engine.Sequential(layers, input_shape=DEMOS[name].input_shape, seed=seed)


@dataclass
class Trained:
    name: str
    accuracy: float
    max_abs_diff: float  # engine vs ONNX Runtime on the test set
    seconds: float
    path: Path


def _add_feature_maps_output(proto, output_name: str, shape: tuple) -> None:
    """Expose the first convolution's activations as a second graph output for the lesson widget."""
    from onnx import TensorProto, helper

    first_conv = next(i for i, n in enumerate(proto.graph.node) if n.op_type == "Conv")
    act = next(n for n in proto.graph.node[first_conv + 1 :] if n.op_type in ("Relu", "Sigmoid", "Tanh"))
    proto.graph.node.append(helper.make_node("Identity", [act.output[0]], [output_name], name="feature_maps/Identity"))
    proto.graph.output.append(helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["batch", *shape]))


def train(name: str, *, epochs: int = 30, seed: int = 0, out_dir: Path | None = None, log=print) -> Trained:
    import onnx
    import onnxruntime as ort

    x_train, y_train, x_test, y_test = load_digits(seed)
    model = build(name, seed)
    model.compile(loss="categorical_crossentropy", optimizer=engine.Adam(learning_rate=0.01), metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, mode="mini-batch", batch_size=32)
    seconds = time.perf_counter() - start
    probs = model.predict(x_test)
    accuracy = float((probs.argmax(axis=1) == y_test).mean())

    proto = engine.export.to_onnx(model, input_shape=DEMOS[name].input_shape)
    spec = DEMOS[name]
    if spec.feature_maps_output:
        first_conv = next(layer for layer in model.layers if isinstance(layer, engine.Conv2D))
        _add_feature_maps_output(proto, spec.feature_maps_output, first_conv.compute_output_shape(spec.input_shape))
    onnx.checker.check_model(proto)
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    onnx_probs = session.run([session.get_outputs()[0].name], {session.get_inputs()[0].name: x_test})[0]
    diff = float(np.abs(onnx_probs - probs).max())

    path = model_path(name) if out_dir is None else Path(out_dir) / f"{name}.onnx"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = proto.SerializeToString()
    tmp = path.with_suffix(".onnx.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a running server never reads half a file
    card = {
        "name": name,
        "title": spec.title,
        "engine_version": engine.__version__,
        "data": "UCI digits (optical recognition of handwritten digits), 8x8, 1,797 images; "
        f"{len(x_train)} for training, {len(x_test)} for testing (seed {seed})",
        "architecture": repr(model),
        "parameters": int(sum(p.value.size for p in model.parameters())),
        "epochs": epochs,
        "optimizer": "Adam(learning_rate=0.01), mini-batch 32",
        "test_accuracy": round(accuracy, 4),
        "onnx_max_abs_diff": diff,
        "training_seconds": round(seconds, 2),
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    card_file = card_path(name) if out_dir is None else Path(out_dir) / f"{name}.json"
    card_file.write_text(json.dumps(card, indent=2), encoding="utf-8")
    log(
        f"{name}: test accuracy {accuracy:.3f}, engine vs ONNX Runtime max |diff| {diff:.1e}, "
        f"{len(data) / 1024:.1f} KiB, trained in {seconds:.1f} s"
    )
    return Trained(name, accuracy, diff, seconds, path)
