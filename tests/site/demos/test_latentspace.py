"""POST /api/demos/glyphs-autoencoder/encode and .../decode (demos/latentspace.py) against the tiny
autoencoder in ONNX Runtime: answers equal to the engine's, the validation of every field, the limits,
503 without a model, and the status endpoint's entries."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import engine
from learningpaths.demos import glyphgen, latentspace, services
from learningpaths.demos.encoding import decode_maps
from learningpaths.demos.glyphs import SIZE

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="inference touches no database: once, on SQLite, is enough")

ENCODE = "/api/demos/glyphs-autoencoder/encode"
DECODE = "/api/demos/glyphs-autoencoder/decode"


def post(client, url, body, **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(url, data=data, content_type=extra.pop("content_type", "application/json"), **extra)


@pytest.fixture
def engine_model(autoencoder_model, tiny_autoencoder):
    return engine.Sequential.load(tiny_autoencoder[0] / "glyphs-autoencoder.npz")


def test_encode_gives_the_latent_point_and_the_reconstruction(client, engine_model):
    x = np.zeros((2, 1, SIZE, SIZE), np.float32)
    x[0, 0, 4:28, 14:18] = 1.0  # an I
    x[1, 0, 4:28, 8:12] = x[1, 0, 24:28, 8:24] = 1.0  # an L
    response = post(client, ENCODE, {"input": x.reshape(2, -1).tolist()})
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["model"] == "glyphs-autoencoder" and body["provider"] == "CPUExecutionProvider"
    latent = np.array(body["latent"])
    assert latent.shape == (2, glyphgen.LATENT)
    np.testing.assert_allclose(latent, engine_model.encode(x), atol=1e-4)
    reconstruction = decode_maps(body["reconstruction"])
    assert reconstruction.shape == (2, 1, SIZE, SIZE)
    np.testing.assert_allclose(reconstruction, engine_model.predict(x), atol=1 / 255)  # 8 bits per pixel
    assert not np.allclose(reconstruction[0], reconstruction[1], atol=1e-3)


def test_decode_paints_latent_points_as_the_engine_does(client, engine_model, tiny_autoencoder):
    card = json.loads((tiny_autoencoder[0] / "glyphs-autoencoder.json").read_text())
    a, b = (np.array(card["class_latents"][c]) for c in "AB")
    points = np.stack([a + t * (b - a) for t in np.linspace(0, 1, 5)]).astype(np.float32)
    response = post(client, DECODE, {"latent": points.tolist()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model"] == "glyphs-decoder"
    images = decode_maps(body["images"])
    assert images.shape == (5, 1, SIZE, SIZE)
    np.testing.assert_allclose(images, engine_model.decode(points), atol=1 / 255)
    assert np.abs(images[0] - images[-1]).max() > 0.01  # A and B decode to different glyphs


def test_status_lists_both_graphs_with_the_reference_points(client, autoencoder_model):
    models = {m["name"]: m for m in client.get("/api/demos/").json()["models"]}
    auto, dec = models["glyphs-autoencoder"], models["glyphs-decoder"]
    assert auto["ready"] and dec["ready"]
    assert auto["input_shape"] == [1, SIZE, SIZE] and dec["input_shape"] == [glyphgen.LATENT]
    assert len(auto["card"]["class_latents"]["A"]) == glyphgen.LATENT and auto["card"]["style_scale"] > 0
    assert dec["card"]["part_of"] == "glyphs-autoencoder"


@pytest.mark.parametrize(
    "body,status,message",
    [
        (b"nope", 400, "body must be JSON"),
        ({"input": [[0.5] * 10]}, 400, "multiple of 1024"),
        ({"input": [[2.0] * 1024]}, 400, "values must lie in [0, 1]"),
        ({"input": [[True] * 1024]}, 400, "list of numbers"),
        ({"input": [[0] * 1024] * 17}, 400, "at most 16 samples"),
        ({"picture": []}, 400, "body must be JSON"),
        (b'{"input": [' + b"9" * 400 + b"]}", 400, "list of numbers"),  # an int no float64 holds
    ],
)
def test_encode_refuses_bad_input(client, autoencoder_model, body, status, message):
    response = post(client, ENCODE, body)
    assert response.status_code == status and message in response.json()["detail"], response.content


Z = [0.0] * glyphgen.LATENT


@pytest.mark.parametrize(
    "body,status,message",
    [
        (b"nope", 400, "body must be JSON"),
        (b"", 400, "body must be JSON"),
        ([Z], 400, "body must be JSON"),
        ({"input": [Z]}, 400, "body must be JSON"),
        ({"latent": [Z], "colour": 1}, 400, "unknown field"),
        ({"latent": Z}, 400, "a list of points"),
        ({"latent": []}, 400, "a list of points"),
        ({"latent": [Z[:3]]}, 400, "16 numbers"),
        ({"latent": [[*Z, 1.0]]}, 400, "16 numbers"),
        ({"latent": [Z] * 65}, 400, "at most 64 latent points"),
        ({"latent": [["0.5"] * 16]}, 400, "numbers only"),
        ({"latent": [[True] * 16]}, 400, "numbers only"),
        ({"latent": [[None] * 16]}, 400, "numbers only"),
        ({"latent": [[[0.0]] * 16]}, 400, "nested too deeply"),
        ({"latent": [[1e6] * 16]}, 400, "in [-1000, 1000]"),
        (b'{"latent": [[' + b"1e999," * 15 + b"0]]}", 400, "number that is too large"),
        (b'{"latent": [[' + b"NaN," * 15 + b"0]]}", 400, ""),
    ],
)
def test_decode_refuses_bad_points(client, autoencoder_model, body, status, message):
    response = post(client, DECODE, body)
    assert response.status_code == status, response.content
    assert message in response.json()["detail"]


def test_limits_size_unknown_demo_rate_and_a_missing_model(client, autoencoder_model, settings, tmp_path):
    big = b'{"latent": [[' + b"0," * (latentspace.MAX_DECODE_BODY // 2) + b"0]]}"
    response = post(client, DECODE, big)
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    huge = b'{"input": [' + b"0," * services.MAX_BODY + b"0]}"
    assert post(client, ENCODE, huge).status_code == 413
    for url in ("/api/demos/glyphs-cnn/encode", "/api/demos/glyphs-decoder/decode", "/api/demos/nope/decode"):
        response = post(client, url, {"latent": [Z]})
        assert response.status_code == 404 and "glyphs-autoencoder" in response.json()["detail"], url
    # The autoencoder's graphs are no classifiers: predict refuses them.
    assert post(client, "/api/demos/glyphs-decoder/predict", {"input": [Z]}).status_code == 404
    assert client.get(DECODE).status_code == 405

    from django.core.cache import cache

    cache.clear()
    settings.DEMO_RATE_LIMIT = 2
    answers = [post(client, url, {"latent": [Z]}).status_code for url in (DECODE, ENCODE, DECODE)]
    assert answers == [200, 400, 429]  # encode and decode share one count

    settings.DEMO_RATE_LIMIT = 1000
    settings.DEMO_MODELS_DIR = tmp_path / "empty"
    from learningpaths.demos import inference

    inference.reset_runners()
    response = post(client, DECODE, {"latent": [Z]})
    assert response.status_code == 503 and "not available" in response.json()["detail"]
    response = post(client, ENCODE, {"input": [[0.0] * 1024]})
    assert response.status_code == 503
