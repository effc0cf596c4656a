"""Dense: gradients, PyTorch parity, configuration and shape errors."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, t2n, torch_run

from engine import Dense
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer


@pytest.mark.parametrize("kwargs", [{}, {"activation": "tanh"}, {"use_bias": False}, {"activation": "softmax"}])
def test_gradcheck(kwargs, rng):
    assert_gradcheck(check_layer(Dense(3, seed=0, **kwargs), rng.normal(size=(4, 5))))


def test_matches_torch_linear(torch, rng):
    layer = Dense(4, input_dim=3, seed=0, dtype=np.float64)
    ref = torch.nn.Linear(3, 4).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.W.value.T))  # torch stores (out, in)
        ref.bias.copy_(torch.tensor(layer.b.value))
    x, g = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    y, gx = engine_run(layer, x, g)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")
    assert_close(layer.W.grad, t2n(ref.weight.grad).T, "grad W")
    assert_close(layer.b.grad, t2n(ref.bias.grad), "grad b")


def test_gradients_accumulate_until_zero_grad(rng):
    layer = Dense(2, input_dim=3, seed=0)
    x, g = rng.normal(size=(4, 3)).astype(np.float32), np.ones((4, 2), np.float32)
    layer.forward(x)
    layer.backward(g)
    once = layer.W.grad.copy()
    layer.backward(g)
    assert_close(layer.W.grad, 2 * once, "accumulated")
    layer.zero_grad()
    assert not layer.W.grad.any()


def test_lazy_build_float32_and_output_recorded(rng):
    layer = Dense(3, activation="relu", seed=0)
    assert not layer.built and layer.parameters() == []
    y = layer.forward(rng.normal(size=(2, 5)))
    assert layer.W.shape == (5, 3) and y.dtype == np.float32 and layer.output is y
    assert repr(layer) == "Dense(5 -> 3, activation=relu)"


def test_same_seed_same_weights():
    a, b = Dense(4, input_dim=3, seed=7), Dense(4, input_dim=3, seed=7)
    assert np.array_equal(a.W.value, b.W.value)
    assert not np.array_equal(a.W.value, Dense(4, input_dim=3, seed=8).W.value)


def test_skipping_input_gradient_returns_none(rng):
    layer = Dense(2, input_dim=3, seed=0)
    layer.forward(rng.normal(size=(4, 3)))
    assert layer.backward(np.ones((4, 2), np.float32), need_input_grad=False) is None
    assert layer.W.grad.any()


def test_shape_error_names_layer_expected_and_received():
    layer = Dense(4, input_dim=2, seed=0, name="hidden")
    with pytest.raises(ShapeError) as info:
        layer.forward(np.zeros((5, 3)))
    assert str(info.value) == "Dense 'hidden' expected input of shape (batch, 2), received (5, 3)."
    assert info.value.expected == (None, 2) and info.value.received == (5, 3)
    with pytest.raises(
        ShapeError, match=r"received \(5, 1, 2\)\. Dense takes one vector .*: add Flatten\(\) before it"
    ):
        layer.forward(np.zeros((5, 1, 2)))


def test_config_errors():
    with pytest.raises(ConfigError) as info:
        Dense(0)
    assert str(info.value) == (
        "Dense: received an invalid value for `units`, expected a positive integer. Received: units=0"
    )
    with pytest.raises(ConfigError, match="Unknown initializer 'nope'"):
        Dense(2, kernel_initializer="nope")


def test_config_round_trip():
    layer = Dense(3, activation="leaky_relu", use_bias=False, kernel_initializer="he_normal", name="d")
    config = layer.get_config()
    assert config == {
        "name": "d",
        "units": 3,
        "activation": "leaky_relu",
        "use_bias": False,
        "kernel_initializer": "he_normal",
    }
    assert Dense.from_config(config).get_config() == config
