"""Max and average pooling over k x k windows (NCHW), as ONNX ``MaxPool`` / ``AveragePool``."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, Renamed, ShapeError, renamed_arguments
from . import _im2col
from .base import Layer


class _Pool2D(Layer):
    """Shared configuration and geometry of the pooling layers."""

    input_axes = (("channels", "height", "width"),)
    stride = Renamed("strides")

    @renamed_arguments(stride="strides", kernel_size="pool_size")
    def __init__(
        self, pool_size=2, *, strides=None, padding="valid", data_format="channels_first", name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        _im2col.check_data_format(data_format, owner)
        self.pool_size = _im2col.pair(pool_size, owner, "pool_size")
        self.strides = self.pool_size if strides is None else _im2col.pair(strides, owner, "strides")
        self.padding = _im2col.check_padding(padding, owner)
        if not isinstance(self.padding, str):
            # A window may not lie mostly in the padding (PyTorch's rule): it would see only -inf
            # (max) or nothing (average).
            kh, kw = self.pool_size
            top, bottom, left, right = _im2col.resolve_padding(self.padding, self.pool_size, self.strides, (0, 0))
            if 2 * max(top, bottom) > kh or 2 * max(left, right) > kw:
                raise ConfigError(
                    f"{owner}: padding may be at most half the window (pool_size={self.pool_size}), "
                    f"received padding={padding!r}. Use padding='same', or at most "
                    f"{(kh // 2, kw // 2)} rows and columns."
                )

    def input_spec(self, input_shape):
        return (None, "channels", "height", "width")

    def _shape_hint(self, shape):
        return _im2col.image_hint(type(self).__name__, shape)

    def pads(self, size):
        return _im2col.resolve_padding(self.padding, self.pool_size, self.strides, size)

    def compute_output_shape(self, input_shape):
        c, h, w = input_shape
        return (c, *_im2col.output_size((h, w), self.pool_size, self.strides, self.pads((h, w))))

    def _geometry(self, x):
        size = x.shape[2:]
        pads = self.pads(size)
        out_hw = _im2col.output_size(size, self.pool_size, self.strides, pads)
        if out_hw[0] < 1 or out_hw[1] < 1:
            kh, kw = self.pool_size
            raise ShapeError(self.describe(), (None, "channels", f">={kh}", f">={kw}"), x.shape)
        return pads, out_hw

    def _offsets(self) -> list[tuple[int, int]]:
        kh, kw = self.pool_size
        return [(i, j) for i in range(kh) for j in range(kw)]

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "strides": list(self.strides),
            "padding": self.padding,
        }

    def extra_repr(self):
        text = f"pool_size={self.pool_size}"
        if self.strides != self.pool_size:
            text += f", strides={self.strides}"
        if self.padding not in (0, "valid"):
            text += f", padding={self.padding!r}"
        return text


class MaxPool2D(_Pool2D):
    """Max pooling: ``y[n, c, h, w] = max_{i, j} x_pad[n, c, h * sh + i, w * sw + j]``.

    Padding counts as ``-inf`` (it never wins). Backward sends each output gradient to the
    input that was the maximum of its window; on ties the first one in row-major order wins
    (as in PyTorch and ONNX Runtime).

    Shape:
        input ``(batch, C, H, W)``; output ``(batch, C, oh, ow)`` with
        ``oh = (H + pad_top + pad_bottom - kh) // sh + 1``.

    Parameters
    ----------
    pool_size : int or (int, int)
        Window size, default 2.
    strides : int or (int, int), optional
        Defaults to ``pool_size`` (non-overlapping windows).
    padding : "valid" (default), "same", int, (pad_h, pad_w) or (top, bottom, left, right)
        At most half the window on each side.

    Example
    -------
    >>> import numpy as np
    >>> MaxPool2D(2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 5.,  7.],
             [13., 15.]]]], dtype=float32)
    """

    default_name = "max_pool2d"

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        pads, out_hw = self._geometry(x)
        xp = _im2col.pad(x, pads, value=-np.inf)
        offsets = self._offsets()
        y = _im2col.window(xp, *offsets[0], self.strides, out_hw).copy()
        for i, j in offsets[1:]:
            np.maximum(y, _im2col.window(xp, i, j, self.strides, out_hw), out=y)
        self._xp, self._pads, self._out_hw = xp, pads, out_hw  # saved for backward
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        xp, y = self._xp, self.output
        dxp = np.zeros_like(xp)
        remaining = np.array(grad_y, dtype=dxp.dtype)  # gradient not yet routed to an input
        routed = np.empty_like(remaining)
        for i, j in self._offsets():
            hit = _im2col.window(xp, i, j, self.strides, self._out_hw) == y
            np.multiply(remaining, hit, out=routed)
            _im2col.window(dxp, i, j, self.strides, self._out_hw)[...] += routed
            remaining -= routed  # exactly 0 where routed: later ties get nothing
        return _im2col.unpad(dxp, self._pads)


class AvgPool2D(_Pool2D):
    """Average pooling: ``y[n, c, h, w] = mean_{i, j} x_pad[n, c, h * sh + i, w * sw + j]``.

    With padding, ``count_include_pad=False`` (default, as ONNX and Keras) divides by the number
    of real pixels in the window; ``True`` divides by ``kh * kw`` (PyTorch's default).
    Backward spreads each output gradient evenly over its window.

    Shape:
        input ``(batch, C, H, W)``; output ``(batch, C, oh, ow)``.

    Example
    -------
    >>> import numpy as np
    >>> AvgPool2D(2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]], dtype=float32)
    """

    default_name = "avg_pool2d"

    @renamed_arguments(stride="strides", kernel_size="pool_size")
    def __init__(
        self,
        pool_size=2,
        *,
        strides=None,
        padding="valid",
        count_include_pad=False,
        data_format="channels_first",
        name=None,
        dtype=None,
    ):
        super().__init__(pool_size, strides=strides, padding=padding, data_format=data_format, name=name, dtype=dtype)
        self.count_include_pad = bool(count_include_pad)

    def _divisor(self, size, pads, out_hw):
        """Number of pixels averaged by each window: a scalar, or a map ``(oh, ow)`` with padding."""
        if self.count_include_pad or not any(pads):
            return float(self.pool_size[0] * self.pool_size[1])
        ones = _im2col.pad(np.ones((1, 1, *size), dtype=self.dtype), pads)
        count = np.sum([_im2col.window(ones, i, j, self.strides, out_hw) for i, j in self._offsets()], axis=0)
        return count[0, 0]

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        pads, out_hw = self._geometry(x)
        xp = _im2col.pad(x, pads)
        offsets = self._offsets()
        y = _im2col.window(xp, *offsets[0], self.strides, out_hw).copy()
        for i, j in offsets[1:]:
            y += _im2col.window(xp, i, j, self.strides, out_hw)
        divisor = self._divisor(x.shape[2:], pads, out_hw)
        y /= divisor
        self._xp_shape, self._pads, self._out_hw, self._div = xp.shape, pads, out_hw, divisor
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        share = grad_y / self._div
        dxp = np.zeros(self._xp_shape, dtype=share.dtype)
        for i, j in self._offsets():
            _im2col.window(dxp, i, j, self.strides, self._out_hw)[...] += share
        return _im2col.unpad(dxp, self._pads)

    def get_config(self):
        config = super().get_config()
        if self.count_include_pad:
            config["count_include_pad"] = True
        return config
