"""Batch normalisation over the channel axis (axis 1), for (N, C) and (N, C, H, W) inputs."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, ShapeError
from ..parameter import Parameter
from .base import Layer


class BatchNorm(Layer):
    """Batch normalisation (Ioffe & Szegedy 2015), like ``torch.nn.BatchNorm1d/2d`` and ONNX
    ``BatchNormalization``.

    Per channel ``c``, over the batch (and the pixels of an image)::

        training:  mu = mean(x),  var = mean((x - mu)^2)          (biased, used to normalise)
                   running_mean = (1 - momentum) * running_mean + momentum * mu
                   running_var  = (1 - momentum) * running_var  + momentum * var * m / (m - 1)
        inference: mu = running_mean,  var = running_var
        x_hat = (x - mu) / sqrt(var + eps);    y = gamma * x_hat + beta

    Backward in training mode (``m`` values per channel, ``g = dL/dy``)::

        dL/dgamma = sum(g * x_hat)     dL/dbeta = sum(g)
        dL/dx = gamma / (m * sqrt(var + eps)) * (m * g - sum(g) - x_hat * sum(g * x_hat))

    and ``dL/dx = g * gamma / sqrt(running_var + eps)`` in inference mode.

    Shape:
        input ``(batch, C)`` or ``(batch, C, H, W)``; output has the same shape.

    Parameters
    ----------
    momentum : float
        Weight of the new batch in the running statistics (PyTorch convention), default 0.1.
    eps : float
        Added to the variance, default 1e-5.

    Example
    -------
    >>> import numpy as np
    >>> bn = BatchNorm()
    >>> y = bn.forward(np.array([[1.0], [3.0]]), training=True)
    >>> np.round(y.ravel(), 3).tolist(), bn.running_mean.tolist()
    ([-1.0, 1.0], [0.20000000298023224])
    """

    # created by build()
    gamma: Parameter
    beta: Parameter
    running_mean: np.ndarray
    running_var: np.ndarray

    def __init__(
        self, *, momentum: float = 0.1, eps: float = 1e-5, num_features: int | None = None, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if not 0 <= momentum <= 1 or eps <= 0:
            raise ConfigError(f"BatchNorm: need 0 <= momentum <= 1 and eps > 0, received {momentum=}, {eps=}.")
        self.momentum = float(momentum)
        self.eps = float(eps)
        if num_features is not None:
            self.build((num_features,))

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        c = self.built_shape()[0]
        self.gamma = Parameter(np.ones(c, dtype=self.dtype), name="gamma")
        self.beta = Parameter(np.zeros(c, dtype=self.dtype), name="beta")
        self.running_mean = np.zeros(c, dtype=self.dtype)
        self.running_var = np.ones(c, dtype=self.dtype)

    def input_spec(self, input_shape):
        return None  # (batch, C) or (batch, C, H, W): checked in forward

    def _check(self, x):
        c = self.built_shape()[0]
        if x.ndim not in (2, 4) or x.shape[1] != c:
            expected = (None, c, "height", "width") if x.ndim == 4 else (None, c)
            raise ShapeError(
                self.describe(), expected, x.shape, "BatchNorm takes (batch, C) or (batch, C, H, W) input."
            )

    def parameters(self):
        return [self.gamma, self.beta] if self.built else []

    def buffers(self):
        return {"running_mean": self.running_mean, "running_var": self.running_var} if self.built else {}

    def _axes_and_shape(self, x):
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
        return axes, shape

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        self._check(x)
        axes, shape = self._axes_and_shape(x)
        if training:
            m = x.size // x.shape[1]
            mu = x.mean(axis=axes)
            xc = x - mu.reshape(shape)
            var = (xc * xc).mean(axis=axes)
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mu
            self.running_var *= 1 - self.momentum
            self.running_var += self.momentum * var * (m / max(m - 1, 1))
        else:
            var = self.running_var
            xc = x - self.running_mean.reshape(shape)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = xc * inv_std.reshape(shape)
        # saved for backward
        self._x_hat, self._inv_std, self._training, self._axes, self._shape = x_hat, inv_std, training, axes, shape
        y = x_hat * self.gamma.value.reshape(shape) + self.beta.value.reshape(shape)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        x_hat, axes, shape = self._x_hat, self._axes, self._shape
        sum_g = grad_y.sum(axis=axes)
        sum_g_xhat = (grad_y * x_hat).sum(axis=axes)
        self.gamma.grad += sum_g_xhat
        self.beta.grad += sum_g
        scale = (self.gamma.value * self._inv_std).reshape(shape)
        if not self._training:
            return grad_y * scale
        m = grad_y.size // grad_y.shape[1]
        return (scale / m) * (m * grad_y - sum_g.reshape(shape) - x_hat * sum_g_xhat.reshape(shape))

    def get_config(self):
        config = super().get_config()
        if self.momentum != 0.1:
            config["momentum"] = self.momentum
        if self.eps != 1e-5:
            config["eps"] = self.eps
        return config

    def extra_repr(self):
        c = self.input_shape[0] if self.input_shape is not None else "?"
        return f"{c}, momentum={self.momentum:g}, eps={self.eps:g}"


BatchNormalization = BatchNorm
