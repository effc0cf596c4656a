"""Activation layers: values, derivatives (gradcheck), PyTorch parity and the registry."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, torch_run

from engine import activations, kernels
from engine.errors import ConfigError
from engine.gradcheck import check_layer

NAMES = ["step", "linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"]


@pytest.mark.parametrize("name", NAMES)
def test_gradcheck(name, rng):
    x = rng.normal(size=(4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the ReLU kink and the step
    assert_gradcheck(check_layer(activations.get(name), x))


def test_step_values_and_zero_gradient():
    step = activations.get("step")
    y = step.forward(np.array([[-1.0, 0.0, 2.0]]))
    assert y.tolist() == [[0.0, 1.0, 1.0]]
    assert step.backward(np.ones((1, 3))).tolist() == [[0.0, 0.0, 0.0]]
    assert activations.Step(threshold=1.5).forward(np.array([[1.0, 2.0]])).tolist() == [[0.0, 1.0]]


@pytest.mark.parametrize(
    "name, module",
    [
        ("relu", "ReLU"),
        ("leaky_relu", "LeakyReLU"),
        ("sigmoid", "Sigmoid"),
        ("tanh", "Tanh"),
        ("softmax", "Softmax"),
    ],
)
def test_matches_torch(name, module, torch, rng):
    x = rng.normal(size=(3, 4)) * 3
    grad_y = rng.normal(size=(3, 4))
    layer = activations.get(name).astype(np.float64)
    ref = getattr(torch.nn, module)(**({"dim": -1} if module == "Softmax" else {}))
    y, gx = engine_run(layer, x, grad_y)
    ty, tgx = torch_run(torch, ref, x, grad_y)
    assert_close(y, ty, f"{name} forward")
    assert_close(gx, tgx, f"{name} backward")


def test_sigmoid_and_softmax_do_not_overflow():
    x = np.array([[-1000.0, 0.0, 1000.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert activations.get("sigmoid").forward(x).tolist() == [[0.0, 0.5, 1.0]]
        assert np.isfinite(activations.get("softmax").forward(x)).all()


def test_registry_accepts_names_instances_and_none():
    relu = activations.ReLU()
    assert activations.get(relu) is relu
    assert activations.get(None) is None
    assert isinstance(activations.get("ReLU"), activations.ReLU)
    assert isinstance(activations.get("leaky-relu"), activations.LeakyReLU)
    assert activations.get({"class": "LeakyReLU", "config": {"negative_slope": 0.2}}).negative_slope == 0.2
    assert activations.serialize(activations.LeakyReLU(0.2)) == {
        "class": "LeakyReLU",
        "config": {"negative_slope": 0.2},
    }
    assert activations.serialize(activations.ReLU()) == "relu"


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ConfigError) as info:
        activations.get("swish")
    assert str(info.value) == (
        "Unknown activation 'swish'. Valid names: heaviside, identity, leaky_relu, linear, logistic, "
        "relu, sigmoid, softmax, step, tanh, threshold."
    )


def test_elementwise_derivatives_match_numeric(rng):
    """``derivative(x, y)`` (used by the single-neuron lessons) is the true dy/dx."""
    x = rng.normal(size=7)
    x[np.abs(x) < 1e-3] = 0.3
    for name in ["linear", "relu", "leaky_relu", "sigmoid", "tanh"]:
        act = activations.get(name).astype(np.float64)
        numeric = (act.function(x + 1e-6) - act.function(x - 1e-6)) / 2e-6
        assert_close(act.derivative(x, act.function(x)), numeric, name)


def test_emscripten_kernels_agree_with_native(rng):
    x = rng.normal(size=(5, 6)).astype(np.float32) * 4
    native = [activations.get(n).forward(x) for n in ("relu", "sigmoid", "tanh")]
    previous = kernels.set_platform("emscripten")
    try:
        browser = [activations.get(n).forward(x) for n in ("relu", "sigmoid", "tanh")]
    finally:
        kernels.set_platform(previous)
    for a, b in zip(native, browser):
        assert_close(a, b, "emscripten kernel", atol=1e-6)
