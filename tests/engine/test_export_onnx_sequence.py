"""ONNX export of the sequence layers: onnx.checker passes and onnxruntime matches the engine."""

import numpy as np
import pytest
from engine_helpers import assert_close
from test_export_onnx import run_onnx

from engine import (
    Dense,
    Embedding,
    LayerNormalization,
    MultiHeadAttention,
    PositionEmbedding,
    Sequential,
    SinePositionEncoding,
    TimeDistributed,
    TransformerBlock,
)
from engine.export import to_onnx


def check_parity(ort, model, input_shape, x):
    import onnx

    model.build(input_shape)
    proto = to_onnx(model, input_shape=input_shape)
    onnx.checker.check_model(proto, full_check=True)
    assert_close(run_onnx(ort, proto, x), model.predict(x), "onnxruntime vs engine", atol=1e-5, rtol=0)
    assert_close(run_onnx(ort, proto, x[:1]), model.predict(x[:1]), "batch of one", atol=1e-5, rtol=0)
    return proto


def randomize(model, rng):
    for p in model.parameters():
        p.value[...] = rng.normal(scale=0.5, size=p.shape)


CASES = [
    ([LayerNormalization()], (5,)),
    ([LayerNormalization(epsilon=1e-5)], (4, 6)),
    ([LayerNormalization(center=False, scale=False)], (4, 6)),
    ([SinePositionEncoding()], (5, 6)),
    ([PositionEmbedding(8)], (5, 6)),
    ([MultiHeadAttention(2, 3)], (5, 6)),
    ([MultiHeadAttention(3, 2, value_dim=4, use_bias=False, use_causal_mask=True)], (5, 6)),
    ([TransformerBlock(12, 2)], (5, 6)),
    ([TransformerBlock(12, 3, normalize_first=True, use_causal_mask=True, dropout=0.2)], (5, 6)),
    ([TimeDistributed(Dense(3, activation="relu"))], (5, 6)),
]


@pytest.mark.parametrize(
    "layers, input_shape", CASES, ids=[f"{type(c[0][0]).__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_each_layer(layers, input_shape, ort, rng):
    model = Sequential(layers, seed=0)
    model.build(input_shape)
    randomize(model, rng)
    check_parity(ort, model, input_shape, rng.normal(size=(3, *input_shape)).astype(np.float32))


def test_character_model(ort, rng):
    model = Sequential(
        [
            Embedding(12, 8),
            SinePositionEncoding(),
            TransformerBlock(16, 2, use_causal_mask=True, normalize_first=True),
            TransformerBlock(16, 2, use_causal_mask=True, normalize_first=True),
            LayerNormalization(),
            TimeDistributed(Dense(12)),
        ],
        seed=0,
    )
    model.build((7,))
    randomize(model, rng)
    proto = check_parity(ort, model, (7,), rng.integers(0, 12, size=(4, 7)).astype(np.float32))
    ops = {node.op_type for node in proto.graph.node}
    assert {"Cast", "Gather", "LayerNormalization", "Softmax", "MatMul", "Transpose", "Reshape", "Gemm"} <= ops


def test_embedding_alone(ort, rng):
    model = Sequential([Embedding(6, 4)], seed=0)
    model.build((5,))
    proto = check_parity(ort, model, (5,), rng.integers(0, 6, size=(3, 5)).astype(np.float32))
    assert [node.op_type for node in proto.graph.node] == ["Cast", "Gather", "Identity"]
