"""The few array kernels whose fastest form depends on the platform.

Under Pyodide (``sys.platform == "emscripten"``) NumPy has no BLAS: there ``np.einsum`` beats
``@`` about 3x for float32 matrix products, ``np.where(x > 0, x, 0)`` beats ``np.maximum`` about 5x,
and ``np.tanh`` is about 50x slower than native (measurements in ``shared/notes/pyodide.md``). On
CPython with OpenBLAS the opposite choices win. Layers call these functions through the module
(``kernels.matmul(a, b)``) so that :func:`set_platform` switches every layer at once, which the
tests use to run the browser code paths on the server.

>>> import numpy as np
>>> matmul(np.ones((2, 3)), np.ones((3, 4))).shape
(2, 4)
"""

from __future__ import annotations

import sys

import numpy as np

PLATFORMS = ("native", "emscripten")
_platform = "emscripten" if sys.platform == "emscripten" else "native"


def platform() -> str:
    """The kernel set in use: ``"native"`` (BLAS) or ``"emscripten"`` (Pyodide, no BLAS)."""
    return _platform


def set_platform(name: str) -> str:
    """Choose the kernel set (``"native"`` or ``"emscripten"``); returns the previous one."""
    global _platform
    if name not in PLATFORMS:
        from .errors import unknown_name

        raise unknown_name("kernel platform", name, PLATFORMS)
    previous, _platform = _platform, name
    return previous


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product ``a @ b`` (2-D, or stacked with NumPy's broadcasting rules)."""
    if _platform == "emscripten" and (a.ndim < 3 or b.ndim < 3):
        # np.einsum's inner loop is either an axpy along the output row ("ij,jk") or a dot product
        # along the contraction ("ik,jk" on b transposed). The dot product wins when the contraction
        # is at least as long as the output row: 10x for a (64, 1352) @ (1352, 10) classifier head.
        if a.shape[-1] >= b.shape[-1]:
            if a.ndim == 2 and not a.flags.c_contiguous:
                a = np.ascontiguousarray(a)  # e.g. x.T in a weight gradient: make the rows contiguous
            return np.einsum("...ik,...jk->...ij", a, np.ascontiguousarray(np.swapaxes(b, -1, -2)))
        return np.einsum("...ij,...jk->...ik", a, b)
    # Natively BLAS. In Pyodide, stacks of small matrices on both sides (attention's per-head
    # products, (64, 4, 12, 8) @ (64, 4, 8, 12)) run 1.5-10x faster in NumPy's own matmul loop
    # than in einsum: the lesson transformer's training step takes 20% less time (bench/README.md).
    return a @ b


_ones_cache: dict = {}


def _ones(n: int, dtype) -> np.ndarray:
    key = (n, np.dtype(dtype))
    ones = _ones_cache.get(key)
    if ones is None:
        if len(_ones_cache) > 64:
            _ones_cache.clear()
        ones = _ones_cache[key] = np.ones(n, dtype=dtype)
    return ones


def sum_rows(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=0)`` for a 2-D array (a bias gradient). Natively a BLAS product with a vector
    of ones, about 5x faster than NumPy's reduction along the first axis."""
    if _platform == "emscripten":
        return a.sum(axis=0)
    return _ones(len(a), a.dtype) @ a


def sum_last(a: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``a.sum(axis=-1)`` (over the classes of each row, the pixels of each feature map); natively a
    product with a vector of ones, 10x faster than NumPy's reduction along a short last axis."""
    if _platform == "emscripten":
        return a.sum(axis=-1, keepdims=keepdims)
    total = a @ _ones(a.shape[-1], a.dtype)
    return total[..., None] if keepdims else total


def max_last(a: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``a.max(axis=-1)``. For a few columns (class scores) an elementwise maximum over the columns
    is 10x faster than NumPy's reduction along a short last axis."""
    if a.shape[-1] > 16 or a.shape[-1] == 0:
        return a.max(axis=-1, keepdims=keepdims)
    out = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        np.maximum(out, a[..., j], out=out)
    return out[..., None] if keepdims else out


def relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``max(x, 0)``; with ``out=x`` it works in place."""
    if _platform == "emscripten":
        y = np.where(x > 0, x, 0)
        if out is None:
            return y
        out[...] = y
        return out
    return np.maximum(x, 0, out=out)


def relu_grad(grad_y: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``grad_y * (y > 0)``: the ReLU derivative applied to an incoming gradient."""
    if _platform == "emscripten":
        return np.where(y > 0, grad_y, 0)
    return grad_y * (y > 0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``; overflow of ``exp`` for very negative ``x`` correctly gives 0."""
    with np.errstate(over="ignore"):
        e = np.exp(-x)
    e += 1
    return np.reciprocal(e, out=e)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent. In Pyodide, where ``np.tanh`` is slow, it is built from ``exp``."""
    if _platform == "emscripten":
        # tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|) <= 1: no overflow; the sign is copied back.
        e = np.exp(-2 * np.abs(x))
        t = (1 - e) / (1 + e)
        return np.copysign(t, x, out=t)
    return np.tanh(x)
