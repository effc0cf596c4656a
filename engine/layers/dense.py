"""Fully connected layer."""

from __future__ import annotations

from .. import activations, initializers, kernels
from ..errors import check_positive_int
from ..parameter import Parameter
from .base import Layer


class Dense(Layer):
    """Fully connected layer: ``y = activation(x @ W + b)``.

    ``W`` has shape ``(in_features, units)``, so ``x @ W + b`` is exactly ONNX ``Gemm``
    (or ``MatMul`` + ``Add``) with no transpose.

    Backward, with ``g = dL/dz`` for ``z = x @ W + b``::

        dL/dW = x.T @ g        dL/db = sum(g, axis=0)        dL/dx = g @ W.T

    Shape:
        input ``(batch, in_features)``; output ``(batch, units)``.

    Parameters
    ----------
    units : int
        Number of outputs (neurons).
    activation : str or Activation, optional
        Applied to ``z``; ``None`` (default) keeps ``z``. See ``engine.activations``.
    use_bias : bool
        Add ``b`` (default True).
    input_dim : int, optional
        Build the weights now instead of at the first forward pass.
    kernel_initializer, bias_initializer : str or callable
        Defaults ``"glorot_uniform"`` and ``"zeros"``.

    Example
    -------
    >>> import numpy as np
    >>> layer = Dense(3, activation="relu", input_dim=2, seed=0)
    >>> layer.forward(np.ones((4, 2))).shape
    (4, 3)
    >>> layer.W.shape, layer.b.shape
    ((2, 3), (3,))
    """

    W: Parameter  # created by build()

    def __init__(
        self,
        units: int,
        *,
        activation=None,
        use_bias: bool = True,
        input_dim: int | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        seed=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self.units = check_positive_int("Dense", "units", units)
        self.activation = self.own_activation(activations.get(activation))
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.b: Parameter | None = None  # stays None without a bias; W and b are created by build()
        if input_dim is not None:
            self.build((check_positive_int("Dense", "input_dim", input_dim),))

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = self._rng(rng)
        (in_features,) = self.built_shape()[-1:]
        self.W = Parameter(self.kernel_initializer((in_features, self.units), rng, self.dtype), name="W")
        if self.use_bias:
            self.b = Parameter(self.bias_initializer((self.units,), rng, self.dtype), name="b")

    input_axes = (("features",),)

    def input_spec(self, input_shape):
        return (None, input_shape[-1])

    def _shape_hint(self, shape):
        if len(shape) > 2:
            return "Dense takes one vector per sample (batch, features): add Flatten() before it."
        if len(shape) == 1:
            return "Give one row per sample: x.reshape(-1, 1) for a single feature."
        return ""

    def compute_output_shape(self, input_shape):
        return (self.units,)

    def parameters(self):
        if not self.built:
            return []
        return [self.W] if self.b is None else [self.W, self.b]

    def sublayers(self):
        return [self.activation] if self.activation is not None else []

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        self._x = x  # saved for backward
        z = kernels.matmul(x, self.W.value)
        if self.b is not None:
            z += self.b.value
        y = z if self.activation is None else self.activation.forward(z, training=training)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        if self.activation is not None:
            grad_y = self.activation.backward(grad_y)
        return self._backward_linear(grad_y, need_input_grad)

    def _backward_linear(self, grad_z, need_input_grad=True):
        """Backward through ``z = x @ W + b`` given ``dL/dz`` (the activation already handled)."""
        self.W.grad += kernels.matmul(self._x.T, grad_z)
        if self.b is not None:
            self.b.grad += kernels.sum_rows(grad_z)
        if not need_input_grad:
            return None
        return kernels.matmul(grad_z, self.W.value.T)

    def get_config(self):
        config = {**super().get_config(), "units": self.units}
        if self.activation is not None:
            config["activation"] = activations.serialize(self.activation)
        if not self.use_bias:
            config["use_bias"] = False
        return initializers.add_to_config(
            config,
            kernel_initializer=(self.kernel_initializer, "glorot_uniform"),
            bias_initializer=(self.bias_initializer, "zeros"),
        )

    def extra_repr(self):
        inputs = self.input_shape[-1] if self.input_shape is not None else "?"
        text = f"{inputs} -> {self.units}"
        if self.activation is not None:
            text += f", activation={self.activation.key}"
        if not self.use_bias:
            text += ", use_bias=False"
        return text
