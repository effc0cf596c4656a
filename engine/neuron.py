"""A single artificial neuron, computed step by step for the first lessons.

``y = f(w . x + b)``: multiply each input by its weight, add the products and the bias (the
weighted sum ``z``), then apply the activation ``f``.

>>> n = Neuron(weights=[0.5, -1.0], bias=0.25, activation="step")
>>> trace = n.explain([2.0, 1.0])
>>> trace.products, trace.weighted_sum, trace.output
([1.0, -1.0], 0.25, 1.0)
>>> print(trace)
inputs x        = [2.0, 1.0]
weights w       = [0.5, -1.0]
products w*x    = [1.0, -1.0]
sum + bias      = 0 + 0.25 = 0.25
step(0.25)      = 1
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from . import activations
from .errors import ConfigError, ShapeError, renamed_arguments
from .messages import number, numbers, text


@dataclass
class NeuronTrace:
    """The intermediate values of one neuron evaluation (plain Python numbers, JSON-friendly)."""

    inputs: list
    weights: list
    products: list
    bias: float
    weighted_sum: float
    activation: str
    output: float
    derivative: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        """The steps as a pupil writes them, in the lesson's language (:mod:`engine.messages`)."""
        total = sum(self.products)
        rows = [
            (text("inputs x"), numbers(self.inputs)),
            (text("weights w"), numbers(self.weights)),
            (text("products w*x"), numbers(self.products)),
            (text("sum + bias"), f"{number(total)} + {number(self.bias)} = {number(self.weighted_sum)}"),
            (f"{self.activation}({number(self.weighted_sum)})", number(self.output)),
        ]
        width = max(16, *(len(label) + 1 for label, _ in rows))
        return "\n".join(f"{label.ljust(width)}= {value}" for label, value in rows)


class Neuron:
    """One neuron with its weights, bias and activation (``"step"`` by default, the perceptron).

    Parameters
    ----------
    weights : sequence of float
    bias : float
    activation : str or Activation
        Any elementwise activation of :mod:`engine.activations`.
    """

    def __init__(self, weights, bias: float = 0.0, activation="step"):
        self.weights = np.array(weights, dtype=np.float64).reshape(-1)
        self.bias = float(bias)
        chosen = activations.get(activation)
        if chosen is None:
            raise ConfigError(
                "Neuron: received activation=None, expected an elementwise activation such as 'step' or 'sigmoid'."
            )
        chosen.astype(np.float64)
        self.activation = chosen

    def _inputs(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.shape[-1:] != self.weights.shape:
            raise ShapeError(f"Neuron with {len(self.weights)} weights", ("...", len(self.weights)), x.shape)
        return x

    def weighted_sum(self, x) -> np.ndarray:
        """``z = w . x + b`` for one sample ``(n_inputs,)`` or a batch ``(batch, n_inputs)``."""
        return self._inputs(x) @ self.weights + self.bias

    def forward(self, x):
        """``y = f(z)``; a float for one sample, an array for a batch."""
        z = np.atleast_1d(self.weighted_sum(x))
        y = self.activation.function(z)
        return float(y[0]) if np.ndim(x) == 1 else y

    __call__ = forward

    def explain(self, x) -> NeuronTrace:
        """Every intermediate value for one sample, including ``dy/dz`` at ``z``."""
        x = self._inputs(x)
        if x.ndim != 1:
            raise ShapeError("Neuron.explain", (len(self.weights),), x.shape, "Explain one sample at a time.")
        products = x * self.weights
        z = float(products.sum() + self.bias)
        zs = np.array([z])
        y = self.activation.function(zs)
        derivative = float(self.activation.derivative(zs, y)[0])
        return NeuronTrace(
            inputs=x.tolist(),
            weights=self.weights.tolist(),
            products=products.tolist(),
            bias=self.bias,
            weighted_sum=z,
            activation=self.activation.key,
            output=float(y[0]),
            derivative=derivative,
        )

    @renamed_arguments(lr="learning_rate")
    def perceptron_step(self, x, target: float, learning_rate: float = 1.0) -> float:
        """The perceptron learning rule for one sample: ``error = target - y``,
        ``w <- w + learning_rate * error * x``, ``b <- b + learning_rate * error``. Returns the error."""
        x = self._inputs(x)
        error = float(target) - self.forward(x)
        self.weights += learning_rate * error * x
        self.bias += learning_rate * error
        return error

    @renamed_arguments(lr="learning_rate")
    def fit_perceptron(self, x, y, *, epochs: int = 10, learning_rate: float = 1.0) -> list[int]:
        """Apply :meth:`perceptron_step` to every sample, ``epochs`` times, stopping early once
        nothing is misclassified. Returns the number of mistakes in each epoch."""
        x, y = np.asarray(x), np.asarray(y)
        if len(y) != len(x):
            # zip() used to drop the extra samples silently.
            raise ShapeError("Neuron.fit_perceptron", (len(x),), y.shape, "Give one target per sample of x.")
        mistakes = []
        for _ in range(epochs):
            count = sum(self.perceptron_step(xi, yi, learning_rate) != 0 for xi, yi in zip(x, y, strict=True))
            mistakes.append(int(count))
            if count == 0:
                break
        return mistakes

    def __repr__(self) -> str:
        return f"Neuron(weights={self.weights.tolist()}, bias={self.bias:g}, activation={self.activation.key!r})"
