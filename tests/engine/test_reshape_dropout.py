"""Flatten, Reshape and Dropout."""

import numpy as np
import pytest
from engine_helpers import assert_gradcheck

from engine import Dropout, Flatten, Reshape
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer


def test_flatten_is_c_order_reshape(rng):
    x = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    layer = Flatten()
    assert np.array_equal(layer.forward(x), x.reshape(2, -1))
    assert layer.backward(np.ones((2, 60))).shape == (2, 3, 4, 5)
    assert_gradcheck(check_layer(Flatten(), rng.normal(size=(2, 3, 2))))


def test_flatten_matches_torch(torch, rng):
    x = rng.normal(size=(2, 3, 4, 5))
    assert np.array_equal(Flatten().astype(np.float64).forward(x), torch.nn.Flatten()(torch.tensor(x)).numpy())


def test_reshape(rng):
    layer = Reshape((1, -1, 4))
    assert layer.forward(np.zeros((2, 8))).shape == (2, 1, 2, 4)
    assert layer.compute_output_shape((12,)) == (1, 3, 4)
    assert_gradcheck(check_layer(Reshape((2, 3)), rng.normal(size=(2, 6))))
    with pytest.raises(ShapeError, match=r"Cannot reshape 5 values per sample to \(2, 3\)"):
        Reshape((2, 3)).forward(np.zeros((1, 5)))
    with pytest.raises(ConfigError, match="at most one -1"):
        Reshape((-1, -1))


def test_dropout_training_masks_and_scales():
    layer = Dropout(0.25, seed=0)
    x = np.ones((200, 50), np.float32)
    y = layer.forward(x, training=True)
    assert np.unique(y).tolist() == [0.0, np.float32(1 / 0.75)]
    assert abs((y == 0).mean() - 0.25) < 0.02
    g = layer.backward(np.ones_like(x))
    assert np.array_equal(g, y)  # same mask, same scale


def test_dropout_inference_is_identity_and_seed_is_reproducible():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert Dropout(0.5, seed=0).forward(x) is not None
    assert np.array_equal(Dropout(0.5, seed=0).forward(x), x)
    a = Dropout(0.5, seed=3).forward(x, training=True)
    b = Dropout(0.5, seed=3).forward(x, training=True)
    assert np.array_equal(a, b)


def test_dropout_gradcheck_with_fixed_mask(rng):
    layer = Dropout(0.4, seed=0)
    layer.build((5,))

    def reseed():
        layer._generator = np.random.default_rng(0)

    assert_gradcheck(check_layer(layer, rng.normal(size=(3, 5)), training=True, before_forward=reseed))


def test_dropout_rate_validated():
    with pytest.raises(ConfigError) as info:
        Dropout(1.0)
    assert str(info.value) == "Dropout: rate must be in [0, 1), received rate=1.0."
