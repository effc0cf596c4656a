"""Window helpers shared by Conv2D and the pooling layers (NCHW arrays).

A k x k window sliding with stride s over a padded image visits, for each kernel offset
``(i, j)``, the strided slice ``x[:, :, i::s, j::s]`` cut to the output size. Looping over the
``kh * kw`` offsets (never over pixels or samples) and doing whole-array operations on each slice
gives im2col, col2im and pooling with a handful of NumPy calls.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError


def pair(value, owner: str, argument: str) -> tuple[int, int]:
    """``3 -> (3, 3)``; ``(2, 3) -> (2, 3)``; anything else is a ConfigError."""
    pair_ = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(pair_, (tuple, list))
        or len(pair_) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in pair_)
    ):
        raise ConfigError(
            f"{owner}: received an invalid value for `{argument}`, expected a positive integer or "
            f"a pair of them. Received: {argument}={value!r}"
        )
    return int(pair_[0]), int(pair_[1])


def image_hint(owner: str, shape, channels=None) -> str:
    """How to fix input of ``shape`` (with the batch axis) for a layer that takes NCHW images."""
    if len(shape) == 2:
        return f"{owner} takes images (batch, channels, height, width): add Reshape((1, height, width)) before it."
    if len(shape) == 3:
        return "Add the channel axis: x[:, None] has shape (batch, 1, height, width)."
    if len(shape) == 4 and shape[-1] in (1, 3, channels) and shape[1] != channels:
        return "Images are channels-first (NCHW) here, not channels-last: use x.transpose(0, 3, 1, 2)."
    return ""


def check_data_format(data_format, owner: str) -> None:
    """Only ``"channels_first"`` (NCHW): Keras's default ``"channels_last"`` is refused with the reason."""
    if data_format != "channels_first":
        raise ConfigError(
            f"{owner}: images are channels-first (NCHW, as in ONNX and PyTorch) in this engine, so "
            f"data_format must be 'channels_first'. Received: data_format={data_format!r}. "
            "Turn channels-last images around with x.transpose(0, 3, 1, 2)."
        )


def check_padding(padding, owner: str):
    """Validate ``padding``: ``"valid"``, ``"same"``, an int, ``(ph, pw)`` or ``(top, bottom, left, right)``."""
    if isinstance(padding, str):
        if padding.lower() not in ("valid", "same"):
            raise ConfigError(f"{owner}: padding must be 'valid', 'same' or integers, received {padding!r}.")
        return padding.lower()
    values = (padding,) if isinstance(padding, int) else tuple(padding)
    if len(values) not in (1, 2, 4) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
    ):
        raise ConfigError(
            f"{owner}: padding must be a non-negative int, (pad_h, pad_w) or "
            f"(top, bottom, left, right). Received: padding={padding!r}"
        )
    return padding if isinstance(padding, int) else list(values)


def resolve_padding(padding, kernel, stride, size) -> tuple[int, int, int, int]:
    """Pads ``(top, bottom, left, right)`` for a checked ``padding`` and an input ``size`` (H, W).

    ``"same"`` keeps ``ceil(size / stride)`` outputs, putting any odd pixel at the bottom/right
    (the TensorFlow and ONNX ``SAME_UPPER`` rule).
    """
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        pads = []
        for n, k, s in zip(size, kernel, stride, strict=True):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    if isinstance(padding, int):
        return (padding,) * 4
    if len(padding) == 2:
        return (padding[0], padding[0], padding[1], padding[1])
    return tuple(padding)


def output_size(size, kernel, stride, pads) -> tuple[int, int]:
    """``(H + top + bottom - kh) // sh + 1`` and the same for the width."""
    return (
        (size[0] + pads[0] + pads[1] - kernel[0]) // stride[0] + 1,
        (size[1] + pads[2] + pads[3] - kernel[1]) // stride[1] + 1,
    )


def pad(x: np.ndarray, pads, value=0.0) -> np.ndarray:
    """``x`` with ``pads = (top, bottom, left, right)`` rows/columns of ``value`` added (or ``x``)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    out = np.full((n, c, h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[:, :, top : top + h, left : left + w] = x
    return out


def unpad(x: np.ndarray, pads) -> np.ndarray:
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    return x[:, :, top : x.shape[2] - bottom, left : x.shape[3] - right]


def window(xp: np.ndarray, i: int, j: int, stride, out_hw) -> np.ndarray:
    """The view of ``xp`` seen by kernel offset ``(i, j)`` in every window: shape ``(N, C, oh, ow)``."""
    (sh, sw), (oh, ow) = stride, out_hw
    return xp[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]


def im2col(xp: np.ndarray, kernel, stride, out_hw) -> np.ndarray:
    """Columns ``(N, C * kh * kw, oh * ow)``: column ``p`` holds the window of output pixel ``p``."""
    n, c = xp.shape[:2]
    (kh, kw), (oh, ow) = kernel, out_hw
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=xp.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = window(xp, i, j, stride, out_hw)
    return cols.reshape(n, c * kh * kw, oh * ow)


def col2im(cols: np.ndarray, padded_shape, kernel, stride, out_hw) -> np.ndarray:
    """Adjoint of :func:`im2col`: add each column entry back onto the pixel it was copied from."""
    n, c = padded_shape[:2]
    (kh, kw), (oh, ow) = kernel, out_hw
    cols = cols.reshape(n, c, kh, kw, oh, ow)
    dxp = np.zeros(padded_shape, dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            window(dxp, i, j, stride, out_hw)[...] += cols[:, :, i, j]
    return dxp
