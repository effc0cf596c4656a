"""trainmodels: real data, our engine, ONNX export; engine and ONNX Runtime agree to 1e-5; each
model is cached by a hash of its data, code and settings."""

import dataclasses
import io
import json
import os
import re

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learningpaths.demos import inference, training
from learningpaths.demos.encoding import decode_maps
from learningpaths.demos.training import TRAINERS, load_digits, training_key
from tests.site.demos.tinymodel import tiny_glyph_settings

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def models_dir(settings, tmp_path):
    settings.DEMO_MODELS_DIR = tmp_path
    settings.DEMO_RATE_LIMIT = 1000
    inference.reset_runners()
    yield tmp_path
    inference.reset_runners()


def test_trainmodels_builds_cards_and_serves_real_digits(client, models_dir):
    out = io.StringIO()
    call_command("trainmodels", "digits-cnn", "digits-mlp", "--epochs", "8", stdout=out)
    text = out.getvalue()
    assert "digits-cnn: test accuracy" in text and "digits-mlp: test accuracy" in text
    for name in ("digits-cnn", "digits-mlp"):
        card = json.loads((models_dir / f"{name}.json").read_text())
        assert card["onnx_max_abs_diff"] <= 1e-5
        assert card["test_accuracy"] >= 0.9
        assert card["size_bytes"] == (models_dir / f"{name}.onnx").stat().st_size
        assert card["training_key"] == training_key(name, {**TRAINERS[name].settings, "epochs": 8})
    # A second run with the same settings skips both; another setting retrains; --force retrains.
    out = io.StringIO()
    call_command("trainmodels", "digits-cnn", "digits-mlp", "--epochs", "8", stdout=out)
    assert out.getvalue().count("up to date") == 2
    out = io.StringIO()
    call_command("trainmodels", "digits-mlp", "--epochs", "9", stdout=out)
    assert "digits-mlp: test accuracy" in out.getvalue()
    out = io.StringIO()
    call_command("trainmodels", "digits-mlp", "--epochs", "9", "--force", stdout=out)
    assert "up to date" not in out.getvalue()

    _, _, x_test, y_test = load_digits()
    response = client.post(
        "/api/demos/digits-cnn/predict",
        data=json.dumps({"input": x_test[:8].tolist()}),
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    hits = sum(p == str(y) for p, y in zip(body["predictions"], y_test[:8]))
    assert hits >= 7
    assert decode_maps(body["feature_maps"]).shape == (8, 8, 8, 8)  # 8 samples, 8 filters of 8x8
    np.testing.assert_allclose(np.asarray(body["probabilities"]).sum(axis=1), 1.0, atol=1e-4)
    status = client.get("/api/demos/").json()
    ready = {m["name"]: m["ready"] for m in status["models"]}
    assert ready["digits-cnn"] and ready["digits-mlp"]
    assert status["models"][0]["card"]["engine_version"]


def test_unknown_model_name_is_an_error(models_dir):
    with pytest.raises(CommandError, match="unknown model"):
        call_command("trainmodels", "nope")


def test_accuracy_floor_is_enforced(models_dir, monkeypatch):
    monkeypatch.setitem(TRAINERS, "digits-mlp", dataclasses.replace(TRAINERS["digits-mlp"], min_accuracy=1.01))
    with pytest.raises(CommandError, match=r"below 1\.01"):
        call_command("trainmodels", "digits-mlp", "--epochs", "1", stdout=io.StringIO())


def test_training_key_follows_data_code_and_settings(monkeypatch):
    base = training_key("glyphs-cnn")
    assert training_key("glyphs-cnn") == base  # nothing changed: the same key
    assert training_key("glyphs-cnn", dict(TRAINERS["glyphs-cnn"].settings)) == base
    assert training_key("glyphs-cnn", {**TRAINERS["glyphs-cnn"].settings, "epochs": 5}) != base
    assert training_key("glyphs-cnn", {**TRAINERS["glyphs-cnn"].settings, "filters": [8, 16, 64]}) != base
    assert training_key("digits-cnn") != training_key("digits-mlp")  # same data and settings, other model
    other_data = dataclasses.replace(TRAINERS["glyphs-cnn"], data=lambda: "other fonts")
    monkeypatch.setitem(TRAINERS, "glyphs-cnn", other_data)
    assert training_key("glyphs-cnn") != base
    monkeypatch.setitem(TRAINERS, "glyphs-cnn", dataclasses.replace(other_data, data=TRAINERS["digits-cnn"].data))
    digest = training._sources_digest  # the engine's sources are part of the key
    monkeypatch.setattr(training, "_sources_digest", lambda paths: digest(paths) + "changed")
    changed = training_key("glyphs-cnn")
    monkeypatch.setattr(training, "_sources_digest", digest)
    assert training_key("glyphs-cnn") != changed


TINY = tiny_glyph_settings()


@pytest.fixture(scope="session")
def tiny_glyphs(tmp_path_factory):
    out = tmp_path_factory.mktemp("glyph-models")
    result = training.train_glyphs("glyphs-cnn", settings=TINY, key="tiny", out_dir=out, log=lambda line: None)
    return out, result


@pytest.mark.skipif(ON_POSTGRES, reason="training touches no database: once, on SQLite, is enough")
def test_glyph_cnn_exports_with_every_block_and_matches_the_engine(tiny_glyphs):
    import onnxruntime as ort

    out, result = tiny_glyphs
    assert result.max_abs_diff <= 1e-5
    card = json.loads((out / "glyphs-cnn.json").read_text())
    assert card["training_key"] == "tiny" and card["settings"] == TINY
    assert set(card["test_accuracy_per_family"]) == set(training.glyphs.TEST_FAMILIES)
    assert not set(card["train_fonts"]) & set(card["test_fonts"])
    session = ort.InferenceSession(str(out / "glyphs-cnn.onnx"), providers=["CPUExecutionProvider"])
    shapes = {o.name: o.shape[1:] for o in session.get_outputs()}
    assert shapes == {"output": [36], "conv1": [2, 32, 32], "conv2": [4, 16, 16], "conv3": [4, 8, 8]}


@pytest.fixture
def glyph_server(settings, tiny_glyphs):
    settings.DEMO_MODELS_DIR = tiny_glyphs[0]
    settings.DEMO_RATE_LIMIT = 1000
    inference.reset_runners()
    yield
    inference.reset_runners()


@pytest.mark.skipif(ON_POSTGRES, reason="training touches no database: once, on SQLite, is enough")
def test_glyph_endpoint_returns_every_layer_bounded(client, glyph_server):
    from learningpaths.demos import glyphs, services

    fonts = glyphs.fonts_find()
    x = np.stack([glyphs.glyph_render(fonts[0].path, c) for c in "A7QZ0K"])[:, None]
    response = client.post(
        "/api/demos/glyphs-cnn/predict",
        data=json.dumps({"input": x.round(3).tolist()}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["labels"] == list(glyphs.CLASSES) and len(body["predictions"]) == 6
    assert [layer["name"] for layer in body["layers"]] == ["conv1", "conv2", "conv3"]
    shapes = [decode_maps(layer).shape for layer in body["layers"]]
    assert shapes == [(services.MAX_MAP_SAMPLES, 2, 32, 32), (4, 4, 16, 16), (4, 4, 8, 8)]
    assert len(response.content) < 40_000


@pytest.mark.skipif(ON_POSTGRES, reason="training touches no database: once, on SQLite, is enough")
@pytest.mark.parametrize(
    "payload,status,message",
    [
        ({"input": [0.5] * 64}, 400, "input must hold a multiple of 1024 numbers (shape [1, 32, 32] per sample)"),
        ({"input": [[0.5] * 32] * 31}, 400, "input must hold a multiple of 1024 numbers"),
        ({"input": [[[0.5] * 33] * 32]}, 400, "input must hold a multiple of 1024 numbers"),
        ({"input": [[1e300] * 32] * 32}, 400, "input values must lie in [0, 1]"),
        ({"input": [[-0.1] * 32] * 32}, 400, "input values must lie in [0, 1]"),
        ({"input": [[True] * 32] * 32}, 400, "input must be a (nested) list of numbers"),
        ({"input": [[0.5] * 31 + [False]] * 32}, 400, "input must be a (nested) list of numbers"),
        ({"input": [["0.5"] * 32] * 32}, 400, "input must be a (nested) list of numbers"),
        ({"input": [[None] * 32] * 32}, 400, "input must be a (nested) list of numbers"),
        ({"input": [[{"a": 1}] * 32] * 32}, 400, "input must be a (nested) list of numbers"),
        ({"input": [[[0] * 32] * 32] * 17}, 400, "at most 16 samples per request; got 17"),
    ],
)
def test_glyph_endpoint_refuses_bad_32x32_input(client, glyph_server, payload, status, message):
    response = client.post("/api/demos/glyphs-cnn/predict", data=json.dumps(payload), content_type="application/json")
    assert response.status_code == status, response.content
    if message:
        assert message in response.json()["detail"]


@pytest.mark.skipif(ON_POSTGRES, reason="training touches no database: once, on SQLite, is enough")
def test_glyph_endpoint_refuses_nan_and_bodies_past_the_limit(client, glyph_server):
    nan = '{"input": [' + ",".join(["NaN"] * 1024) + "]}"
    response = client.post("/api/demos/glyphs-cnn/predict", data=nan, content_type="application/json")
    assert response.status_code == 400
    many = json.dumps({"input": np.full((16, 1, 32, 32), 0.123456).tolist()})  # 16 samples: ~150 KiB
    response = client.post("/api/demos/glyphs-cnn/predict", data=many, content_type="application/json")
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_progress_bar_on_a_terminal_shows_epoch_loss_and_accuracy(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    x, y, _, _ = load_digits()
    model = training.build("digits-mlp")
    training._fit("digits-mlp", model, x, y, epochs=2, batch_size=64, learning_rate=0.01)
    last = terminal.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert "digits-mlp: 100%" in last and "epoch=2/2" in last, last
    loss = float(re.search(r"loss=([0-9.]+)", last).group(1))
    accuracy = float(re.search(r"acc=([0-9.]+)", last).group(1))
    assert 0 < loss < 1.5 and 0.5 < accuracy <= 1.0  # the epoch's running means, after two epochs
    # Not on a terminal (logs, CI): no bar at all.
    plain = io.StringIO()
    monkeypatch.setattr("sys.stderr", plain)
    training._fit("digits-mlp", training.build("digits-mlp"), x, y, epochs=1, batch_size=64, learning_rate=0.01)
    assert plain.getvalue() == ""


def test_trainmodels_enforces_the_word_transformers_loss_floor(models_dir, monkeypatch):
    from django.core.management.base import CommandError

    from learningpaths.demos import wordgen
    from tests.site.demos.wordmodel import TINY

    monkeypatch.setattr(wordgen, "FULL", TINY)  # the real trainer and checks, a few steps
    with pytest.raises(CommandError, match=r"validation loss .* is above"):
        call_command("trainmodels", "words-transformer", stdout=io.StringIO())
    monkeypatch.setattr(wordgen, "MAX_VALIDATION_LOSS", 10.0)
    out = io.StringIO()
    call_command("trainmodels", "words-transformer", "--force", stdout=out)
    assert "words-transformer: validation loss" in out.getvalue()
    call_command("trainmodels", "words-transformer", stdout=out)
    assert "words-transformer: up to date" in out.getvalue()
