"""Activation functions, as layers and by name.

Each activation is a layer (so it can sit in a ``Sequential`` and be drawn) and also exposes the
plain math: ``function(x)`` and, for the elementwise ones, ``derivative(x, y)``, which the
single-neuron lessons use.

=============  ==================================  ==========================================
name           y = f(x)                            dy/dx
=============  ==================================  ==========================================
``step``       1 if x >= threshold else 0          0 (almost everywhere: nothing to learn from)
``linear``     x                                   1
``relu``       max(x, 0)                           1 if x > 0 else 0
``leaky_relu`` x if x > 0 else a * x               1 if x > 0 else a  (a = negative_slope)
``sigmoid``    1 / (1 + exp(-x))                   y (1 - y)
``tanh``       (e^x - e^-x) / (e^x + e^-x)         1 - y^2
``softmax``    exp(x_i) / sum_j exp(x_j)           dy_i/dx_j = y_i (delta_ij - y_j)
=============  ==================================  ==========================================

>>> import numpy as np
>>> get("relu")(np.array([[-1.0, 2.0]]))
array([[0., 2.]], dtype=float32)
>>> get("swish")
Traceback (most recent call last):
...
engine.errors.ConfigError: Unknown activation 'swish'. Valid names: heaviside, identity, leaky_relu, linear,
    logistic, relu, sigmoid, softmax, step, tanh, threshold.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .errors import ConfigError, Renamed, renamed_arguments, unknown_name
from .layers.base import Layer


class Activation(Layer):
    """Base class: an elementwise ``y = f(x)`` with no parameters.

    Shape:
        input: any shape ``(batch, ...)``; output: the same shape.
    """

    key = ""  # registry name
    _x: np.ndarray  # saved for backward by forward
    _y: np.ndarray  # likewise (the same array as self.output)

    def __init__(self, *, name=None, dtype=None):
        super().__init__(name=name or self.key, dtype=dtype)

    def input_spec(self, input_shape):
        return None  # any shape

    def function(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Elementwise ``dy/dx`` given the input ``x`` and the output ``y = f(x)``."""
        raise NotImplementedError

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        y = self.function(x)
        self._x, self._y = x, y  # saved for backward
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y * self.derivative(self._x, self._y)

    def get_config(self):
        config = super().get_config()
        if config.get("name") == self.key:
            del config["name"]
        return config


class Step(Activation):
    """Threshold (Heaviside step) unit of the perceptron: ``y = 1 if x >= threshold else 0``.

    Its derivative is 0 wherever it exists, so gradient descent cannot train through it; the
    perceptron learning rule (``engine.Neuron.perceptron_step``) can.
    """

    key = "step"

    def __init__(self, threshold: float = 0.0, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.threshold = float(threshold)

    def function(self, x):
        return (x >= self.threshold).astype(x.dtype)

    def derivative(self, x, y):
        return np.zeros_like(x)

    def backward(self, grad_y, *, need_input_grad=True):
        return np.zeros_like(grad_y)

    def get_config(self):
        config = super().get_config()
        return {**config, "threshold": self.threshold} if self.threshold else config

    def extra_repr(self):
        return f"threshold={self.threshold:g}"


class Identity(Activation):
    """``y = x`` (the "linear" activation)."""

    key = "linear"

    def function(self, x):
        return x

    def derivative(self, x, y):
        return np.ones_like(x)

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y


class ReLU(Activation):
    """Rectified linear unit ``y = max(x, 0)``; ``dy/dx = 1 if x > 0 else 0``."""

    key = "relu"

    def function(self, x):
        return kernels.relu(x)

    def derivative(self, x, y):
        return (y > 0).astype(y.dtype)

    def backward(self, grad_y, *, need_input_grad=True):
        return kernels.relu_grad(grad_y, self._y)


class LeakyReLU(Activation):
    """``y = x if x > 0 else a * x``; ``dy/dx = 1 if x > 0 else a``, with ``a = negative_slope``
    (Keras 3's name; default 0.01 as in PyTorch, Keras uses 0.3)."""

    key = "leaky_relu"
    alpha = Renamed("negative_slope")

    @renamed_arguments(alpha="negative_slope")
    def __init__(self, negative_slope: float = 0.01, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.negative_slope = float(negative_slope)

    def function(self, x):
        return np.where(x > 0, x, x * self.negative_slope)

    def derivative(self, x, y):
        return np.where(x > 0, 1, self.negative_slope).astype(x.dtype)

    def get_config(self):
        config = super().get_config()
        return config if self.negative_slope == 0.01 else {**config, "negative_slope": self.negative_slope}

    def extra_repr(self):
        return f"negative_slope={self.negative_slope:g}"


class Sigmoid(Activation):
    """Logistic function ``y = 1 / (1 + exp(-x))``; ``dy/dx = y (1 - y)``."""

    key = "sigmoid"

    def function(self, x):
        return kernels.sigmoid(x)

    def derivative(self, x, y):
        return y * (1 - y)


class Tanh(Activation):
    """Hyperbolic tangent ``y = tanh(x)``; ``dy/dx = 1 - y^2``."""

    key = "tanh"

    def function(self, x):
        return kernels.tanh(x)

    def derivative(self, x, y):
        return 1 - y * y


class Softmax(Activation):
    """``y_i = exp(x_i - max(x)) / sum_j exp(x_j - max(x))`` along ``axis`` (the last by default).

    Subtracting the maximum does not change the result and keeps ``exp`` from overflowing.
    Backward: ``grad_x = y * (grad_y - sum(grad_y * y, axis))``. Paired with categorical
    cross-entropy in a model, the two are fused into ``(y - target) / batch``.
    """

    key = "softmax"

    def __init__(self, axis: int = -1, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.axis = int(axis)

    def function(self, x):
        return softmax(x, self.axis)

    def derivative(self, x, y):
        raise ConfigError("Softmax is not elementwise: use backward(grad_y) instead of derivative().")

    def backward(self, grad_y, *, need_input_grad=True):
        y = self._y
        if self.axis in (-1, y.ndim - 1):
            return y * (grad_y - kernels.sum_last(grad_y * y, keepdims=True))
        return y * (grad_y - (grad_y * y).sum(axis=self.axis, keepdims=True))

    def get_config(self):
        config = super().get_config()
        return config if self.axis == -1 else {**config, "axis": self.axis}

    def extra_repr(self):
        return "" if self.axis == -1 else f"axis={self.axis}"


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax of ``x`` along ``axis``."""
    if axis in (-1, x.ndim - 1):
        e = x - kernels.max_last(x, keepdims=True)
        np.exp(e, out=e)
        e /= kernels.sum_last(e, keepdims=True)
        return e
    e = x - x.max(axis=axis, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=axis, keepdims=True)
    return e


_REGISTRY = {
    "step": Step,
    "threshold": Step,
    "heaviside": Step,
    "linear": Identity,
    "identity": Identity,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "logistic": Sigmoid,
    "tanh": Tanh,
    "softmax": Softmax,
}


def get(identifier) -> Activation | None:
    """An activation layer from a name (``"relu"``), a config dict, a class or an instance.

    ``None`` stays ``None`` (no activation). Unknown names raise a ConfigError listing valid ones.
    """
    if identifier is None or isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Activation):
        return identifier()
    if isinstance(identifier, dict):
        key = identifier.get("name") or identifier.get("class", "")
        cls = _REGISTRY.get(key.lower()) or {c.__name__: c for c in _REGISTRY.values()}.get(key)
        if cls is None:
            raise unknown_name("activation", key, _REGISTRY)
        return cls(**identifier.get("config", {}))
    if not isinstance(identifier, str):
        raise ConfigError(f"Expected an activation name, received {identifier!r}.")
    key = identifier.lower().replace("-", "_")
    if key not in _REGISTRY:
        raise unknown_name("activation", identifier, _REGISTRY)
    return _REGISTRY[key]()


def serialize(activation: Activation | None):
    """The name of an activation, or a dict when it has settings (LeakyReLU's negative_slope)."""
    if activation is None:
        return None
    config = activation.get_config()
    config.pop("name", None)
    if not config:
        return activation.key
    return {"class": type(activation).__name__, "config": config}
