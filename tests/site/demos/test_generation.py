"""POST /api/demos/<name>/generate (demos/generation.py): words from the tiny word transformer in
ONNX Runtime, the validation of every field, the limits, and the status endpoint's entry."""

from __future__ import annotations

import json
import threading
import unicodedata

import numpy as np
import pytest

from learningpaths.demos import inference, wordgen, words
from tests.site.demos.wordmodel import TINY_HEADS

URL = "/api/demos/words-transformer/generate"


def post(client, body, **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data=data, content_type=extra.pop("content_type", "application/json"), **extra)


def test_words_with_their_probabilities_and_attention(client, word_model):
    response = post(client, {"language": "nl", "temperature": 1.2, "start": "KA", "count": 4, "seed": 7})
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["model"] == "words-transformer" and body["provider"] == "CPUExecutionProvider"
    assert body["language"] == "nl" and body["start"] == "ka" and body["temperature"] == 1.2
    assert len(body["words"]) == 4
    for w in body["words"]:
        word = w["word"]
        assert word.startswith("ka") and words.MIN_LENGTH <= len(word) <= words.MAX_LENGTH
        assert w["known"] is words.is_word("nl", word)
        assert [s["token"] for s in w["steps"]] == [*word[2:], "."]
        assert all(0 < s["probability"] <= 1 for s in w["steps"])
        assert w["attention"]["tokens"] == ["<nl>", *word]
        weights = np.array(w["attention"]["weights"])
        assert weights.shape == (TINY_HEADS, len(word) + 1, len(word) + 1)
        np.testing.assert_allclose(weights.sum(-1), 1, atol=2e-3)
        assert np.all(np.triu(weights, k=1) == 0)
    again = post(client, {"language": "nl", "temperature": 1.2, "start": "ka", "count": 4, "seed": 7}).json()
    assert [w["word"] for w in again["words"]] == [w["word"] for w in body["words"]]


def test_the_server_invents_what_the_engine_invents(client, word_model):
    body = post(client, {"language": "en", "temperature": 0.9, "count": 3, "seed": 11}).json()
    step = wordgen.engine_step(word_model.model)
    expected = wordgen.generate(step, language="en", temperature=0.9, count=3, rng=np.random.default_rng(11))
    assert [w["word"] for w in body["words"]] == [w.word for w in expected]
    np.testing.assert_allclose(
        [s["probability"] for s in body["words"][0]["steps"]], expected[0].probabilities, atol=1e-4
    )


def test_the_start_letters_are_normalised(client, word_model):
    nfd = unicodedata.normalize("NFD", "Reü")
    body = post(client, {"language": "nl", "start": f" {nfd} ", "seed": 1}).json()
    assert body["start"] == "reü" and body["words"][0]["word"].startswith("reü")


@pytest.mark.parametrize(
    "body,status,message",
    [
        (b"nope", 400, "body must be JSON"),
        (b"", 400, "body must be JSON"),
        ([1, 2], 400, "body must be JSON"),
        ({"language": "nl", "colour": "red"}, 400, "unknown field"),
        ({}, 400, "language must be one of"),
        ({"language": "fr"}, 400, "language must be one of"),
        ({"language": ["nl"]}, 400, "nested too deeply"),
        ({"language": "nl", "temperature": 0}, 400, "temperature must be from 0.1 to 2"),
        ({"language": "nl", "temperature": 2.5}, 400, "temperature must be from 0.1 to 2"),
        ({"language": "nl", "temperature": "hot"}, 400, "temperature must be a number"),
        ({"language": "nl", "temperature": True}, 400, "temperature must be a number"),
        (b'{"language": "nl", "temperature": NaN}', 400, ""),
        (b'{"language": "nl", "temperature": 1e999}', 400, ""),
        ({"language": "nl", "count": 0}, 400, "count must be from 1 to 8"),
        ({"language": "nl", "count": 9}, 400, "count must be from 1 to 8"),
        ({"language": "nl", "count": 1.5}, 400, "count must be a whole number"),
        ({"language": "nl", "seed": -1}, 400, "seed must be from 0"),
        ({"language": "nl", "start": 12}, 400, "start must be text"),
        ({"language": "nl", "start": "k4"}, 400, "start may only hold the letters"),
        ({"language": "nl", "start": "straß"}, 400, "start may only hold the letters"),
        ({"language": "nl", "start": "\u202ekat"}, 400, ""),  # a bidi override: refused by core/bodies.py
        ({"language": "nl", "start": "abcdefghi"}, 400, "at most 8 letters"),
        (b'{"language": "nl", "start": "\\ud800"}', 400, ""),  # a lone surrogate
        (b"\xff\xfe", 400, "UTF-8"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(client, word_model, body, status, message):
    response = post(client, body)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert detail and message in detail


def test_size_form_method_and_names(client, word_model):
    assert post(client, {"language": "nl", "start": "a" * 2000}).status_code == 413
    assert post(client, "language=nl", content_type="application/x-www-form-urlencoded").status_code == 415
    assert client.get(URL).status_code == 405
    assert client.post("/api/demos/digits-cnn/generate", data="{}", content_type="application/json").status_code == 404
    predict = client.post("/api/demos/words-transformer/predict", data="{}", content_type="application/json")
    assert predict.status_code == 404 and "digits-cnn" in predict.json()["detail"]


def test_a_missing_model_is_a_503(client, word_model, settings, tmp_path):
    settings.DEMO_MODELS_DIR = tmp_path
    inference.reset_runners()
    response = post(client, {"language": "en"})
    assert response.status_code == 503 and "not available" in response.json()["detail"]


def test_rate_limit(client, word_model, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DEMO_RATE_LIMIT = 2
    assert [post(client, {"language": "en"}).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_time_limit_for_the_whole_word(client, word_model, settings):
    settings.DEMO_TIMEOUT = 0.2
    runner = inference.get_runner("words-transformer")
    blocker = threading.Event()
    real_run = runner._run
    runner._run = lambda jobs: (blocker.wait(2), real_run(jobs))
    try:
        response = post(client, {"language": "nl"})
    finally:
        blocker.set()
    assert response.status_code == 503 and "busy" in response.json()["detail"]


def test_status_lists_the_generator_with_its_card(client, word_model):
    body = client.get("/api/demos/").json()
    entry = next(m for m in body["models"] if m["name"] == "words-transformer")
    assert entry["ready"] is True and entry["labels"] == ["nl", "en"]
    assert entry["card"]["validation_loss"] == pytest.approx(word_model.validation_loss, abs=1e-4)
    assert body["providers"][-1] == "CPUExecutionProvider"


def test_a_model_that_answers_nan_gets_a_422(client, word_model, monkeypatch):
    runner = inference.get_runner("words-transformer")
    real_run = runner.session.run

    def broken(names, feeds):
        return [np.full_like(out, np.nan) for out in real_run(names, feeds)]

    monkeypatch.setattr(runner, "session", type("S", (), {"run": staticmethod(broken)})())
    response = post(client, {"language": "nl"})
    assert response.status_code == 422 and "no valid answer" in response.json()["detail"]
