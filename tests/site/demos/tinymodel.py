"""A tiny ONNX model for the demo tests, built here (no training): x (N,1,8,8) -> relu ->
Gemm(64->10) -> softmax, with the relu'd input as its 'feature_maps' output."""

import numpy as np
import onnx
from onnx import TensorProto, helper


def make_model(path, seed=0):
    """x (N,1,8,8) -> flatten -> Gemm(64->10) -> softmax, plus a 'feature_maps' output (the relu'd input)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(64, 10)).astype(np.float32)
    b = rng.normal(size=(10,)).astype(np.float32)
    nodes = [
        helper.make_node("Relu", ["x"], ["feature_maps"]),
        helper.make_node("Flatten", ["feature_maps"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "W", "B"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 8, 8])],
        [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10]),
            helper.make_tensor_value_info("feature_maps", TensorProto.FLOAT, ["N", 1, 8, 8]),
        ],
        [
            helper.make_tensor("W", TensorProto.FLOAT, w.shape, w.flatten()),
            helper.make_tensor("B", TensorProto.FLOAT, b.shape, b),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return w, b


def reference(x, w, b):
    z = np.maximum(x.reshape(len(x), -1), 0) @ w + b
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def tiny_glyph_settings():
    """A glyph CNN of the real code path (training.train_glyphs), small enough for the test suite:
    three conv blocks of 2-4 filters, one epoch on one augmented copy per font and class."""
    from learningpaths.demos.training import TRAINERS

    return {**TRAINERS["glyphs-cnn"].settings, "filters": [2, 4, 4], "epochs": 1, "train_copies": 1, "test_copies": 1}


def tiny_autoencoder_settings():
    """The glyph autoencoder of the real code path (training.train_autoencoder), small enough for the
    test suite: 8 hidden units, one epoch on one augmented, once-corrupted copy per font and class."""
    from learningpaths.demos.training import TRAINERS

    return {
        **TRAINERS["glyphs-autoencoder"].settings,
        "hidden": 8,
        "epochs": 1,
        "train_copies": 1,
        "test_copies": 1,
        "noisy_copies": 1,
    }
