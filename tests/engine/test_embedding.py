"""Embedding and the position layers: gradients, PyTorch parity, id checks, the sine table."""

import re

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, t2n

from engine import Embedding, PositionEmbedding, Sequential, SinePositionEncoding
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer
from engine.layers.embedding import sine_position_table


def test_embedding_gradcheck_scatters_repeated_ids(rng):
    layer = Embedding(5, 3, seed=0)
    ids = np.array([[0, 2, 2, 4], [4, 4, 1, 0]])
    result = check_layer(layer, ids)
    assert_gradcheck(result)
    assert set(result.errors) == {"embeddings"}  # ids have no gradient: backward returns None
    assert not result.analytic["embeddings"][3].any()  # token 3 never appears


def test_embedding_matches_torch(torch, rng):
    layer = Embedding(7, 4, seed=0, dtype=np.float64)
    ids = rng.integers(0, 7, size=(3, 5))
    layer.build(ids.shape[1:])
    ref = torch.nn.Embedding(7, 4).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.embeddings.value))
    g = rng.normal(size=(3, 5, 4))
    y = layer.forward(ids)
    layer.zero_grad()
    assert layer.backward(g) is None
    ty = ref(torch.tensor(ids))
    ty.backward(torch.tensor(g))
    assert_close(y, t2n(ty), "forward")
    assert_close(layer.embeddings.grad, t2n(ref.weight.grad), "grad embeddings")


def test_embedding_accepts_whole_floats_and_refuses_other_ids():
    layer = Embedding(4, 2, seed=0, name="emb")
    model = Sequential([layer], seed=0)  # a model casts its input to float32
    assert np.array_equal(model.predict(np.array([[3, 1]])), layer.embeddings.value[[[3, 1]]])
    with pytest.raises(ConfigError, match=r"Embedding 'emb' takes whole-number token ids, received 1\.5"):
        layer.forward(np.array([[1.5, 2.0]]))
    with pytest.raises(ConfigError, match=r"token ids must be in \[0, 3\], received values from 0 to 4\. "):
        layer.forward(np.array([[0, 4]]))
    with pytest.raises(ConfigError, match="takes integer token ids, received an array of dtype <U1"):
        layer.forward(np.array([["a", "b"]]))
    with pytest.raises(ConfigError, match=re.escape("expected a positive integer. Received: output_dim=0")):
        Embedding(4, 0)


def test_embedding_output_shape_and_any_length():
    layer = Embedding(10, 3, seed=0)
    assert layer.forward(np.zeros((2, 6), dtype=int)).shape == (2, 6, 3)
    assert layer.forward(np.zeros((2, 9), dtype=int)).shape == (2, 9, 3)  # sequence length is free
    assert layer.compute_output_shape((6,)) == (6, 3)


@pytest.mark.parametrize("cls", [PositionEmbedding, SinePositionEncoding])
def test_position_layers_gradcheck(cls, rng):
    layer = PositionEmbedding(6, seed=0) if cls is PositionEmbedding else SinePositionEncoding()
    result = check_layer(layer, rng.normal(size=(2, 4, 3)))
    assert_gradcheck(result)
    if cls is PositionEmbedding:
        assert not result.analytic["embeddings"][4:].any()  # rows past the sequence get nothing


def test_position_embedding_matches_torch(torch, rng):
    layer = PositionEmbedding(6, seed=0, dtype=np.float64)
    x, g = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    y = layer.forward(x)
    layer.zero_grad()
    gx = layer.backward(g)
    table = torch.tensor(layer.embeddings.value, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    ty = tx + table[:4]
    ty.backward(torch.tensor(g))
    assert_close(y, t2n(ty), "forward")
    assert_close(gx, t2n(tx.grad), "grad x")
    assert_close(layer.embeddings.grad, t2n(table.grad), "grad embeddings")


def test_position_embedding_refuses_long_sequences():
    layer = PositionEmbedding(4, seed=0, name="pos")
    with pytest.raises(ShapeError, match=r"expected input of shape \(batch, 4, 3\), received \(batch, 5, 3\)"):
        layer.forward(np.zeros((1, 5, 3)))
    with pytest.raises(ShapeError, match=re.escape("takes (batch, time, features), e.g. after an Embedding.")):
        layer.forward(np.zeros((1, 3)))


def test_sine_table_is_the_papers_formula():
    d, table = 6, sine_position_table(5, 6)
    for t in range(5):
        for i in range(d // 2):
            angle = t / 10000 ** (2 * i / d)
            assert table[t, 2 * i] == pytest.approx(np.sin(angle))
            assert table[t, 2 * i + 1] == pytest.approx(np.cos(angle))
    layer = SinePositionEncoding()
    x = np.ones((2, 70, 6))  # longer than the first cached table
    assert_close(layer.forward(x)[1], 1 + sine_position_table(70, 6), "added", atol=1e-6)
