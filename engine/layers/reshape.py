"""Layers that only change the shape of the data: Flatten and Reshape."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, ShapeError
from .base import Layer


class Flatten(Layer):
    """Flatten every axis after the batch axis: ``y = x.reshape(batch, -1)``.

    On NCHW images this is C-order, exactly ONNX ``Flatten(axis=1)``, so no transpose is needed.
    Backward reshapes the gradient back: ``grad_x = grad_y.reshape(x.shape)``.

    Shape:
        input ``(batch, d1, d2, ...)``; output ``(batch, d1 * d2 * ...)``.

    Example
    -------
    >>> import numpy as np
    >>> Flatten().forward(np.zeros((2, 8, 13, 13))).shape
    (2, 1352)
    """

    def input_spec(self, input_shape):
        return None  # any shape with a batch axis

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        self._x_shape = x.shape
        y = x.reshape(x.shape[0], -1)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y.reshape(self._x_shape)


class Reshape(Layer):
    """Reshape each sample: ``y = x.reshape(batch, *target_shape)`` (ONNX ``Reshape``).

    One entry of ``target_shape`` may be ``-1`` (inferred).

    Shape:
        input ``(batch, ...)`` with ``prod(target_shape)`` values per sample; output
        ``(batch, *target_shape)``.

    Example
    -------
    >>> import numpy as np
    >>> Reshape((1, 28, 28)).forward(np.zeros((2, 784))).shape
    (2, 1, 28, 28)
    """

    def __init__(self, target_shape, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        target = tuple(target_shape) if not isinstance(target_shape, int) else (target_shape,)
        if not all(isinstance(d, int) and (d > 0 or d == -1) for d in target) or target.count(-1) > 1:
            raise ConfigError(
                "Reshape: target_shape must be positive integers with at most one -1. "
                f"Received: target_shape={target_shape!r}"
            )
        self.target_shape = target

    def input_spec(self, input_shape):
        return None

    def compute_output_shape(self, input_shape):
        size = int(np.prod(input_shape))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        if (-1 in self.target_shape and size % known) or (-1 not in self.target_shape and size != known):
            raise ShapeError(
                self.describe(),
                ("batch", f"{known} values" if -1 not in self.target_shape else f"k*{known} values"),
                (None, *input_shape),
                f"Cannot reshape {size} values per sample to {self.target_shape}.",
            )
        return tuple(size // known if d == -1 else d for d in self.target_shape)

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        shape = self.compute_output_shape(x.shape[1:])
        self._x_shape = x.shape
        y = x.reshape(x.shape[0], *shape)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y.reshape(self._x_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}

    def extra_repr(self):
        return f"target_shape={self.target_shape}"
