"""The compact feature-map encoding: 8 bits per value, each map stretched over its own range."""

import json

import numpy as np
import pytest

from learningpaths.demos.encoding import decode_maps, encode_maps


def test_round_trip_error_is_at_most_half_a_level_of_each_maps_range():
    rng = np.random.default_rng(0)
    maps = (rng.normal(size=(3, 4, 6, 5)) * rng.uniform(0.01, 100, size=(3, 4, 1, 1))).astype(np.float32)
    back = decode_maps(json.loads(json.dumps(encode_maps(maps))))  # through JSON text, as a client gets it
    span = maps.max(axis=(2, 3), keepdims=True) - maps.min(axis=(2, 3), keepdims=True)
    assert back.shape == maps.shape and back.dtype == np.float32
    # min and max are rounded to 5 decimals in the JSON, hence the small absolute term
    assert np.all(np.abs(back - maps) <= span / 510 * 1.001 + 1e-5)
    # every map uses the full 0..255 range, so the picture keeps all its contrast
    q = np.frombuffer(__import__("base64").b64decode(encode_maps(maps)["uint8"]), np.uint8).reshape(maps.shape)
    assert (q.min(axis=(2, 3)) == 0).all() and (q.max(axis=(2, 3)) == 255).all()


def test_a_constant_map_stays_constant():
    maps = np.zeros((1, 2, 3, 3), np.float32)
    maps[0, 1] = 7.5
    obj = encode_maps(maps)
    assert obj["min"] == [[0.0, 7.5]] and obj["max"] == [[0.0, 7.5]]
    np.testing.assert_array_equal(decode_maps(obj), maps)


def test_it_is_smaller_than_floats_as_text():
    maps = np.random.default_rng(1).random((1, 8, 8, 8)).astype(np.float32)
    compact = len(json.dumps(encode_maps(maps)))
    as_text = len(json.dumps(np.round(maps.astype(float), 4).tolist()))
    assert compact < as_text / 3


def test_other_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(n, c, h, w\)"):
        encode_maps(np.zeros((8, 8)))
