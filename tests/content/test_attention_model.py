"""The attention model of dl_attention (content/tools/make_attention_model.py): the committed weights are
one small file, the same in both languages, that loads into the engine and does its task on sentences
it never saw, by looking at the right word (which is what the page's heat map shows)."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from tests.content.test_content import CONTENT

FILES = sorted(CONTENT.glob("learning_objects/*/deep_learning/0420_*/embed/attention_model.json"))


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("make_attention_model", CONTENT / "tools/make_attention_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def weights():
    return json.loads(FILES[0].read_text(encoding="utf-8"))


def test_one_small_file_in_both_languages_that_matches_the_script(tool, weights):
    assert len(FILES) == 2 and FILES[0].read_bytes() == FILES[1].read_bytes()
    assert FILES[0].stat().st_size < 100_000
    assert weights["vocabulary"] == tool.vocabulary() and weights["answers"] == ["", *tool.nouns()]
    assert weights["vocabulary"][weights["unknown"]] == "?" and weights["max_length"] == tool.MAX_LENGTH


def test_the_model_does_its_task_on_new_sentences_by_looking_at_the_right_noun(tool, weights):
    model = tool.load(weights)
    assert tool.accuracy(model, tool.data(600, seed=12345)) > 0.97
    # The verb looks at its subject (the first noun), also when another noun stands in between.
    rng = np.random.default_rng(7)
    index = {w: i for i, w in enumerate(weights["vocabulary"])}
    nouns = set(tool.nouns())
    verbs = {w for lang in tool.LANGUAGES.values() for pair in lang["verbs"] for w in pair}
    looked, total = 0, 0
    for _ in range(200):
        words, heads = tool.sentence(rng)
        if sum(w in nouns for w in words) < 2:
            continue
        verb = next(i for i, w in enumerate(words) if w in verbs)
        model.predict(np.array([[index[w] for w in words]]))
        row = model[2].attention_scores[0, 0, verb]
        looked += words[int(row.argmax())] == heads[verb]
        total += 1
    assert total > 100 and looked / total > 0.95


def test_unknown_words_are_one_token(tool, weights):
    model = tool.load(weights)
    index = {w: i for i, w in enumerate(weights["vocabulary"])}
    a = [index.get(w, weights["unknown"]) for w in "the robot near the cats sleeps".split()]
    b = [index.get(w, weights["unknown"]) for w in "the spaceship near the cats sleeps".split()]
    assert a == b and weights["unknown"] in a
    assert np.allclose(model.predict(np.array([a])), model.predict(np.array([b])))
