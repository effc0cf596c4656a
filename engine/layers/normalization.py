"""Batch normalisation over the channel axis (axis 1), for (N, C) and (N, C, H, W) inputs."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, Renamed, ShapeError, renamed_arguments
from ..parameter import Parameter
from .base import Layer


class BatchNorm(Layer):
    """Batch normalisation (Ioffe & Szegedy 2015), like Keras ``BatchNormalization`` on NCHW data,
    ``torch.nn.BatchNorm1d/2d`` and ONNX ``BatchNormalization``.

    Per channel ``c``, over the batch (and the pixels of an image)::

        training:  mu = mean(x),  var = mean((x - mu)^2)          (biased, used to normalise)
                   running_mean = momentum * running_mean + (1 - momentum) * mu
                   running_var  = momentum * running_var  + (1 - momentum) * var * m / (m - 1)
        inference: mu = running_mean,  var = running_var
        x_hat = (x - mu) / sqrt(var + epsilon);    y = gamma * x_hat + beta

    Training needs at least two values per channel (``m >= 2``): with one, ``x_hat`` is 0, the
    layers before get no gradient and the running variance collapses (PyTorch refuses it too).

    Backward in training mode (``m`` values per channel, ``g = dL/dy``)::

        dL/dgamma = sum(g * x_hat)     dL/dbeta = sum(g)
        dL/dx = gamma / (m * sqrt(var + eps)) * (m * g - sum(g) - x_hat * sum(g * x_hat))

    and ``dL/dx = g * gamma / sqrt(running_var + eps)`` in inference mode.

    Shape:
        input ``(batch, C)`` or ``(batch, C, H, W)``; output has the same shape.

    Parameters
    ----------
    momentum : float
        Weight of the old running statistics, as in Keras and ONNX (PyTorch's ``momentum`` is
        ``1 - momentum``). Default 0.9, so they settle within a lesson's few dozen steps (Keras: 0.99).
    epsilon : float
        Added to the variance, default 1e-5 (as PyTorch and ONNX; Keras: 1e-3).

    Example
    -------
    >>> import numpy as np
    >>> bn = BatchNorm()
    >>> y = bn.forward(np.array([[1.0], [3.0]]), training=True)
    >>> np.round(y.ravel(), 3).tolist(), round(float(bn.running_mean[0]), 3)  # 0.9 * 0 + 0.1 * 2
    ([-1.0, 1.0], 0.2)
    """

    input_axes = (("channels",), ("channels", "height", "width"))
    eps = Renamed("epsilon")
    # created by build()
    gamma: Parameter
    beta: Parameter
    running_mean: np.ndarray
    running_var: np.ndarray

    @renamed_arguments(eps="epsilon")
    def __init__(
        self, *, momentum: float = 0.9, epsilon: float = 1e-5, num_features: int | None = None, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if not 0 <= momentum <= 1 or not epsilon > 0:
            raise ConfigError(
                f"BatchNorm: need 0 <= momentum <= 1 (the weight of the old running statistics, as in "
                f"Keras) and epsilon > 0, received {momentum=}, {epsilon=}."
            )
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
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
            if m < 2:
                raise ShapeError(
                    self.describe(),
                    (">=2", *x.shape[1:]),
                    x.shape,
                    "Training needs at least 2 values per channel: with 1 sample every output is 0 and "
                    "the layers before it learn nothing. Use a batch of at least 2 samples "
                    "(fit(mode='mini-batch') or mode='batch', not 'stochastic').",
                )
            mu = x.mean(axis=axes)
            xc = x - mu.reshape(shape)
            var = (xc * xc).mean(axis=axes)
            new = 1 - self.momentum
            self.running_mean *= self.momentum
            self.running_mean += new * mu
            self.running_var *= self.momentum
            self.running_var += new * var * (m / (m - 1))
        else:
            var = self.running_var
            xc = x - self.running_mean.reshape(shape)
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
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
        if self.momentum != 0.9:
            config["momentum"] = self.momentum
        if self.epsilon != 1e-5:
            config["epsilon"] = self.epsilon
        return config

    def extra_repr(self):
        c = self.input_shape[0] if self.input_shape is not None else "?"
        return f"{c}, momentum={self.momentum:g}, epsilon={self.epsilon:g}"


BatchNormalization = BatchNorm
