"""``TimeDistributed``: apply one layer to every step of a sequence."""

from __future__ import annotations

from ..errors import ConfigError, ShapeError
from .base import Layer, get, serialize


class TimeDistributed(Layer):
    """Apply ``layer`` to each time step with the same weights (Keras ``TimeDistributed``).

    The steps are folded into the batch: ``(N, T, ...)`` -> ``(N*T, ...)`` -> ``layer`` -> back to
    ``(N, T, ...)``; backward folds the gradient the same way, so the weight gradients sum over
    all steps. ``TimeDistributed(Dense(vocabulary))`` turns a transformer's ``(N, T, d)`` output into
    next-token logits ``(N, T, vocabulary)``. (Keras's ``Dense`` does this by itself on 3-D input;
    the engine's ``Dense`` takes 2-D input only, so that a forgotten ``Flatten`` is an error.)
    ONNX: ``Reshape``, the layer's own nodes, ``Reshape``.

    Shape:
        input ``(batch, time, ...)``; output ``(batch, time, *layer output)``.

    Example
    -------
    >>> import numpy as np
    >>> from engine import Dense
    >>> layer = TimeDistributed(Dense(5, seed=0))
    >>> layer.forward(np.ones((2, 7, 3))).shape, layer.layer.W.shape
    ((2, 7, 5), (3, 5))
    """

    def __init__(self, layer, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.layer = get(layer)
        if not isinstance(self.layer, Layer):
            raise ConfigError(f"TimeDistributed wraps a layer, received {layer!r}.")

    def build(self, input_shape, rng=None):
        if len(input_shape) < 2:
            raise ConfigError(
                f"{self.describe()} takes sequences (batch, time, ...); "
                f"it was built for per-sample shape {tuple(input_shape)}."
            )
        super().build(input_shape)
        if not self.layer.built:
            self.layer.build(tuple(input_shape[1:]), rng)

    def input_spec(self, input_shape):
        return None  # (batch, time, ...): the wrapped layer checks the rest

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.layer.compute_output_shape(tuple(input_shape[1:])))

    def parameters(self):
        return self.layer.parameters()

    def buffers(self):
        return self.layer.buffers()

    def set_buffer(self, name, value):
        self.layer.set_buffer(name, value)

    def sublayers(self):
        return [self.layer]

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        if x.ndim < 3:
            raise ShapeError(
                self.describe(), (None, "time", "..."), x.shape, "TimeDistributed takes (batch, time, ...)."
            )
        n, t = x.shape[:2]
        y = self.layer.forward(x.reshape(n * t, *x.shape[2:]), training=training)
        y = y.reshape(n, t, *y.shape[1:])
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        n, t = grad_y.shape[:2]
        grad_x = self.layer.backward(grad_y.reshape(n * t, *grad_y.shape[2:]), need_input_grad=need_input_grad)
        return None if grad_x is None else grad_x.reshape(n, t, *grad_x.shape[1:])

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    def extra_repr(self):
        return repr(self.layer)
