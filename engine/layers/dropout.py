"""Dropout regularisation."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError
from .base import Layer


class Dropout(Layer):
    """Randomly zero a fraction ``rate`` of the inputs while training ("inverted" dropout).

    Training: ``y = x * m / (1 - rate)`` with ``m ~ Bernoulli(1 - rate)`` drawn per element, so
    the expected value of ``y`` equals ``x``; backward is ``grad_x = grad_y * m / (1 - rate)``.
    Inference (``training=False``): ``y = x``, which is what the ONNX export contains.

    Shape:
        any input ``(batch, ...)``; output has the same shape.

    Parameters
    ----------
    rate : float
        Probability of dropping each element, ``0 <= rate < 1``.
    seed : int or numpy.random.Generator, optional
        Source of the masks; a fixed seed makes training reproducible.

    Example
    -------
    >>> import numpy as np
    >>> layer = Dropout(0.5, seed=0)
    >>> y = layer.forward(np.ones((1, 6)), training=True)
    >>> sorted(set(y.ravel().tolist()))
    [0.0, 2.0]
    >>> layer.forward(np.ones((1, 3))).tolist()   # inference: identity
    [[1.0, 1.0, 1.0]]
    """

    _generator: np.random.Generator  # created by build()

    def __init__(self, rate: float = 0.5, *, seed=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, seed=seed)
        if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ConfigError(f"Dropout: rate must be in [0, 1), received rate={rate!r}.")
        self.rate = float(rate)
        self._mask: np.ndarray | None = None

    def input_spec(self, input_shape):
        return None

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        self._generator = self._rng(rng)

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        if not training or self.rate == 0:
            self._mask = None
            self.output = x
            return x
        keep = self._generator.random(x.shape, dtype=np.float32) >= self.rate
        self._mask = keep * np.asarray(1.0 / (1.0 - self.rate), dtype=x.dtype)  # saved for backward
        y = x * self._mask
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y if self._mask is None else grad_y * self._mask

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}

    def extra_repr(self):
        return f"rate={self.rate:g}"
