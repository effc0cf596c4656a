"""Generated datasets: shapes, dtypes, classes and determinism."""

import numpy as np
import pytest

from engine import data
from engine.errors import ConfigError


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spirals", "blobs"])
def test_classification_sets(name):
    x, y = data.DATASETS[name](101, seed=0)
    assert x.shape == (101, 2) and x.dtype == np.float32 and y.dtype == np.int64
    assert set(np.unique(y)) <= set(range(3)) and len(np.unique(y)) >= 2
    x2, y2 = data.DATASETS[name](101, seed=0)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


def test_classes_are_balanced_and_separable_shapes():
    x, y = data.make_circles(200, noise=0.0, factor=0.5, seed=1)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert np.allclose(radius[y == 0], 1.0, atol=1e-6) and np.allclose(radius[y == 1], 0.5, atol=1e-6)
    _, y = data.make_spirals(90, classes=3, seed=0)
    assert np.bincount(y).tolist() == [30, 30, 30]


def test_sine_and_bars():
    x, y = data.make_sine(50, noise=0.0, seed=0)
    assert np.allclose(y, np.sin(x), atol=1e-6)
    images, labels = data.make_bars(20, size=6, noise=0.0, seed=0)
    assert images.shape == (20, 1, 6, 6)
    assert all(img.sum() == 6 for img in images[:, 0])
    vertical = images[labels == 0, 0]
    assert all((v.sum(axis=0) == 6).sum() == 1 for v in vertical)


def test_helpers():
    assert data.one_hot([0, 2]).tolist() == [[1, 0, 0], [0, 0, 1]]
    x_tr, x_te, y_tr, y_te = data.train_test_split(np.arange(20), np.arange(20), test_size=0.25, seed=0)
    assert len(x_te) == 5 and np.array_equal(x_tr, y_tr) and not set(x_tr) & set(x_te)
    z, mean, std = data.standardize(np.array([[1.0, 10.0], [3.0, 10.0]]))
    assert z.tolist() == [[-1.0, 0.0], [1.0, 0.0]]
    with pytest.raises(ConfigError, match="factor must be in"):
        data.make_circles(10, factor=1.5)
