"""MaxPool2D and AvgPool2D: gradients, PyTorch parity, tie handling, errors."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, torch_run

from engine import AvgPool2D, MaxPool2D
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer

CASES = [
    dict(pool_size=2),
    dict(pool_size=3, strides=1),
    dict(pool_size=3, strides=2, padding=1),
    dict(pool_size=(2, 3), strides=(1, 2)),
]


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("kwargs", CASES)
def test_gradcheck(cls, kwargs, rng):
    x = rng.permutation(2 * 2 * 5 * 6).reshape(2, 2, 5, 6) / 10.0  # distinct values: no max ties
    assert_gradcheck(check_layer(cls(**kwargs), x))


@pytest.mark.parametrize("kwargs", CASES)
def test_max_pool_matches_torch(kwargs, torch, rng):
    x = rng.normal(size=(2, 3, 7, 6))
    layer = MaxPool2D(**kwargs).astype(np.float64)
    ref = torch.nn.MaxPool2d(kwargs["pool_size"], stride=kwargs.get("strides"), padding=kwargs.get("padding", 0))
    y = layer.forward(x)
    g = rng.normal(size=y.shape)
    y, gx = engine_run(layer, x, g)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")


@pytest.mark.parametrize("include_pad", [False, True])
@pytest.mark.parametrize("kwargs", CASES)
def test_avg_pool_matches_torch(kwargs, include_pad, torch, rng):
    x = rng.normal(size=(2, 3, 7, 6))
    layer = AvgPool2D(**kwargs, count_include_pad=include_pad).astype(np.float64)
    ref = torch.nn.AvgPool2d(
        kwargs["pool_size"],
        stride=kwargs.get("strides"),
        padding=kwargs.get("padding", 0),
        count_include_pad=include_pad,
    )
    g = rng.normal(size=layer.forward(x).shape)
    y, gx = engine_run(layer, x, g)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")


def test_max_pool_ties_send_gradient_to_first_maximum(torch):
    x = np.zeros((1, 1, 2, 4))  # e.g. after a ReLU: every window is a tie
    layer = MaxPool2D(2).astype(np.float64)
    _, gx = engine_run(layer, x, np.ones((1, 1, 1, 2)))
    assert gx.tolist() == [[[[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]]
    _, tgx = torch_run(torch, torch.nn.MaxPool2d(2), x, np.ones((1, 1, 1, 2)))
    assert_close(gx, tgx, "ties like torch")


def test_output_shapes_and_errors():
    assert MaxPool2D(2).compute_output_shape((8, 26, 26)) == (8, 13, 13)
    assert AvgPool2D(3, strides=2, padding=1).compute_output_shape((1, 7, 7)) == (1, 4, 4)
    with pytest.raises(ShapeError) as info:
        MaxPool2D(2, name="pool").forward(np.zeros((4, 4)))
    assert str(info.value) == (
        "MaxPool2D 'pool' expected input of shape (batch, channels, height, width), received (batch, 4). "
        "MaxPool2D takes images (batch, channels, height, width): add Reshape((1, height, width)) before it."
    )
    with pytest.raises(
        ShapeError, match=r"expected input of shape \(batch, channels, >=3, >=3\), received \(1, 1, 2, 2\)"
    ):
        MaxPool2D(3).forward(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ConfigError, match="`pool_size`"):
        MaxPool2D(-1)
