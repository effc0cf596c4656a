"""The glyph autoencoder (demos/glyphgen.py, training.train_autoencoder): the corruption it learns to
undo, the latent summary of its card, the two ONNX graphs against the engine to 1e-5 (a tiny model of
the real code path), and trainmodels' loss floor."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import engine
from learningpaths.demos import glyphgen, inference
from learningpaths.demos.glyphs import CLASSES, SIZE

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="training touches no database: once, on SQLite, is enough")


def test_corruption_stays_in_range_and_differs_per_image():
    x = np.zeros((64, 1, SIZE, SIZE), np.float32)
    x[:, :, 8:24, 14:18] = 1.0  # a bar
    noisy = glyphgen.corrupt(x, np.random.default_rng(0), noise=0.3)
    assert noisy.shape == x.shape and noisy.dtype == np.float32
    assert noisy.min() >= 0 and noisy.max() <= 1
    assert np.abs(noisy - x).mean() > 0.01  # something to undo
    assert len({noisy[i].tobytes() for i in range(len(x))}) == len(x)
    again = glyphgen.corrupt(x, np.random.default_rng(0), noise=0.3)
    assert np.array_equal(noisy, again)  # deterministic by seed


def test_latent_summary_finds_class_means_and_the_main_direction_within_classes():
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(3), 200)
    centres = np.array([[0.0, 0, 0], [5, 0, 0], [0, 5, 0]])
    spread = np.outer(rng.normal(0, 2.0, len(labels)), [0, 0, 1.0])  # the style varies along the 3rd axis
    codes = centres[labels] + spread + rng.normal(0, 0.05, (len(labels), 3))
    summary = glyphgen.latent_summary(codes, labels)
    assert list(summary["class_latents"]) == list(CLASSES[:3])
    np.testing.assert_allclose(summary["class_latents"]["1"], [5, 0, 0], atol=0.3)
    assert abs(summary["style_direction"][2]) > 0.99 and np.isclose(np.linalg.norm(summary["style_direction"]), 1)
    assert 1.7 < summary["style_scale"] < 2.3


def test_both_graphs_match_the_engine_and_the_card_says_what_it_is(tiny_autoencoder):
    import onnxruntime as ort

    from learningpaths.demos.training import TRAINERS
    from tests.site.demos.tinymodel import tiny_autoencoder_settings

    out, trained = tiny_autoencoder
    assert trained.max_abs_diff <= 1e-5
    model = engine.Sequential.load(out / "glyphs-autoencoder.npz")
    assert isinstance(model, engine.Autoencoder)
    full = ort.InferenceSession(str(out / "glyphs-autoencoder.onnx"), providers=["CPUExecutionProvider"])
    decoder = ort.InferenceSession(str(out / "glyphs-decoder.onnx"), providers=["CPUExecutionProvider"])
    assert [(o.name, o.shape[1:]) for o in full.get_outputs()] == [("output", [1, SIZE, SIZE]), ("latent", [16])]
    assert decoder.get_inputs()[0].shape[1:] == [glyphgen.LATENT]

    x = np.random.default_rng(2).uniform(0, 1, (5, 1, SIZE, SIZE)).astype(np.float32)
    reconstruction, latent = full.run(None, {"input": x})
    np.testing.assert_allclose(reconstruction, model.predict(x), atol=1e-5)
    np.testing.assert_allclose(latent, model.encode(x), atol=1e-5)
    z = np.random.default_rng(3).normal(0, 5, (7, glyphgen.LATENT)).astype(np.float32)
    np.testing.assert_allclose(decoder.run(None, {"input": z})[0], model.decode(z), atol=1e-5)

    card = json.loads((out / "glyphs-autoencoder.json").read_text())
    assert card["training_key"] == "tiny" and card["settings"] == tiny_autoencoder_settings()
    assert card["parameters"] == sum(p.value.size for p in model.parameters())
    assert card["time_budget"] == TRAINERS["glyphs-autoencoder"].budget and card["training_seconds"] > 0
    assert 0 < card["test_loss"] < 1 and card["test_loss_mean_glyph"] > 0
    assert set(card["class_latents"]) == set(CLASSES)
    assert all(len(v) == glyphgen.LATENT for v in card["class_latents"].values())
    assert len(card["style_direction"]) == glyphgen.LATENT and card["style_scale"] > 0
    lo, hi = card["latent_range"]
    assert -glyphgen.LATENT_BOUND < lo < hi < glyphgen.LATENT_BOUND
    assert json.loads((out / "glyphs-decoder.json").read_text())["part_of"] == "glyphs-autoencoder"


def test_trainmodels_enforces_the_loss_floor_and_caches(settings, tmp_path, monkeypatch):
    from learningpaths.demos import training
    from tests.site.demos.tinymodel import tiny_autoencoder_settings

    settings.DEMO_MODELS_DIR = tmp_path
    trainer = training.TRAINERS["glyphs-autoencoder"]
    monkeypatch.setitem(
        training.TRAINERS,
        "glyphs-autoencoder",
        training.dataclasses.replace(trainer, settings=tiny_autoencoder_settings()),
    )
    monkeypatch.setattr(glyphgen, "MAX_TEST_LOSS", 0.01)  # no glyph model reaches this
    with pytest.raises(CommandError, match=r"held-out reconstruction loss .* is above 0.01"):
        call_command("trainmodels", "glyphs-autoencoder", stdout=io.StringIO())
    monkeypatch.setattr(glyphgen, "MAX_TEST_LOSS", 1.0)
    out = io.StringIO()
    call_command("trainmodels", "glyphs-autoencoder", "--force", stdout=out)
    assert "glyphs-autoencoder: held-out loss" in out.getvalue()
    assert (tmp_path / "glyphs-decoder.onnx").is_file()
    call_command("trainmodels", "glyphs-autoencoder", stdout=out)
    assert "glyphs-autoencoder: up to date (test loss" in out.getvalue()
    (tmp_path / "glyphs-decoder.onnx").unlink()  # half a model is no model: trained again
    again = io.StringIO()
    call_command("trainmodels", "glyphs-autoencoder", stdout=again)
    assert "held-out loss" in again.getvalue() and (tmp_path / "glyphs-decoder.onnx").is_file()
    inference.reset_runners()


def test_card_check_refuses_an_onnx_disagreement():
    with pytest.raises(ValueError, match="disagree"):
        glyphgen.card_check({"onnx_max_abs_diff": 1e-3, "test_loss": 0.1})
    glyphgen.card_check({"onnx_max_abs_diff": 1e-6, "test_loss": 0.1})


def test_the_compiler_knows_the_same_glyphs():
    from learningpaths.compiler.widget_specs import GLYPHS

    assert GLYPHS == CLASSES  # the explorer's from/to parameters are checked against it
