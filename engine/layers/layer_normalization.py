"""Layer normalisation over the last axis (the features of each sample or sequence position)."""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..errors import ConfigError
from ..parameter import Parameter
from .base import Layer


class LayerNormalization(Layer):
    """Layer normalisation (Ba et al. 2016), like Keras ``LayerNormalization``,
    ``torch.nn.LayerNorm(features)`` and ONNX ``LayerNormalization(axis=-1)``.

    Per row ``x`` of ``d`` features (one sample, or one position of a sequence)::

        mu = mean(x),  var = mean((x - mu)^2),  x_hat = (x - mu) / sqrt(var + epsilon)
        y = gamma * x_hat + beta

    Unlike BatchNorm nothing is averaged over the batch, so training and inference compute the
    same thing and one sample per step is fine. Backward, per row with ``g = dL/dy``::

        dL/dgamma = sum over rows of g * x_hat        dL/dbeta = sum over rows of g
        gx = g * gamma
        dL/dx = (d * gx - sum(gx) - x_hat * sum(gx * x_hat)) / (d * sqrt(var + epsilon))

    Shape:
        input ``(batch, ..., features)``; output the same shape.

    Parameters
    ----------
    axis : int
        Only ``-1`` (the last axis), which is what transformers use and what ONNX supports.
    epsilon : float
        Added to the variance; default 1e-3 as in Keras (PyTorch uses 1e-5).
    center, scale : bool
        Learn ``beta`` / ``gamma`` (default True); without them ``beta = 0`` / ``gamma = 1``.

    Example
    -------
    >>> import numpy as np
    >>> ln = LayerNormalization()
    >>> y = ln.forward(np.array([[1.0, 3.0], [0.0, 0.2]]))
    >>> np.round(y.astype(float), 3).tolist()  # epsilon matters when the spread is small
    [[-1.0, 1.0], [-0.953, 0.953]]
    """

    # created by build()
    gamma: Parameter | None
    beta: Parameter | None

    def __init__(
        self, axis: int = -1, *, epsilon: float = 1e-3, center: bool = True, scale: bool = True, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if axis != -1:
            raise ConfigError(
                f"LayerNormalization normalises over the last axis only (axis=-1), received axis={axis!r}. "
                "Put the features last, e.g. (batch, time, features)."
            )
        if not isinstance(epsilon, (int, float)) or epsilon <= 0:
            raise ConfigError(f"LayerNormalization: epsilon must be > 0, received epsilon={epsilon!r}.")
        self.axis = -1
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.gamma = self.beta = None

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        d = self.built_shape()[-1]
        self.gamma = Parameter(np.ones(d, dtype=self.dtype), name="gamma") if self.scale else None
        self.beta = Parameter(np.zeros(d, dtype=self.dtype), name="beta") if self.center else None

    def input_spec(self, input_shape):
        return (None, *("time" for _ in input_shape[:-1]), input_shape[-1])  # any lengths, fixed features

    def parameters(self):
        return [p for p in (self.gamma, self.beta) if p is not None]

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        d = x.shape[-1]
        mu = kernels.sum_last(x, keepdims=True) / d
        xc = x - mu
        inv_std = 1.0 / np.sqrt(kernels.sum_last(xc * xc, keepdims=True) / d + self.epsilon)
        x_hat = xc * inv_std
        self._x_hat, self._inv_std = x_hat, inv_std  # saved for backward
        y = x_hat
        if self.gamma is not None:
            y = y * self.gamma.value
        if self.beta is not None:
            y = y + self.beta.value
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        x_hat, d = self._x_hat, grad_y.shape[-1]
        rows_g = grad_y.reshape(-1, d)
        if self.gamma is not None:
            self.gamma.grad += kernels.sum_rows(rows_g * x_hat.reshape(-1, d))
            grad_y = grad_y * self.gamma.value
        if self.beta is not None:
            self.beta.grad += kernels.sum_rows(rows_g)
        if not need_input_grad:
            return None
        sum_g = kernels.sum_last(grad_y, keepdims=True)
        sum_gx = kernels.sum_last(grad_y * x_hat, keepdims=True)
        return (self._inv_std / d) * (d * grad_y - sum_g - x_hat * sum_gx)

    def get_config(self):
        config = super().get_config()
        if self.epsilon != 1e-3:
            config["epsilon"] = self.epsilon
        for key in ("center", "scale"):
            if not getattr(self, key):
                config[key] = False
        return config

    def extra_repr(self):
        d = self.input_shape[-1] if self.input_shape is not None else "?"
        return f"{d}, epsilon={self.epsilon:g}"
