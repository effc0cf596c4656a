"""trainmodels: real digits, our engine, ONNX export; engine and ONNX Runtime agree to 1e-5."""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from learningpaths.demos import inference
from learningpaths.demos.encoding import decode_maps
from learningpaths.demos.training import load_digits


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
    # A second run skips the models that are up to date.
    out = io.StringIO()
    call_command("trainmodels", "digits-cnn", "digits-mlp", stdout=out)
    assert out.getvalue().count("up to date") == 2

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
    assert ready == {"digits-cnn": True, "digits-mlp": True, "words-transformer": False}
    assert status["models"][0]["card"]["engine_version"]


def test_unknown_model_name_is_an_error(models_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown model"):
        call_command("trainmodels", "nope")


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
