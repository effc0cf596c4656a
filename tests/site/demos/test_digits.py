"""The digits shipped in demos/data/: the known shape, classes and range, and (while scikit-learn is
installed somewhere) the very arrays ``sklearn.datasets.load_digits()`` returns."""

import gzip

import numpy as np
import pytest

from learningpaths.demos.digits import DIGITS_CSV, digits_load

# Images per digit 0..9 in the UCI test set as scikit-learn ships it.
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_shape_dtype_classes_and_range():
    digits = digits_load()
    assert digits.data.shape == (1797, 64) and digits.data.dtype == np.float64
    assert digits.images.shape == (1797, 8, 8) and digits.images.dtype == np.float64
    assert digits.target.shape == (1797,) and digits.target.dtype == np.int64
    assert np.bincount(digits.target).tolist() == CLASS_COUNTS
    assert digits.data.min() == 0 and digits.data.max() == 16
    assert np.array_equal(digits.data, np.round(digits.data))  # whole grey levels
    assert np.array_equal(digits.images.reshape(1797, 64), digits.data)
    # The first image is a 0 (the first row of the file).
    assert digits.target[0] == 0 and digits.images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_same_arrays_as_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")
    theirs, ours = datasets.load_digits(), digits_load()
    for name in ("data", "target", "images"):
        expected, got = getattr(theirs, name), getattr(ours, name)
        assert got.dtype == expected.dtype and got.shape == expected.shape, name
        assert np.array_equal(got, expected), name


def test_a_damaged_file_is_reported(tmp_path):
    bad = tmp_path / "digits.csv.gz"
    with gzip.open(bad, "wt") as fh, gzip.open(DIGITS_CSV, "rt") as good:
        fh.writelines(good.readlines()[:10])
    with pytest.raises(ValueError, match=r"expected 1797 rows of 65 values .* received shape \(10, 65\)"):
        digits_load(bad)
