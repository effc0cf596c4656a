"""The 8x8 handwritten digits the demo models train on, read from the copy shipped in ``data/``.

``digits_load()`` returns the same arrays as scikit-learn's ``sklearn.datasets.load_digits()``
(same rows in the same order, same dtypes), from the same file, with NumPy alone: scikit-learn and
SciPy (about 200 MB) were installed only for this 57 kB file. Source and licence: ``data/README.md``.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIGITS_CSV = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
SAMPLES, PIXELS = 1797, 64


@dataclass(frozen=True)
class Digits:
    """``images`` float64 (1797, 8, 8) and ``data`` float64 (1797, 64), grey levels 0..16 (the
    same numbers, ``data`` is ``images`` flattened row by row); ``target`` int64 (1797,), 0..9."""

    data: np.ndarray
    target: np.ndarray
    images: np.ndarray


def digits_load(path: Path = DIGITS_CSV) -> Digits:
    with gzip.open(path, "rt", encoding="ascii") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.float64)
    if table.shape != (SAMPLES, PIXELS + 1):
        raise ValueError(
            f"{path}: expected {SAMPLES} rows of {PIXELS + 1} values (64 pixels and the digit), "
            f"received shape {table.shape}. Restore the file from git."
        )
    data = table[:, :-1]
    return Digits(data=data, target=table[:, -1].astype(np.int64), images=data.reshape(-1, 8, 8))
