"""Conv2D: gradients and PyTorch parity for stride/padding combinations, shapes, errors."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, t2n, torch_run

from engine import Conv2D
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer

CASES = [
    dict(kernel_size=3),
    dict(kernel_size=3, strides=2, padding=1),
    dict(kernel_size=(2, 3), strides=(1, 2), padding=(1, 0)),
    dict(kernel_size=3, padding="same"),
    dict(kernel_size=2, strides=2, padding="same", activation="relu"),
    dict(kernel_size=3, use_bias=False, padding=(0, 1, 2, 0)),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_gradcheck(kwargs, rng):
    x = rng.normal(size=(2, 2, 5, 5))
    assert_gradcheck(check_layer(Conv2D(3, seed=0, **kwargs), x))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(kernel_size=3),
        dict(kernel_size=3, strides=2, padding=1),
        dict(kernel_size=(2, 3), strides=(2, 1), padding=(1, 2)),
    ],
)
def test_matches_torch_conv2d(kwargs, torch, rng):
    layer = Conv2D(4, in_channels=3, seed=0, dtype=np.float64, **kwargs)
    ref = torch.nn.Conv2d(
        3, 4, kwargs["kernel_size"], stride=kwargs.get("strides", 1), padding=kwargs.get("padding", 0)
    ).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.W.value))  # same (out, in, kh, kw) layout
        ref.bias.copy_(torch.tensor(rng.normal(size=4)))
        layer.b.value[...] = t2n(ref.bias)
    x = rng.normal(size=(2, 3, 7, 6))
    g = rng.normal(size=(2, 4, *layer.compute_output_shape((3, 7, 6))[1:]))
    y, gx = engine_run(layer, x, g)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")
    assert_close(layer.W.grad, t2n(ref.weight.grad), "grad W")
    assert_close(layer.b.grad, t2n(ref.bias.grad), "grad b")


def test_same_padding_keeps_size_and_filters_are_weights(rng):
    conv = Conv2D(8, 3, padding="same", seed=0)
    y = conv.forward(rng.normal(size=(2, 1, 28, 28)))
    assert y.shape == (2, 8, 28, 28) and conv.output is y
    assert conv.W.value.shape == (8, 1, 3, 3)
    assert Conv2D(2, 3, strides=2, padding="same", seed=0).compute_output_shape((1, 7, 7)) == (2, 4, 4)


def test_shape_errors():
    conv = Conv2D(4, 3, in_channels=3, seed=0, name="c1")
    with pytest.raises(ShapeError) as info:
        conv.forward(np.zeros((2, 1, 8, 8)))
    assert str(info.value) == "Conv2D 'c1' expected input of shape (batch, 3, height, width), received (2, 1, 8, 8)."
    with pytest.raises(ShapeError) as info:
        conv.forward(np.zeros((2, 3, 2, 8)))
    assert str(info.value) == (
        "Conv2D 'c1' expected input of shape (batch, 3, >=3, >=3), received (2, 3, 2, 8). "
        "The padded image is smaller than the kernel."
    )


def test_config_errors_and_round_trip():
    with pytest.raises(
        ConfigError, match=r"Conv2D: received an invalid value for `kernel_size`.*Received: kernel_size=0"
    ):
        Conv2D(2, 0)
    with pytest.raises(ConfigError, match="padding must be 'valid', 'same' or integers"):
        Conv2D(2, 3, padding="full")
    conv = Conv2D(2, (3, 2), strides=2, padding="same", activation="relu", name="c")
    assert Conv2D.from_config(conv.get_config()).get_config() == conv.get_config()
