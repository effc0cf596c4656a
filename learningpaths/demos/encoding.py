"""Compact JSON for feature maps: 8 bits per value, base64, with each map's range beside it.

A feature map is shown as a picture, stretched from its minimum to its maximum, so 256 levels per
map lose nothing a student can see (the error is at most (max - min) / 510), while the answer gets
about 4x smaller and, more to the point, costs no float formatting: writing 512 floats as JSON
text was a third of the endpoint's CPU time per request (bench/serving.py).

    {"shape": [n, c, h, w], "min": [[...c] * n], "max": [[...c] * n], "uint8": "<base64 of n*c*h*w bytes>"}

Value ``v`` of map ``(i, j)`` is ``min[i][j] + q / 255 * (max[i][j] - min[i][j])`` with ``q`` the byte.
``static/js/runtime/widgets/server.js`` decodes it the same way.
"""

from __future__ import annotations

import base64

import numpy as np


def encode_maps(maps: np.ndarray) -> dict:
    """(n, c, h, w) floats -> the compact JSON object above."""
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 4:
        raise ValueError(f"feature maps must have shape (n, c, h, w); got {maps.shape}")
    lo = maps.min(axis=(2, 3), keepdims=True)
    hi = maps.max(axis=(2, 3), keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    q = np.rint((maps - lo) * (255.0 / span)).astype(np.uint8)
    return {
        "shape": list(maps.shape),
        "min": np.round(lo[:, :, 0, 0].astype(np.float64), 5).tolist(),
        "max": np.round(hi[:, :, 0, 0].astype(np.float64), 5).tolist(),
        "uint8": base64.b64encode(q.tobytes()).decode("ascii"),
    }


def decode_maps(obj: dict) -> np.ndarray:
    """The compact object -> (n, c, h, w) float32 (for API clients and tests)."""
    shape = tuple(int(d) for d in obj["shape"])
    q = np.frombuffer(base64.b64decode(obj["uint8"]), dtype=np.uint8).reshape(shape).astype(np.float32)
    lo = np.asarray(obj["min"], dtype=np.float32)[:, :, None, None]
    hi = np.asarray(obj["max"], dtype=np.float32)[:, :, None, None]
    return lo + q / 255.0 * (hi - lo)
