"""2-D convolution (NCHW, weights ``(out_channels, in_channels, kh, kw)`` as in ONNX ``Conv``)."""

from __future__ import annotations

from .. import activations, initializers, kernels
from ..errors import Renamed, ShapeError, check_positive_int, renamed_arguments
from ..parameter import Parameter
from . import _im2col
from .base import Layer


class Conv2D(Layer):
    """2-D convolution (strictly, cross-correlation as in every DL library) with stride and padding.

    For output channel ``o`` and output pixel ``(h, w)``::

        z[n, o, h, w] = b[o] + sum_{c, i, j} W[o, c, i, j] * x_pad[n, c, h * sh + i, w * sw + j]
        y = activation(z)

    Implementation (im2col): the windows of ``x_pad`` are copied into columns
    ``X_col (N, C*kh*kw, oh*ow)``, after which the convolution is a matrix product
    ``z = W_mat @ X_col`` with ``W_mat = W.reshape(O, C*kh*kw)``. Backward, with ``g = dL/dz``::

        dL/dW = sum_n g[n] @ X_col[n].T     dL/db = sum of g over n, h, w
        dL/dx = col2im(W_mat.T @ g)         (each column entry added back to its pixel)

    ``self.W.value`` are the filters a lesson can draw; ``self.output`` are the feature maps.

    Shape:
        input ``(batch, in_channels, H, W)``; output ``(batch, filters, oh, ow)`` with
        ``oh = (H + pad_top + pad_bottom - kh) // sh + 1`` (likewise ``ow``).

    Parameters
    ----------
    filters : int
        Number of output channels.
    kernel_size : int or (int, int)
    strides : int or (int, int)
        Default 1.
    padding : "valid", "same", int, (pad_h, pad_w) or (top, bottom, left, right)
        Zero padding. Default "valid" (none).
    activation : str or Activation, optional
    use_bias : bool
    in_channels : int, optional
        Build the weights now (else at the first forward pass).
    kernel_initializer, bias_initializer : str or callable
        Defaults ``"glorot_uniform"`` and ``"zeros"``.
    data_format : "channels_first"
        The only layout (NCHW); Keras's ``"channels_last"`` is refused with the fix.

    Example
    -------
    >>> import numpy as np
    >>> conv = Conv2D(8, 3, padding="same", in_channels=1, seed=0)
    >>> conv.forward(np.zeros((2, 1, 28, 28))).shape
    (2, 8, 28, 28)
    >>> conv.W.shape
    (8, 1, 3, 3)
    """

    default_name = "conv2d"
    input_axes = (("channels", "height", "width"),)
    stride = Renamed("strides")

    W: Parameter  # created by build()

    @renamed_arguments(stride="strides", out_channels="filters")
    def __init__(
        self,
        filters: int,
        kernel_size,
        *,
        strides=1,
        padding="valid",
        activation=None,
        use_bias: bool = True,
        in_channels: int | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        data_format="channels_first",
        seed=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        _im2col.check_data_format(data_format, "Conv2D")
        self.filters = check_positive_int("Conv2D", "filters", filters)
        self.kernel_size = _im2col.pair(kernel_size, "Conv2D", "kernel_size")
        self.strides = _im2col.pair(strides, "Conv2D", "strides")
        self.padding = _im2col.check_padding(padding, "Conv2D")
        self.activation = self.own_activation(activations.get(activation))
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.b: Parameter | None = None  # stays None without a bias; W and b are created by build()
        if in_channels is not None:
            check_positive_int("Conv2D", "in_channels", in_channels)
            self.build((in_channels, "height", "width"))

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = self._rng(rng)
        shape = (self.filters, self.built_shape()[0], *self.kernel_size)
        self.W = Parameter(self.kernel_initializer(shape, rng, self.dtype), name="W")
        if self.use_bias:
            self.b = Parameter(self.bias_initializer((self.filters,), rng, self.dtype), name="b")

    def input_spec(self, input_shape):
        return (None, input_shape[0], "height", "width")

    def _shape_hint(self, shape):
        return _im2col.image_hint("Conv2D", shape, self.input_shape[0] if self.input_shape else None)

    def pads(self, size) -> tuple[int, int, int, int]:
        """``(top, bottom, left, right)`` zero padding for an input of spatial ``size`` (H, W)."""
        return _im2col.resolve_padding(self.padding, self.kernel_size, self.strides, size)

    def compute_output_shape(self, input_shape):
        _, h, w = input_shape
        size = _im2col.output_size((h, w), self.kernel_size, self.strides, self.pads((h, w)))
        return (self.filters, *size)

    def parameters(self):
        if not self.built:
            return []
        return [self.W] if self.b is None else [self.W, self.b]

    def sublayers(self):
        return [self.activation] if self.activation is not None else []

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        n, _, h, w = x.shape
        pads = self.pads((h, w))
        oh, ow = _im2col.output_size((h, w), self.kernel_size, self.strides, pads)
        if oh < 1 or ow < 1:
            kh, kw = self.kernel_size
            raise ShapeError(
                self.describe(),
                (None, self.built_shape()[0], f">={kh}", f">={kw}"),
                x.shape,
                " ".join(
                    ["The padded image is smaller than the kernel.", _im2col.image_hint("Conv2D", x.shape)]
                ).strip(),
            )
        xp = _im2col.pad(x, pads)
        cols = _im2col.im2col(xp, self.kernel_size, self.strides, (oh, ow))
        # saved for backward: the columns, the padded shape and the geometry
        self._cols, self._xp_shape, self._pads, self._out_hw = cols, xp.shape, pads, (oh, ow)
        z = kernels.matmul(self.W.value.reshape(self.filters, -1), cols)  # (N, O, oh*ow)
        if self.b is not None:
            z += self.b.value[:, None]
        z = z.reshape(n, self.filters, oh, ow)
        y = z if self.activation is None else self.activation.forward(z, training=training)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        if self.activation is not None:
            grad_y = self.activation.backward(grad_y)
        return self._backward_linear(grad_y, need_input_grad)

    def _backward_linear(self, grad_z, need_input_grad=True):
        n = grad_z.shape[0]
        g = grad_z.reshape(n, self.filters, -1)  # (N, O, P)
        cols = self._cols
        self.W.grad += kernels.matmul(g, cols.transpose(0, 2, 1)).sum(axis=0).reshape(self.W.shape)
        if self.b is not None:
            self.b.grad += kernels.sum_rows(kernels.sum_last(g))
        if not need_input_grad:
            return None
        dcols = kernels.matmul(self.W.value.reshape(self.filters, -1).T, g)  # (N, C*kh*kw, P)
        dxp = _im2col.col2im(dcols, self._xp_shape, self.kernel_size, self.strides, self._out_hw)
        return _im2col.unpad(dxp, self._pads)

    def get_config(self):
        config = {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
        }
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
        c = self.input_shape[0] if self.input_shape is not None else "?"
        kh, kw = self.kernel_size
        text = f"{c} -> {self.filters}, kernel_size=({kh}, {kw})"
        if self.strides != (1, 1):
            text += f", strides={self.strides}"
        if self.padding not in (0, "valid"):
            text += f", padding={self.padding!r}"
        if self.activation is not None:
            text += f", activation={self.activation.key}"
        return text
