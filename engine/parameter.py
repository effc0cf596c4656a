"""Trainable tensors: a value, the gradient accumulated into it, and a name."""

from __future__ import annotations

import numpy as np

DEFAULT_DTYPE = np.dtype(np.float32)
"""Every layer computes in float32 unless given another ``dtype`` (gradient checks use float64)."""


class Parameter:
    """A trainable array and its gradient.

    ``value`` holds the weights; ``grad`` has the same shape and receives ``+=`` contributions from
    every ``backward`` call until ``zero_grad()``. Optimizers keep their state (momentum, Adam
    moments) in a dict keyed by the ``Parameter`` object itself, so nothing is stored on layers.

    Parameters
    ----------
    value : array_like
        Initial value (its dtype is kept).
    grad : array_like, optional
        Initial gradient; zeros if omitted.
    name : str
        Short name inside its layer, e.g. ``"W"`` or ``"b"``.

    Example
    -------
    >>> p = Parameter(np.ones((2, 3), dtype=np.float32), name="W")
    >>> p
    Parameter(name='W', shape=(2, 3), dtype=float32)
    >>> p.grad.sum()
    np.float32(0.0)
    """

    __slots__ = ("value", "grad", "name")

    def __init__(self, value, grad=None, name: str = ""):
        self.value = np.ascontiguousarray(value)
        self.grad = np.zeros_like(self.value) if grad is None else np.array(grad, self.value.dtype)
        self.name = name

    @property
    def shape(self) -> tuple:
        return self.value.shape

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    @property
    def size(self) -> int:
        return self.value.size

    def zero_grad(self) -> None:
        """Reset the accumulated gradient to zero, in place."""
        self.grad.fill(0)

    def astype(self, dtype) -> Parameter:
        """Cast value and gradient to ``dtype`` in place of the old arrays; returns self."""
        self.value = self.value.astype(dtype, order="C")
        self.grad = self.grad.astype(dtype, order="C")
        return self

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.shape}, dtype={self.dtype})"


def pack(params) -> Parameter | None:
    """Move the values and gradients of ``params`` into two flat buffers; return them as one
    Parameter. Each parameter's ``value`` and ``grad`` become views into the buffers, so layers
    work unchanged while an optimizer updates every weight with a dozen whole-array operations
    instead of a dozen per tensor (what PyTorch's "foreach" optimizers do). Returns None when the
    parameters cannot share buffers (mixed dtypes, a parameter listed twice, none at all).
    """
    params = list(params)
    if not params or len({id(p) for p in params}) != len(params) or len({p.dtype for p in params}) != 1:
        return None
    total = sum(p.size for p in params)
    values = np.empty(total, dtype=params[0].dtype)
    grads = np.empty(total, dtype=params[0].dtype)
    offset = 0
    for p in params:
        end = offset + p.size
        values[offset:end] = p.value.reshape(-1)
        grads[offset:end] = p.grad.reshape(-1)
        p.value = values[offset:end].reshape(p.shape)
        p.grad = grads[offset:end].reshape(p.shape)
        offset = end
    flat = Parameter.__new__(Parameter)
    flat.value, flat.grad, flat.name = values, grads, "packed"
    return flat


def is_packed(flat: Parameter | None, params) -> bool:
    """Whether every parameter still views ``flat``'s buffers (``astype`` or rebinding breaks it)."""
    return flat is not None and all(p.value.base is flat.value and p.grad.base is flat.grad for p in params)
