"""engine.gradcheck: the checker agrees with known derivatives and fails on a wrong gradient."""

import numpy as np

from engine import Dense, gradcheck
from engine.layers.base import Layer
from engine.parameter import Parameter


def test_numerical_gradient_of_known_function():
    x = np.array([1.0, -2.0, 3.0])
    grad = gradcheck.numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-7)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored after perturbation


def test_check_function_passes_and_fails():
    assert gradcheck.check_function(lambda x: float(np.sum(np.sin(x))), np.cos, [0.1, 0.7]).ok
    assert not gradcheck.check_function(lambda x: float(np.sum(np.sin(x))), np.sin, [0.1, 0.7]).ok


class WrongDense(Dense):
    """A Dense layer whose weight gradient is off by a factor of 2 (a typical slip)."""

    def _backward_linear(self, grad_z, need_input_grad=True):
        grad_x = super()._backward_linear(grad_z, need_input_grad)
        self.W.grad *= 2
        return grad_x


class WrongInputGrad(Layer):
    """y = x^2 with the derivative written as x instead of 2x."""

    def forward(self, x, *, training=False):
        self._x = self._prepare(x)
        return self._x**2

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y * self._x


def test_checker_fails_on_wrong_parameter_gradient(rng):
    result = gradcheck.check_layer(WrongDense(3, seed=0), rng.normal(size=(4, 2)))
    assert not result.ok
    assert result.errors["W"][1] is False and result.errors["b"][1] is True
    assert "W" in result.report() and "MISMATCH" in result.report()


def test_checker_fails_on_wrong_input_gradient(rng):
    result = gradcheck.check_layer(WrongInputGrad(), rng.normal(size=(3, 2)) + 2)
    assert not result.ok
    assert result.errors["x"][1] is False


def test_checker_passes_on_correct_layer(rng):
    result = gradcheck.check_layer(Dense(3, activation="sigmoid", seed=0), rng.normal(size=(4, 2)))
    assert result.ok, result.report()
    assert bool(result) is True
    assert set(result.errors) == {"x", "W", "b"}


def test_coarse_epsilon_is_detected(rng):
    """As in tinygrad's test: a huge eps makes the numerical estimate wrong for a curved function."""
    layer = Dense(3, activation="tanh", seed=0)
    x = rng.normal(size=(4, 2)) * 3
    assert not gradcheck.check_layer(layer, x, eps=0.5).ok


def test_check_loss_reports_mismatch():
    class Bad:
        def forward(self, y_pred, y_true):
            return float(np.sum(y_pred**2))

        def backward(self):
            return np.zeros(2)

    assert not gradcheck.check_loss(Bad(), [1.0, 2.0], None).ok


def test_parameter_repr_and_zero_grad():
    p = Parameter(np.ones(3), grad=np.ones(3), name="w")
    p.zero_grad()
    assert p.grad.sum() == 0 and repr(p) == "Parameter(name='w', shape=(3,), dtype=float64)"
