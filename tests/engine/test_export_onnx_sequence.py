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


def test_attention_weights_as_a_second_output(ort, rng):
    """``attention_output``: every attention's weights, joined along the head axis, as the engine's."""
    import onnx

    from engine.errors import ConfigError

    model = Sequential(
        [
            Embedding(7, 6),
            TransformerBlock(12, 2, normalize_first=True, use_causal_mask=True),
            TransformerBlock(12, 3),
            TimeDistributed(Dense(7)),
        ],
        seed=0,
    )
    model.build((5,))
    randomize(model, rng)
    proto = to_onnx(model, input_shape=(5,), attention_output="attention")
    onnx.checker.check_model(proto, full_check=True)
    assert [o.name for o in proto.graph.output] == ["output", "attention"]
    x = rng.integers(0, 7, size=(3, 5)).astype(np.float32)
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    logits, attention = session.run(None, {"input": x})
    expected = model.predict(x)
    blocks = [model.layers[1], model.layers[2]]
    scores = np.concatenate([b.attention.attention_scores for b in blocks], axis=1)
    assert attention.shape == (3, 5, 5, 5)
    assert_close(logits, expected, "logits", atol=1e-5, rtol=0)
    assert_close(attention, scores, "attention weights", atol=1e-5, rtol=0)
    above = np.triu_indices(5, k=1)  # later positions: hidden from the causal block only
    assert np.all(attention[:, :2, above[0], above[1]] == 0) and np.all(attention[:, 2:, above[0], above[1]] > 0)
    one = to_onnx(Sequential([MultiHeadAttention(2, 3)], seed=0), input_shape=(4, 6), attention_output="w")
    assert [o.name for o in one.graph.output] == ["output", "w"]  # one layer: an Identity
    with pytest.raises(ConfigError, match="no MultiHeadAttention"):
        to_onnx(Sequential([Dense(2)], seed=0), input_shape=(3,), attention_output="attention")
    with pytest.raises(ConfigError, match="must not be named"):
        to_onnx(model, input_shape=(5,), attention_output="output")
