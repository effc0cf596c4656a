"""The word transformer (demos/wordgen.py): tokens, the loss, engine vs ONNX Runtime, generation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from learningpaths.demos import wordgen, words
from tests.site.demos.wordmodel import TINY_HEADS


def test_a_word_is_its_language_its_letters_and_the_end_mark():
    x, y = wordgen.encode("nl", "kaï")
    ids = [wordgen.TOKENS.index(t) for t in ("<nl>", "k", "a", "ï")]
    assert x.tolist() == ids + [0] * (wordgen.SEQUENCE - 4)
    assert y.tolist() == ids[1:] + [0] * (wordgen.SEQUENCE - 3)  # the next token of every position
    _, _, lengths = wordgen.dataset({"en": ["cat", "horses"]})
    assert lengths.tolist() == [4, 7]  # letters and the end mark carry a loss, the padding does not


def test_the_character_loss_leaves_the_padding_out():
    y = np.array([[3, 0, 0, 0]])
    logits = np.zeros((1, 4, len(wordgen.TOKENS)))
    logits[0, 2:, 0] = -50.0  # wrong about the padding: must not count
    assert wordgen.character_loss(logits, y, np.array([2])) == pytest.approx(np.log(len(wordgen.TOKENS)))
    logits[0, 0, 3] = 50.0
    assert wordgen.character_loss(logits, y, np.array([2])) == pytest.approx(np.log(len(wordgen.TOKENS)) / 2)


def test_engine_and_onnx_runtime_agree_on_logits_and_attention(tiny_words):
    import onnxruntime as ort

    directory, trained = tiny_words
    assert trained.max_abs_diff <= 1e-5
    session = ort.InferenceSession(str(directory / f"{wordgen.NAME}.onnx"), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["output", wordgen.ATTENTION_OUTPUT]
    x = np.stack([wordgen.encode(lang, w)[0] for lang, w in [("nl", "fiets"), ("en", "bicycle"), ("nl", "ideeën")]])
    logits, attention = session.run(None, {"input": x.astype(np.float32)})
    engine_logits, engine_attention = wordgen.engine_step(trained.model)(x)
    assert np.abs(wordgen._softmax(logits) - wordgen._softmax(engine_logits)).max() <= 1e-5
    assert np.abs(logits - engine_logits).max() <= 1e-4
    assert np.abs(attention - engine_attention).max() <= 1e-5
    assert attention.shape == (3, TINY_HEADS, wordgen.SEQUENCE, wordgen.SEQUENCE)
    np.testing.assert_allclose(attention.sum(-1), 1, atol=1e-5)
    assert np.all(np.triu(attention, k=1) == 0)  # causal: no position looks ahead


def test_the_model_card(tiny_words):
    directory, trained = tiny_words
    card = json.loads((directory / f"{wordgen.NAME}.json").read_text(encoding="utf-8"))
    assert card["validation_loss"] == pytest.approx(trained.validation_loss, abs=1e-4)
    assert card["validation_loss"] < card["uniform_loss"]  # a few steps already beat guessing
    assert card["validation_perplexity"] == pytest.approx(np.exp(card["validation_loss"]), rel=1e-3)
    assert set(card["validation_loss_by_language"]) == set(words.LANGUAGES)
    assert card["parameters"] == trained.model.count_params()
    assert "wdutch" in card["data"] and "wamerican" in card["data"]
    with pytest.raises(ValueError, match="validation loss"):
        wordgen.card_check({**card, "validation_loss": wordgen.MAX_VALIDATION_LOSS + 0.01})
    with pytest.raises(ValueError, match="disagree"):
        wordgen.card_check({**card, "validation_loss": 1.0, "onnx_max_abs_diff": 2e-5})
    wordgen.card_check({**card, "validation_loss": wordgen.MAX_VALIDATION_LOSS})


def test_generated_words_follow_the_rules(tiny_words):
    _, trained = tiny_words
    step = wordgen.engine_step(trained.model)
    invented = wordgen.generate(step, language="en", temperature=1.5, start="qu", count=8, rng=np.random.default_rng(3))
    assert len(invented) == 8
    for w in invented:
        assert w.word.startswith("qu") and words.MIN_LENGTH <= len(w.word) <= words.MAX_LENGTH
        assert set(w.word) <= set(words.ALPHABET)
        assert len(w.probabilities) == len(w.word) - 2 + 1  # each new letter and the end
        assert all(0 < p <= 1 for p in w.probabilities)
        n = len(w.word) + 1
        assert w.attention.shape == (TINY_HEADS, n, n)
    again = wordgen.generate(step, language="en", temperature=1.5, start="qu", count=8, rng=np.random.default_rng(3))
    assert [w.word for w in again] == [w.word for w in invented]


def test_onnx_runtime_and_the_engine_invent_the_same_words(tiny_words):
    import onnxruntime as ort

    directory, trained = tiny_words
    session = ort.InferenceSession(str(directory / f"{wordgen.NAME}.onnx"), providers=["CPUExecutionProvider"])

    def onnx_step(x):
        return tuple(session.run(None, {"input": x}))

    kwargs = dict(language="nl", temperature=0.7, count=5)
    by_onnx = wordgen.generate(onnx_step, rng=np.random.default_rng(9), **kwargs)
    by_engine = wordgen.generate(wordgen.engine_step(trained.model), rng=np.random.default_rng(9), **kwargs)
    assert [w.word for w in by_onnx] == [w.word for w in by_engine]
    np.testing.assert_allclose(by_onnx[0].probabilities, by_engine[0].probabilities, atol=1e-5)


def test_a_deadline_stops_generation(tiny_words):
    _, trained = tiny_words
    with pytest.raises(TimeoutError):
        wordgen.generate(
            wordgen.engine_step(trained.model), language="nl", temperature=1, rng=np.random.default_rng(), deadline=0
        )
