"""Small generated datasets for lessons and the browser playground (nothing is downloaded).

Every generator takes ``n`` samples and a ``seed`` (int or ``numpy.random.Generator``) and
returns ``(x, y)``: ``x`` float32, ``y`` int64 class labels (float32 targets for regression).

>>> x, y = make_moons(100, noise=0.1, seed=0)
>>> x.shape, x.dtype, y.shape, sorted(set(y.tolist()))
((100, 2), dtype('float32'), (100,), [0, 1])
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _split(n: int, k: int) -> list[int]:
    """``n`` samples over ``k`` classes, as evenly as possible."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _finish(x, y, rng, noise):
    x = np.asarray(x, dtype=np.float64)
    if noise:
        x = x + rng.normal(scale=noise, size=x.shape)
    order = rng.permutation(len(x))
    return x[order].astype(np.float32), np.asarray(y, dtype=np.int64)[order]


def make_moons(n: int = 200, *, noise: float = 0.1, seed=None):
    """Two interleaving half circles (classes 0 and 1)."""
    rng = _rng(seed)
    n0, n1 = _split(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    x = np.r_[np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]]
    return _finish(x, np.r_[np.zeros(n0), np.ones(n1)], rng, noise)


def make_circles(n: int = 200, *, noise: float = 0.05, factor: float = 0.5, seed=None):
    """A small circle (class 1) inside a large one (class 0); ``factor`` is the radius ratio."""
    if not 0 < factor < 1:
        raise ConfigError(f"make_circles: factor must be in (0, 1), received factor={factor!r}.")
    rng = _rng(seed)
    n0, n1 = _split(n, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    x = np.r_[np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]]
    return _finish(x, np.r_[np.zeros(n0), np.ones(n1)], rng, noise)


def make_xor(n: int = 200, *, noise: float = 0.0, seed=None):
    """Points uniform in [-1, 1]^2; class 1 where the signs of the coordinates differ (XOR)."""
    rng = _rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2))
    y = (x[:, 0] * x[:, 1] < 0).astype(np.int64)
    return _finish(x, y, rng, noise)


def make_spirals(n: int = 200, *, classes: int = 2, noise: float = 0.1, turns: float = 1.0, seed=None):
    """``classes`` interleaved spiral arms starting at the origin (classes 0 .. classes-1)."""
    rng = _rng(seed)
    xs, ys = [], []
    for k, m in enumerate(_split(n, classes)):
        r = np.linspace(0.05, 1, m)
        t = 2 * np.pi * (turns * r + k / classes)
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)])
        ys.append(np.full(m, k))
    return _finish(np.concatenate(xs), np.concatenate(ys), rng, noise * 0.1 if noise else 0)


def make_blobs(n: int = 200, *, centers=3, std: float = 0.5, seed=None):
    """Gaussian clusters. ``centers`` is a count (random centres in [-4, 4]^2) or an array of centres."""
    rng = _rng(seed)
    centers = rng.uniform(-4, 4, size=(centers, 2)) if isinstance(centers, int) else np.asarray(centers, float)
    counts = _split(n, len(centers))
    x = np.concatenate(
        [c + rng.normal(scale=std, size=(m, centers.shape[1])) for c, m in zip(centers, counts, strict=True)]
    )
    y = np.repeat(np.arange(len(centers)), counts)
    return _finish(x, y, rng, 0)


def make_sine(n: int = 200, *, noise: float = 0.1, seed=None):
    """Regression: ``x`` uniform in [-pi, pi] ``(n, 1)`` and float32 targets ``sin(x) + noise`` ``(n, 1)``."""
    rng = _rng(seed)
    x = rng.uniform(-np.pi, np.pi, size=(n, 1))
    y = np.sin(x) + (rng.normal(scale=noise, size=x.shape) if noise else 0)
    return x.astype(np.float32), y.astype(np.float32)


def make_bars(n: int = 200, *, size: int = 8, noise: float = 0.1, seed=None):
    """Tiny images ``(n, 1, size, size)``: a vertical bar (class 0) or a horizontal bar (class 1)
    at a random position; a convolution lesson can watch edge filters appear."""
    rng = _rng(seed)
    y = rng.integers(0, 2, size=n)
    pos = rng.integers(0, size, size=n)
    grid = np.arange(size)
    vertical = (grid[None, None, :] == pos[:, None, None]) & np.ones((1, size, 1), bool)
    horizontal = (grid[None, :, None] == pos[:, None, None]) & np.ones((1, 1, size), bool)
    images = np.where(y[:, None, None] == 0, vertical, horizontal).astype(np.float64)
    if noise:
        images += rng.normal(scale=noise, size=images.shape)
    return images[:, None].astype(np.float32), y.astype(np.int64)


def one_hot(y, num_classes: int | None = None, dtype=np.float32) -> np.ndarray:
    """Labels ``(n,)`` to rows ``(n, num_classes)`` with a single 1."""
    y = np.asarray(y, dtype=np.int64).reshape(-1)
    num_classes = int(y.max()) + 1 if num_classes is None else num_classes
    out = np.zeros((len(y), num_classes), dtype=dtype)
    out[np.arange(len(y)), y] = 1
    return out


def train_test_split(x, y, *, test_size: float = 0.25, seed=None):
    """Shuffle and split into ``x_train, x_test, y_train, y_test``."""
    if not 0 < test_size < 1:
        raise ConfigError(f"train_test_split: test_size must be in (0, 1), received {test_size!r}.")
    x, y = np.asarray(x), np.asarray(y)
    order = _rng(seed).permutation(len(x))
    cut = len(x) - round(len(x) * test_size)
    train, test = order[:cut], order[cut:]
    return x[train], x[test], y[train], y[test]


def standardize(x, mean=None, std=None):
    """``(x - mean) / std`` per feature; returns ``(x_scaled, mean, std)`` to reuse on test data."""
    x = np.asarray(x, dtype=np.float32)
    mean = x.mean(axis=0) if mean is None else mean
    std = x.std(axis=0) if std is None else std
    return (x - mean) / np.where(std > 0, std, 1), mean, std


DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "spirals": make_spirals,
    "blobs": make_blobs,
    "sine": make_sine,
    "bars": make_bars,
}
"""Generators by name, for lesson front matter and the playground's dataset menu."""
