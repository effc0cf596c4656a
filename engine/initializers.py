"""Weight initializers. Each takes a shape and a ``numpy.random.Generator`` and returns an array.

Fans follow the engine's layouts: Dense and recurrent kernels are ``(fan_in, fan_out)``; Conv2D
kernels are ``(out_channels, in_channels, kh, kw)`` as in ONNX, so ``fan_in = in_channels * kh * kw``.

>>> import numpy as np
>>> w = get("glorot_uniform")((2, 3), np.random.default_rng(0))
>>> w.shape, w.dtype
((2, 3), dtype('float32'))
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError, unknown_name
from .parameter import DEFAULT_DTYPE


def compute_fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` for a Dense/recurrent ``(in, out)`` or Conv ``(out, in, kh, kw)`` shape."""
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[2:]))
    return shape[1] * receptive, shape[0] * receptive


def zeros(shape, rng=None, dtype=DEFAULT_DTYPE):
    return np.zeros(shape, dtype=dtype)


def ones(shape, rng=None, dtype=DEFAULT_DTYPE):
    return np.ones(shape, dtype=dtype)


def uniform(shape, rng, dtype=DEFAULT_DTYPE):
    """U(-0.05, 0.05): Keras's ``RandomUniform()``, the default of its ``Embedding``."""
    return rng.uniform(-0.05, 0.05, size=shape).astype(dtype)


def glorot_uniform(shape, rng, dtype=DEFAULT_DTYPE):
    """U(-a, a) with a = sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio 2010; the Keras default)."""
    fan_in, fan_out = compute_fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def glorot_normal(shape, rng, dtype=DEFAULT_DTYPE):
    """N(0, 2 / (fan_in + fan_out))."""
    fan_in, fan_out = compute_fans(shape)
    return (rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))).astype(dtype)


def he_uniform(shape, rng, dtype=DEFAULT_DTYPE):
    """U(-a, a) with a = sqrt(6 / fan_in), suited to ReLU (He et al. 2015)."""
    fan_in, _ = compute_fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he_normal(shape, rng, dtype=DEFAULT_DTYPE):
    """N(0, 2 / fan_in), suited to ReLU (He et al. 2015)."""
    fan_in, _ = compute_fans(shape)
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


def lecun_uniform(shape, rng, dtype=DEFAULT_DTYPE):
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)): what torch.nn.Linear and Conv2d use by default."""
    fan_in, _ = compute_fans(shape)
    limit = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def orthogonal(shape, rng, dtype=DEFAULT_DTYPE):
    """A (semi-)orthogonal matrix from the QR decomposition of a Gaussian one (Saxe et al. 2014).

    Used for recurrent kernels ``(hidden, k * hidden)``: each ``hidden x hidden`` block is orthogonal,
    which keeps the hidden state from exploding or vanishing early in training.
    """
    rows, cols = shape[0], int(np.prod(shape[1:]))
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # make the decomposition unique
    if rows < cols:
        q = q.T
    return np.ascontiguousarray(q[:rows, :cols].reshape(shape), dtype=dtype)


_REGISTRY = {
    "zeros": zeros,
    "ones": ones,
    "uniform": uniform,
    "random_uniform": uniform,
    "glorot_uniform": glorot_uniform,
    "xavier_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_normal": glorot_normal,
    "he_uniform": he_uniform,
    "kaiming_uniform": he_uniform,
    "he_normal": he_normal,
    "kaiming_normal": he_normal,
    "lecun_uniform": lecun_uniform,
    "orthogonal": orthogonal,
}


def get(identifier):
    """Return the initializer for a name (``"he_normal"``) or pass a callable through."""
    if callable(identifier):
        return identifier
    if not isinstance(identifier, str):
        raise ConfigError(f"Expected an initializer name or callable, received {identifier!r}.")
    key = identifier.lower().replace("-", "_")
    if key not in _REGISTRY:
        raise unknown_name("initializer", identifier, _REGISTRY)
    return _REGISTRY[key]


def add_to_config(config: dict, **named) -> dict:
    """``config`` with each ``key=(initializer, default name)`` whose initializer is not the
    default; custom (unregistered) initializers are left out, as Keras leaves them to the caller."""
    for key, (fn, default) in named.items():
        fn_name = name_of(fn)
        if fn_name != default and fn_name is not None:
            config[key] = fn_name
    return config


def name_of(initializer) -> str | None:
    """The registry name of an initializer function (for ``get_config``), or None for custom ones."""
    for name, fn in _REGISTRY.items():
        if fn is initializer:
            return name
    return None
