"""Gradient checking by central differences, for tests and for lessons.

For a layer ``y = f(x; w)`` we check ``backward`` against numerical derivatives of the scalar
``L = sum(f(x) * r)`` for a fixed random ``r`` (so ``dL/dy = r``)::

    dL/dx_i ~ (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)

in float64 (``eps = 1e-6``), and compare with ``allclose(analytic, numeric, atol=1e-5, rtol=1e-3)``.
The same is done for every parameter. A result object reports the worst mismatch per tensor.

>>> import numpy as np
>>> from engine import Dense
>>> result = check_layer(Dense(3, activation="tanh", seed=0), np.random.default_rng(0).normal(size=(4, 2)))
>>> result.ok
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` with respect to the array ``x``.

    ``x`` is perturbed in place, one element at a time, and restored.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f()
        x[i] = old - eps
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


@dataclass
class GradcheckResult:
    """Outcome of a gradient check: ``ok`` and, per tensor, ``(max abs error, worst allowed)``."""

    ok: bool
    errors: dict = field(default_factory=dict)
    analytic: dict = field(default_factory=dict)
    numeric: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.ok

    def report(self) -> str:
        lines = ["gradient check " + ("passed" if self.ok else "FAILED")]
        for name, (err, ok) in self.errors.items():
            lines.append(f"  {name:<12} max |analytic - numeric| = {err:.3e}  {'ok' if ok else 'MISMATCH'}")
        return "\n".join(lines)

    __str__ = report


def _compare(names_arrays, atol, rtol) -> GradcheckResult:
    result = GradcheckResult(ok=True)
    for name, analytic, numeric in names_arrays:
        ok = bool(np.allclose(analytic, numeric, atol=atol, rtol=rtol))
        err = float(np.max(np.abs(analytic - numeric))) if analytic.size else 0.0
        result.errors[name] = (err, ok)
        result.analytic[name], result.numeric[name] = analytic, numeric
        result.ok &= ok
    return result


def check_layer(
    layer,
    x,
    *,
    training: bool = False,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
    before_forward=None,
) -> GradcheckResult:
    """Check ``layer.backward`` (input and parameter gradients) against central differences.

    A layer whose ``backward`` returns None (no input gradient, e.g. ``Embedding``) is checked
    for its parameters only.

    The layer is cast to float64 in place. ``before_forward`` is called before every forward pass
    (e.g. to reseed a Dropout layer so that every pass uses the same mask).
    """
    layer.astype(np.float64)
    x = np.array(x, dtype=np.float64)
    reset = before_forward or (lambda: None)
    reset()
    y = layer.forward(x, training=training)
    r = np.random.default_rng(seed).standard_normal(y.shape)

    def loss():
        reset()
        return float(np.sum(layer.forward(x, training=training) * r))

    reset()
    layer.forward(x, training=training)
    layer.zero_grad()
    grad_x = layer.backward(r.copy())
    checks = []
    if grad_x is not None:  # None: the input is not differentiable (Embedding's token ids)
        checks.append(("x", np.asarray(grad_x, dtype=np.float64), numerical_gradient(loss, x, eps)))
    analytic = {id(p): p.grad.copy() for p in layer.parameters()}
    for i, p in enumerate(layer.parameters()):
        checks.append((p.name or f"param{i}", analytic[id(p)], numerical_gradient(loss, p.value, eps)))
    return _compare(checks, atol, rtol)


def check_loss(loss, y_pred, y_true, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> GradcheckResult:
    """Check ``loss.backward()`` against central differences of ``loss.forward(y_pred, y_true)``."""
    y_pred = np.array(y_pred, dtype=np.float64)
    loss.forward(y_pred, y_true)
    analytic = np.array(loss.backward(), dtype=np.float64)
    numeric = numerical_gradient(lambda: loss.forward(y_pred, y_true), y_pred, eps)
    return _compare([("y_pred", analytic, numeric)], atol, rtol)


def check_function(f, grad_f, x, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> GradcheckResult:
    """Check a hand-written derivative: ``grad_f(x)`` against central differences of scalar ``f(x)``."""
    x = np.array(x, dtype=np.float64)
    analytic = np.array(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(lambda: f(x), x, eps)
    return _compare([("x", analytic, numeric)], atol, rtol)
